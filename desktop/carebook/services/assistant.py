"""Assistant use cases: explain results, draft questions, ask, each audited in the vault.

Gathering (database) and generating (worker process) are separate steps so the UI can run
the first with the database and stream the second without holding the database up.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from carebook.assistant import ask as asking
from carebook.assistant import explain as explaining
from carebook.assistant.ask_records import record_citation
from carebook.assistant.engine import InferenceEngine, ModelStopped
from carebook.assistant.explain import Explanation
from carebook.assistant.facts import FactWriter, LabValue, with_code_flag
from carebook.assistant.grounding import Grounding
from carebook.assistant.prompts import PROMPT_VERSION, ask_messages
from carebook.domain.record_types import RECORD_TYPES
from carebook.domain.records import Record
from carebook.errors import BadInput
from carebook.knowledge import load_catalogue
from carebook.services.lab_results import trend_from_records
from carebook.vault.vault import Vault


@dataclass(frozen=True)
class ModelIdentity:
    """Which model ran: recorded in every audit entry and printed by the CLI."""

    name: str
    file: str
    sha256: str

    def as_json(self) -> dict:
        """The model as the explain contract prints it."""
        return {"name": self.name, "file": self.file, "sha256": self.sha256}


class AssistantSession:
    """The worker for the active model, started on first use and replaced on a model change."""

    def __init__(self) -> None:
        self.engine: InferenceEngine | None = None
        self.model: ModelIdentity | None = None
        self.closed = False
        self._lock = threading.Lock()

    def engine_for(self, path: Path, model: ModelIdentity) -> InferenceEngine:
        """The engine running this model file, restarting the worker if another model (or
        the same path with other contents, after a re-confirm) was running."""
        with self._lock:
            if self.closed:  # the vault locked: work queued before that must not start
                raise ModelStopped("The vault was locked, so the model was stopped.")
            if self.engine is not None and (self.engine.model_path != Path(path)
                                            or self.model != model):
                self.engine.close()
                self.engine = None
            if self.engine is None:
                self.engine = InferenceEngine(Path(path))
            self.model = model
            return self.engine

    def stop(self, cancel: threading.Event | None = None) -> None:
        """Stop the generation started with `cancel` (any, without it)."""
        if cancel is not None:
            cancel.set()
        if self.engine is not None:
            self.engine.stop(cancel)

    def restart(self) -> None:
        """End the worker so the next request starts one with the active model."""
        with self._lock:
            if self.engine is not None:
                self.engine.close()
            self.engine = None

    def close(self) -> None:
        """End the worker for good: at lock (its cache holds the last prompt) and at exit."""
        with self._lock:
            self.closed = True
            if self.engine is not None:
                self.engine.close()
            self.engine = None


# --- from the vault to lab values ----------------------------------------------------------

def lab_value(record: Record) -> LabValue:
    """A stored lab result as the assistant reads it, with where it came from."""
    values, origin = record.values, record.provenance
    label = record_citation(record).label  # the same words Ask uses for the same record
    return with_code_flag(LabValue(
        name=values.get("name") or "", value=values.get("value"),
        value_text=values.get("value_text") or "", unit=values.get("unit"),
        ref_low=values.get("ref_low"), ref_high=values.get("ref_high"),
        ref_text=values.get("ref_text"), flag=values.get("flag"),
        collected_at=values.get("collected_at"), loinc=values.get("loinc"),
        analyte=values.get("analyte"), page=origin.page, record_id=record.id,
        document_id=origin.document_id, source_label=label))


def history_of(vault: Vault, profile_id: int, keys: set[str]) -> dict[str, list[LabValue]]:
    """Each analyte's results oldest first, converted to one unit by code."""
    catalogue = load_catalogue()
    history = {}
    for key in sorted(keys):
        trend = trend_from_records(vault.records.lab_history(profile_id, key), key, catalogue)
        series = []
        for point in trend.values:
            if point.converted is None:
                continue
            value = lab_value(point.record)
            series.append(replace(value, value=point.converted, value_text="",
                                  unit=trend.unit))
        if len(series) >= 2:
            history[key] = series
    return history


def prepare_explanation(vault: Vault, profile_id: int, record_ids: list[int]) -> Explanation:
    """Facts, critical banners and template questions for some results (database work)."""
    records = [vault.records.get("lab_result", rid) for rid in record_ids]
    records = [r for r in records if r.profile_id == profile_id]
    values = [lab_value(record) for record in records]
    writer = FactWriter(load_catalogue(), vault.profiles.get(profile_id).sex)
    keys = {a.key for v in values if (a := writer.analyte_of(v)) is not None}
    return explaining.prepare(writer, values, history=history_of(vault, profile_id, keys),
                              medications=_active(vault, profile_id, "medication", "name"),
                              conditions=_active(vault, profile_id, "condition", "name"))


# A medicine is current until its stop date; a condition until it is resolved.
_ENDED_BY = {"medication": "stop_date", "condition": "resolved_date"}


def _active(vault: Vault, profile_id: int, type_key: str, field: str) -> list[str]:
    today = date.today().isoformat()
    ended = _ENDED_BY[type_key]
    records = vault.records.list(type_key, profile_id)
    active = [r for r in records if r.values.get("status") in (None, "", "active")
              and not (r.values.get(ended) and r.values[ended] <= today)]
    return [str(r.values[field]) for r in active if r.values.get(field)]


def report_record_ids(vault: Vault, profile_id: int, collected_at: str) -> list[int]:
    """The results collected on one day: "explain this report"."""
    return [r.id for r in vault.records.list("lab_result", profile_id)
            if (r.values.get("collected_at") or "")[:10] == collected_at[:10]]


def prepare_answer(vault: Vault, profile_id: int, question: str,
                   today: date | None = None) -> Explanation:
    """Retrieve what the records say about a question, as facts to show and to rephrase."""
    question = question.strip()
    if not question:
        raise BadInput("Type a question about the records first.")
    profile = vault.profiles.get(profile_id)
    records = [record for type_key in RECORD_TYPES
               for record in vault.records.list(type_key, profile_id)]
    found = asking.answer(question, records, load_catalogue(), today or date.today(),
                          profile.sex, names=[profile.name, profile.full_name])
    grounding = found.grounding
    items = [{"loinc": None, "text": fact.text,
              "citations": [c.as_json() for c in fact.citations]} for fact in grounding.facts]
    summary = (f"From {len(grounding.record_ids)} of your records." if found.found
               else found.text)
    return Explanation(summary=summary, grounding=grounding if found.found else Grounding(),
                       items=items, critical=[], questions=[],
                       messages=ask_messages(question, grounding))


def generate(session: AssistantSession, explanation: Explanation, path: Path,
             model: ModelIdentity, *, max_tokens: int = 300,
             on_text: Callable[[str], None] | None = None,
             cancel: threading.Event | None = None) -> Explanation:
    """Run the model over prepared facts and check what it wrote (no database work)."""
    engine = session.engine_for(path, model)
    return explaining.run_model(explanation, engine, max_tokens=max_tokens, on_text=on_text,
                                cancel=cancel)


# --- the audit trail -----------------------------------------------------------------------

def audit_entry(kind: str, explanation: Explanation, model: ModelIdentity | None) -> dict:
    """What an AI run records: model, prompt version, records sent, output, checks."""
    report = explanation.report
    return {
        "kind": kind,
        "model_file": model.file if model else None,
        "model_sha256": model.sha256 if model else None,
        "model_name": model.name if model else None,
        "prompt_version": PROMPT_VERSION,
        "record_ids": list(explanation.grounding.record_ids),
        "prompt": explanation.prompt_text,
        "output": explanation.model_text,
        "stopped": explanation.stopped,
        "rewrite_shown": explanation.rewrite_shown,
        "checks": ({r.name: {"passed": r.passed, "detail": r.detail} for r in report.results}
                   if report else {}),
        "critical": [c.message for c in explanation.critical],
        "questions": [q.text for q in explanation.questions],
    }


def record_run(vault: Vault, profile_id: int, kind: str, explanation: Explanation,
               model: ModelIdentity | None) -> None:
    """Write one audit entry for an AI run, whatever its outcome."""
    count = len(explanation.grounding.record_ids)
    what = {"explain": "Explained", "ask": "Answered from"}.get(kind, "Used")
    outcome = ("stopped" if explanation.stopped else
               "model's version shown" if explanation.rewrite_shown else
               "facts shown" if model else "facts only, no model")
    summary = f"{what} {count} record{'s' if count != 1 else ''} ({outcome})"
    vault.audit.write("ai_run", summary, profile_id=profile_id,
                      detail=audit_entry(kind, explanation, model))
