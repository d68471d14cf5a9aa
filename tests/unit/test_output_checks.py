"""Output checks: crafted model outputs, each with one fault, are caught; a good rewrite and the
grounded style pass; the catalogue's own sentences raise no false alarm."""

from __future__ import annotations

from decimal import Decimal

import pytest

from carebook.assistant.checks import (
    CheckReport,
    check_output,
    forbidden_phrases,
    names,
    numbers_in,
)
from carebook.assistant.grounding import Citation, Fact, Grounding, Subject
from carebook.assistant.readability import sentences
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


@pytest.fixture
def grounding() -> Grounding:
    return _grounding(HBA1C, LDL, TSH)


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


# --- a good rewrite, and the shape of the report ---------------------------------------------


def test_a_good_rewrite_passes_every_strict_check(grounding):
    report = check_output(GOOD, grounding, strict=True)
    assert report.passed, report.failures
    assert report.grade <= 8
    assert [r.name for r in report.results] == [
        "numbers_grounded", "abnormal_covered", "forbidden_claims", "reading_grade",
        "names_abnormal_values", "no_contradiction", "no_repetition", "on_topic"]


def test_the_grounded_facts_text_passes_its_own_checks(grounding):
    assert check_output(grounding.text, grounding, strict=True).passed


def test_default_checks_are_the_four_of_the_contract(grounding):
    report = check_output(GOOD, grounding)
    assert [r.name for r in report.results] == [
        "numbers_grounded", "abnormal_covered", "forbidden_claims", "reading_grade"]
    assert report.contract() == {"numbers_grounded": True, "abnormal_covered": True,
                                 "forbidden_claims": [], "reading_grade": round(report.grade, 1)}


def test_contract_lists_the_forbidden_phrases_and_failures_say_why(grounding):
    report = check_output(GOOD + " You have diabetes. Take 500 mg of metformin.", grounding)
    assert not report.passed
    assert report.contract()["forbidden_claims"] == ["you have diabetes", "take 500 mg"]
    assert [r.name for r in report.failures] == ["numbers_grounded", "forbidden_claims"]
    assert "500" in report.failures[0].detail
    assert '"you have diabetes"' in report.failures[1].detail


# --- numbers -----------------------------------------------------------------------------------


def test_a_wrong_number_is_caught_and_named(grounding):
    report = check_output(GOOD.replace("6.4 %", "6.8 %"), grounding)
    result = _result(report, "numbers_grounded")
    assert not result.passed
    assert "6.8" in result.detail
    assert not report.contract()["numbers_grounded"]


@pytest.mark.parametrize("text", [
    "Your HbA1c is 6.40 %.", "Your HbA1c is 6,4 %.", "Your HbA1c is 6.4%.",
    "The usual range is 4.0-5.6 %.", "The usual range is 4.0–5.6.", "It is over 2–3 months.",
    "It covers three months.",  # spelled out
    "Your HbA1c, B12, T4 and CO2 were tested.",  # digits inside names
    "White cells are counted in 10^9/L or x10^3/µL.",
    "Vitamin D is measured as 25-OH vitamin D.",
    "1. Your HbA1c is 6.4 %.\n2) Ask your clinician.\n3. Repeat in 2 to 3 months.",
    "Your 2nd test is due.",
    "Your LDL is 4.1mmol/L.",
])
def test_numbers_written_other_ways_are_grounded(grounding, text):
    assert _result(check_output(text, grounding), "numbers_grounded").passed


@pytest.mark.parametrize(("text", "stray"), [
    ("Your HbA1c is 6.8 %.", "6.8"),
    ("Your HbA1c is 7 %.", "7"),
    ("Repeat the test in 6 weeks.", "6"),
    ("Your LDL is 4.1, aim for 2.6 or less.", "2.6"),
    ("Your LDL is 41 mmol/L.", "41"),
    ("The range is 4.0 to 6.0 %.", "6.0"),
])
def test_numbers_not_in_the_facts_fail(grounding, text, stray):
    result = _result(check_output(text, grounding), "numbers_grounded")
    assert not result.passed
    assert stray in result.detail


def test_thousands_separators_and_decimal_commas_compare_by_value():
    platelets = Subject("Platelet count", "1200", "H", ("platelets",))
    g = Grounding([Fact("Your platelet count is 1200 x10^9/L.")], [platelets])
    for text in ("Your platelets are 1,200.", "Your platelets are 1 200.",
                 "Your platelets are 1200.0."):
        assert _result(check_output(text, g), "numbers_grounded").passed, text
    assert not _result(check_output("Your platelets are 1,300.", g), "numbers_grounded").passed


def test_numbers_in_reads_values_not_names():
    found = numbers_in("HbA1c 6.40 %, 4.0-5.6, 1,200, B12 T4 x10^9/L, 2024-03-05, 120/80")
    assert [value for _, value in found] == [
        Decimal("6.4"), Decimal("4.0"), Decimal("5.6"), Decimal("1200"),
        Decimal("2024"), Decimal("3"), Decimal("5"), Decimal("120"), Decimal("80")]


# --- coverage and names ------------------------------------------------------------------------


def test_a_missed_abnormal_result_is_caught(grounding):
    text = "Your HbA1c is 6.4 %, which is high. Your TSH is 2.1, in the usual range."
    result = _result(check_output(text, grounding), "abnormal_covered")
    assert not result.passed
    assert "LDL cholesterol" in result.detail
    assert "Hemoglobin A1c" not in result.detail


def test_a_missed_normal_result_does_not_matter(grounding):
    text = "Your HbA1c is 6.4 %, which is high. Your LDL cholesterol is 4.1, also high."
    assert _result(check_output(text, grounding), "abnormal_covered").passed


@pytest.mark.parametrize(("subject", "text", "expected"), [
    (HBA1C, "HEMOGLOBIN A1C", True),
    (HBA1C, "your hémoglobin a1c", True),
    (HBA1C, "an A1c test", True),
    (LDL, "your LDL-cholesterol", True),
    (LDL, "ldl cholesterol", True),
    (LDL, "your HDL is fine", False),
    (LDL, "LDLX", False),
    (TSH, "thyroid stimulating hormone", True),
    (TSH, "TSH", True),
    (TSH, "your thyroid", False),
    (Subject("PSA (free)", "1", "H"), "PSA", True),
    (Subject("PSA (free)", "1", "H"), "free of charge", False),  # a qualifier, not a name
    (Subject("Prothrombin time (PT)", "1", "H"), "your PT is long", True),
    (Subject("Red cell distribution width (CV)", "1", "H"), "CV", False),
])
def test_names_are_case_accent_and_hyphen_blind_whole_words(subject, text, expected):
    assert names(subject, text) is expected


# --- forbidden claims --------------------------------------------------------------------------

DIAGNOSES = [
    "You have diabetes.", "This means you have prediabetes.", "You are diabetic.",
    "You suffer from anemia.", "Diagnosis: type 2 diabetes.", "You've got an infection.",
    "This confirms diabetes.", "The result confirms that you have a thyroid problem.",
    "Your high sugar is caused by your diet.", "You probably have an underactive thyroid.",
    "You may have kidney disease.", "You have been diagnosed with hypothyroidism.",
    "The test shows you have an infection.", "You have a vitamin D deficiency.",
    "This means diabetes.", "Your result may indicate prediabetes.",
]
MEDICINE_ADVICE = [
    "Take 500 mg of metformin.", "Take it twice daily.", "Stop taking your pills.",
    "Increase your insulin.", "You should start statins.", "Come off your metformin.",
    "Skip your evening dose.", "Double your dose.", "If your sugar is high, increase your insulin.",
    "Switch to a different medicine.", "Reduce your levothyroxine.",
    "You should take atorvastatin.", "Take two tablets every morning.",
    "Lower the dose of your blood pressure medicine.", "It is best to go on a statin.",
    "Stop your iron tablets.", "Take 1000 IU of vitamin D daily.",
]


@pytest.mark.parametrize("sentence", DIAGNOSES + MEDICINE_ADVICE)
def test_diagnoses_and_medicine_advice_are_caught(grounding, sentence):
    report = check_output(f"Your HbA1c is 6.4 %. {sentence}", grounding)
    assert not _result(report, "forbidden_claims").passed
    assert report.contract()["forbidden_claims"]


GROUNDED_STYLE = [
    "Ask your clinician whether you need another test.",
    "A high level can be seen in diabetes.",
    "Do not change your medicines without talking to your clinician.",
    "It is used to check for diabetes.",
    "Ask your clinician whether this means you have diabetes.",
    "This does not mean you have diabetes.",
    "Some medicines can raise it.",
    "A change in your medicines can affect the result.",
    "Talk to your clinician before you stop taking any medicine.",
    "If you have diabetes, your clinician may check this often.",
    "Keep a list of your medicines to show your clinician.",
    "Lower your LDL with help from your clinician.",
    "You do not need to fast for it.",
    "This test counts how many you have.",
    "You have a higher risk of heart disease.",
    "You have a family history of diabetes.",
    "Should I change my dose?",
    "Never stop a medicine on your own.",
    "Ask whether you should change your dose.",
    "A healthy diet and exercise can lower LDL.",
    "A high TSH often means the thyroid is underactive.",
    "Write down the names and doses of your medicines.",
    "Your clinician may want to repeat the test in three months.",
    "Stopping steroid medicines suddenly can also lead to low cortisol.",
    "You have questions about these problems.",
    "A high level can mean diabetes.",
]


@pytest.mark.parametrize("sentence", GROUNDED_STYLE)
def test_grounded_style_sentences_are_not_forbidden(sentence):
    assert forbidden_phrases(sentences(sentence)) == []


def _catalogue_texts():
    cat = load_catalogue()
    return [(a, part, getattr(a.text, part))
            for a in cat.analytes() for part in ("what", "why", "high", "low")]


def test_no_catalogue_sentence_is_a_forbidden_claim():
    """The model is shown the catalogue's text; copying it must never be called a diagnosis."""
    flagged = [(a.key, part, forbidden_phrases(sentences(text)))
               for a, part, text in _catalogue_texts()]
    assert [f for f in flagged if f[2]] == []


# --- reading grade -----------------------------------------------------------------------------


def test_dense_text_fails_the_reading_grade(grounding):
    dense = ("Your glycated hemoglobin concentration of 6.4 % demonstrates a curvilinear "
             "association with cardiovascular morbidity, necessitating individualized "
             "therapeutic stratification by your physician.")
    report = check_output(dense, grounding)
    assert not _result(report, "reading_grade").passed
    assert report.grade > 8
    assert f"{report.grade:.1f}" in _result(report, "reading_grade").detail
    assert _result(check_output(dense, grounding, max_grade=40), "reading_grade").passed


def test_empty_text_fails(grounding):
    report = check_output("  \n", grounding)
    assert not _result(report, "reading_grade").passed
    assert not _result(report, "abnormal_covered").passed


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
