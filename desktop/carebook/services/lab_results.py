"""Seeing lab results: grouped by collection date and panel, and one analyte's trend in one
unit, with every conversion and every value that could not be converted said out loud."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Protocol

from carebook.domain.flags import effective_flag
from carebook.domain.records import Record
from carebook.domain.values import format_date, format_number, format_range
from carebook.knowledge import PANEL_TITLES, Range
from carebook.vault.vault import Vault

OTHER_TESTS = "Other tests"
# Panels in the order a report usually prints them; "Other tests" comes last.
_PANEL_ORDER = {key: order for order, key in enumerate(PANEL_TITLES)}


class AnalyteInfo(Protocol):
    """What this module needs from a catalogue analyte."""

    key: str
    name: str
    panel: str
    unit: str

    def convert(self, value: float, from_unit: str, to_unit: str) -> float | None: ...
    def typical_range(self, sex: str | None = None) -> Range | None: ...


class Catalogue(Protocol):
    """What this module needs from the analyte catalogue."""

    def get(self, key: str) -> AnalyteInfo | None: ...
    def by_loinc(self, code: str) -> AnalyteInfo | None: ...
    def panel_title(self, panel_key: str) -> str: ...
    def normalise_unit(self, text: str | None) -> str | None: ...
    def display_unit(self, code: str) -> str: ...


def unit_code(unit: str | None, catalogue: Catalogue | None) -> str | None:
    """The UCUM code of a printed unit, or the printed text when the catalogue does not know it."""
    if not unit:
        return None
    return (catalogue.normalise_unit(unit) if catalogue is not None else None) or unit


def shown_unit(unit: str | None, catalogue: Catalogue | None) -> str:
    """A unit as the UI shows it ("10*9/L" -> "×10⁹/L"); unknown units as printed."""
    code = catalogue.normalise_unit(unit) if catalogue is not None and unit else None
    return catalogue.display_unit(code) if code else (unit or "")


# --- the grouped list ---------------------------------------------------------------------

@dataclass(frozen=True)
class ResultLine:
    """One result as the grouped list shows it."""

    record: Record
    unit: str  # display form of the printed unit
    range_text: str  # printed range, else the catalogue's typical range (see `typical`)
    typical: bool  # the range is the catalogue's typical one: the report printed none
    flag: str | None  # H, L, A, N or None, decided from the printed range or printed flag

    @property
    def analyte(self) -> str | None:
        """The catalogue key of the result, when known."""
        return self.record.values.get("analyte")


@dataclass(frozen=True)
class PanelGroup:
    """The results of one panel (or "Other tests") on one date."""

    key: str | None
    title: str
    lines: list[ResultLine]


@dataclass(frozen=True)
class DateGroup:
    """Everything collected on one date, by panel."""

    date: str
    panels: list[PanelGroup]

    @property
    def count(self) -> int:
        """How many results were collected that day."""
        return sum(len(panel.lines) for panel in self.panels)


def which_test(record: Record) -> str:
    """Which test a result is of, for "the latest result of each test": the analyte first
    (one test reported in two units has two LOINC codes), else the LOINC code, else the name."""
    values = record.values
    return (values.get("analyte") or values.get("loinc") or values["name"]).casefold()


def find_analyte(record: Record, catalogue: Catalogue | None) -> AnalyteInfo | None:
    """The catalogue entry a result belongs to: by its analyte key, else by its LOINC."""
    if catalogue is None:
        return None
    values = record.values
    found = catalogue.get(values["analyte"]) if values.get("analyte") else None
    if found is None and values.get("loinc"):
        found = catalogue.by_loinc(values["loinc"])
    return found


def group_results(records: list[Record], catalogue: Catalogue | None,
                  sex: str | None = None) -> list[DateGroup]:
    """A person's results by collection date (newest first), then panel ("Other tests" for
    analytes the catalogue does not know, last)."""
    by_date: dict[str, dict[str | None, list[ResultLine]]] = {}
    for record in records:
        analyte = find_analyte(record, catalogue)
        panel = analyte.panel if analyte is not None else None
        day = by_date.setdefault(record.values["collected_at"][:10], {})
        day.setdefault(panel, []).append(result_line(record, analyte, catalogue, sex))
    groups = []
    for day in sorted(by_date, reverse=True):
        panels = sorted(by_date[day], key=lambda k: (k is None, _PANEL_ORDER.get(k or "", 99),
                                                     k or ""))
        groups.append(DateGroup(day, [
            PanelGroup(key, catalogue.panel_title(key) if key and catalogue else OTHER_TESTS,
                       sorted(by_date[day][key], key=lambda line: line.record.values["name"]
                              .casefold()))
            for key in panels]))
    return groups


def result_line(record: Record, analyte: AnalyteInfo | None, catalogue: Catalogue | None,
                sex: str | None = None) -> ResultLine:
    """How one result reads in the list: display unit, range (printed or typical), flag."""
    values = record.values
    printed = format_range(values.get("ref_low"), values.get("ref_high"), values.get("ref_text"))
    typical = False
    if not printed and analyte is not None:
        unit = unit_code(values.get("unit"), catalogue) or analyte.unit
        band = typical_band(analyte, unit, sex)
        if band is not None:
            printed, typical = format_range(*band), True
    return ResultLine(record, shown_unit(values.get("unit"), catalogue), printed, typical,
                      effective_flag(values))


def printed_value(record: Record) -> str:
    """A result's value with its unit, as the report printed them ("5.5 mmol/L", ">90")."""
    values = record.values
    shown = values.get("value_text") or format_number(values.get("value"))
    return f"{shown} {values.get('unit') or ''}".strip()


def typical_band(analyte: AnalyteInfo, unit: str, sex: str | None = None
                 ) -> tuple[float | None, float | None] | None:
    """The catalogue's typical range in `unit`, or None when there is none or it cannot be
    converted."""
    typical = analyte.typical_range(sex)
    if typical is None:
        return None
    low = _convert(analyte, typical.low, typical.unit, unit)
    high = _convert(analyte, typical.high, typical.unit, unit)
    if (typical.low is not None and low is None) or (typical.high is not None and high is None):
        return None
    return low, high


def _convert(analyte: AnalyteInfo | None, value: float | None, from_unit: str | None,
             to_unit: str | None) -> float | None:
    if value is None:
        return None
    if from_unit == to_unit:
        return value
    if analyte is None or from_unit is None or to_unit is None:
        return None
    return analyte.convert(value, from_unit, to_unit)


# --- one analyte's trend ------------------------------------------------------------------

@dataclass(frozen=True)
class TrendValue:
    """One result in a trend: as printed, and converted to the trend's unit."""

    record: Record
    unit: str | None  # UCUM code of the printed unit (or the printed text when unknown)
    converted: float | None  # in the trend's unit; None when not numeric or not convertible
    flag: str | None

    @property
    def id(self) -> int | None:
        """The record's id (rows are found by it)."""
        return self.record.id

    @property
    def collected_at(self) -> str:
        """The collection date (ISO)."""
        return self.record.values["collected_at"]


@dataclass(frozen=True)
class Band:
    """The reference band drawn behind a trend, in the trend's unit."""

    low: float | None
    high: float | None
    typical: bool  # from the catalogue, because no report printed a range
    label: str  # where it comes from, lower case ("range printed on the 3 Mar 2026 report")
    text: str = ""  # the limits as a person reads them, in the trend's unit ("<100", "70–99")


@dataclass
class Trend:
    """One analyte's results over time in one unit, and what could not be put in it."""

    analyte: str
    name: str
    unit: str | None  # UCUM code every plotted value is in
    unit_label: str = ""  # the same unit as the UI shows it
    values: list[TrendValue] = field(default_factory=list)  # oldest first, all of them
    band: Band | None = None
    converted_from: list[str] = field(default_factory=list)  # other units, as shown, converted
    unconvertible: list[TrendValue] = field(default_factory=list)

    @property
    def points(self) -> list[TrendValue]:
        """The values that can be plotted (numeric, in the trend's unit)."""
        return [value for value in self.values if value.converted is not None]

    def notes(self) -> list[str]:
        """Plain sentences about conversions and values left out of the chart."""
        shown = self.unit_label
        notes = []
        if self.converted_from:
            units = _and_list(self.converted_from)
            notes.append(f"Values from reports in {units} converted to {shown}.")
        if self.unconvertible:
            listed = "; ".join(f"{format_date(v.collected_at)}: {printed_value(v.record)}"
                               for v in self.unconvertible)
            count = len(self.unconvertible)
            noun = "result" if count == 1 else "results"
            notes.append(f"{count} {noun} in a unit that can't be converted to {shown} "
                         f"(not on the chart): {listed}.")
        if self.band is not None and self.band.typical:
            notes.append("No report printed a range; the band is the typical range, "
                         "which may differ from your lab's.")
        return notes


def build_trend(vault: Vault, profile_id: int, analyte_key: str,
                catalogue: Catalogue | None) -> Trend:
    """One person's results of one analyte, oldest first, converted to one unit."""
    records = vault.records.lab_history(profile_id, analyte_key)
    sex = vault.profiles.get(profile_id).sex
    return trend_from_records(records, analyte_key, catalogue, sex)


def trend_from_records(records: list[Record], analyte_key: str, catalogue: Catalogue | None,
                       sex: str | None = None) -> Trend:
    """A Trend from full records of one analyte (oldest first)."""
    analyte = catalogue.get(analyte_key) if catalogue is not None else None
    name = analyte.name if analyte is not None else (
        records[-1].values["name"] if records else analyte_key)
    numeric = [r for r in records if r.values.get("value") is not None]
    unit = _trend_unit([unit_code(r.values.get("unit"), catalogue) for r in numeric], analyte)
    trend = Trend(analyte_key, name, unit, _label(unit, catalogue))
    converted_from: set[str] = set()
    for record in records:
        printed_unit = unit_code(record.values.get("unit"), catalogue)
        converted = _convert(analyte, record.values.get("value"), printed_unit, unit)
        value = TrendValue(record, printed_unit, converted, effective_flag(record.values))
        trend.values.append(value)
        if record.values.get("value") is None:
            continue
        if converted is None:
            trend.unconvertible.append(value)
        elif printed_unit != unit and printed_unit is not None:
            converted_from.add(printed_unit)
    trend.converted_from = sorted(_label(code, catalogue) for code in converted_from)
    trend.band = _band(trend, analyte, sex)
    return trend


def converted_range(value: TrendValue, analyte: AnalyteInfo | None, unit: str | None
                    ) -> tuple[float | None, float | None] | None:
    """A result's printed range in `unit`, or None when it has none or it cannot be converted."""
    low, high = value.record.values.get("ref_low"), value.record.values.get("ref_high")
    if low is None and high is None:
        return None
    low_c = _convert(analyte, low, value.unit, unit)
    high_c = _convert(analyte, high, value.unit, unit)
    if (low is not None and low_c is None) or (high is not None and high_c is None):
        return None
    return low_c, high_c


def _band(trend: Trend, analyte: AnalyteInfo | None, sex: str | None) -> Band | None:
    # The most recent printed range that can be put in the trend's unit.
    for value in reversed(trend.values):
        limits = converted_range(value, analyte, trend.unit)
        if limits is not None:
            # The range as printed when it is in the trend's unit; converted limits otherwise.
            printed = value.record.values.get("ref_text") if value.unit == trend.unit else None
            return Band(*limits, typical=False,
                        label=f"range printed on the {format_date(value.collected_at)} report",
                        text=format_range(*_rounded(limits), printed))
    if analyte is None or trend.unit is None:
        return None
    limits = typical_band(analyte, trend.unit, sex)
    if limits is None:
        return None
    return Band(*limits, typical=True, label="typical range (no report printed one)",
                text=format_range(*_rounded(limits)))


def _rounded(limits: tuple[float | None, float | None]) -> tuple[float | None, float | None]:
    return tuple(None if v is None else round(v, 2 if abs(v) < 10 else 1) for v in limits)


def _label(code: str | None, catalogue: Catalogue | None) -> str:
    if code is None:
        return ""
    return catalogue.display_unit(code) if catalogue is not None else code


def _trend_unit(units: list[str | None], analyte: AnalyteInfo | None) -> str | None:
    """The unit most values use (of those the catalogue can convert); the catalogue's unit on
    a tie or when there are none."""
    canonical = analyte.unit if analyte is not None else None
    usable = [unit for unit in units if unit is not None and (
        analyte is None or _convert(analyte, 1.0, unit, canonical) is not None)]
    counts = Counter(usable).most_common()
    if not counts:
        return canonical
    if len(counts) == 1 or counts[0][1] > counts[1][1]:
        return counts[0][0]
    return canonical if canonical is not None else counts[0][0]


def _and_list(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
