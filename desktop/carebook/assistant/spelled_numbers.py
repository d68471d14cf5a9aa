"""The numbers a text gives, whether written in digits ("6.4", "6,4", "1 200") or in words
("six point four", "five hundred", "twenty-five").

Split from checks.py: a model told to keep every number exactly can still write one out in
words, and a number in words must be grounded like any other.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import NamedTuple

# "10^9/L", "x10^3", "× 10⁹", and "×109/l" once folded: unit powers of ten, not values.
_POWER_OF_TEN = re.compile(
    r"(?:[x×*]\s?)?10\s?(?:\^|\*\*?)\s?[-−]?[0-9]+|(?:[x×]\s?)?10[⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+"
    r"|[x×]\s?10[-−]?[0-9]{1,2}(?=\s*/)"
)
_LIST_MARKER = re.compile(r"^(\s*(?:[-*•]\s*)?)\(?[0-9]{1,2}[.)](?=\s)", re.MULTILINE)
_NUMBER = re.compile(
    r"(?<![^\W_])(?<![^\W\d_]-)"  # not glued to a word before: "HbA1c", "B12", "COVID-19"
    r"(?:(?P<date>[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}|[0-9]{1,2}(?P<sep>[./])[0-9]{1,2}(?P=sep)"
    r"[0-9]{2,4})(?![0-9])"  # "2024-03-05", "05.03.2024"
    r"|(?P<grouped>[0-9]{1,3}(?:(?:,|[ \u00a0\u202f\u2009])[0-9]{3})+(?:\.[0-9]+)?)"
    r"(?![0-9]|[.,][0-9])"  # "1,200", "1 200"
    r"|(?P<plain>[0-9]+(?:[.,][0-9]+)?))"  # "6.4", "6,4", "12"
)
# After the number: "25-OH", "3-month", "2nd" make it part of a word, not a value.
_WORD_TAIL = re.compile(r"-[^\W\d_]|(?:st|nd|rd|th)\b")

_SMALL = {word: n for n, word in enumerate((
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen"))}
_TENS = {word: 10 * n for n, word in enumerate(
    ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"), start=2)}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
NUMBER_WORD = "(?:" + "|".join(sorted([*_SMALL, *_TENS, *_SCALES], key=len, reverse=True)) + ")"
# A run of number words: "one hundred and sixty", "twenty-five", "six point four".
SPELLED = rf"\b{NUMBER_WORD}(?:(?:[\s-]+(?:and\s+)?|\s+point\s+){NUMBER_WORD})*\b"
_SPELLED = re.compile(SPELLED, re.IGNORECASE)
_WORD = re.compile(r"[a-z]+", re.IGNORECASE)
# A small number alone is most often a word of the prose ("one of your tests", "two or three
# sentences", "the last three results"): it counts only before a unit ("two tablets",
# "in six weeks"), as "one" does only before one other than a day ("one day you may…").
_UNIT_AFTER = re.compile(
    r"\s*(?:%|(?:percent|per cent|mg|mcg|micrograms?|milligrams?|grams?|ml|millilit(?:re|er)s?|"
    r"units?|iu|tablets?|pills?|capsules?|doses?|mmol|mol|hours?|days|weeks?|months?|years?|"
    r"minutes?|times)\b)", re.IGNORECASE)


class Number(NamedTuple):
    """One number in a text: as written, its value, and where it starts and ends."""

    raw: str
    value: Decimal
    start: int
    end: int


def number_spans(text: str) -> list[Number]:
    """The numbers in a text in order, digits and words, each with where it is written.

    Signs are dropped (a dash in lab text is nearly always a range), list markers at the
    start of a line and digits inside names or units ("HbA1c", "10^9/L", "25-OH") are not
    values, and a number word up to ten counts only before a unit ("two tablets", "in six
    weeks"; not "one of your tests" nor "the last three results").
    """
    blank = _POWER_OF_TEN.sub(lambda m: " " * len(m.group()), text)
    blank = _LIST_MARKER.sub(lambda m: m.group(1) + " " * (len(m.group()) - len(m.group(1))),
                             blank)
    found = _digits(blank) + _words(text)
    return sorted(found, key=lambda number: number.start)


def numbers_in(text: str) -> list[tuple[str, Decimal]]:
    """The values written in a text, as (as written, value): "6,40 %" gives ("6,40", 6.4)."""
    return [(number.raw, number.value) for number in number_spans(text)]


def _digits(text: str) -> list[Number]:
    found = []
    for match in _NUMBER.finditer(text):
        if _WORD_TAIL.match(text, match.end()):
            continue
        raw = match.group()
        if match.group("date"):
            at = match.start()
            for part in re.split(r"([-./])", raw):
                if part.isdigit():
                    found.append(Number(part, Decimal(part), at, at + len(part)))
                at += len(part)
        elif match.group("grouped"):
            found.append(Number(raw, Decimal(re.sub(r"[^0-9.]", "", raw)), *match.span()))
        else:
            found.append(Number(raw, Decimal(raw.replace(",", ".")), *match.span()))
    return found


def _words(text: str) -> list[Number]:
    found = []
    for run in _SPELLED.finditer(text):
        tokens = [(m.group().lower(), run.start() + m.start(), run.start() + m.end())
                  for m in _WORD.finditer(run.group())]
        for start, end, value in _parse(tokens):
            raw = text[start:end]
            alone = _SMALL.get(raw.lower(), 11) <= 10
            if re.match(r"-[^\W\d_]", text[end:end + 2]) or (
                    alone and not _UNIT_AFTER.match(text, end)):
                continue  # "three-month" is a word, and "three results" prose
            found.append(Number(raw, value, start, end))
    return found


def _parse(tokens: list[tuple[str, int, int]]) -> list[tuple[int, int, Decimal]]:
    """Split a run of number words into numbers: "one two" is two numbers, "one hundred and
    two" is one, "six point four" is 6.4."""
    reader = _Reader()
    for word, start, end in tokens:
        reader.read(word, start, end)
    reader.flush()
    return reader.numbers


class _Reader:
    """Reads number words one at a time, keeping the number so far."""

    def __init__(self) -> None:
        self.numbers: list[tuple[int, int, Decimal]] = []
        self.start: int | None = None
        self.end = self.total = self.current = 0
        self.fraction, self.point, self.last = "", False, ""

    def flush(self) -> None:
        """Ends the number so far, if any."""
        if self.start is not None:
            whole = self.total + self.current
            value = Decimal(f"{whole}.{self.fraction}") if self.fraction else Decimal(whole)
            self.numbers.append((self.start, self.end, value))
        self.start = None
        self.end = self.total = self.current = 0
        self.fraction, self.point, self.last = "", False, ""

    def read(self, word: str, start: int, end: int) -> None:
        """Takes one more word: it continues the number so far or starts a new one."""
        if word in ("and", "point"):
            # "and" only after a scale ("one hundred and two"); "point" once, after a number
            keeps = (self.last == "scale" if word == "and" else self.start is not None)
            if keeps and not self.point:
                self.last, self.point = word, word == "point"
            else:
                self.flush()
            return
        if self.point:
            if _SMALL.get(word, 10) < 10:
                self.fraction += str(_SMALL[word])
                self.end, self.last = end, "digit"
                return
            self.flush()
        if not _joins(word, self.last, self.current):
            self.flush()
        self._add(word)
        self.start = start if self.start is None else self.start
        self.end = end

    def _add(self, word: str) -> None:
        if word in _SMALL or word in _TENS:
            self.current += _SMALL.get(word, 0) + _TENS.get(word, 0)
            self.last = "small" if word in _SMALL else "tens"
        elif word == "hundred":
            self.current, self.last = (self.current or 1) * 100, "scale"
        else:
            self.total += (self.current or 1) * _SCALES[word]
            self.current, self.last = 0, "scale"


def _joins(word: str, last: str, current: int) -> bool:
    """True when the word continues the number so far ("twenty" then "five")."""
    if last in ("", "scale", "and"):
        return not (word == "hundred" and current >= 100)
    if last == "tens":
        return word in _SCALES or _SMALL.get(word, 10) < 10
    return last == "small" and word in _SCALES
