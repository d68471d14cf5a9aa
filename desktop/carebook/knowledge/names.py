"""Name normalisation and the careful variants tried when a printed name is no exact synonym."""

from __future__ import annotations

import re
from collections.abc import Iterator

from carebook.domain.text import fold

# "R.B.C." and "E.S.R" are one word; "S. Creatinine" is a qualifier and a word.
_DOTTED_ABBREVIATION = re.compile(r"\b(?:[^\W\d_]\.){2,}[^\W\d_]?\b\.?")
_NOT_WORD = re.compile(r"[^\w%#/]+")
# "%" vs "#" tells a percentage from a count; "/" makes "TC/HDL" a ratio, not HDL.
_SYMBOLS = re.compile(r"([%#/])")
_PARENS = re.compile(r"\(([^()]*)\)")

# Words around a name that say where or how it was measured, not what.
_QUALIFIERS = (
    "serum", "s", "se", "sr", "plasma", "p", "blood", "b", "whole blood", "level", "levels",
    "total", "fasting", "random", "ultra", "estimation", "test", "value", "conc",
    "concentration", "sang", "sanguin", "sanguine", "serique", "plasmatique", "taux de",
    "dosage", "dosage du", "dosage de la", "dosage des", "totale", "totales", "blut",
    "vollblut", "im serum", "im blut", "im plasma", "is", "gesamt", "suero", "sangre",
    "en suero", "en sangre", "en plasma", "serico", "serica", "en sang", "dans le sang",
    "random urine", "spot urine", "first morning urine",
)
# Leading words that say the specimen is urine: strip them, but remember it.
_URINE_WORDS = ("urine", "u", "urinary", "urin", "harn", "orina", "urines", "im urin",
                "en orina", "dans les urines")
# Parenthesised words that only say how it was measured.
_METHOD_WORDS = frozenset({
    "ultra", "ultrasensitive", "by", "westergren", "wintrobe", "calculated", "calc", "clia",
    "eclia", "cmia", "elisa", "ise", "enzymatic", "kinetic", "method", "automated",
    "photometric", "colorimetric", "hplc", "immunoassay", "turbidimetric", "ifcc", "jaffe",
    "modified", "serum", "plasma", "blood", "fasting", "random", "impedance", "flow",
    "cytometry", "manual", "machine", "analyser", "analyzer", "cyanide", "reagent", "sls",
})
# Bracketed words that change what is measured: "(Direct)", "(SD)", "(ionised)".
_MEANING_WORDS = frozenset({
    "direct", "indirect", "free", "ionized", "ionised", "ionic", "total", "conjugated",
    "unconjugated", "sd", "cv", "absolute", "abs", "ratio", "index", "urine", "urinary", "csf",
    "%", "#", "/", "corrected", "adjusted", "rbc", "red", "cell", "cells", "24", "hours",
})


def _phrases(words: tuple[str, ...]) -> dict[int, frozenset[tuple[str, ...]]]:
    # Grouped by length so a name's first or last 1, 2, 3 words are one set look-up each.
    by_size: dict[int, set[tuple[str, ...]]] = {}
    for phrase in words:
        by_size.setdefault(len(phrase.split()), set()).add(tuple(phrase.split()))
    return {size: frozenset(found) for size, found in sorted(by_size.items(), reverse=True)}


_QUALIFIER_PHRASES = _phrases(_QUALIFIERS)
_URINE_PHRASES = _phrases(_URINE_WORDS)


def normalise_name(text: str) -> str:
    """Case-, accent- and punctuation-blind form of a name; only %, # and / survive."""
    plain = text.casefold() if text.isascii() else fold(text)
    plain = _DOTTED_ABBREVIATION.sub(lambda m: m.group(0).replace(".", "") + " ", plain)
    plain = _SYMBOLS.sub(r" \1 ", plain.replace("_", " "))
    return " ".join(_NOT_WORD.sub(" ", plain).split())


def _strip_phrase(tokens: list[str], phrases: dict[int, frozenset[tuple[str, ...]]],
                  at_start: bool) -> tuple[str, ...] | None:
    for size, known in phrases.items():  # longest first: "whole blood" before "blood"
        if len(tokens) <= size:
            continue
        part = tuple(tokens[:size]) if at_start else tuple(tokens[-size:])
        if part in known:
            return part
    return None


def stripped_variants(norm: str) -> Iterator[tuple[str, bool]]:
    """Shorter forms of a normalised name with qualifier words cut from either end.

    Yields (variant, says_urine). At most three words are cut, never the last one left.
    """
    tokens = norm.split()
    urine = False
    for _ in range(3):
        cut = _strip_phrase(tokens, _URINE_PHRASES, at_start=True)
        if cut:
            urine = True
            tokens = tokens[len(cut):]
            yield " ".join(tokens), urine
            continue
        cut = _strip_phrase(tokens, _QUALIFIER_PHRASES, at_start=True)
        if cut:
            tokens = tokens[len(cut):]
            yield " ".join(tokens), urine
            continue
        cut = _strip_phrase(tokens, _QUALIFIER_PHRASES, at_start=False)
        if cut:
            tokens = tokens[: len(tokens) - len(cut)]
            yield " ".join(tokens), urine
            continue
        return


def parenthesised(text: str) -> tuple[str, list[str]]:
    """The name with parenthesised parts removed, and each part on its own (normalised)."""
    inner = [normalise_name(part) for part in _PARENS.findall(text)]
    outer = normalise_name(_PARENS.sub(" ", text))
    return outer, [part for part in inner if part]


def says_only_how(part: str) -> bool:
    """True when a bracketed part only says how the test was done ("by Westergren")."""
    words = part.split()
    if "by" in words or "method" in words:  # "(by cyanide free method)" describes a method
        return True
    if not words or any(word in _MEANING_WORDS for word in words):
        return False
    methods = sum(word in _METHOD_WORDS for word in words)
    return methods == len(words) or (len(words) >= 2 and methods > 0)
