"""Flags are decided by code, from the value and the reference range."""

from __future__ import annotations

ABNORMAL_FLAGS = frozenset({"H", "L", "A"})


def compute_flag(value: float | None, low: float | None, high: float | None) -> str | None:
    """"H" above the range, "L" below it, "N" inside it, None when it cannot be told."""
    if value is None or (low is None and high is None):
        return None
    if high is not None and value > high:
        return "H"
    if low is not None and value < low:
        return "L"
    return "N"


def effective_flag(values: dict) -> str | None:
    """The flag a result carries: the computed one when a range exists, else the printed one."""
    computed = compute_flag(values.get("value"), values.get("ref_low"), values.get("ref_high"))
    return computed if computed is not None else values.get("flag")


def is_abnormal(flag: str | None) -> bool:
    """True for high, low or abnormal."""
    return flag in ABNORMAL_FLAGS
