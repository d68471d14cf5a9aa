"""Ask over records other than lab results: which records a question names, and one short
cited sentence for each. Nothing here judges; it says what the record says."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from carebook.assistant.grounding import Citation
from carebook.domain.record_types import VITAL_KINDS
from carebook.domain.records import Record
from carebook.domain.values import format_date, format_datetime
from carebook.knowledge.names import normalise_name

SOURCE_WORDS = {"manual": "Typed in by hand", "demo": "Demo data", "fhir": "FHIR import"}
# The date that places a record in time, per record type.
DATE_FIELDS = {"lab_result": "collected_at", "medication": "start_date",
               "condition": "onset_date", "allergy": "noted_date", "immunization": "given_on",
               "vital": "measured_at", "visit": "starts_at"}
# The fields a plain word search reads, per record type.
SEARCH_FIELDS = {"medication": ("name", "reason", "notes"),
                 "allergy": ("substance", "reaction", "notes"), "condition": ("name", "notes"),
                 "immunization": ("vaccine", "notes"),
                 "visit": ("reason", "clinician", "specialty", "place", "notes"),
                 "vital": ("kind",)}
_KIND_LABELS = dict(VITAL_KINDS)
# Everyday words for what records spell otherwise ("flu" is "Influenza" on a record).
WORD_ALIASES = {"flu": ("influenza",), "grippe": ("influenza",), "gripe": ("influenza",),
                "tetanos": ("tetanus",), "whooping": ("pertussis",), "pneumonia":
                ("pneumococcal",), "corona": ("covid",), "coronavirus": ("covid",),
                "rougeole": ("measles",), "masern": ("measles",), "sarampion": ("measles",),
                "zona": ("shingles",), "gurtelrose": ("shingles",), "herpes": ("shingles",),
                "cacahuete": ("peanut",), "erdnuss": ("peanut",), "mani": ("peanut",)}


def record_citation(record: Record) -> Citation:
    """Where a record came from: "Report of 3 Mar 2025, page 2", "Typed in by hand, …"."""
    origin = record.provenance
    day = record.values.get(DATE_FIELDS.get(record.type_key, ""))
    when = format_date(day) if day else ""
    if origin.source_kind == "pdf":
        label = f"Report of {when}".strip() + (f", page {origin.page}" if origin.page else "")
    else:
        label = SOURCE_WORDS.get(origin.source_kind, "Record") + (f", {when}" if when else "")
    if not origin.confirmed:
        label += " (not yet confirmed)"
    return Citation("record", f"record:{record.type_key}:{record.id}", label)


def record_sentence(record: Record, today: date) -> str:
    """One sentence about a medicine, allergy, condition, vaccination or visit."""
    values = record.values
    writer = {"medication": _medication, "allergy": _allergy, "condition": _condition,
              "immunization": _immunization, "visit": _visit}[record.type_key]
    return writer(values, today)


def _medication(values: dict, today: date) -> str:
    text = joined(values.get("name"), values.get("dose"), sep=" ")
    text = joined(text, values.get("schedule"),
                  values.get("reason") and f"for {values['reason']}")
    stop = values.get("stop_date")
    if stop and stop <= today.isoformat():
        return f"{text}: stopped on {format_date(stop)}."
    when = [f"since {format_date(values['start_date'])}"] if values.get("start_date") else []
    if values.get("next_refill"):
        when.append(f"next refill {format_date(values['next_refill'])}")
    return f"{text} ({'; '.join(when)})." if when else f"{text}."


def _allergy(values: dict, _today: date) -> str:
    text = f"Allergic to {values['substance']}"
    if values.get("reaction"):
        text += f": {values['reaction']}"
    severity = values.get("severity")
    return text + (f" ({severity})." if severity and severity != "unknown" else ".")


def _condition(values: dict, _today: date) -> str:
    if values.get("status") == "resolved":
        when = values.get("resolved_date")
        return f"{values['name']}: resolved{' on ' + format_date(when) if when else ''}."
    when = values.get("onset_date")
    return f"{values['name']}: {values.get('status') or 'noted'}" + (
        f", since {format_date(when)}." if when else ".")


def _immunization(values: dict, _today: date) -> str:
    text = f"{values['vaccine']}: given on {format_date(values['given_on'])}"
    if values.get("dose_number"):
        text += f", dose {values['dose_number']}"
    return text + (f", by {values['given_by']}." if values.get("given_by") else ".")


def _visit(values: dict, today: date) -> str:
    when = format_datetime(values["starts_at"])
    planned = values.get("status") == "planned" and values["starts_at"][:10] >= today.isoformat()
    specialty = values.get("specialty")
    who = joined(values.get("clinician"), specialty and f"({specialty})", sep=" ")
    text = f"{'Planned visit' if planned else 'Visit'} on {when}"
    text += f" with {who}" if who else ""
    text += f", at {values['place']}" if values.get("place") else ""
    if values.get("status") == "cancelled":
        text += " (cancelled)"
    return text + (f": {values['reason']}." if values.get("reason") else ".")


def sort_records(records: list[Record], today: date, upcoming: bool) -> list[Record]:
    """Medicines in use and active conditions first; events newest first (soonest first
    when the question asks what is coming)."""
    if not records or records[0].type_key in ("medication", "condition", "allergy"):
        return sorted(records, key=lambda r: _rank(r, today))
    field = DATE_FIELDS[records[0].type_key]
    return sorted(records, key=lambda r: r.values.get(field) or "", reverse=not upcoming)


def _rank(record: Record, today: date) -> tuple:
    values = record.values
    if record.type_key == "medication":
        stopped = bool(values.get("stop_date")) and values["stop_date"] <= today.isoformat()
        return (stopped, values["name"].casefold())
    if record.type_key == "condition":
        return (values.get("status") != "active", values["name"].casefold())
    return (values["substance"].casefold(),)


def current_in_window(record: Record, since: date | None, until: date | None) -> bool:
    """Medicines and conditions count when current at some point of the window; allergies
    do not end, so only their start matters; events count by their date."""
    values = record.values
    end_field = {"medication": "stop_date", "condition": "resolved_date"}.get(
        record.type_key)
    if end_field is None and record.type_key != "allergy":
        return in_window(values.get(DATE_FIELDS[record.type_key]), since, until)
    start, end = values.get(DATE_FIELDS[record.type_key]), values.get(end_field or "")
    starts_in_time = until is None or start is None or start[:10] <= until.isoformat()
    ends_in_time = since is None or end is None or end[:10] >= since.isoformat()
    return starts_in_time and (record.type_key == "allergy" or ends_in_time)


def in_window(day: str | None, since: date | None, until: date | None) -> bool:
    """True when an ISO date falls in the window (always, when there is no window)."""
    if day is None:
        return since is None and until is None
    day = day[:10]
    return (since is None or day >= since.isoformat()) and (
        until is None or day <= until.isoformat())


def mentions(record: Record, terms: Iterable[str]) -> bool:
    """True when the record's searchable text holds any of the terms."""
    values = record.values
    fields = SEARCH_FIELDS.get(record.type_key, ())
    text = " ".join(str(values.get(name) or "") for name in fields)
    if record.type_key == "vital":
        text += " " + _KIND_LABELS.get(values.get("kind"), "")
    return text_matches(text, terms)


def text_matches(text: str | None, terms: Iterable[str]) -> bool:
    """True when any term (all of its words) is in the text: case, accent and plural-blind."""
    tokens = normalise_name(text or "").split()
    for term in terms:
        words = term.split()
        if all(any(_same_word(word, token) for token in tokens) for word in words):
            return True
        if len(words) == 1 and any(_same_word(alias, token) for alias in
                                   WORD_ALIASES.get(term, ()) for token in tokens):
            return True
    return False


def _same_word(word: str, token: str) -> bool:
    if word == token or word.rstrip("s") == token.rstrip("s"):
        return True
    short, long_ = sorted((word, token), key=len)
    return len(short) >= 6 and long_.startswith(short)


def joined(*parts: str | None, sep: str = ", ") -> str:
    """The parts that are not empty, joined."""
    return sep.join(part for part in parts if part)
