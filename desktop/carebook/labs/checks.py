"""The flag each result gets, decided by code, and the doubts that lower a row's confidence.

The model never decides a flag: the range does. A printed flag is kept (labs know things about
their own ranges), but when it contradicts the range the row is marked for review. Values that
are biologically impossible, in a unit the test is never reported in, or an LDL that disagrees
with the one computed from the other lipids (Friedewald) are marked too.
"""

from __future__ import annotations

import re

from carebook.domain.flags import compute_flag
from carebook.knowledge import Analyte, normalise_unit

NORMAL_WORDS = re.compile(
    r"^(?:negati(?:ve|f|v|vo)|n[ée]gatif|nil|absent|normal|normale|clear|clair|klar|"
    r"limpide|limpio|not detected|non d[ée]tect[ée]|non[- ]reactive|pale yellow|yellow|"
    r"n\.\s?n\.|nicht nachweisbar|no detectado|"
    r"jaune(?: p[aâ]le)?|gelb|amarillo|straw)$", re.IGNORECASE)

ABNORMAL_WORDS = re.compile(
    r"^(?:positi(?:ve|f|v|vo)|present|pr[ée]sent|detected|d[ée]tect[ée]|reactive|r[ée]actif|"
    r"traces?|trazas|spuren|turbid|trouble|cloudy|\+{1,4}|[1-4]\+)$", re.IGNORECASE)

COUNT_RANGE = re.compile(r"^(?P<low>\d+)\s*-\s*(?P<high>\d+)$")

UNMATCHED_PENALTY = 0.35


def decide_flag(value: float | None, value_text: str, low: float | None, high: float | None,
                printed: str | None, out_of_range_column: bool,
                doubts: list[tuple[str, str]]) -> str | None:
    """The flag by code from value and range; a contradicting printed flag adds a doubt."""
    if value is None:
        if printed:
            return "A"  # a word result has no direction: marked is abnormal
        if out_of_range_column:
            return "A"
        if NORMAL_WORDS.match(value_text.strip()):
            return "N"
        counted = COUNT_RANGE.match(value_text.strip())
        if counted and (low is not None or high is not None):
            # "2-4 /hpf" against "0-5": judged by its upper end.
            return compute_flag(float(counted["high"]), low, high)
        # Words that say something was found are abnormal; free text ("Adequate on smear")
        # gets no flag: code can't judge it, and the person reads it as printed.
        return "A" if ABNORMAL_WORDS.match(value_text.strip()) else None
    computed = compute_flag(value, low, high)
    if printed in ("H", "L"):
        if computed is not None and computed != printed:
            doubts.append(("flag", "the printed flag does not agree with the range"))
        return printed
    if printed == "A" or out_of_range_column:
        if computed == "N":
            doubts.append(("flag", "marked abnormal but inside the range"))
            return "A"
        return computed or "A"
    return computed


def plausibility_doubts(analyte: Analyte | None, value: float | None,
                        unit: str | None) -> list[tuple[str, str]]:
    """Doubts about a value that cannot be right for this test in this unit."""
    if analyte is None or value is None:
        return []
    code = normalise_unit(unit) if unit else None
    if unit and code is None:
        return [("unit", "the unit is not one Carebook knows")]
    if code is None:
        code = analyte.unit
    if code is None:
        return []
    if not analyte.accepts(code):
        return [("unit", f"{unit} is not a unit this test is reported in")]
    canonical = analyte.convert(value, code, analyte.unit) if code != analyte.unit else value
    if canonical is None:
        return []  # a unit this test is printed in, with no fixed factor (HbA1c in mmol/mol)
    plausible = analyte.plausible
    if plausible and ((plausible.low is not None and canonical < plausible.low)
                      or (plausible.high is not None and canonical > plausible.high)):
        return [("value", "the value is outside what is biologically possible for this test")]
    better = _better_unit(analyte, value, code, canonical)
    if better:
        return [("unit", f"the value looks like one in {better}, not {unit or code}")]
    return []


def _better_unit(analyte: Analyte, value: float, code: str, canonical: float) -> str | None:
    # Glucose "5.5 mg/dL" is far outside any usual value, but 5.5 mmol/L is ordinary: the
    # unit was probably read from the wrong column or printed wrong.
    typical = analyte.typical_range()
    if typical is None or typical.low is None or typical.high is None or typical.low <= 0:
        return None
    if typical.low / 5 <= canonical <= typical.high * 5:
        return None
    for other in analyte.units:
        if other == code:
            continue
        converted = analyte.convert(value, other, analyte.unit)
        if converted is not None and typical.low / 2 <= converted <= typical.high * 2:
            return other
    return None


def friedewald_doubt(rows: list[dict], convert) -> None:
    """Mark an LDL that disagrees with total cholesterol − HDL − triglycerides/5 (in mg/dL)."""
    found = {}
    for row in rows:
        if row["analyte"] in ("total_cholesterol", "hdl_cholesterol", "ldl_cholesterol",
                              "triglycerides") and row["value"] is not None:
            mg_dl = convert(row["analyte"], row["value"], row["unit"], "mg/dL")
            if mg_dl is not None:
                found.setdefault(row["analyte"], (row, mg_dl))
    if len(found) < 4:
        return
    ldl_row, ldl = found["ldl_cholesterol"]
    total, hdl, trig = (found[key][1] for key in
                        ("total_cholesterol", "hdl_cholesterol", "triglycerides"))
    if trig > 400:  # the formula does not hold there; labs measure LDL directly
        return
    expected = total - hdl - trig / 5
    if abs(ldl - expected) > max(10.0, 0.12 * expected):
        ldl_row["_doubts"].append((
            "value", "LDL does not agree with the one computed from total cholesterol, HDL "
                     "and triglycerides"))


def confidence(matched: bool, doubts: list[tuple[str, str]]) -> float:
    """1.0 for a recognised test with no doubts, lower for each other reason to look again."""
    score = 1.0 - (0 if matched else UNMATCHED_PENALTY) - 0.25 * len(doubts)
    return round(max(0.05, min(1.0, score)), 2)
