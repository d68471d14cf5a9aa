"""clean_values and clean_profile_name: typed values out, or every problem named by field."""

from __future__ import annotations

import pytest

from carebook.domain.record_types import RECORD_TYPES, record_type
from carebook.domain.validation import (
    VITAL_DEFAULT_UNITS,
    clean_profile_name,
    clean_values,
)
from carebook.errors import ValidationError

LAB = record_type("lab_result")
MEDICATION = record_type("medication")
VITAL = record_type("vital")


def _lab(**changes):
    raw = {"collected_at": "2026-03-14", "name": "Hemoglobin A1c", "value": "7,6", "unit": "%",
           "ref_low": "4.0", "ref_high": "5.6"}
    raw.update(changes)
    return raw


def _problems(rtype, raw) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        clean_values(rtype, raw)
    return caught.value.field_errors


# --- every record type -----------------------------------------------------------------------

@pytest.mark.parametrize("type_key", sorted(RECORD_TYPES))
def test_required_fields_are_reported_together(type_key):
    """An empty form names every required field at once, and only those."""
    rtype = record_type(type_key)
    problems = _problems(rtype, {})
    required = {spec.name for spec in rtype.fields if spec.required}
    assert required
    assert {name for name, message in problems.items() if "required" in message} == required


def test_whitespace_only_counts_as_empty():
    """A required field holding only spaces is missing, not a blank name."""
    problems = _problems(MEDICATION, {"name": "   \t "})
    assert problems == {"name": "Medication is required."}


def test_text_is_trimmed_and_inner_whitespace_collapsed():
    """Single-line text is tidied; long text keeps its line breaks."""
    clean = clean_values(MEDICATION, {"name": "  Metformin \t 1000 ",
                                      "notes": "  first line\nsecond line  "})
    assert clean["name"] == "Metformin 1000"
    assert clean["notes"] == "first line\nsecond line"


def test_max_length_is_enforced_per_field():
    """Text longer than the field allows is refused with the limit in the message."""
    assert clean_values(MEDICATION, {"name": "x" * 200})["name"] == "x" * 200
    problems = _problems(MEDICATION, {"name": "x" * 201})
    assert "200" in problems["name"]
    problems = _problems(LAB, _lab(unit="u" * 41))
    assert set(problems) == {"unit"}


def test_control_characters_are_refused():
    """Characters that cannot be stored or shown safely are refused."""
    problems = _problems(MEDICATION, {"name": "Metformin\x00"})
    assert set(problems) == {"name"}


def test_choice_must_be_one_of_the_stored_values():
    """A choice field accepts only its stored values (not labels, not other text)."""
    assert clean_values(record_type("allergy"), {"substance": "Latex",
                                                 "severity": "mild"})["severity"] == "mild"
    problems = _problems(record_type("allergy"), {"substance": "Latex", "severity": "Mild"})
    assert set(problems) == {"severity"}
    assert "Mild" in problems["severity"]  # the message lists the labels to choose from


def test_dates_are_normalised_and_year_bounded():
    """Dates must be real ISO dates between 1900 and 2100."""
    clean = clean_values(MEDICATION, {"name": "Ramipril", "start_date": "2020-01-05"})
    assert clean["start_date"] == "2020-01-05"
    for bad in ("05/01/2020", "2020-02-30", "1899-12-31", "2101-01-01"):
        assert set(_problems(MEDICATION, {"name": "Ramipril", "start_date": bad})) == {
            "start_date"}, bad


def test_integer_fields_refuse_fractions_and_values_below_minimum():
    """Refills left is a whole number, zero or more."""
    assert clean_values(MEDICATION, {"name": "Ramipril", "refills_left": " 2 "})[
        "refills_left"] == 2
    for bad in ("2.5", "two", "-1", "1_0"):
        assert set(_problems(MEDICATION, {"name": "Ramipril", "refills_left": bad})) == {
            "refills_left"}, bad


def test_empty_optional_fields_become_none():
    """Blank optional fields are stored as NULL, not as empty strings."""
    clean = clean_values(MEDICATION, {"name": "Ramipril", "dose": "", "start_date": "  "})
    assert clean["dose"] is None
    assert clean["start_date"] is None


# --- lab results -----------------------------------------------------------------------------

def test_lab_value_is_parsed_with_decimal_comma():
    """"7,6" is stored as the number 7.6."""
    assert clean_values(LAB, _lab())["value"] == pytest.approx(7.6)


def test_lab_needs_a_value_or_a_value_text():
    """A result with neither a number nor a text value is refused; either one is enough."""
    problems = _problems(LAB, _lab(value=None))
    assert set(problems) == {"value"}
    clean = clean_values(LAB, _lab(value=None, value_text="Negative", ref_low=None,
                                   ref_high=None))
    assert clean["value"] is None
    assert clean["value_text"] == "Negative"


def test_lab_number_parse_error_is_reported_on_value():
    """Garbage in the value field is named as such, not as a missing value."""
    problems = _problems(LAB, _lab(value="7.6.1"))
    assert problems["value"] == "Enter a number, like 5.6 or 5,6."


@pytest.mark.parametrize("bad", ["nan", "inf", "-inf"])
def test_lab_value_must_be_finite(bad):
    """Non-finite values are refused, typed as text or given as floats."""
    assert set(_problems(LAB, _lab(value=bad))) == {"value"}
    assert set(_problems(LAB, _lab(value=float(bad)))) == {"value"}


def test_lab_range_low_must_not_exceed_high():
    """ref_low > ref_high is refused on ref_high; equal limits are allowed."""
    problems = _problems(LAB, _lab(ref_low="6", ref_high="5.6"))
    assert set(problems) == {"ref_high"}
    assert clean_values(LAB, _lab(ref_low="5.6", ref_high="5.6"))["ref_high"] == 5.6


@pytest.mark.parametrize("code", ["4548-4", "718-7", "1234567-8"])
def test_lab_accepts_loinc_codes(code):
    """LOINC codes are digits, a dash, and one check digit."""
    assert clean_values(LAB, _lab(loinc=code))["loinc"] == code


@pytest.mark.parametrize("code", ["4548", "4548-", "4548-45", "ABC-1", "12345678-1", "-4"])
def test_lab_refuses_malformed_loinc_codes(code):
    """Anything not shaped like a LOINC code is refused on the loinc field."""
    assert set(_problems(LAB, _lab(loinc=code))) == {"loinc"}


@pytest.mark.parametrize(
    ("value", "low", "high", "expected"),
    [("7.6", "4.0", "5.6", "H"), ("3.9", "4.0", "5.6", "L"), ("5.6", "4.0", "5.6", "N"),
     ("51", "60", None, "L"), ("130", None, "129", "H"), ("7.6", None, None, None)],
)
def test_lab_flag_is_computed_when_none_was_printed(value, low, high, expected):
    """Code decides the flag from the value and the range when the report printed none."""
    assert clean_values(LAB, _lab(value=value, ref_low=low, ref_high=high))["flag"] == expected


def test_lab_printed_flag_is_kept():
    """A printed flag is stored as printed (the range is compared at display time)."""
    assert clean_values(LAB, _lab(flag="A"))["flag"] == "A"


def test_lab_flag_must_be_a_known_flag():
    """Only H, L, N and A are flags."""
    assert set(_problems(LAB, _lab(flag="HH"))) == {"flag"}


def test_lab_lists_every_problem_at_once():
    """Several wrong fields are all reported in one ValidationError."""
    problems = _problems(LAB, {"name": "", "collected_at": "soon", "value": "x",
                               "loinc": "nope", "ref_low": "9", "ref_high": "1"})
    assert set(problems) == {"name", "collected_at", "value", "loinc", "ref_high"}


# --- vitals ----------------------------------------------------------------------------------

def _bp(**changes):
    raw = {"measured_at": "2026-03-14 09:00", "kind": "blood_pressure", "value": "132",
           "value2": "79"}
    raw.update(changes)
    return raw


def test_blood_pressure_gets_mmhg_by_default():
    """A blood pressure without a unit is stored in mmHg; a given unit is kept."""
    clean = clean_values(VITAL, _bp())
    assert (clean["value"], clean["value2"], clean["unit"]) == (132.0, 79.0, "mmHg")
    assert clean_values(VITAL, _bp(unit="kPa"))["unit"] == "kPa"


def test_blood_pressure_needs_the_diastolic_number():
    """Systolic alone is not a blood pressure."""
    assert set(_problems(VITAL, _bp(value2=None))) == {"value2"}


@pytest.mark.parametrize("diastolic", ["132", "140"])
def test_blood_pressure_diastolic_must_be_below_systolic(diastolic):
    """Equal or swapped numbers are refused on the diastolic field."""
    assert set(_problems(VITAL, _bp(value2=diastolic))) == {"value2"}


@pytest.mark.parametrize("value", ["0", "-5"])
def test_vital_value_must_be_positive(value):
    """A measurement of zero or less is refused."""
    raw = {"measured_at": "2026-03-14 09:00", "kind": "weight", "value": value}
    assert set(_problems(VITAL, raw)) == {"value"}


@pytest.mark.parametrize("kind", sorted(VITAL_DEFAULT_UNITS))
def test_every_vital_kind_has_a_default_unit(kind):
    """Each kind of measurement gets its usual unit when none is typed."""
    raw = {"measured_at": "2026-03-14 09:00", "kind": kind, "value": "120", "value2": "80"}
    assert clean_values(VITAL, raw)["unit"] == VITAL_DEFAULT_UNITS[kind]


def test_vital_kind_must_be_known():
    """Only the listed kinds of measurement are accepted."""
    raw = {"measured_at": "2026-03-14 09:00", "kind": "mood", "value": "3"}
    assert set(_problems(VITAL, raw)) == {"kind"}


# --- medications and conditions ---------------------------------------------------------------

def test_medication_cannot_stop_before_it_started():
    """A stop date before the start date is refused on stop_date; the same day is fine."""
    problems = _problems(MEDICATION, {"name": "Amlodipine", "start_date": "2024-05-02",
                                      "stop_date": "2024-05-01"})
    assert set(problems) == {"stop_date"}
    clean = clean_values(MEDICATION, {"name": "Amlodipine", "start_date": "2024-05-02",
                                      "stop_date": "2024-05-02"})
    assert clean["stop_date"] == "2024-05-02"


def test_condition_cannot_resolve_before_onset():
    """A resolution date before the onset is refused on resolved_date."""
    problems = _problems(record_type("condition"), {
        "name": "Anaemia", "status": "resolved", "onset_date": "2024-05-02",
        "resolved_date": "2023-01-01"})
    assert set(problems) == {"resolved_date"}


# --- profile names ---------------------------------------------------------------------------

def test_profile_name_is_tidied():
    """Leading, trailing and repeated whitespace is removed; accents are kept."""
    assert clean_profile_name("  Léa \t Martin ") == "Léa Martin"


@pytest.mark.parametrize("raw", ["", "   ", None])
def test_profile_name_is_required(raw):
    """A person needs a name."""
    with pytest.raises(ValidationError) as caught:
        clean_profile_name(raw)
    assert set(caught.value.field_errors) == {"name"}


def test_profile_name_is_at_most_40_characters():
    """40 characters are accepted, 41 refused."""
    assert clean_profile_name("x" * 40) == "x" * 40
    with pytest.raises(ValidationError):
        clean_profile_name("x" * 41)


def test_profile_name_refuses_control_characters():
    """A NUL or escape character cannot be part of a name."""
    for raw in ("Dad\x00", "Dad\x1b[31m"):
        with pytest.raises(ValidationError):
            clean_profile_name(raw)
