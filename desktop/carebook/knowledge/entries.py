"""Turn one analyte entry of a data file into an Analyte, listing every problem found."""

from __future__ import annotations

import re
from collections.abc import Callable
from types import MappingProxyType
from typing import Any

from carebook.knowledge.model import Analyte, Range, RangeRule, Source, Text, UnitFactor

SPECIMENS = frozenset({"blood", "urine"})
SEXES = frozenset({None, "female", "male"})
TEXT_FIELDS = ("what", "why", "high", "low")
_KEY = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
_LOINC = re.compile(r"^\d{1,7}-\d$")


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _optional_number(value: Any) -> bool:
    return value is None or _number(value)


class _Checker:
    """Collects problems for one entry so a broken file is reported all at once."""

    def __init__(self, where: str, problems: list[str]) -> None:
        self.where = where
        self.problems = problems

    def fail(self, message: str) -> None:
        self.problems.append(f"{self.where}: {message}")

    def require(self, entry: dict, name: str, kind: type | tuple) -> Any:
        value = entry.get(name)
        if not isinstance(value, kind) or (isinstance(value, str) and not value.strip()):
            self.fail(f"field {name!r} is missing or has the wrong type")
            return None
        return value


def _low_high(check: _Checker, data: Any, label: str, unit: str) -> Range | None:
    if not isinstance(data, dict) or not (_optional_number(data.get("low"))
                                          and _optional_number(data.get("high"))):
        check.fail(f"{label} needs numeric 'low'/'high' (or null)")
        return None
    low, high = data.get("low"), data.get("high")
    if low is not None and high is not None and low > high:
        check.fail(f"{label} low {low} is above high {high}")
    return Range(low, high, unit, data.get("note") or "")


def _units(check: _Checker, data: Any, canonical: str, known: frozenset[str]):
    units: dict[str, UnitFactor] = {}
    if not isinstance(data, dict) or not data:
        check.fail("'units' must be a non-empty object")
        return units
    for code, spec in data.items():
        if code not in known:
            check.fail(f"unknown unit code {code!r} (add it to units.json or unit_spellings)")
        # A null factor means "printed for this analyte, but not convertible" (HbA1c in
        # mmol/mol is not a multiple of %, Lp(a) in nmol/L is not a multiple of mg/dL).
        factor = spec.get("factor") if isinstance(spec, dict) else None
        if (not isinstance(spec, dict) or not isinstance(spec.get("kind"), str)
                or not (factor is None or (_number(factor) and factor > 0))):
            check.fail(f"unit {code!r} needs a 'kind' and a positive 'factor' (or null)")
            continue
        units[code] = UnitFactor(spec["kind"], None if factor is None else float(factor))
    if canonical not in units:
        check.fail(f"canonical unit {canonical!r} is not listed in 'units'")
    elif units[canonical].factor != 1:
        check.fail(f"canonical unit {canonical!r} must have factor 1")
    return units


def _loinc(check: _Checker, data: Any, units: dict[str, UnitFactor]) -> dict[str, str]:
    if not isinstance(data, dict) or not data:
        check.fail("'loinc' must be a non-empty object")
        return {}
    kinds = {factor.kind for factor in units.values()} | {"default"}
    for kind, code in data.items():
        if kind not in kinds:
            check.fail(f"loinc kind {kind!r} is not a unit kind of this entry")
        if not isinstance(code, str) or not _LOINC.match(code):
            check.fail(f"loinc {code!r} is not a LOINC code")
    return {kind: code for kind, code in data.items() if isinstance(code, str)}


def _synonyms(check: _Checker, data: Any) -> dict[str, tuple[str, ...]]:
    if not isinstance(data, dict):
        check.fail("'synonyms' must map language codes to lists of names")
        return {}
    result = {}
    for language, names in data.items():
        if not isinstance(names, list) or not all(isinstance(n, str) and n.strip()
                                                  for n in names):
            check.fail(f"synonyms[{language!r}] must be a list of non-empty strings")
            continue
        result[language] = tuple(names)
    return result


def _normal_words(check: _Checker, data: Any) -> frozenset[str]:
    if data is None:
        return frozenset()
    words = data.get("normal") if isinstance(data, dict) else None
    if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
        check.fail("'qualitative' needs a 'normal' list of strings")
        return frozenset()
    return frozenset(" ".join(word.casefold().split()) for word in words)


def _ranges(check: _Checker, data: Any, unit: str) -> tuple[RangeRule, ...]:
    if not isinstance(data, list):
        check.fail("'ranges' must be a list")
        return ()
    rules = []
    for item in data:
        span = _low_high(check, item, "a range", unit)
        sex = item.get("sex") if isinstance(item, dict) else None
        if sex not in SEXES:
            check.fail(f"range sex {sex!r} must be null, 'female' or 'male'")
        if span is not None:
            rules.append(RangeRule(span.low, span.high, sex, span.note))
    return tuple(rules)


def build_analyte(entry: Any, where: str, known_units: frozenset[str],
                  normalise: Callable[[str], str | None], problems: list[str]) -> Analyte | None:
    """An Analyte for a valid entry; None (with problems appended) for a broken one."""
    check = _Checker(where, problems)
    if not isinstance(entry, dict):
        check.fail("an analyte entry must be an object")
        return None
    before = len(problems)
    key = check.require(entry, "key", str)
    if key and not _KEY.match(key):
        check.fail(f"key {key!r} must be snake_case")
    check.where = f"{where} [{key}]"
    name = check.require(entry, "name", str)
    panel = check.require(entry, "panel", str)
    if panel and not _KEY.match(panel):
        check.fail(f"panel {panel!r} must be snake_case")
    specimen = entry.get("specimen")
    if specimen not in SPECIMENS:
        check.fail(f"specimen {specimen!r} must be 'blood' or 'urine'")
    # A qualitative analyte (urine colour, dipstick glucose) has no unit and no units.
    qualitative = entry.get("unit") is None and not entry.get("units")
    unit = None if qualitative else (check.require(entry, "unit", str) or "")
    units = {} if qualitative else _units(check, entry.get("units"), unit, known_units)
    normal_words = _normal_words(check, entry.get("qualitative"))
    loinc = _loinc(check, entry.get("loinc"), units)
    molar_mass = entry.get("molar_mass")
    if not _optional_number(molar_mass):
        check.fail("'molar_mass' must be a number or null")
    critical = entry.get("critical")
    critical = None if critical is None else _low_high(check, critical, "critical", unit)
    plausible = _low_high(check, entry.get("plausible"), "plausible", unit)
    text = check.require(entry, "text", dict) or {}
    for name_of_field in TEXT_FIELDS:
        if text and not (isinstance(text.get(name_of_field), str) and text[name_of_field]):
            check.fail(f"text.{name_of_field} is missing")
    source = check.require(entry, "source", dict) or {}
    if source and not all(isinstance(source.get(f), str) for f in ("title", "url")):
        check.fail("source needs 'title' and 'url'")
    synonyms = _synonyms(check, entry.get("synonyms"))
    ranges = _ranges(check, entry.get("ranges", []), unit)
    if len(problems) > before:
        return None
    return Analyte(
        key=key, name=name, panel=panel, specimen=specimen, unit=unit,
        units=MappingProxyType(units), loinc=MappingProxyType(loinc),
        synonyms=MappingProxyType(synonyms), molar_mass=molar_mass, ranges=ranges,
        critical=critical, plausible=plausible,
        text=Text(*(text[f] for f in TEXT_FIELDS)),
        source=Source(source["title"], source["url"]), normal_words=normal_words,
        normalise=normalise,
    )
