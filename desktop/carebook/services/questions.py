"""Questions to bring to a clinician: list, draft from results, reorder, attach to a visit.

A question's `about` field says what it is about, as a small JSON object:

    {"keys": ["hba1c"],          catalogue analyte keys (what the app links and names)
     "loinc": ["4548-4"],        LOINC codes of those results
     "record_ids": [42, 41],     the lab results the question was drafted from
     "drafted_by": "template"}   "template" (code) or "model" (the local assistant)

A question typed by hand has no `about`, or whatever the person typed there; older data
may hold a bare JSON list of LOINC codes. `about_text` reads all three.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from carebook.assistant.questions import DraftQuestion
from carebook.domain.flags import effective_flag, is_abnormal
from carebook.domain.records import Record
from carebook.domain.text import fold
from carebook.domain.values import format_date
from carebook.errors import BadInput
from carebook.knowledge.catalogue import Catalogue
from carebook.services.assistant import prepare_explanation, report_record_ids
from carebook.vault.vault import Vault

QUESTION = "question"


def list_questions(vault: Vault, profile_id: int) -> list[Record]:
    """The person's questions in their chosen order."""
    return vault.records.list(QUESTION, profile_id)


def visits_by_id(vault: Vault, profile_id: int) -> dict[int, Record]:
    """The person's visits by id, to show which visit a question is attached to."""
    return {visit.id: visit for visit in vault.records.list("visit", profile_id)}


def questions_with_visits(vault: Vault, profile_id: int
                          ) -> tuple[list[Record], dict[int, Record]]:
    """The person's questions in order, and their visits by id (what the list shows)."""
    return list_questions(vault, profile_id), visits_by_id(vault, profile_id)


def next_sort_order(vault: Vault, profile_id: int) -> int:
    """The sort order that puts a new question at the end of the list."""
    orders = [q.values.get("sort_order") or 0 for q in list_questions(vault, profile_id)]
    return max(orders, default=0) + 1


def same_question(text: str) -> str:
    """A question's text reduced for comparison: case-, accent- and punctuation-blind."""
    return re.sub(r"\W+", " ", fold(text)).strip()


def about_json(draft: DraftQuestion) -> str:
    """The `about` text stored with a drafted question (see the module docstring)."""
    return json.dumps({"keys": list(draft.keys), "loinc": [c for c in draft.about if c],
                       "record_ids": list(draft.record_ids), "drafted_by": draft.drafted_by},
                      separators=(",", ":"))


def save_drafts(vault: Vault, profile_id: int, drafts: list[DraftQuestion],
                visit_id: int | None = None) -> list[Record]:
    """Store drafts as open questions at the end of the list, skipping ones already open."""
    with vault.db.transaction():
        existing = list_questions(vault, profile_id)
        seen = {same_question(q.values.get("text") or "") for q in existing
                if q.values.get("status") != "asked"}
        start = max((q.values.get("sort_order") or 0 for q in existing), default=0) + 1
        fresh = []
        for draft in drafts:
            norm = same_question(draft.text)
            if norm and norm not in seen:
                seen.add(norm)
                fresh.append(draft)
        if not fresh:
            return []
        records = [Record(QUESTION, profile_id, {
            "text": draft.text.strip(), "about": about_json(draft), "status": "open",
            "visit_id": visit_id, "sort_order": start + offset})
            for offset, draft in enumerate(fresh)]
        count = len(records)
        vault.records.add_many(
            records, f"Added {count} drafted question{'s' if count != 1 else ''}", profile_id,
            audit_action="questions_drafted",
            detail={"drafted_by": sorted({d.drafted_by for d in fresh}),
                    "record_ids": sorted({rid for d in fresh for rid in d.record_ids}),
                    "visit_id": visit_id})
        return [q for q in list_questions(vault, profile_id)
                if (q.values.get("sort_order") or 0) >= start]


def parse_about(text: str | None) -> dict[str, Any] | None:
    """The JSON `about` as a dict (a bare list counts as LOINC codes); None if not JSON."""
    try:
        data = json.loads(text or "")
    except (ValueError, TypeError):
        return None
    if isinstance(data, list):
        return {"loinc": data}
    return data if isinstance(data, dict) else None


def about_text(record: Record, catalogue: Catalogue | None) -> str:
    """What a question is about, in words ("HbA1c, LDL cholesterol"); "" when nothing."""
    raw = str(record.values.get("about") or "").strip()
    data = parse_about(raw)
    if data is None:
        # Typed by hand: show it as typed, unless it is broken JSON nobody can read.
        return "" if raw[:1] in ("{", "[") else raw
    names: list[str] = []
    for key in _strings(data.get("keys")):
        analyte = catalogue.get(key) if catalogue else None
        names.append(analyte.name if analyte else key.replace("_", " "))
    if not names:
        for code in _strings(data.get("loinc")):
            analyte = catalogue.by_loinc(code) if catalogue else None
            names.append(analyte.name if analyte else f"LOINC {code}")
    return ", ".join(dict.fromkeys(names))


def _strings(value: Any) -> list[str]:
    return [item for item in value if isinstance(item, str) and item] \
        if isinstance(value, list) else []


def move(vault: Vault, profile_id: int, record_id: int, offset: int) -> list[Record]:
    """Move a question `offset` places (negative: up), renumber the list densely, return it."""
    with vault.db.transaction():
        questions = list_questions(vault, profile_id)
        ids = [q.id for q in questions]
        if record_id not in ids:
            vault.records.get(QUESTION, record_id)  # raises "no longer exists"
            return questions  # someone else's question: nothing of theirs moves here
        old = ids.index(record_id)
        new = min(max(old + offset, 0), len(questions) - 1)
        questions.insert(new, questions.pop(old))
        for order, question in enumerate(questions, start=1):
            if question.values.get("sort_order") != order:
                question.values["sort_order"] = order
                vault.records.update(question)
        return list_questions(vault, profile_id)


def attach(vault: Vault, record_ids: list[int], visit_id: int | None) -> list[Record]:
    """Attach questions to a visit of the same person (or detach with None)."""
    with vault.db.transaction():
        questions = [vault.records.get(QUESTION, rid) for rid in record_ids]
        if visit_id is not None:
            visit = vault.records.get("visit", visit_id)
            if any(q.profile_id != visit.profile_id for q in questions):
                raise BadInput("A question can only be attached to a visit of the same "
                               "person.")
        changed = []
        for question in questions:
            if question.values.get("visit_id") != visit_id:
                question.values["visit_id"] = visit_id
                question = vault.records.update(question)
            changed.append(question)
        return changed


def set_status(vault: Vault, record_ids: list[int], status: str) -> list[Record]:
    """Mark questions "asked" or "open" again."""
    if status not in ("open", "asked"):
        raise BadInput(f"A question is either open or asked, not {status!r}.")
    with vault.db.transaction():
        changed = []
        for record_id in record_ids:
            question = vault.records.get(QUESTION, record_id)
            if question.values.get("status") != status:
                question.values["status"] = status
                question = vault.records.update(question)
            changed.append(question)
        return changed


def upcoming_visits(vault: Vault, profile_id: int, today: date | None = None) -> list[Record]:
    """Planned visits to offer: coming ones soonest first, then past ones not yet marked
    done (most recent first), since a question may still belong to one of those."""
    today_iso = (today or date.today()).isoformat()
    planned = [v for v in vault.records.list("visit", profile_id)
               if v.values.get("status") == "planned"]
    coming = sorted((v for v in planned if (v.values.get("starts_at") or "")[:10] >= today_iso),
                    key=lambda v: v.values.get("starts_at") or "")
    past = sorted((v for v in planned if (v.values.get("starts_at") or "")[:10] < today_iso),
                  key=lambda v: v.values.get("starts_at") or "", reverse=True)
    return coming + past


def visit_label(visit: Record) -> str:
    """A visit as one short line: "26 Nov 2026 · Dr. Anne Moreau"."""
    values = visit.values
    who = values.get("clinician") or values.get("specialty") or values.get("reason") or ""
    when = format_date(values.get("starts_at"))
    return " · ".join(part for part in (when, who) if part)


def latest_report_day(vault: Vault, profile_id: int) -> str | None:
    """The most recent collection day with a result out of range (else the most recent)."""
    results = vault.records.list("lab_result", profile_id)
    days = sorted({(r.values.get("collected_at") or "")[:10] for r in results} - {""},
                  reverse=True)
    abnormal = {(r.values.get("collected_at") or "")[:10] for r in results
                if is_abnormal(effective_flag(r.values))}
    return next((day for day in days if day in abnormal), days[0] if days else None)


def draft_from_records(vault: Vault, profile_id: int) -> list[DraftQuestion]:
    """Template questions from the latest report's abnormal results and trends, leaving out
    any that are already open questions (no model here)."""
    day = latest_report_day(vault, profile_id)
    if day is None:
        return []
    explanation = prepare_explanation(vault, profile_id,
                                      report_record_ids(vault, profile_id, day))
    open_now = {same_question(q.values.get("text") or "")
                for q in list_questions(vault, profile_id) if q.values.get("status") != "asked"}
    return [q for q in explanation.questions if same_question(q.text) not in open_now]
