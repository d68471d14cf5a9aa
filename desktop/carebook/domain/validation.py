"""Validation: turn what a person typed (or an importer produced) into typed values,
or say precisely which field is wrong and why."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from carebook.domain.fields import Field, Kind
from carebook.domain.flags import compute_flag
from carebook.domain.record_types import RecordType
from carebook.domain.values import parse_date, parse_datetime, parse_number
from carebook.errors import ValidationError

_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Page and line breaks of other kinds, common in text pasted from a PDF letter: kept as the
# line breaks they stand for rather than refused.
_OTHER_BREAKS = re.compile(r"[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_LOINC = re.compile(r"^\d{1,7}-\d$")
_EARLIEST_YEAR, _LATEST_YEAR = 1900, 2100

VITAL_DEFAULT_UNITS = {
    "blood_pressure": "mmHg",
    "heart_rate": "/min",
    "weight": "kg",
    "height": "cm",
    "temperature": "°C",
    "oxygen_saturation": "%",
    "respiratory_rate": "/min",
    "peak_flow": "L/min",
    "blood_glucose": "mmol/L",
}


def clean_values(rtype: RecordType, raw: dict[str, Any]) -> dict[str, Any]:
    """Type and check every field of `rtype`; raise ValidationError listing every problem."""
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}
    for spec in rtype.fields:
        try:
            value = clean_field(spec, raw.get(spec.name))
        except ValueError as error:
            errors[spec.name] = str(error)
            continue
        if value is None and spec.required:
            errors[spec.name] = f"{spec.label} is required."
        clean[spec.name] = value
    rule = _TYPE_RULES.get(rtype.key)
    if rule is not None:
        for name, message in rule(clean).items():
            errors.setdefault(name, message)
    if errors:
        raise ValidationError(errors)
    return clean


def clean_field(spec: Field, raw: Any) -> Any:
    """One field's typed value (None when empty); ValueError with a readable message."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    cleaner = _CLEANERS[spec.kind]
    return cleaner(spec, raw)


def clean_profile_name(raw: str) -> str:
    """A profile name: 1 to 40 printable characters."""
    name = " ".join(str(raw or "").split())
    if not name:
        raise ValidationError({"name": "Please give this person a name."})
    if len(name) > 40 or _CONTROL_CHARS.search(name):
        raise ValidationError({"name": "Use at most 40 ordinary characters."})
    return name


def _text(spec: Field, raw: Any) -> str:
    broken = _OTHER_BREAKS.sub("\n", str(raw))
    text = broken.strip() if spec.kind == Kind.LONG_TEXT else " ".join(broken.split())
    if len(text) > spec.max_length:
        raise ValueError(f"Use at most {spec.max_length} characters.")
    if _CONTROL_CHARS.search(text):
        raise ValueError("Contains characters that cannot be stored.")
    return text


def _date(spec: Field, raw: Any) -> str:
    try:
        iso = raw.isoformat() if isinstance(raw, date) else parse_date(str(raw))
    except ValueError:
        raise ValueError("Enter a date like 2026-03-14.") from None
    _check_year(int(iso[:4]))
    return iso[:10]


def _datetime(spec: Field, raw: Any) -> str:
    try:
        iso = (raw.strftime("%Y-%m-%dT%H:%M") if isinstance(raw, datetime)
               else parse_datetime(str(raw)))
    except ValueError:
        raise ValueError("Enter a date and time like 2026-03-14 10:30.") from None
    _check_year(int(iso[:4]))
    return iso


def _check_year(year: int) -> None:
    if not _EARLIEST_YEAR <= year <= _LATEST_YEAR:
        raise ValueError(f"Enter a year between {_EARLIEST_YEAR} and {_LATEST_YEAR}.")


def _number(spec: Field, raw: Any) -> float:
    try:
        number = float(raw) if isinstance(raw, int | float) else parse_number(str(raw))
    except ValueError:
        raise ValueError("Enter a number, like 5.6 or 5,6.") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError("Enter a finite number.")
    if spec.minimum is not None and number < spec.minimum:
        raise ValueError(f"Must be at least {spec.minimum:g}.")
    return number


def _integer(spec: Field, raw: Any) -> int:
    try:
        text = str(raw).strip()
        if "_" in text:  # int() reads "1_0" as 10: refuse the typo instead
            raise ValueError(text)
        number = raw if isinstance(raw, int) else int(text)
    except ValueError:
        raise ValueError("Enter a whole number.") from None
    if spec.minimum is not None and number < spec.minimum:
        raise ValueError(f"Must be at least {spec.minimum:g}.")
    return number


def _choice(spec: Field, raw: Any) -> str:
    allowed = [stored for stored, _ in spec.choices]
    if raw not in allowed:
        raise ValueError("Choose one of: " + ", ".join(label for _, label in spec.choices))
    return raw


_CLEANERS = {
    Kind.TEXT: _text,
    Kind.LONG_TEXT: _text,
    Kind.DATE: _date,
    Kind.DATETIME: _datetime,
    Kind.NUMBER: _number,
    Kind.INTEGER: _integer,
    Kind.CHOICE: _choice,
}


def _lab_result_rules(values: dict[str, Any]) -> dict[str, str]:
    errors = {}
    if values.get("value") is None and not values.get("value_text"):
        errors["value"] = "Enter the value (or the value as text, e.g. Negative)."
    low, high = values.get("ref_low"), values.get("ref_high")
    if low is not None and high is not None and low > high:
        errors["ref_high"] = "The upper limit must not be below the lower limit."
    if values.get("loinc") and not _LOINC.match(values["loinc"]):
        errors["loinc"] = "A LOINC code looks like 4548-4."
    if values.get("flag") is None:
        # Code decides flags: when the report printed none, compute it from the range.
        values["flag"] = compute_flag(values.get("value"), low, high)
    return errors


def _date_order_rule(start: str, end: str, message: str):
    def rule(values: dict[str, Any]) -> dict[str, str]:
        first, last = values.get(start), values.get(end)
        return {end: message} if first and last and last < first else {}
    return rule


def _vital_rules(values: dict[str, Any]) -> dict[str, str]:
    errors = {}
    kind, value, second = values.get("kind"), values.get("value"), values.get("value2")
    if kind == "blood_pressure":
        if second is None:
            errors["value2"] = "Enter the lower (diastolic) number too."
        elif value is not None and second >= value:
            errors["value2"] = "The diastolic number should be lower than the systolic."
    if value is not None and value <= 0:
        errors["value"] = "Must be more than 0."
    if kind and not values.get("unit"):
        values["unit"] = VITAL_DEFAULT_UNITS.get(kind)
    return errors


_TYPE_RULES = {
    "lab_result": _lab_result_rules,
    "medication": _date_order_rule("start_date", "stop_date", "Stopped before it started?"),
    "condition": _date_order_rule("onset_date", "resolved_date", "Resolved before it began?"),
    "vital": _vital_rules,
}
