"""Parsing what people type: numbers (decimal comma, thousands spaces), dates and times."""

from __future__ import annotations

import pytest

from carebook.domain.values import (
    format_date,
    format_number,
    format_range,
    parse_date,
    parse_datetime,
    parse_number,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5.6", 5.6),
        ("5,6", 5.6),
        (" 5,6 ", 5.6),
        ("-1.5e3", -1500.0),
        ("0", 0.0),
        ("4 000", 4000.0),
        ("4\u00a0000", 4000.0),  # no-break space
        ("4\u202f000", 4000.0),  # narrow no-break space (French typography)
        ("1 000 000", 1_000_000.0),
        ("5 000,5", 5000.5),
        ("12 345.25", 12345.25),
    ],
)
def test_parse_number_accepts_common_spellings(text, expected):
    """Decimal commas and thousands separators written as spaces give the intended number."""
    assert parse_number(text) == pytest.approx(expected)


@pytest.mark.parametrize(
    "text",
    ["nan", "NaN", "inf", "-inf", "Infinity", "1e999", "", "   ", "abc", "5.6 mg", "1,234.5",
     "5,6,7", "12 34", "0x10", "--5", "1_000", "1_5"],
)
def test_parse_number_rejects_non_finite_and_garbage(text):
    """Anything that is not one plain finite number is refused, never guessed at."""
    with pytest.raises(ValueError):
        parse_number(text)


def test_parse_number_keeps_spaces_that_are_not_thousands_groups():
    """A space is only a thousands separator before exactly three digits: "12 3456" is refused."""
    with pytest.raises(ValueError):
        parse_number("12 3456")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2026-03-14", "2026-03-14"), (" 2026-03-14 ", "2026-03-14"), ("2024-02-29", "2024-02-29")],
)
def test_parse_date_accepts_iso_dates(text, expected):
    """ISO dates are accepted and returned normalised."""
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["14/03/2026", "2026-02-30", "2025-02-29", "2026-13-01", "",
                                  "yesterday", "2026-03-14T10:00"])
def test_parse_date_rejects_other_forms_and_impossible_days(text):
    """Ambiguous day/month orders, impossible days and times are refused."""
    with pytest.raises(ValueError):
        parse_date(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2026-03-14 10:30", "2026-03-14T10:30"), ("2026-03-14T10:30", "2026-03-14T10:30"),
     ("2026-03-14T10:30:59", "2026-03-14T10:30")],
)
def test_parse_datetime_returns_minutes_precision(text, expected):
    """Space or T between date and time; seconds are dropped."""
    assert parse_datetime(text) == expected


@pytest.mark.parametrize("text", ["2026-03-14 25:00", "10:30", "14/03/2026 10:30", "soon"])
def test_parse_datetime_rejects_garbage(text):
    """An impossible hour or a missing date is refused."""
    with pytest.raises(ValueError):
        parse_datetime(text)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, ""), (5.0, "5"), (5.6, "5.6"), (0.1 + 0.2, "0.3"), (-2.0, "-2")],
)
def test_format_number_drops_trailing_zero_and_float_noise(value, expected):
    """Numbers are shown as a person writes them."""
    assert format_number(value) == expected


def test_format_date_is_unambiguous_and_tolerates_bad_input():
    """A date reads "4 Mar 2026"; text that is not a date is shown unchanged."""
    assert format_date("2026-03-04") == "4 Mar 2026"
    assert format_date("not a date") == "not a date"
    assert format_date(None) == ""


@pytest.mark.parametrize(
    ("low", "high", "text", "expected"),
    [(4.0, 5.6, None, "4–5.6"), (None, 129.0, None, "< 129"), (60.0, None, None, "> 60"),
     (None, 129.0, "<130", "<130"), (None, None, "Negative", "Negative"),
     (None, None, None, ""), (None, None, "", "")],
)
def test_format_range_reads_naturally(low, high, text, expected):
    """The range as printed when there is text, else built from both limits or the one given."""
    assert format_range(low, high, text) == expected
