"""What the catalogue knows about one analyte: codes, units, ranges and plain words."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Range:
    """A low/high pair in one unit; either side may be open (None)."""

    low: float | None
    high: float | None
    unit: str
    note: str = ""


@dataclass(frozen=True)
class Text:
    """Plain-language explanation: what it is, why it is tested, what high/low can mean."""

    what: str
    why: str
    high: str
    low: str


@dataclass(frozen=True)
class Source:
    """The public page the text and ranges were checked against."""

    title: str
    url: str


@dataclass(frozen=True)
class UnitFactor:
    """One accepted unit: its kind (mass, molar, ...) and value_in_canonical / value_here.

    factor is None for a unit printed for this analyte that does not convert by a factor.
    """

    kind: str
    factor: float | None


@dataclass(frozen=True)
class RangeRule:
    """A typical adult range, possibly for one sex only."""

    low: float | None
    high: float | None
    sex: str | None
    note: str


@dataclass(frozen=True, eq=False, repr=False)
class Analyte:
    """One measurable thing (a blood or urine test) and everything known about it.

    Compared and hashed by identity: the catalogue holds exactly one of each.
    """

    key: str
    name: str
    panel: str
    specimen: str
    unit: str | None  # None for a qualitative result (urine colour, dipstick glucose)
    units: Mapping[str, UnitFactor]
    loinc: Mapping[str, str]
    synonyms: Mapping[str, tuple[str, ...]]
    molar_mass: float | None
    ranges: tuple[RangeRule, ...]
    critical: Range | None
    plausible: Range
    text: Text
    source: Source
    # Printed words that mean "normal" for a qualitative result ("negative", "nil", ...).
    normal_words: frozenset[str] = frozenset()
    # Turns a printed spelling into a UCUM code; supplied by the catalogue.
    normalise: Callable[[str], str | None] = field(
        default=lambda unit: unit, repr=False, compare=False)

    def __repr__(self) -> str:
        return f"Analyte({self.key!r})"

    def _code(self, unit: str | None) -> str | None:
        if unit is None:
            return None
        if unit in self.units:
            return unit
        return self.normalise(unit)

    def convert(self, value: float, from_unit: str, to_unit: str) -> float | None:
        """Value expressed in another unit, or None when the units are not convertible."""
        source, target = self._code(from_unit), self._code(to_unit)
        if source not in self.units or target not in self.units:
            return None
        if source == target:
            return float(value)
        from_factor, to_factor = self.units[source].factor, self.units[target].factor
        if from_factor is None or to_factor is None:
            return None
        return value * from_factor / to_factor

    def accepts(self, unit: str | None) -> bool:
        """True when this unit (any spelling) is one this analyte is reported in."""
        return self._code(unit) in self.units

    def convertible(self, unit: str | None) -> bool:
        """True when a value in this unit converts to the canonical unit."""
        code = self._code(unit)
        return code in self.units and (code == self.unit or self.units[code].factor is not None)

    def loinc_for(self, unit: str | None = None) -> str | None:
        """LOINC code for values in this unit (mass or molar kind), else the default code."""
        code = self._code(unit) if unit is not None else self.unit
        if code not in self.units:
            code = self.unit
        kind = self.units[code].kind if code in self.units else "default"
        return self.loinc.get(kind) or self.loinc.get("default") or next(
            iter(self.loinc.values()), None)

    def is_normal_text(self, value_text: str) -> bool | None:
        """For a qualitative result: is the printed word a normal one? None if no list is known."""
        if not self.normal_words:
            return None
        return " ".join(value_text.casefold().split()) in self.normal_words

    def typical_range(self, sex: str | None = None) -> Range | None:
        """Typical adult range in the canonical unit; used only when a report prints none.

        With no sex given and only sex-specific ranges known, the span covering both is
        returned, so nobody is flagged just because their sex is unknown.
        """
        general = [rule for rule in self.ranges if rule.sex is None]
        if sex is not None:
            own = [rule for rule in self.ranges if rule.sex == sex]
            if own:
                return self._as_range(own[0])
        if general:
            return self._as_range(general[0])
        if not self.ranges:
            return None
        lows = [rule.low for rule in self.ranges]
        highs = [rule.high for rule in self.ranges]
        low = None if None in lows else min(lows)
        high = None if None in highs else max(highs)
        return Range(low, high, self.unit, "either sex")

    def _as_range(self, rule: RangeRule) -> Range:
        return Range(rule.low, rule.high, self.unit, rule.note)

    def all_synonyms(self) -> tuple[str, ...]:
        """Every synonym in every language, name first."""
        names = [self.name]
        for words in self.synonyms.values():
            names.extend(words)
        return tuple(names)


@dataclass(frozen=True)
class Match:
    """A name matched to an analyte, with how sure the match is (0..1)."""

    analyte: Analyte
    score: float


class CatalogueError(ValueError):
    """The catalogue data is broken; the message names the file, the entry and the problem."""
