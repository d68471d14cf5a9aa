"""Questions to bring to a clinician, drafted by code from the record.

Templates give a good list even with the tiny default model: one question per abnormal
result, one per clear trend, one about medicines and one per active condition when results
are out of range. The model may add a few more; those pass the same checks as any output.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from carebook.assistant.facts import FactWriter, LabValue, direction, in_sentence
from carebook.domain.values import format_number

MAX_CONDITION_QUESTIONS = 2


@dataclass(frozen=True)
class DraftQuestion:
    """A question and what it is about (catalogue keys and LOINC codes, record ids)."""

    text: str
    about: tuple[str, ...] = ()  # LOINC codes (the explain contract's "about")
    keys: tuple[str, ...] = ()  # catalogue keys, for linking inside the app
    record_ids: tuple[int, ...] = ()
    drafted_by: str = "template"  # "template" or "model"

    def as_json(self) -> dict:
        """The question as the explain contract prints it."""
        return {"text": self.text, "about": [code for code in self.about if code]}


def draft_questions(writer: FactWriter, values: list[LabValue], *,
                    history: dict[str, list[LabValue]] | None = None,
                    medications: list[str] = (), conditions: list[str] = ()
                    ) -> list[DraftQuestion]:
    """Questions from abnormal results, trends, medicines and conditions, most urgent first."""
    abnormal = [v for v in values if v.flag in ("H", "L", "A")]
    trends = {key: question for key, series in (history or {}).items()
              if (question := _about_trend(writer, key, series)) is not None}
    drafted: list[DraftQuestion] = []
    for value in sorted(abnormal, key=lambda v: writer.critical_message(v) is None):
        analyte = writer.analyte_of(value)
        trend = trends.pop(analyte.key, None) if analyte else None
        # A steady trend says more than the last value alone; a critical value comes first.
        if trend is None or writer.critical_message(value):
            drafted.append(_about_result(writer, value))
        if trend is not None:
            drafted.append(trend)
    drafted += trends.values()
    if abnormal and medications:
        drafted.append(_linked(
            f"Could any of my medicines ({_listed(medications)}) affect these results?",
            writer, abnormal))
    for condition in list(conditions)[:MAX_CONDITION_QUESTIONS] if abnormal else []:
        drafted.append(_linked(f"How do these results relate to my {in_sentence(condition)}?",
                               writer, abnormal))
    if abnormal:
        drafted.append(_linked("When should these tests be repeated?", writer, abnormal))
    return _unique(drafted)


def _about_result(writer: FactWriter, value: LabValue) -> DraftQuestion:
    analyte = writer.analyte_of(value)
    name = in_sentence(analyte.name if analyte else value.name)
    shown = f"{value.shown_value} {writer.unit_text(value.unit)}".strip()
    # "result was" reads right for every name, plural ones too ("triglycerides").
    if writer.critical_message(value):
        text = f"My {name} result was {shown}, at a critical level. What should I do now?"
    elif value.flag == "H":
        text = (f"My {name} result was {shown}, above the range. What could explain this, "
                "and should it be checked again?")
    elif value.flag == "L":
        text = (f"My {name} result was {shown}, below the range. What could cause a low "
                "level, and does it need a follow-up test?")
    else:
        text = f"My {name} result ({shown}) was marked abnormal. What does it mean for me?"
    return DraftQuestion(text, (value.loinc or "",), (analyte.key,) if analyte else (),
                         (value.record_id,) if value.record_id else ())


def _about_trend(writer: FactWriter, key: str, series: list[LabValue]) -> DraftQuestion | None:
    numeric = [v for v in series if v.value is not None]
    if len(numeric) < 3:
        return None
    moved = direction(numeric)
    if "at each of" not in moved or numeric[-1].flag not in ("H", "L"):
        # Worth a question: a steady rise or fall over three results that ends out of range.
        # A steady fall of a cholesterol still inside its range is not.
        return None
    analyte = writer.analyte_of(numeric[-1])
    name = in_sentence(analyte.name if analyte else numeric[-1].name)
    last = numeric[-3:]
    listed = ", ".join(format_number(v.value) for v in last)
    unit = writer.unit_text(last[-1].unit)
    way = "up" if last[-1].value > last[0].value else "down"
    side = "above" if last[-1].flag == "H" else "below"
    text = (f"My last three {name} results went {way} each time ({listed} {unit}), and the "
            f"last is {side} the range. What does this trend mean for me?").replace(" )", ")")
    return DraftQuestion(text, tuple(dict.fromkeys(v.loinc or "" for v in last)), (key,),
                         tuple(v.record_id for v in last if v.record_id))


def _linked(text: str, writer: FactWriter, values: list[LabValue]) -> DraftQuestion:
    keys = tuple(dict.fromkeys(a.key for v in values if (a := writer.analyte_of(v))))
    return DraftQuestion(text, tuple(dict.fromkeys(v.loinc or "" for v in values)), keys,
                         tuple(v.record_id for v in values if v.record_id))


def _listed(items: list[str]) -> str:
    items = list(dict.fromkeys(items))
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def _unique(questions: list[DraftQuestion]) -> list[DraftQuestion]:
    seen, kept = set(), []
    for question in questions:
        norm = re.sub(r"\W+", " ", question.text.casefold()).strip()
        if norm not in seen:
            seen.add(norm)
            kept.append(question)
    return kept


def model_questions(text: str, existing: list[DraftQuestion], limit: int = 3) -> list[str]:
    """Question lines in a model's output that are new (checked by the caller)."""
    known = {re.sub(r"\W+", " ", q.text.casefold()).strip() for q in existing}
    found = []
    for line in text.splitlines():
        line = re.sub(r"^\s*(?:[-*•]|\d+[.)])\s*", "", line).strip()
        norm = re.sub(r"\W+", " ", line.casefold()).strip()
        if line.endswith("?") and 4 <= len(line.split()) <= 30 and norm not in known:
            known.add(norm)
            found.append(line)
    return found[:limit]
