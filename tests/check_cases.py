"""Groundings and outputs shared by the output-check tests (tests/unit/test_*checks.py)."""

from __future__ import annotations

from carebook.assistant.checks import CheckReport
from carebook.assistant.grounding import Citation, Fact, Grounding, Subject
from carebook.knowledge import load_catalogue

HBA1C = Subject("Hemoglobin A1c", "6.4", "H", ("HbA1c", "A1c"), "4548-4", "hba1c")
LDL = Subject("LDL cholesterol", "4.1", "H", ("LDL", "LDL-C"), "13457-7", "ldl_cholesterol")
TSH = Subject("TSH (thyroid-stimulating hormone)", "2.1", "N", ("TSH",), "3016-3", "tsh")


def _fact(text: str, ref: str) -> Fact:
    return Fact(text, (Citation("record", ref, "Lab report, 3 March 2025, page 1"),))


def _grounding(*subjects: Subject) -> Grounding:
    lines = {
        "hba1c": ["Your Hemoglobin A1c (HbA1c) is 6.4 %. The usual range is 4.0 to 5.6 %.",
                  "HbA1c reflects your average blood sugar over the past 2 to 3 months.",
                  "A high level can be seen in diabetes or prediabetes."],
        "ldl_cholesterol": ["Your LDL cholesterol is 4.1 mmol/L. The usual range is below "
                            "3.0 mmol/L.",
                            "LDL can build up in the walls of blood vessels over time."],
        "tsh": ["Your TSH is 2.1 mIU/L. The usual range is 0.4 to 4.0 mIU/L."],
    }
    facts = [_fact(line, f"record:lab_result:{i}")
             for i, subject in enumerate(subjects) for line in lines[subject.key]]
    facts.append(_fact("Ask your clinician what these results mean for you.", "catalogue:none"))
    return Grounding(facts, list(subjects), list(range(len(subjects))))


GOOD = (
    "Your HbA1c is 6.4 %. That is high. The usual range is 4.0 to 5.6 %. "
    "HbA1c shows your average blood sugar over the past 2 to 3 months.\n"
    "Your LDL cholesterol is 4.1 mmol/L, which is also high. LDL can build up in blood vessels.\n"
    "Your TSH is 2.1. That is in the usual range.\n"
    "Do not change your medicines without talking to your clinician. "
    "Ask your clinician what these results mean for you."
)


def _result(report: CheckReport, name: str):
    return next(r for r in report.results if r.name == name)


def _catalogue_texts():
    cat = load_catalogue()
    return [(a, part, getattr(a.text, part))
            for a in cat.analytes() for part in ("what", "why", "high", "low")]
