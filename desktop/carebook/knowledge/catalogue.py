"""The analyte catalogue: look-up by key, LOINC or printed name, plus unit helpers."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from carebook.knowledge.model import Analyte, CatalogueError, Match
from carebook.knowledge.names import (
    normalise_name,
    parenthesised,
    says_only_how,
    stripped_variants,
)
from carebook.knowledge.units import UnitTable

PANEL_TITLES = {
    "cbc": "Complete blood count",
    "bmp": "Basic metabolic panel",
    "cmp": "Comprehensive metabolic panel",
    "lipids": "Cholesterol and lipids",
    "diabetes": "Blood sugar and diabetes",
    "kidney": "Kidney function",
    "liver": "Liver function",
    "thyroid": "Thyroid",
    "iron": "Iron studies",
    "vitamins": "Vitamins",
    "inflammation": "Inflammation",
    "electrolytes": "Electrolytes and minerals",
    "coagulation": "Blood clotting",
    "cardiac": "Heart",
    "hormones": "Hormones",
    "tumour_markers": "Tumour markers",
    "urinalysis": "Urine tests",
}

# Scores: an exact synonym is certain; a name found after cutting "Serum", "Total",
# a method in brackets and the like is very likely; a bracketed abbreviation alone less so;
# a name known only for another specimen than the section says, less again.
EXACT, QUALIFIED, ABBREVIATION, OTHER_SPECIMEN = 1.0, 0.9, 0.85, 0.8


class Catalogue:
    """Every analyte, indexed once by key, LOINC code and normalised synonym."""

    def __init__(self, analytes: Iterable[Analyte], units: UnitTable) -> None:
        self._analytes = list(analytes)
        self._units = units
        self._by_key: dict[str, Analyte] = {}
        self._by_loinc: dict[str, Analyte] = {}
        self._names: dict[str, list[Analyte]] = {}
        problems: list[str] = []
        for analyte in self._analytes:
            self._index(analyte, problems)
        if problems:
            raise CatalogueError("analyte catalogue: " + "; ".join(problems))
        self._cached_match = lru_cache(maxsize=8192)(self._match)

    def _index(self, analyte: Analyte, problems: list[str]) -> None:
        if self._by_key.setdefault(analyte.key, analyte) is not analyte:
            problems.append(f"duplicate key {analyte.key!r}")
        for code in set(analyte.loinc.values()):
            other = self._by_loinc.setdefault(code, analyte)
            if other is not analyte:
                problems.append(f"LOINC {code} used by both {other.key!r} and {analyte.key!r}")
        for name in analyte.all_synonyms():
            self._add_name(normalise_name(name), analyte, problems, name)
        # The key itself ("free_t4" -> "free t4") helps, but only where nothing else claims it.
        key_name = normalise_name(analyte.key)
        if not any(a.specimen == analyte.specimen for a in self._names.get(key_name, ())):
            self._names.setdefault(key_name, []).append(analyte)

    def _add_name(self, norm: str, analyte: Analyte, problems: list[str], name: str) -> None:
        if not norm:
            problems.append(f"{analyte.key!r}: synonym {name!r} has no letters or digits")
            return
        holders = self._names.setdefault(norm, [])
        for other in holders:
            if other is analyte:
                return
            if other.specimen == analyte.specimen:
                problems.append(f"synonym {name!r} names both {other.key!r} and "
                                f"{analyte.key!r} ({analyte.specimen})")
                return
        holders.append(analyte)

    def get(self, key: str) -> Analyte | None:
        """The analyte with this stable key, or None."""
        return self._by_key.get(key)

    def by_loinc(self, code: str) -> Analyte | None:
        """The analyte that uses this LOINC code for any of its units, or None."""
        return self._by_loinc.get(code)

    def analytes(self, panel: str | None = None) -> list[Analyte]:
        """All analytes (or one panel's), in data-file order."""
        return [a for a in self._analytes if panel is None or a.panel == panel]

    def panels(self) -> list[str]:
        """Panel keys that have at least one analyte, in data-file order."""
        return list(dict.fromkeys(a.panel for a in self._analytes))

    def panel_title(self, panel_key: str) -> str:
        """English title of a panel ("cbc" -> "Complete blood count")."""
        return PANEL_TITLES.get(panel_key) or panel_key.replace("_", " ").capitalize()

    def normalise_unit(self, text: str | None) -> str | None:
        """UCUM code for a printed unit spelling, or None when unknown."""
        return self._units.normalise(text)

    def display_unit(self, code: str) -> str:
        """How the UI shows a UCUM code."""
        return self._units.display(code)

    def units_convertible(self, analyte: Analyte | str, unit_a: str, unit_b: str) -> bool:
        """True when values of this analyte convert between the two units (any spellings)."""
        found = self.get(analyte) if isinstance(analyte, str) else analyte
        if found is None or not (found.accepts(unit_a) and found.accepts(unit_b)):
            return False
        same = found.normalise(unit_a) == found.normalise(unit_b)
        return same or (found.convertible(unit_a) and found.convertible(unit_b))

    def for_unit(self, analyte: Analyte, unit: str | None) -> Analyte:
        """The analyte a value in this unit belongs to: a count unit on "Neutrophils" means the
        absolute count, "%" on "Neutrophils #" the percentage. Otherwise the analyte itself."""
        if unit is None or analyte.accepts(unit):
            return analyte
        for mine, theirs in (("_pct", "_abs"), ("_abs", "_pct")):
            if analyte.key.endswith(mine):
                sibling = self.get(analyte.key[: -len(mine)] + theirs)
                if sibling is not None and sibling.accepts(unit):
                    return sibling
        return analyte

    def match(self, name: str, specimen: str | None = None) -> Match | None:
        """Best analyte for a printed name (in any of the catalogue's languages), or None.

        `specimen` ("blood"/"urine") says which section the name was printed in; entries of
        that specimen are preferred. Names are never matched on a part of their words.
        """
        if not name or len(name) > 200:
            return None
        return self._cached_match(name, specimen)

    def _match(self, name: str, specimen: str | None) -> Match | None:
        norm = normalise_name(name)
        if not norm:
            return None
        found = self._lookup(norm, specimen, EXACT) or self._qualified(norm, specimen)
        if found:
            return found
        found = self._symbol_suffix(norm, specimen)
        if found:
            return found
        return self._parentheses(name, norm, specimen)

    def _lookup(self, norm: str, specimen: str | None, score: float) -> Match | None:
        holders = self._names.get(norm)
        if not holders:
            return None
        wanted = specimen or "blood"
        for analyte in holders:
            if analyte.specimen == wanted:
                return Match(analyte, score)
        return Match(holders[0], round(score * OTHER_SPECIMEN, 3) if specimen else score)

    def _qualified(self, norm: str, specimen: str | None) -> Match | None:
        for variant, says_urine in stripped_variants(norm):
            found = self._lookup(variant, specimen or ("urine" if says_urine else None),
                                 QUALIFIED)
            if found:
                return found
        return None

    def _anywhere(self, norm: str, specimen: str | None, score: float) -> Match | None:
        return self._lookup(norm, specimen, score) or self._qualified(norm, specimen)

    def _symbol_suffix(self, norm: str, specimen: str | None) -> Match | None:
        # "Neutrophils %" / "% Neutrophils" / "Neutrophils #": the symbol picks the sibling.
        tokens = norm.split()
        for symbol, unit in (("%", "%"), ("#", "10*3/uL")):
            if len(tokens) < 2 or symbol not in (tokens[0], tokens[-1]):
                continue
            rest = " ".join(tokens[1:] if tokens[0] == symbol else tokens[:-1])
            found = self._anywhere(rest, specimen, QUALIFIED)
            if found:
                analyte = self.for_unit(found.analyte, unit)
                if analyte.accepts(unit):
                    return Match(analyte, found.score)
        return None

    def _parentheses(self, name: str, norm: str, specimen: str | None) -> Match | None:
        outer, inner = parenthesised(name)
        if not inner or outer == norm:
            return None
        outer_hit = self._anywhere(outer, specimen, QUALIFIED) if outer else None
        inner_hits = [self._anywhere(part, specimen, ABBREVIATION) for part in inner]
        if outer_hit is not None:
            # "Bilirubin (Direct)" must not become total bilirubin: each bracketed part must
            # name the same analyte again or only say how it was measured.
            for part, hit in zip(inner, inner_hits, strict=True):
                if hit is not None and hit.analyte is not outer_hit.analyte:
                    return None
                if hit is None and not says_only_how(part):
                    return None
            return Match(outer_hit.analyte, min(outer_hit.score, QUALIFIED))
        analytes = {hit.analyte for hit in inner_hits if hit is not None}
        if len(analytes) == 1:
            return Match(analytes.pop(), ABBREVIATION)
        return None
