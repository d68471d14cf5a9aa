"""Explain: facts by code first, then the model's plain-language version, checked.

The grounded facts are always there. The model's rewrite is shown only when it passes
every check, including the stricter rewrite checks; otherwise the person reads the facts
and is told which check failed. Critical values get fixed words no output can remove.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from carebook.assistant.checks import CheckReport, check_output
from carebook.assistant.claims import names
from carebook.assistant.engine import Generation, InferenceEngine, ModelStopped
from carebook.assistant.facts import FactWriter, LabValue, grounding_for, source_citation
from carebook.assistant.grounding import Citation, Fact, Grounding
from carebook.assistant.prompts import (
    explain_messages,
    instructions_text,
    questions_messages,
    shown_prompt,
)
from carebook.assistant.questions import DraftQuestion, draft_questions, model_questions
from carebook.domain.values import format_date

NOT_ADVICE = "This explains your records; it is not medical advice."
QUESTION_CHECKS = ("numbers_grounded", "forbidden_claims")


@dataclass(frozen=True)
class Critical:
    """A value past the catalogue's critical limits, and the fixed words shown for it."""

    name: str
    loinc: str | None
    message: str
    record_id: int | None = None


@dataclass
class Explanation:
    """Everything one Explain run produced, for the panel, the CLI and the audit log."""

    summary: str
    grounding: Grounding
    items: list[dict]
    critical: list[Critical]
    questions: list[DraftQuestion]
    messages: list[dict]
    model_text: str = ""
    report: CheckReport | None = None
    generation: Generation | None = None
    model: Any = None  # which model ran (services.assistant.ModelIdentity), for the audit

    @property
    def rewrite_shown(self) -> bool:
        """True when the model's version passed every check and is shown."""
        return self.report is not None and self.report.passed and not self.stopped

    @property
    def stopped(self) -> bool:
        """True when the person pressed Stop."""
        return self.generation is not None and self.generation.stopped

    @property
    def prompt_text(self) -> str:
        """The exact prompt, for "What the assistant was shown"."""
        return shown_prompt(self.messages)

    def failed_checks(self) -> list[str]:
        """Plain reasons the model's version is not shown."""
        if self.report is None:
            return []
        return [f"{result.name.replace('_', ' ')}: {result.detail}"
                for result in self.report.failures]


def prepare(writer: FactWriter, values: list[LabValue], *,
            history: dict[str, list[LabValue]] | None = None,
            medications: list[str] = (), conditions: list[str] = ()) -> Explanation:
    """Everything code can say before the model runs."""
    facts = [writer.value_facts(value, history) for value in values]  # written once
    grounding = grounding_for(writer, values, history, facts)
    critical = [Critical(writer.subject(v).name, v.loinc, message, v.record_id)
                for v in values if (message := writer.critical_message(v))]
    items = [_item(value, value_facts) for value, value_facts in zip(values, facts,
                                                                     strict=True)]
    questions = draft_questions(writer, values, history=history, medications=medications,
                                conditions=conditions)
    return Explanation(summary=summary_of(writer, values), grounding=grounding, items=items,
                       critical=critical, questions=questions,
                       messages=explain_messages(grounding))


def run_model(explanation: Explanation, engine: InferenceEngine, *, max_tokens: int = 300,
              on_text: Callable[[str], None] | None = None, add_questions: bool = True,
              cancel: threading.Event | None = None) -> Explanation:
    """Stream the model's rewrite, check it, then let it add a few questions. `cancel` is
    this run's Stop (see InferenceEngine.stream)."""
    generation = engine.generate(explanation.messages, max_tokens=max_tokens, cancel=cancel,
                                 on_text=on_text)
    explanation.generation = generation
    explanation.model_text = generation.text.strip()
    explanation.report = check_output(explanation.model_text, explanation.grounding,
                                      strict=True, instructions=instructions_text())
    if add_questions and not generation.stopped and explanation.questions:
        # If this step fails the checked rewrite stands; the template questions are complete.
        with contextlib.suppress(ModelStopped):
            _add_model_questions(explanation, engine, max_tokens, cancel)
    return explanation


def _add_model_questions(explanation: Explanation, engine: InferenceEngine,
                         max_tokens: int, cancel: threading.Event | None) -> None:
    drafted = [q.text for q in explanation.questions]
    messages = questions_messages(explanation.grounding, drafted)
    generation = engine.generate(messages, max_tokens=min(max_tokens, 120), cancel=cancel)
    if generation.stopped:
        return
    for text in model_questions(generation.text, explanation.questions):
        # A question must be about one of the results, and is held to the facts' numbers
        # and to no diagnosis or medicine advice; it is linked to the results it names.
        about = [s for s in explanation.grounding.subjects if names(s, text)]
        report = check_output(text, explanation.grounding)
        if about and all(r.passed for r in report.results if r.name in QUESTION_CHECKS):
            explanation.questions.append(DraftQuestion(
                text, tuple(s.loinc or "" for s in about),
                tuple(s.key for s in about if s.key), drafted_by="model"))


def summary_of(writer: FactWriter, values: list[LabValue]) -> str:
    """One or two sentences by code: how many results, and which are out of range."""
    dates = sorted({v.collected_at for v in values if v.collected_at})
    when = f" from {format_date(dates[-1])}" if len(dates) == 1 else ""
    count = len(values)
    head = f"{count} result{'s' if count != 1 else ''}{when}."
    flagged = [v for v in values if v.flag in ("H", "L", "A")]
    if not flagged:
        return head + " All are inside their ranges." if values else "No results to explain."
    words = {"H": "high", "L": "low", "A": "abnormal"}
    listed = ", ".join(f"{writer.subject(v).name} ({words[v.flag]})" for v in flagged)
    verb = "is" if len(flagged) == 1 else "are"
    return f"{head} {len(flagged)} {verb} outside the range: {listed}."


def _item(value: LabValue, facts: list[Fact]) -> dict:
    citations: list[Citation] = []
    for fact in facts:
        citations += [c for c in fact.citations if c not in citations]
    if not citations:
        citations.append(source_citation(value))
    return {"loinc": value.loinc, "text": " ".join(f.text for f in facts),
            "citations": [c.as_json() for c in citations]}
