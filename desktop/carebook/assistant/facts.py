"""Grounded facts: what code knows about a result, written as short cited sentences.

This text is what the person reads first, and it must be good on its own: the value, the
range, the flag, what the test measures, what a high or low value can mean, and how it
moved. Everything here comes from the record or the catalogue; nothing is guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from itertools import pairwise

from carebook.assistant.grounding import Citation, Fact, Grounding, Subject
from carebook.domain.flags import compute_flag
from carebook.domain.values import format_date, format_number
from carebook.knowledge.catalogue import Catalogue
from carebook.knowledge.model import Analyte

FLAG_WORDS = {"H": "above", "L": "below"}


@dataclass(frozen=True)
class LabValue:
    """One result as the assistant sees it, whether from the vault or a `labs parse` file."""

    name: str
    value: float | None
    value_text: str
    unit: str | None
    ref_low: float | None
    ref_high: float | None
    ref_text: str | None
    flag: str | None
    collected_at: str | None
    loinc: str | None = None
    analyte: str | None = None  # catalogue key
    page: int | None = None
    record_id: int | None = None
    document_id: int | None = None
    source_label: str = ""  # "Report of 3 Mar 2025, page 2"; made from the fields when empty
    report_ref: str = ""  # a report outside the vault: the start of its sha256

    @property
    def shown_value(self) -> str:
        """The value as the person saw it printed."""
        text = (self.value_text or "").strip()
        return text or format_number(self.value)


def with_code_flag(value: LabValue) -> LabValue:
    """Code decides the flag: from the value and the range when both exist."""
    computed = compute_flag(value.value, value.ref_low, value.ref_high)
    return replace(value, flag=computed) if computed is not None else value


def source_citation(value: LabValue) -> Citation:
    """Where a value was read: the stored record, or a page of a report file."""
    when = format_date(value.collected_at) if value.collected_at else "an undated report"
    label = value.source_label or (f"Report of {when}, page {value.page}" if value.page
                                   else f"Result of {when}")
    if value.record_id is not None:
        return Citation("record", f"record:lab_result:{value.record_id}", label)
    where = f"#page={value.page}" if value.page else ""
    report = value.document_id or value.report_ref or "file"
    return Citation("report", f"report:{report}{where}", label)


def catalogue_citation(analyte: Analyte) -> Citation:
    """The catalogue entry a sentence came from, and the page it was checked against."""
    return Citation("catalogue", f"catalogue:{analyte.key}",
                    f"Carebook catalogue: {analyte.name} (checked against MedlinePlus: "
                    f"{analyte.source.title})")


class FactWriter:
    """Turns lab values into cited facts, using the catalogue's reviewed texts."""

    def __init__(self, catalogue: Catalogue, sex: str | None = None) -> None:
        self.catalogue = catalogue
        self.sex = sex

    def analyte_of(self, value: LabValue) -> Analyte | None:
        """The catalogue entry of a value: its key, its LOINC, else its printed name."""
        found = self.catalogue.get(value.analyte) if value.analyte else None
        if found is None and value.loinc:
            found = self.catalogue.by_loinc(value.loinc)
        if found is None:
            match = self.catalogue.match(value.name)
            found = match.analyte if match is not None and match.score >= 0.9 else None
        return found

    def unit_text(self, unit: str | None) -> str:
        """A unit as people read it ("mg/dL", "mIU/L")."""
        if not unit:
            return ""
        code = self.catalogue.normalise_unit(unit) or unit
        return self.catalogue.display_unit(code) or unit

    def subject(self, value: LabValue) -> Subject:
        """What the output checks need to know about one value."""
        analyte = self.analyte_of(value)
        aliases = _short_names(analyte) if analyte else ()
        name = analyte.name if analyte else value.name
        if value.name and value.name != name:
            aliases = (value.name, *aliases)
        return Subject(name=name, value_text=value.shown_value, flag=value.flag,
                       aliases=aliases, loinc=value.loinc, key=analyte.key if analyte else None,
                       critical=self.critical_message(value) is not None)

    def result_facts(self, value: LabValue, *, explain: bool = True) -> list[Fact]:
        """The value, its range and flag, and (with `explain`) what the test means."""
        analyte = self.analyte_of(value)
        cited = (source_citation(value),)
        name = analyte.name if analyte else value.name
        unit = self.unit_text(value.unit)
        facts = [Fact(f"{name}: {_spaced(value.shown_value, unit)}"
                      f"{' on ' + format_date(value.collected_at) if value.collected_at else ''}.",
                      cited)]
        facts += self._range_facts(value, analyte, unit, cited)
        if explain and analyte is not None:
            facts += self._meaning(value, analyte)
        return facts

    def value_facts(self, value: LabValue,
                    history: dict[str, list[LabValue]] | None = None) -> list[Fact]:
        """A result's facts, then its trend's when `history` holds its analyte."""
        facts = self.result_facts(value)
        analyte = self.analyte_of(value)
        if history and analyte is not None and analyte.key in history:
            facts += self.trend_facts(history[analyte.key])
        return facts

    def _range_facts(self, value: LabValue, analyte: Analyte | None, unit: str,
                     cited: tuple[Citation, ...]) -> list[Fact]:
        printed = _range_words(value.ref_low, value.ref_high)
        if printed:
            facts = [Fact(f"The range printed on the report is {printed} {unit}.".replace(
                " .", "."), cited)]
        elif analyte is not None and (typical := analyte.typical_range(self.sex)):
            words = _range_words(typical.low, typical.high)
            facts = [Fact(f"The report printed no range. A typical adult range is {words} "
                          f"{self.unit_text(typical.unit)}.", (catalogue_citation(analyte),))]
        else:
            facts = []
        if value.flag:
            name = analyte.name if analyte else value.name
            facts.append(Fact(_flag_sentence(name, value.flag), cited))
        return facts

    def _meaning(self, value: LabValue, analyte: Analyte) -> list[Fact]:
        cited = (catalogue_citation(analyte),)
        facts = [Fact(analyte.text.what, cited)]
        if value.flag == "H" and analyte.text.high:
            facts.append(Fact(analyte.text.high, cited))
        elif value.flag == "L" and analyte.text.low:
            facts.append(Fact(analyte.text.low, cited))
        return facts

    def trend_facts(self, values: list[LabValue]) -> list[Fact]:
        """How one analyte moved: the values oldest first (all in one unit) and the direction."""
        numeric = [v for v in values if v.value is not None]
        if len(numeric) < 2:
            return []
        analyte = self.analyte_of(numeric[-1])
        name = analyte.name if analyte else numeric[-1].name
        unit = self.unit_text(numeric[-1].unit)
        cited = tuple(source_citation(v) for v in numeric)
        listed = ", ".join(f"{format_number(v.value)} on {format_date(v.collected_at)}"
                           for v in numeric[-5:])
        facts = [Fact(f"{name} over time ({unit}): {listed}.".replace(" ()", ""), cited)]
        facts.append(Fact(f"{name} {direction(numeric)}.", cited))
        return facts

    def critical_message(self, value: LabValue) -> str | None:
        """Fixed "seek care now" words when a value is beyond the catalogue's critical limits."""
        analyte = self.analyte_of(value)
        if analyte is None or analyte.critical is None or value.value is None:
            return None
        limits = analyte.critical
        unit = self.catalogue.normalise_unit(value.unit) or value.unit or limits.unit
        amount = value.value if unit == limits.unit else analyte.convert(value.value, unit,
                                                                          limits.unit)
        if amount is None:
            return None
        beyond = ((limits.low is not None and amount < limits.low)
                  or (limits.high is not None and amount > limits.high))
        if not beyond:
            return None
        return (f"{analyte.name} is {_spaced(value.shown_value, self.unit_text(value.unit))}, "
                "past the level labs treat as critical. Contact a clinician now. If you feel "
                "unwell or cannot reach one, call emergency services.")


def direction(values: list[LabValue]) -> str:
    """Rising, falling or steady, decided by code from the values oldest first."""
    first, last = values[0].value, values[-1].value
    steps = [b.value - a.value for a, b in pairwise(values)]
    tolerance = max(abs(first), abs(last)) * 0.03
    if abs(last - first) <= tolerance:
        return "has stayed about the same"
    way = "risen" if last > first else "fallen"
    if len(values) >= 3 and all((s > 0) == (last > first) and s != 0 for s in steps[-2:]):
        return f"has {way} at each of the last {min(len(values), 3)} results"
    return f"has {way} from {format_number(first)} to {format_number(last)}"


def grounding_for(writer: FactWriter, values: list[LabValue],
                  history: dict[str, list[LabValue]] | None = None,
                  facts: list[list[Fact]] | None = None) -> Grounding:
    """Facts and subjects for a set of results, abnormal ones first, with their trends.
    `facts`, one list per value, saves writing them again when the caller has them."""
    if facts is None:
        facts = [writer.value_facts(value, history) for value in values]
    ordered = sorted(zip(values, facts, strict=True),
                     key=lambda pair: (pair[0].flag not in ("H", "L", "A"),
                                       pair[0].name.casefold()))
    grounding = Grounding()
    for value, value_facts in ordered:
        grounding.facts += value_facts
        grounding.subjects.append(writer.subject(value))
        if value.record_id is not None:
            grounding.record_ids.append(value.record_id)
    return grounding


def _flag_sentence(name: str, flag: str) -> str:
    # The test is named in each flag sentence: with several results the sentences would
    # otherwise repeat word for word, and "this" is unclear in a list.
    if flag in FLAG_WORDS:
        return f"{name} is {FLAG_WORDS[flag]} the range, so it is flagged {_FLAG_NAMES[flag]}."
    if flag == "A":
        return f"The lab marked this {in_sentence(name)} result as abnormal."
    return f"{name} is inside the range."


_FLAG_NAMES = {"H": "high", "L": "low"}


def _range_words(low: float | None, high: float | None) -> str:
    if low is not None and high is not None:
        return f"{format_number(low)} to {format_number(high)}"
    if high is not None:
        return f"below {format_number(high)}"
    if low is not None:
        return f"above {format_number(low)}"
    return ""


def in_sentence(name: str) -> str:
    """A test's name inside a sentence: "my potassium", but "my LDL cholesterol", "my IgE"."""
    first = name.split(maxsplit=1)[0] if name.strip() else name
    return name[0].lower() + name[1:] if re.fullmatch(r"[A-Z][a-z]+", first) else name


def _spaced(value: str, unit: str) -> str:
    return f"{value} {unit}".strip() if unit and unit != "%" else f"{value}{unit}"


def _short_names(analyte: Analyte) -> tuple[str, ...]:
    """English names short enough to count as naming the test ("HbA1c", "A1c", "LDL")."""
    names = analyte.synonyms.get("en", ())
    return tuple(dict.fromkeys(n for n in names if n != analyte.name and len(n) <= 30))
