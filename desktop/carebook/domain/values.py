"""Parsing and formatting of the values people type: numbers, dates, times."""

from __future__ import annotations

import re
from datetime import date, datetime

_THOUSANDS_SPACES = re.compile(r"(?<=\d)[\s\u00a0\u202f](?=\d{3}\b)")


def parse_number(text: str) -> float:
    """Parse "5.6", "5,6", "4 000" or "-1.5e3" into a float; ValueError otherwise."""
    cleaned = _THOUSANDS_SPACES.sub("", text.strip())
    if "_" in cleaned:
        # float() reads "1_5" as 15: a typo must be refused, not turned into another value.
        raise ValueError("not a number")
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    number = float(cleaned)
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError("not a finite number")
    return number


def parse_date(text: str) -> str:
    """Accept an ISO date (YYYY-MM-DD) and return it normalised; ValueError otherwise."""
    return date.fromisoformat(text.strip()).isoformat()


def parse_datetime(text: str) -> str:
    """Accept "YYYY-MM-DD HH:MM" or "YYYY-MM-DDTHH:MM" and return "YYYY-MM-DDTHH:MM"."""
    moment = datetime.fromisoformat(text.strip().replace(" ", "T", 1))
    return moment.strftime("%Y-%m-%dT%H:%M")


def format_number(value: float | None) -> str:
    """Show a number without a trailing ".0" and without float noise."""
    if value is None:
        return ""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.6g}"


def format_date(iso: str | None) -> str:
    """Show an ISO date as "14 Mar 2026" (unambiguous in every locale)."""
    if not iso:
        return ""
    try:
        return date.fromisoformat(iso[:10]).strftime("%d %b %Y").lstrip("0")
    except ValueError:
        return iso


def format_datetime(iso: str | None) -> str:
    """Show an ISO date-time as "14 Mar 2026, 10:30"."""
    if not iso:
        return ""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    day = format_date(iso[:10])
    return day if len(iso) <= 10 else f"{day}, {moment:%H:%M}"


def format_range(low: float | None, high: float | None, text: str | None = None) -> str:
    """Reference range as printed when the report gave text ("<130"), else from the limits
    ("4–5.6", "< 200", "> 40")."""
    if text:
        return text
    if low is not None and high is not None:
        return f"{format_number(low)}–{format_number(high)}"
    if high is not None:
        return f"< {format_number(high)}"
    if low is not None:
        return f"> {format_number(low)}"
    return ""


def spaced(value: str, unit: str) -> str:
    """A number and its unit ("7.6%", "138 mg/dL")."""
    return f"{value}{unit}" if unit == "%" else f"{value} {unit}".strip()


def format_reading(values: dict, with_unit: bool = True) -> str:
    """A vital sign as read: "124/79 mmHg", "68.1 kg" (the second number is the diastolic)."""
    number = format_number(values["value"])
    if values.get("value2") is not None:
        number += f"/{format_number(values['value2'])}"
    return spaced(number, values.get("unit") or "") if with_unit else number
