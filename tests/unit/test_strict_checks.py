"""The stricter checks a model's rewrite must also pass: contradictions, repetition, values
said of the wrong result, care put off. Shared cases come from tests/check_cases.py."""

from __future__ import annotations

import pytest

from carebook.assistant.checks import check_output
from carebook.assistant.facts import FactWriter, LabValue
from carebook.assistant.grounding import Fact, Grounding, Subject
from carebook.knowledge import load_catalogue
from tests.check_cases import (
    GOOD,
    HBA1C,
    TSH,
    _catalogue_texts,
    _grounding,
    _result,
)

# --- strict: named with value, contradictions, repetition --------------------------------------

ISSUE_EXAMPLE = ("high blood sugar levels can be a sign of a problem, but it's also a normal "
                 "part of life")


def test_the_issue_example_fails_the_strict_checks():
    report = check_output(ISSUE_EXAMPLE, _grounding(HBA1C), strict=True)
    failed = {r.name for r in report.failures}
    assert {"names_abnormal_values", "no_contradiction"} <= failed
    assert "normal part of life" in _result(report, "no_contradiction").detail


def test_a_real_smollm2_repetition_fails():
    line = ("- HbA1c is a type of blood sugar that can be measured. It's a measure of average "
            "blood sugar over three months.\n")
    report = check_output(line * 3, _grounding(HBA1C), strict=True)
    assert not _result(report, "no_repetition").passed
    assert "HbA1c is a type of blood sugar" in _result(report, "no_repetition").detail
    assert _result(check_output(line, _grounding(HBA1C), strict=True), "no_repetition").passed


def test_near_duplicate_sentences_fail(grounding):
    text = ("Your HbA1c is 6.4 % and that is high for you. "
            "Your HbA1c is 6.4 % and that is really high for you.")
    assert not _result(check_output(text, grounding, strict=True), "no_repetition").passed


def test_the_same_eight_words_three_times_fail(grounding):
    phrase = "your average blood sugar over the past few months"
    text = (f"HbA1c shows {phrase}. It tells {phrase} well. Ask about {phrase} too.")
    assert not _result(check_output(text, grounding, strict=True), "no_repetition").passed
    assert _result(check_output(text.rsplit(" Ask", 1)[0], grounding, strict=True),
                   "no_repetition").passed


def test_an_abnormal_result_named_without_its_value_fails(grounding):
    text = GOOD.replace("Your LDL cholesterol is 4.1 mmol/L, which is also high.",
                        "Your LDL cholesterol is also high.")
    result = _result(check_output(text, grounding, strict=True), "names_abnormal_values")
    assert not result.passed
    assert "LDL cholesterol is named without its value 4.1" in result.detail


def test_the_value_may_come_in_the_next_sentence(grounding):
    text = "Your HbA1c is high. It was 6.4 %. Your LDL cholesterol came back at 4.1 mmol/L."
    assert _result(check_output(text, grounding, strict=True), "names_abnormal_values").passed


def test_a_non_numeric_abnormal_value_is_matched_as_words():
    protein = Subject("Urine protein (dipstick)", "Positive (2+)", "A", ("urine protein",))
    g = Grounding([Fact("Your urine protein (dipstick) is Positive (2+).")], [protein])
    ok = check_output("Your urine protein is positive (2+).", g, strict=True)
    assert _result(ok, "names_abnormal_values").passed
    bad = check_output("Your urine protein was checked.", g, strict=True)
    assert not _result(bad, "names_abnormal_values").passed


CONTRADICTIONS = [
    "Your HbA1c is 6.4 %, which is normal.",
    "Your HbA1c of 6.4 % is within the normal range.",
    "Your HbA1c is 6.4 %. It is nothing to worry about.",
    "Your HbA1c is 6.4 %, a normal level.",
    "Your LDL cholesterol looks fine at 4.1.",
    "Your HbA1c is 6.4 %, below the normal range.",  # flagged high, called low
    "Your TSH is 2.1, which is high.",
    "Your TSH of 2.1 is abnormal.",
    "Your TSH is 2.1. This is out of range.",
    "Your TSH is 2.1 and a bit low.",
    "Your TSH is concerning.",
    "Your HbA1c level of 6.4 is normal.", "Your HbA1c is 6.4 %, which can be normal.",
    "Your HbA1c is 6.4 %. This helps show it is normal.", "Your HbA1c is 6.4 %. Normal.",
    *(f"Your HbA1c is {word}." for word in (
        "good", "great", "excellent", "fine", "okay", "safe", "acceptable", "alright",
        "under control", "where it should be", "a good sign")),
    "Your HbA1c is 6.4 %. It's not high.", "Your LDL cholesterol is not elevated.",
    "Your HbA1c is not above the range.", "Your HbA1c is 6.4 %. It is lower than expected.",
    "Everything is normal.", "Your results are normal.", "All your results look good.",
    "Your HbA1c is 6.4 %. Your LDL cholesterol is 4.1. Both are good news.",
    "Your HbA1c is 6.4 % and you are fine.",
    "Your TSH is 2.1, which is bad.", "Your TSH is worrying.", "Your TSH is a concern.",
    "Your TSH is dangerous.", "Your TSH is 2.1, a worrying result.",
    "Your TSH is higher than normal.",
]


@pytest.mark.parametrize("text", CONTRADICTIONS)
def test_contradictions_are_caught_each_way(grounding, text):
    result = _result(check_output(text, grounding, strict=True), "no_contradiction")
    assert not result.passed
    assert ("Hemoglobin A1c" in result.detail or "LDL" in result.detail
            or "TSH" in result.detail)


NOT_CONTRADICTIONS = [
    "Your HbA1c is 6.4 %, above the normal range.",
    "The normal range is 4 to 5.6.",
    "Your HbA1c is 6.4 %. The normal range is 4.0 to 5.6 %.",
    "Your HbA1c is higher than normal.",
    "Your HbA1c is 6.4 %, which is not normal.",
    "A normal HbA1c is below 5.6 %.",
    "Your TSH is 2.1, in the normal range.",
    "Your TSH is 2.1. A high TSH often means the thyroid is underactive.",
    "Your TSH is not high.",
    "Your TSH is 2.1, neither high nor low.",
    "If your TSH is high, your thyroid may be underactive.",
    "Your HbA1c is 6.4 %, which is high, and your TSH is 2.1, which is normal.",
    "Your LDL is 4.1, which is high. Your other results are normal.",
    "Ask your clinician how to bring your LDL back into the normal range.",
    "Your LDL is high. A low LDL is usually not a worry.",
    "Your HbA1c is 6.4 %, in the range of prediabetes.",
    "Your HbA1c is 6.4 %. It is above the usual range of 4.0 to 5.6 %.",
    "The normal range is 4 to 5.6 %.", "A normal level means blood sugar is in a healthy range.",
    "Your TSH is 2.1, inside the range, which is good.",
    "Your HbA1c is high. Ask whether it is safe to exercise.",
    "Your HbA1c is 6.4 %. It is good that you asked.", "It is normal to feel worried.",
    "Your LDL cholesterol is above the upper limit of normal.",
    "Your TSH is 2.1 and your HbA1c is 6.4 %. Both are tests your clinician ordered.",
    "Your HbA1c is high. It can read falsely low after blood loss.",
]


@pytest.mark.parametrize("text", NOT_CONTRADICTIONS)
def test_legitimate_wording_is_not_a_contradiction(grounding, text):
    result = _result(check_output(text, grounding, strict=True), "no_contradiction")
    assert result.passed, result.detail


@pytest.mark.parametrize("flag", ["H", "L", "N"])
def test_catalogue_text_copied_for_its_own_result_is_no_contradiction(flag):
    """Each analyte's what/why text, and its high or low text when so flagged, read as the
    model's output about that result: no contradiction, whatever the flag."""
    parts = {"H": ("what", "why", "high"), "L": ("what", "why", "low"), "N": ("what", "why")}
    cat = load_catalogue()
    wrong = []
    for analyte in cat.analytes():
        subject = Subject(analyte.name, "1", flag, tuple(analyte.synonyms.get("en", ())))
        other = Subject("Sodium", "140", "N")
        text = " ".join(getattr(analyte.text, part) for part in parts[flag])
        g = Grounding([Fact(text)], [subject, other])
        result = _result(check_output(text, g, strict=True), "no_contradiction")
        if not result.passed:
            wrong.append((analyte.key, result.detail))
    assert wrong == []


def test_praise_in_a_text_about_a_flagged_result_fails(grounding):
    for text in ("Your HbA1c is 6.4 %. Good job!", "Well done keeping it healthy.",
                 "Great news."):
        result = _result(check_output(text, grounding, strict=True), "no_contradiction")
        assert not result.passed and "praises" in result.detail, text
    normal_only = _grounding(TSH)
    assert check_output("Your TSH is 2.1. Great news.", normal_only, strict=True).passed


# --- strict: each value said of its own result ------------------------------------------------


@pytest.mark.parametrize(("text", "said"), [
    ("The range is 4.0 to 5.6, so your HbA1c is 4.0 %.", "not 4.0"),
    ("Your HbA1c is 4.1 %.", "not 4.1"),  # LDL's value: in the facts, but not HbA1c's
    ("Your LDL cholesterol is 6.4 mmol/L.", "not 6.4"),
    ("Your TSH level of 4.0 is fine.", "not 4.0"),  # its range limit, not its value
    ("HbA1c should be under 4.1 %.", "4.1 is not among the facts about Hemoglobin A1c"),
    ("Your TSH is 2.1. Your HbA1c is 0.4 %.", "0.4 is not among the facts about Hemoglobin"),
])
def test_a_value_given_to_the_wrong_result_fails(grounding, text, said):
    result = _result(check_output(text, grounding, strict=True), "values_match")
    assert not result.passed
    assert said in result.detail


@pytest.mark.parametrize("text", [
    "Your HbA1c is 6.4 %, above the usual range of 4.0 to 5.6 %.",
    "Your HbA1c of 6.4 % is above 5.6 %.", "HbA1c: 6.4 %.", "Your HbA1c is six point four.",
    "Your LDL cholesterol, at 4.1 mmol/L, is above 3.0 mmol/L.",
    "Your HbA1c and LDL cholesterol are 6.4 % and 4.1 mmol/L.",
    "The usual range for HbA1c is 4.0 to 5.6 %.", "An HbA1c of 4.0 to 5.6 % is usual.",
    "HbA1c shows your average blood sugar over the past 2 to 3 months.",
])
def test_values_said_of_their_own_result_pass(grounding, text):
    result = _result(check_output(text, grounding, strict=True), "values_match")
    assert result.passed, result.detail


def _lab(key: str, value: float, flag: str) -> LabValue:
    analyte = load_catalogue().get(key)
    usual = analyte.typical_range(None)
    return LabValue(analyte.name, value, f"{value:g}", usual.unit, usual.low, usual.high, None,
                    flag, "2026-03-03", analyte=key, page=1)


def test_the_facts_code_writes_give_each_result_its_own_numbers():
    """Every analyte's facts, read back as the model's text, say no number of the wrong result."""
    writer, wrong = FactWriter(load_catalogue()), []
    for analyte in load_catalogue().analytes():
        usual = analyte.typical_range(None)
        if usual is None or usual.high is None:
            continue
        other = _lab("sodium", 140, "N") if analyte.key == "tsh" else _lab("tsh", 2.1, "N")
        values = [_lab(analyte.key, round(usual.high * 1.5 + 1, 1), "H"), other]
        g = Grounding()
        for value in values:
            g.facts += writer.result_facts(value)
            g.subjects.append(writer.subject(value))
        result = _result(check_output(g.text, g, strict=True), "values_match")
        if not result.passed:
            wrong.append((analyte.key, result.detail))
    assert wrong == []


# --- strict: care not put off ---------------------------------------------------------------------

DISMISSALS = [
    "There is no need to see a doctor.", "You can wait for your next visit.",
    "This can wait a few weeks.", "You can ignore this result.", "It is nothing to worry about.",
    "There is no cause for concern.", "It is not urgent.", "It is not serious.",
    "There is no rush.", "There is no need to act.", "Don't worry.",
    "You don't need to see anyone about it.", "This result can be ignored.",
]


@pytest.mark.parametrize("text", DISMISSALS)
def test_care_put_off_for_a_flagged_result_fails(grounding, text):
    result = _result(check_output(f"Your HbA1c is 6.4 %. {text}", grounding, strict=True),
                     "no_dismissal")
    assert not result.passed
    assert "Puts off care" in result.detail


def test_the_same_words_about_normal_results_pass():
    assert _result(check_output("Your TSH is 2.1. There is no need to worry.", _grounding(TSH),
                                strict=True), "no_dismissal").passed


CRITICAL_DELAYS = ["Bring it up at your next routine visit.", "Repeat it in a few weeks.",
                   "Book a test in 2 to 3 months.", "Call your clinician when convenient.",
                   "See your clinician in the next few days.",
                   "See your clinician within the next month."]
NOT_DISMISSALS = [
    "Do not wait for your next visit.", "Do not ignore this result.",
    "Contact a clinician now.", "Is it safe to wait until my next visit?",
    "Ask your clinician whether this can wait.", "A low level is usually not a worry.",
    "Your HbA1c reflects your blood sugar over the past 2 to 3 months.",
    "Your HbA1c needs care today, not at your next routine visit.",
]


@pytest.mark.parametrize("text", CRITICAL_DELAYS)
def test_a_later_visit_fails_only_for_a_critical_result(text):
    urgent = Subject("Hemoglobin A1c", "6.4", "H", ("HbA1c",), critical=True)
    said = f"Your HbA1c is 6.4 %. {text}"
    assert not _result(check_output(said, _with(urgent), strict=True), "no_dismissal").passed
    assert _result(check_output(said, _grounding(HBA1C), strict=True), "no_dismissal").passed


@pytest.mark.parametrize("text", NOT_DISMISSALS)
def test_urging_care_is_not_putting_it_off(text):
    urgent = Subject("Hemoglobin A1c", "6.4", "H", ("HbA1c",), critical=True)
    said = f"Your HbA1c is 6.4 %. {text}"
    result = _result(check_output(said, _with(urgent), strict=True), "no_dismissal")
    assert result.passed, result.detail


def _with(subject: Subject) -> Grounding:
    g = _grounding(HBA1C)
    return Grounding(g.facts, [subject], g.record_ids)


def test_no_critical_catalogue_text_puts_off_care():
    """The texts of results with critical limits, as facts for a critical result, pass."""
    wrong = []
    for analyte, part, text in _catalogue_texts():
        if analyte.critical is None or not text:
            continue
        urgent = Subject(analyte.name, "1", "H", critical=True)
        g = Grounding([Fact(text)], [urgent])
        result = _result(check_output(text, g, strict=True), "no_dismissal")
        if not result.passed:
            wrong.append((analyte.key, part, result.detail))
    assert wrong == []


def _panel_values(catalogue, panel: str, flag: str) -> list[LabValue]:
    values = []
    for analyte in catalogue.analytes(panel):
        band = analyte.typical_range(None)
        if analyte.unit is None or band is None or band.low is None or band.high is None:
            continue
        value = {"H": band.high * 1.2, "L": band.low * 0.8}.get(flag, (band.low + band.high) / 2)
        value = round(value, 2)
        values.append(LabValue(analyte.name, value, f"{value:g}", analyte.unit, band.low,
                               band.high, None, flag, "2026-03-03", analyte=analyte.key))
    return values


NUMERIC_PANELS = [panel for panel in load_catalogue().panels()
                  if _panel_values(load_catalogue(), panel, "N")]


@pytest.mark.parametrize("flag", ["H", "L", "N"])
@pytest.mark.parametrize("panel", NUMERIC_PANELS)
def test_a_verbatim_copy_of_a_whole_panels_facts_passes(panel, flag):
    """A model that copies the facts faithfully must pass: the facts repeat a pattern per
    result, share sentences between tests, and quote the catalogue."""
    from carebook.assistant.facts import grounding_for
    from carebook.assistant.prompts import instructions_text

    catalogue = load_catalogue()
    values = _panel_values(catalogue, panel, flag)
    facts = grounding_for(FactWriter(catalogue), values)
    report = check_output(facts.text, facts, strict=True, instructions=instructions_text(),
                          max_grade=99)  # the grade of a whole panel is another test's
    assert report.passed, [(r.name, r.detail) for r in report.failures]
