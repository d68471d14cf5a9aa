"""Unit spellings: map what labs print ("gms%", "x10^9/L", "mlU/mL") to UCUM codes."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

# "x10^9/L", "10*9/L", "10E9/L" and "109/L" (pdftotext drops the superscript) all
# mean the same power of ten; only the powers labs really print are accepted.
_POWER = re.compile(r"^[xX×*]?10(?:\^|\*\*|\*|[eE])?(3|5|6|9|12)(?=/)")
_SPACES = re.compile(r"\s+")
# Cubic millimetre spellings are all one microlitre.
_CUBIC_MM = re.compile(r"cu\.?mm|c\.mm|cmm|mm\^?3")


def exact_key(text: str) -> str:
    """Case-preserving key: NFKC, µ as u, no spaces, decimal comma as point."""
    key = unicodedata.normalize("NFKC", text).replace("μ", "u")
    key = _SPACES.sub("", key).replace(",", ".").rstrip(".")
    return _POWER.sub(r"10^\1", key)


def folded_key(text: str) -> str:
    """Case-blind key: also "mc" as micro and every cubic-millimetre spelling as uL."""
    key = exact_key(text).casefold().replace("mc", "u")
    return _CUBIC_MM.sub("ul", key)


class UnitTableError(ValueError):
    """The unit data contradicts itself (two codes for one spelling)."""


class UnitTable:
    """Known UCUM codes, how to show them, and every accepted spelling of each."""

    def __init__(self, displays: Mapping[str, str], spellings: Mapping[str, str]) -> None:
        self._displays = dict(displays)
        self._exact: dict[str, str] = {}
        self._folded: dict[str, str] = {}
        folded_from: dict[str, str] = {}
        problems: list[str] = []
        entries = [(code, code) for code in displays]
        entries += [(shown, code) for code, shown in displays.items() if shown]
        entries += list(spellings.items())
        for spelling, code in entries:
            if code not in self._displays:
                problems.append(f"spelling {spelling!r} maps to unknown code {code!r}")
                continue
            key = exact_key(spelling)
            if self._exact.setdefault(key, code) != code:
                problems.append(f"spelling {spelling!r} maps to both "
                                f"{self._exact[key]!r} and {code!r}")
            self._add_folded(spelling, code, folded_from)
        if problems:
            raise UnitTableError("; ".join(problems))

    def _add_folded(self, spelling: str, code: str, folded_from: dict[str, str]) -> None:
        # "G/L" (giga per litre) and "g/L" (grams) fold together: the spelling that is
        # already lower case decides, because that is how a case-blind reader would mean it.
        key = folded_key(spelling)
        current = self._folded.get(key)
        if current is None or current == code:
            self._folded[key] = code
            folded_from.setdefault(key, spelling)
            return
        if spelling == spelling.casefold() and folded_from[key] != folded_from[key].casefold():
            self._folded[key] = code
            folded_from[key] = spelling

    @property
    def codes(self) -> frozenset[str]:
        """Every UCUM code this table knows."""
        return frozenset(self._displays)

    def normalise(self, text: str | None) -> str | None:
        """UCUM code for a printed spelling, or None when it is not a known unit."""
        if not text or not text.strip():
            return None
        key = exact_key(text)
        code = self._exact.get(key)
        if code is None:
            code = self._folded.get(folded_key(text))
        return code

    def display(self, code: str) -> str:
        """How the UI shows a UCUM code ("umol/L" -> "µmol/L"); unknown codes as given."""
        return self._displays.get(code, code)
