"""Seeing results: grouping by date and panel, and trends converted to one unit, on real
vaults with the real analyte catalogue (resources/knowledge/)."""

from __future__ import annotations

from datetime import date

import pytest

from carebook.knowledge import PANEL_TITLES, load_catalogue
from carebook.services import lab_results
from carebook.services.demo import create_demo_family
from carebook.services.profiles import add_profile
from carebook.services.records import add_record

TODAY = date(2026, 3, 14)
# A key no catalogue entry uses: results naming it belong under "Other tests".
UNKNOWN = "made_up_marker"


@pytest.fixture
def catalogue():
    """The analyte catalogue Carebook ships, as the app loads it."""
    loaded = load_catalogue()
    assert loaded.get(UNKNOWN) is None
    return loaded


@pytest.fixture
def person(vault):
    """A synthetic person in an empty vault."""
    return add_profile(vault, "Sam", sex="female")


def _glucose(vault, person, day: str, value: float, unit: str, low=None, high=None, **extra):
    return add_record(vault, "lab_result", person.id, {
        "collected_at": day, "name": "Glucose", "analyte": "glucose", "value": value,
        "unit": unit, "ref_low": low, "ref_high": high, **extra})


def _unknown(vault, person, day: str):
    return add_record(vault, "lab_result", person.id, {
        "collected_at": day, "name": "Made-up marker", "analyte": UNKNOWN, "value": 3.0,
        "unit": "U/L"})


def _titles(catalogue, *analytes: str) -> list[str]:
    return [catalogue.panel_title(catalogue.get(key).panel) for key in analytes]


def test_results_are_grouped_by_date_newest_first_then_panel(vault, catalogue):
    """Me's demo results: dates newest first; panels in report order; unknown tests last."""
    create_demo_family(vault, today=TODAY)
    me = vault.profiles.find("Me")
    latest_day = max(r.values["collected_at"][:10]
                     for r in vault.records.list("lab_result", me.id))
    _unknown(vault, me, latest_day)
    groups = lab_results.group_results(vault.records.list("lab_result", me.id),
                                       catalogue, sex="female")
    days = [group.date for group in groups]
    assert days == sorted(days, reverse=True) and len(days) == 6
    latest = groups[0]
    assert latest.date == latest_day
    expected = _titles(catalogue, "hemoglobin", "ldl_cholesterol", "glucose", "tsh",
                       "ferritin", "vitamin_d_25oh")
    assert [panel.title for panel in latest.panels] == [*expected, lab_results.OTHER_TESTS]
    # Report order is the catalogue's panel order (cbc first, ...), whatever the titles say.
    keys = [panel.key for panel in latest.panels[:-1]]
    assert keys == sorted(keys, key=list(PANEL_TITLES).index) and keys[0] == "cbc"
    assert [line.analyte for line in latest.panels[-1].lines] == [UNKNOWN]
    by_panel = {panel.key: {line.analyte for line in panel.lines} for panel in latest.panels}
    assert by_panel["diabetes"] == {"glucose"} and by_panel["lipids"] == {"ldl_cholesterol"}
    assert latest.count == sum(len(p.lines) for p in latest.panels) == 7


def test_glucose_in_three_units_is_converted_to_the_unit_most_reports_use(vault, person,
                                                                          catalogue):
    """mg/dL (3 reports), mmol/L and g/L: one mg/dL trend, the conversion said in words."""
    _glucose(vault, person, "2024-01-10", 90, "mg/dL", 70, 99)
    _glucose(vault, person, "2024-06-10", 5.5, "mmol/L", 3.9, 5.5)
    _glucose(vault, person, "2025-01-10", 0.97, "g/L", 0.7, 1.1)
    _glucose(vault, person, "2025-06-10", 104, "mg/dl", 70, 99)
    _glucose(vault, person, "2026-01-10", 6.1, "mmol/L", 3.9, 5.5)
    trend = lab_results.build_trend(vault, person.id, "glucose", catalogue)
    assert trend.unit == "mg/dL" and trend.unit_label == "mg/dL"
    assert [round(p.converted, 1) for p in trend.points] == [90, 99.1, 97, 104, 109.9]
    assert trend.converted_from == ["g/L", "mmol/L"]
    assert "Values from reports in g/L and mmol/L converted to mg/dL." in trend.notes()
    assert not any("can't be converted" in note for note in trend.notes())
    # The band is the most recent printed range (mmol/L), converted too.
    assert trend.band.low == pytest.approx(70.26, abs=0.01)
    assert trend.band.high == pytest.approx(99.09, abs=0.01)
    assert not trend.band.typical and "10 Jan 2026" in trend.band.label
    assert [p.flag for p in trend.points] == ["N", "N", "N", "H", "H"]
    assert trend.unconvertible == []


def test_a_unit_that_cannot_be_converted_is_kept_aside_and_reported(vault, person, catalogue):
    """Two results in a unit glucose has no conversion for stay in the table, off the chart."""
    _glucose(vault, person, "2024-01-10", 90, "mg/dL")
    _glucose(vault, person, "2024-02-10", 95, "mg/dL")
    _glucose(vault, person, "2024-03-10", 12, "U/L")
    _glucose(vault, person, "2024-04-10", 14, "mg/24h")
    trend = lab_results.build_trend(vault, person.id, "glucose", catalogue)
    assert trend.unit == "mg/dL"
    assert len(trend.points) == 2 and len(trend.values) == 4
    assert [v.record.values["unit"] for v in trend.unconvertible] == ["U/L", "mg/24h"]
    note = next(n for n in trend.notes() if "can't be converted" in n)
    assert note.startswith("2 results in a unit that can't be converted to mg/dL")
    assert "12 U/L" in note and "14 mg/24h" in note


def test_typical_range_is_used_only_when_no_report_printed_one(vault, person, catalogue):
    """TSH without a printed range gets the catalogue's typical band, labelled typical;
    once a report prints a range, that range wins."""
    typical = catalogue.get("tsh").typical_range(person.sex)
    assert typical is not None and catalogue.normalise_unit("mIU/L") == typical.unit
    add_record(vault, "lab_result", person.id, {
        "collected_at": "2025-01-10", "name": "TSH", "analyte": "tsh", "value": 2.1,
        "unit": "mIU/L"})
    trend = lab_results.build_trend(vault, person.id, "tsh", catalogue)
    assert trend.band.typical and (trend.band.low, trend.band.high) == (typical.low,
                                                                       typical.high)
    assert any("typical range" in note for note in trend.notes())
    line = lab_results.group_results(vault.records.list("lab_result", person.id),
                                     catalogue, person.sex)[0].panels[0].lines[0]
    assert line.typical and line.range_text == f"{typical.low:g}–{typical.high:g}"
    assert line.flag is None

    add_record(vault, "lab_result", person.id, {
        "collected_at": "2025-06-10", "name": "TSH", "analyte": "tsh", "value": 4.6,
        "unit": "mIU/L", "ref_low": 0.27, "ref_high": 4.2})
    trend = lab_results.build_trend(vault, person.id, "tsh", catalogue)
    assert not trend.band.typical and (trend.band.low, trend.band.high) == (0.27, 4.2)
    lines = lab_results.group_results(vault.records.list("lab_result", person.id),
                                      catalogue, person.sex)[0].panels[0].lines
    assert not lines[0].typical and lines[0].range_text == "0.27–4.2" and lines[0].flag == "H"


def test_typical_range_follows_sex_and_the_printed_unit(vault, person, catalogue):
    """Hemoglobin printed in g/L with no range: the woman's typical range, in g/L."""
    hemoglobin = catalogue.get("hemoglobin")
    typical = hemoglobin.typical_range("female")
    assert typical != hemoglobin.typical_range("male")  # else this test proves nothing
    add_record(vault, "lab_result", person.id, {
        "collected_at": "2025-01-10", "name": "Hémoglobine", "analyte": "hemoglobin",
        "value": 131, "unit": "g/L"})
    low = hemoglobin.convert(typical.low, typical.unit, "g/L")
    high = hemoglobin.convert(typical.high, typical.unit, "g/L")
    line = lab_results.group_results(vault.records.list("lab_result", person.id),
                                     catalogue, "female")[0].panels[0].lines[0]
    assert line.typical and line.range_text == f"{round(low):g}–{round(high):g}"
    trend = lab_results.build_trend(vault, person.id, "hemoglobin", catalogue)
    assert trend.unit == "g/L" and trend.band.typical
    assert (trend.band.low, trend.band.high) == (pytest.approx(low), pytest.approx(high))


def test_printed_range_text_wins_and_unknown_analytes_are_other_tests(vault, person,
                                                                      catalogue):
    """"<130" as printed is shown as printed; a test the catalogue lacks is under Other tests,
    after the catalogue's panels."""
    add_record(vault, "lab_result", person.id, {
        "collected_at": "2025-01-10", "name": "LDL Cholesterol", "analyte": "ldl_cholesterol",
        "value": 138, "unit": "mg/dL", "ref_high": 129, "ref_text": "<130"})
    _unknown(vault, person, "2025-01-10")
    group = lab_results.group_results(vault.records.list("lab_result", person.id),
                                      catalogue)[0]
    assert [panel.title for panel in group.panels] == [
        *_titles(catalogue, "ldl_cholesterol"), lab_results.OTHER_TESTS]
    line = group.panels[0].lines[0]
    assert (line.range_text, line.typical, line.flag) == ("<130", False, "H")
    other = group.panels[-1].lines[0]
    assert other.analyte == UNKNOWN and other.range_text == "" and not other.typical


def test_a_tie_between_units_uses_the_catalogue_unit(vault, person, catalogue):
    """One mmol/L and one g/L result: neither is the majority, so mg/dL (canonical)."""
    assert catalogue.get("glucose").unit == "mg/dL"
    _glucose(vault, person, "2024-01-10", 5.0, "mmol/L")
    _glucose(vault, person, "2024-02-10", 0.9, "g/L")
    trend = lab_results.build_trend(vault, person.id, "glucose", catalogue)
    assert trend.unit == "mg/dL"
    assert [round(p.converted) for p in trend.points] == [90, 90]


def test_without_a_catalogue_results_still_show_as_printed(vault, person):
    """No catalogue: one group per date under Other tests, units as printed, no conversion."""
    _glucose(vault, person, "2024-01-10", 90, "mg/dL")
    _glucose(vault, person, "2024-02-10", 5.0, "mmol/L")
    groups = lab_results.group_results(vault.records.list("lab_result", person.id), None)
    assert [g.panels[0].title for g in groups] == [lab_results.OTHER_TESTS] * 2
    trend = lab_results.build_trend(vault, person.id, "glucose", None)
    assert trend.unit == "mg/dL" and len(trend.unconvertible) == 1


def test_demo_glucose_converts_with_the_catalogue(vault, catalogue):
    """Me's demo glucose (mg/dL, mmol/L, g/L) becomes one mg/dL trend of five points."""
    create_demo_family(vault, today=TODAY)
    me = vault.profiles.find("Me")
    trend = lab_results.build_trend(vault, me.id, "glucose", catalogue)
    assert trend.unit == "mg/dL"
    assert [round(p.converted) for p in trend.points] == [88, 91, 90, 94, 101]
    assert set(trend.converted_from) == {"mmol/L", "g/L"}
    assert trend.unconvertible == []
    glucose = catalogue.get("glucose")
    for point in trend.points:
        printed = point.record.values
        assert point.converted == pytest.approx(
            glucose.convert(printed["value"], point.unit, "mg/dL"))


def test_demo_analytes_are_catalogue_keys(vault, catalogue):
    """Every demo result names an analyte the catalogue knows, so none is under Other tests."""
    create_demo_family(vault, today=TODAY)
    keys = {r.values["analyte"] for p in vault.profiles.list()
            for r in vault.records.list("lab_result", p.id)}
    assert {"glucose", "hba1c", "hemoglobin"} <= keys
    unknown = sorted(key for key in keys if catalogue.get(key) is None)
    assert unknown == []
