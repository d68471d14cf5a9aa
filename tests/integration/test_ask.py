"""Ask, on the real demo family in a real vault: answers come from the person's records and
the catalogue only, every fact cites real records, and numbers are checked here against the
records independently of the code under test."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from carebook.assistant.ask import NOT_FOUND, answer
from carebook.domain.flags import compute_flag
from carebook.domain.record_types import RECORD_TYPES
from carebook.domain.records import Provenance, Record
from carebook.knowledge import load_catalogue
from carebook.services.demo import create_demo_family
from carebook.services.documents import add_document_file
from carebook.services.profiles import add_profile
from carebook.services.records import add_record, store_record, validate

TODAY = date(2026, 3, 14)
SINCE_LAST_YEAR = "2025-01-01"
CHOLESTEROL_KEYS = ("total_cholesterol", "ldl_cholesterol", "ldl_cholesterol_direct",
                    "hdl_cholesterol")
SAMPLE_REPORT = Path(__file__).parents[2] / "resources" / "demo" / "sample-lab-report.pdf"


@pytest.fixture(scope="module")
def catalogue():
    """The catalogue Carebook ships."""
    return load_catalogue()


@pytest.fixture
def family(vault):
    """The demo family written with a fixed today, so every date below is known."""
    create_demo_family(vault, today=TODAY)
    return vault


def _records(vault, name: str) -> list[Record]:
    person = vault.profiles.find(name)
    return [r for type_key in RECORD_TYPES for r in vault.records.list(type_key, person.id)]


def _ask(vault, catalogue, name: str, question: str, today: date = TODAY):
    person = vault.profiles.find(name)
    return answer(question, _records(vault, name), catalogue, today, person.sex,
                  names=(person.name, person.full_name))


def _number(value: float) -> str:
    return f"{value:g}"


def _expected_change(first: Record, last: Record) -> str:
    """The change sentence worked out here from two same-unit records."""
    a, b = first.values["value"], last.values["value"]
    way, side = ("up", "higher") if b > a else ("down", "lower")
    share = round(abs(b - a) / a * 100)
    return (f"went {way} from {_number(a)} to {_number(b)} {last.values['unit']} "
            f"({share} % {side})")


def _side(record: Record) -> str:
    values = record.values
    return compute_flag(values["value"], values.get("ref_low"), values.get("ref_high"))


def _cholesterol_since(vault, name: str, since: str) -> list[list[Record]]:
    """Each cholesterol test's results since `since`, oldest first, read straight from the
    vault."""
    by_key: dict[str, list[Record]] = {}
    for record in _records(vault, name):
        values = record.values
        if (record.type_key == "lab_result" and values["analyte"] in CHOLESTEROL_KEYS
                and values["collected_at"] >= since):
            by_key.setdefault(values["analyte"], []).append(record)
    return [sorted(found, key=lambda r: r.values["collected_at"]) for found in by_key.values()]


@pytest.mark.parametrize("name", ["Me", "Dad"])
def test_cholesterol_since_last_year_is_compared_from_the_records(family, catalogue, name):
    """"Has my cholesterol improved since last year?": first and latest since 1 Jan 2025 of
    each cholesterol test the person has, compared by code, with range membership only."""
    result = _ask(family, catalogue, name, "Has my cholesterol improved since last year?")
    assert result.found
    series = _cholesterol_since(family, name, SINCE_LAST_YEAR)
    assert series, "the demo person has cholesterol results since last year"
    for records in series:
        first, last = records[0], records[-1]
        assert _expected_change(first, last) in result.text
        flags = (_side(first), _side(last))
        expected = {("H", "H"): "is still above the usual range",
                    ("N", "N"): "stayed within the usual range"}[flags]
        assert expected in result.text
        for record in records:
            assert record.id in result.grounding.record_ids
    assert not re.search(r"\b(improved|better|worse)\b", result.text, re.IGNORECASE)


def test_cholesterol_for_a_child_with_none_is_not_in_the_records(family, catalogue):
    """Léa has no cholesterol result: not found, and the answer says what it looked for."""
    result = _ask(family, catalogue, "Léa", "Has my cholesterol improved since last year?")
    assert not result.found and result.grounding.facts == []
    first, second = result.text.split("\n")
    assert first == NOT_FOUND
    assert second.startswith("I looked for:") and "cholesterol" in second
    assert second.endswith("since 1 Jan 2025.")


@pytest.mark.parametrize("question", ["What is my IQ?", "What is my HbA1c?",
                                      "When did I have my appendix out?"])
def test_questions_about_what_is_not_recorded_are_not_found(family, catalogue, question):
    """Nothing in Me's records answers these: no fact is invented."""
    result = _ask(family, catalogue, "Me", question)
    assert not result.found and result.grounding.record_ids == []
    assert result.text.startswith(NOT_FOUND + "\nI looked for:")


def test_every_citation_points_at_a_real_record_of_the_person(family, catalogue):
    """Record citations name real records of this person, and each lab sentence holds the
    value printed on the record it cites."""
    dad = family.profiles.find("Dad")
    questions = ["Has my cholesterol improved since last year?", "How are my kidneys?",
                 "What medicines do I take?", "What is Dad allergic to?",
                 "When is my next appointment?", "Has my weight gone down?"]
    for question in questions:
        result = _ask(family, catalogue, "Dad", question)
        assert result.found, question
        for fact in result.grounding.facts:
            for citation in fact.citations:
                if citation.kind != "record":
                    assert citation.ref.startswith("catalogue:")
                    continue
                _, type_key, record_id = citation.ref.split(":")
                record = family.records.get(type_key, int(record_id))
                assert record.profile_id == dad.id
                assert citation.label.startswith("Demo data, ")
                if type_key == "lab_result" and fact.text.startswith("On "):
                    assert _number(record.values["value"]) in fact.text
        for record_id in result.grounding.record_ids:
            assert any(record.id == record_id for record in _records(family, "Dad"))


def test_a_trend_in_mixed_units_is_compared_in_one_unit(family, catalogue):
    """Me's glucose was printed in mmol/L (2023) and g/L (2024): both are converted to
    mg/dL before they are compared, and each is shown as printed too."""
    result = _ask(family, catalogue, "Me", "How did my glucose change between 2023 and 2024?")
    glucose = catalogue.get("glucose")
    printed = sorted((r for r in _records(family, "Me") if r.type_key == "lab_result"
                      and r.values["analyte"] == "glucose"
                      and r.values["collected_at"][:4] in ("2023", "2024")),
                     key=lambda r: r.values["collected_at"])
    assert [r.values["unit"] for r in printed] == ["mmol/L", "g/L"]
    in_mg = [glucose.convert(r.values["value"], r.values["unit"], "mg/dL") for r in printed]
    shown = [_number(round(value, 1)) for value in in_mg]
    assert shown == ["91", "90"]
    share = round(abs(in_mg[1] - in_mg[0]) / in_mg[0] * 100)
    assert f"went down from {shown[0]} to {shown[1]} mg/dL ({share} % lower)" in result.text
    assert "5.05 mmol/L (91 mg/dL)" in result.text and "0.9 g/L (90 mg/dL)" in result.text
    assert "converted to mg/dL" in result.text
    assert {s.value_text for s in result.grounding.subjects} == {"5.05", "0.9"}


def test_blood_sugar_over_all_reports_uses_the_unit_most_reports_use(family, catalogue):
    """Five glucose results in three units: the first and the latest compared in mg/dL."""
    result = _ask(family, catalogue, "Me", "How has my blood sugar changed?")
    glucose = sorted((r for r in _records(family, "Me") if r.type_key == "lab_result"
                      and r.values["analyte"] == "glucose"),
                     key=lambda r: r.values["collected_at"])
    assert glucose[0].values["unit"] == glucose[-1].values["unit"] == "mg/dL"
    assert _expected_change(glucose[0], glucose[-1]) in result.text
    assert "moved out of the usual range: it is now above it" in result.text


def test_allergies_medicines_and_shots_are_listed_from_the_records(family, catalogue):
    """Each kind of record asked for is listed, cited, and nothing else of that kind."""
    allergies = _ask(family, catalogue, "Dad", "What is Dad allergic to?")
    assert allergies.text == "Allergic to Penicillin: Widespread rash (moderate)."
    medicines = _ask(family, catalogue, "Dad", "What medicines do I take?").text.split("\n")
    assert [line.split()[0] for line in medicines] == [
        "Atorvastatin", "Metformin", "Ramipril", "Amlodipine"]  # in use first, then stopped
    assert medicines[-1].endswith("stopped on 26 Sep 2023.")
    tetanus = _ask(family, catalogue, "Me", "When was my last tetanus shot?")
    shot = next(r for r in _records(family, "Me") if r.type_key == "immunization"
                and "Tetanus" in r.values["vaccine"])
    assert tetanus.grounding.record_ids == [shot.id]
    assert "given on 14 May 2022" in tetanus.text
    peanuts = _ask(family, catalogue, "Léa", "Is Léa allergic to peanuts?")
    assert peanuts.text == "Allergic to Peanut: Hives, lip swelling, vomiting (severe)."


def test_blood_pressure_last_month_lists_only_that_month(family, catalogue):
    """February 2026 readings only, worked out here from the records."""
    result = _ask(family, catalogue, "Me", "What was my blood pressure last month?")
    readings = [r for r in _records(family, "Me") if r.type_key == "vital"
                and r.values["kind"] == "blood_pressure"
                and r.values["measured_at"].startswith("2026-02")]
    assert sorted(result.grounding.record_ids) == sorted(r.id for r in readings)
    for record in readings:
        assert f"{_number(record.values['value'])}/{_number(record.values['value2'])} mmHg" \
            in result.text


def test_next_appointments_come_soonest_first(family, catalogue):
    """Only planned visits from today on, the soonest first."""
    result = _ask(family, catalogue, "Dad", "When is my next appointment?")
    planned = sorted((r for r in _records(family, "Dad") if r.type_key == "visit"
                      and r.values["starts_at"][:10] >= TODAY.isoformat()),
                     key=lambda r: r.values["starts_at"])
    assert result.grounding.record_ids == [r.id for r in planned] and len(planned) == 2
    assert result.text.startswith("Planned visit on 17 Mar 2026, 10:30 with Dr. Anne Moreau")


def test_medicines_for_a_test_are_filtered_by_it(family, catalogue):
    """"for my cholesterol": the statin is listed, the diabetes and blood pressure medicines
    are not; the cholesterol results follow."""
    result = _ask(family, catalogue, "Dad", "What medicines do I take for my cholesterol?")
    assert result.text.startswith("Atorvastatin 20 mg")
    assert "Metformin" not in result.text and "Ramipril" not in result.text
    assert "LDL cholesterol was 84 mg/dL" in result.text


def test_a_question_in_french_answers_from_the_same_records(family, catalogue):
    """"depuis 2024": Léa's vitamin D since 1 Jan 2024 (nmol/L), compared by code."""
    result = _ask(family, catalogue, "Léa", "Ma vitamine D a-t-elle changé depuis 2024 ?")
    assert "went up from 47 to 62 nmol/L (32 % higher)" in result.text
    assert "moved into the usual range" in result.text
    assert any(c.ref == "catalogue:vitamin_d_25oh" for f in result.grounding.facts
               for c in f.citations)


def test_a_lab_report_page_and_a_typed_result_are_cited_as_such(vault, catalogue):
    """A result read from page 2 of a stored report, and one typed in by hand."""
    sam = add_profile(vault, "Sam", sex="female")
    document = add_document_file(vault, sam.id, SAMPLE_REPORT)
    from_report = store_record(vault, Record("lab_result", sam.id, validate("lab_result", {
        "collected_at": "2025-03-03", "name": "Ferritin", "analyte": "ferritin", "value": 9,
        "unit": "ng/mL", "ref_low": 15, "ref_high": 150}),
        provenance=Provenance("pdf", document_id=document.id, page=2)))
    typed = add_record(vault, "lab_result", sam.id, {
        "collected_at": "2026-01-10", "name": "Ferritin", "analyte": "ferritin", "value": 40,
        "unit": "ng/mL", "ref_low": 15, "ref_high": 150})
    records = vault.records.list("lab_result", sam.id)
    result = answer("Has my ferritin improved?", records, catalogue, TODAY, "female")
    labels = {c.ref: c.label for f in result.grounding.facts for c in f.citations}
    assert labels[f"record:lab_result:{from_report.id}"] == "Report of 3 Mar 2025, page 2"
    assert labels[f"record:lab_result:{typed.id}"] == "Typed in by hand, 10 Jan 2026"
    assert "went up from 9 to 40 ng/mL (344 % higher)" in result.text
    assert "moved into the usual range" in result.text
    assert [s.flag for s in result.grounding.subjects] == ["L", "N"]


def test_the_demo_vault_made_today_answers_too(demo_vault, catalogue):
    """The session's demo vault, dated from the real today: the same comparison for Dad."""
    today = date.today()
    result = _ask(demo_vault, catalogue, "Dad", "Has my cholesterol improved since last year?",
                  today=today)
    series = _cholesterol_since(demo_vault, "Dad", date(today.year - 1, 1, 1).isoformat())
    assert result.found and len(series) == 2  # LDL and HDL
    for records in series:
        assert _expected_change(records[0], records[-1]) in result.text
