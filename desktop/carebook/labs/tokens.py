"""Reading the pieces of a result line: numbers, ranges, flags and units as labs print them.

Labs print the same things in many ways: "4 000" and "4,000" and "4.000" may all be four
thousand, "< 1,2" is a range, "H" and "*" and "↑" are flags. This module knows those spellings
and nothing about where they sit on the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from carebook.knowledge import normalise_unit

DASHES = str.maketrans({"–": "-", "—": "-", "−": "-", "‐": "-", "‑": "-", "\u00a0": " ",
                        "\u202f": " ", "\u2009": " ", "≤": "<", "≥": ">", "μ": "µ"})

# A printed number: Indian lakh grouping ("2,50,000"), thousands spaces ("4 000"), decimal
# commas ("1,2") and points. Thousands-space groups must be exactly three digits so that two
# neighbouring numbers ("98 102") are not glued into one.
NUMBER = (r"(?:\d{1,3}(?:,\d{2})+,\d{3}(?!\d)|\d{1,3}(?: \d{3})+(?![\d.,]?\d)"
          r"|\d+(?:[.,]\d+)?|[.,]\d+)")

_LOW_WORDS = r"(?:>\s*or\s*=|>\s*=|>=|>|greater than|more than|above|over|sup[ée]rieure? [àa]|" \
             r"sup\. [àa]|über|ueber|mayor (?:de|que)|superior a|min\.?|at least)"
_HIGH_WORDS = r"(?:<\s*or\s*=|<\s*=|<=|<|less than|below|under|up to|upto|inf[ée]rieure? [àa]|" \
              r"inf\. [àa]|jusqu'[àa]|unter|bis|menor (?:de|que)|inferior a|hasta|max\.?|" \
              r"fino a|inferiore a|até)"
_BETWEEN = r"\s*(?:-|to|[àa]|bis|al|a|\.\.)\s*"  # not "/": "Page 1/2" is no range

RANGE_BETWEEN = re.compile(rf"[(\[]?\s*(?P<lo>{NUMBER}){_BETWEEN}(?P<hi>{NUMBER})\s*[)\]]?",
                           re.IGNORECASE)
RANGE_HIGH = re.compile(rf"[(\[]?\s*{_HIGH_WORDS}\s*(?P<hi>{NUMBER})\s*[)\]]?", re.IGNORECASE)
RANGE_LOW = re.compile(rf"[(\[]?\s*{_LOW_WORDS}\s*(?P<lo>{NUMBER})\s*[)\]]?", re.IGNORECASE)
DIPSTICK_GRADE = re.compile(r"^[1-4]\s?\+{1,3}$")
VALUE = re.compile(rf"(?P<cmp>[<>]=?\s*)?(?P<num>-?{NUMBER})")

_FLAG_WORDS = {
    "h": "H", "hh": "H", "high": "H", "hi": "H", "↑": "H", "+": "H", "*": "A", "h*": "H",
    "(h)": "H", "élevé": "H", "eleve": "H", "haut": "H", "hoch": "H", "erhöht": "H",
    "alto": "H", "elevado": "H", "above": "H", "critical high": "H", "hc": "H",
    "l": "L", "ll": "L", "low": "L", "lo": "L", "↓": "L", "-": "L", "l*": "L", "(l)": "L",
    "bas": "L", "basse": "L", "niedrig": "L", "erniedrigt": "L", "bajo": "L", "below": "L",
    "critical low": "L", "lc": "L",
    "a": "A", "abnormal": "A", "anormal": "A", "abnorm": "A", "pathologisch": "A", "!": "A",
    "**": "A", "++": "H", "+++": "H", "--": "L", "---": "L", "(*)": "A", "(+)": "H",
    "(-)": "L", "(**)": "A",
}


def parse_printed_number(text: str, decimal_comma: bool | None = None) -> float | None:
    """The value of a printed number, or None; `decimal_comma` says how to read "1,250"."""
    cleaned = text.translate(DASHES).strip().replace(" ", "")
    if not cleaned:
        return None
    if re.fullmatch(r"\d{1,3}(?:,\d{2})+,\d{3}", cleaned):  # Indian grouping: 2,50,000
        cleaned = cleaned.replace(",", "")
    elif decimal_comma and re.fullmatch(r"\d{1,3}(?:\.\d{3})+", cleaned):
        cleaned = cleaned.replace(".", "")  # "132.000" where decimals are written "4,5"
    elif "," in cleaned and "." in cleaned:
        # Whichever comes last is the decimal mark: "1.234,5" or "1,234.5".
        if cleaned.rfind(",") > cleaned.rfind("."):
            cleaned = cleaned.replace(".", "").replace(",", ".")
        else:
            cleaned = cleaned.replace(",", "")
    elif cleaned.count(",") == 1:
        head, tail = cleaned.split(",")
        # "1,250" is 1250 in a report that writes decimals with a point, 1.25 otherwise.
        thousands = len(tail) == 3 and decimal_comma is False and head.lstrip("-") not in ("", "0")
        cleaned = head + tail if thousands else head + "." + tail
    elif cleaned.count(",") > 1:
        cleaned = cleaned.replace(",", "")
    try:
        return float(cleaned)
    except ValueError:
        return None


@dataclass(frozen=True)
class PrintedRange:
    """A reference range as printed: bounds, the text, and a unit found inside it."""

    low: float | None
    high: float | None
    text: str
    unit: str | None = None


# Tier labels that name the healthy band when a lab prints several ("Desirable: < 200 ;
# Borderline: 200 - 239"): that band is the reference range.
_NORMAL_TIER = re.compile(r"^(?:normal|desirable|optimal|no risk|sufficien\w*|reference|"
                          r"negative|non[- ]?diabetic|souhaitable|optimal|wünschenswert|"
                          r"deseable|adults?)\b", re.IGNORECASE)
_TIER = re.compile(r"^(?P<label>[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ ()/-]{1,30}?)\s*(?::-?)?\s*"
                   r"(?P<range>[<>(\[]?\s*(?:or\s*=\s*)?[\d.,].*)$", re.IGNORECASE)


def read_range(text: str, decimal_comma: bool | None = None) -> PrintedRange | None:
    """Read "3.5 - 5.1 mmol/L", "<200", "> OR = 40", "(4 000 à 10 000)", or the healthy tier
    of "Normal: <5.7 ; Prediabetic: 5.7-6.4"; None if the text is not a range."""
    plain = _read_plain_range(text, decimal_comma)
    if plain is not None or not re.search(r"[A-Za-z]", text):
        return plain
    tiers = []
    for part in re.split(r"\s*;\s*", text.strip()):
        found = _TIER.match(part.translate(DASHES).strip())
        if found:
            bounds = _read_plain_range(found["range"], decimal_comma)
            if bounds is not None:
                tiers.append((found["label"].strip(), bounds))
    if not tiers:
        return None
    normal = [bounds for label, bounds in tiers if _NORMAL_TIER.match(label)]
    if not normal and len(tiers) > 1:
        # Phases or conditions ("Follicular: 2.4-12.6 ; Luteal: ..."): which one applies is
        # not printed, so no single range can be taken.
        return PrintedRange(None, None, text.strip(), tiers[0][1].unit)
    bounds = normal[0] if normal else tiers[0][1]
    return PrintedRange(bounds.low, bounds.high, text.strip(), bounds.unit)


def _read_plain_range(text: str, decimal_comma: bool | None) -> PrintedRange | None:
    clean = text.translate(DASHES).strip()
    for pattern in (RANGE_BETWEEN, RANGE_HIGH, RANGE_LOW):
        found = pattern.match(clean)
        if not found:
            continue
        rest = clean[found.end():].strip(" ;:")
        unit = normalise_unit(rest) if rest else None
        if rest and unit is None and not _is_range_note(rest):
            continue
        groups = found.groupdict()
        if any(re.fullmatch(r"0\d+", groups.get(key) or "") for key in ("lo", "hi")):
            continue  # "25-001877" is a request number, not a range
        low = parse_printed_number(groups["lo"], decimal_comma) if groups.get("lo") else None
        high = parse_printed_number(groups["hi"], decimal_comma) if groups.get("hi") else None
        if low is not None and high is not None and low > high:
            return None
        return PrintedRange(low, high, clean, unit)
    return None


def _is_range_note(rest: str) -> bool:
    # Text a range can carry after its bounds without being a unit: "(fasting)", "Adults".
    return bool(re.fullmatch(r"\(?[A-Za-zÀ-ÿ ]{3,30}\)?", rest)) and normalise_unit(rest) is None


def read_flag(text: str) -> str | None:
    """The flag letter for a printed flag ("H", "Low", "*", "↑"), or None."""
    return _FLAG_WORDS.get(text.strip().casefold())


@dataclass(frozen=True)
class PrintedValue:
    """A result value as printed, with what was glued to it (a flag, a unit)."""

    number: float | None
    text: str
    flag: str | None = None
    unit: str | None = None


def read_value(text: str, decimal_comma: bool | None = None) -> PrintedValue | None:
    """Read "5.2", "<0.5", "12,5 H", "5.2mg/dL", "140*"; None when the text is not a value."""
    clean = text.translate(DASHES).strip()
    found = VALUE.match(clean)
    if not found or DIPSTICK_GRADE.match(clean):
        return None  # "1+" is a dipstick grade, a word, not one with a "high" flag
    rest = clean[found.end():].strip()
    flag = unit = None
    if rest:
        flag = read_flag(rest)
        if flag is None:
            head, _, tail = rest.partition(" ")
            unit = normalise_unit(rest) or (normalise_unit(head) if read_flag(tail) else None)
            flag = read_flag(tail) if unit and tail else None
            if unit is None:
                return None
    number = parse_printed_number(found["num"], decimal_comma)
    if number is None:
        return None
    printed = (found["cmp"] or "").replace(" ", "") + found["num"]
    return PrintedValue(number, printed, flag, unit)
