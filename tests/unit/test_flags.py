"""compute_flag / effective_flag: code, not the model, decides whether a result is out of range."""

from __future__ import annotations

import pytest

from carebook.domain.flags import compute_flag, effective_flag, is_abnormal


@pytest.mark.parametrize(
    ("value", "low", "high", "expected"),
    [
        (5.0, 4.0, 5.6, "N"),
        (4.0, 4.0, 5.6, "N"),  # on the lower boundary
        (5.6, 4.0, 5.6, "N"),  # on the upper boundary
        (5.61, 4.0, 5.6, "H"),
        (3.99, 4.0, 5.6, "L"),
        (5.0, 5.0, 5.0, "N"),  # a single-point range
    ],
)
def test_two_sided_range(value, low, high, expected):
    """Inside or on either limit is N; strictly outside is H or L."""
    assert compute_flag(value, low, high) == expected


@pytest.mark.parametrize(("value", "expected"), [(128.0, "N"), (129.0, "N"), (130.0, "H"),
                                                 (-1.0, "N")])
def test_only_high_limit(value, expected):
    """With only an upper limit ("< 130"), nothing is ever flagged low."""
    assert compute_flag(value, None, 129.0) == expected


@pytest.mark.parametrize(("value", "expected"), [(51.0, "L"), (60.0, "N"), (1e6, "N")])
def test_only_low_limit(value, expected):
    """With only a lower limit ("> 59"), nothing is ever flagged high."""
    assert compute_flag(value, 60.0, None) == expected


def test_zero_limits_and_values_are_real_numbers():
    """0 is a limit and a value like any other, not "missing"."""
    assert compute_flag(0.0, 0.0, 0.5) == "N"
    assert compute_flag(-0.1, 0.0, 0.5) == "L"
    assert compute_flag(0.6, 0.0, 0.5) == "H"
    assert compute_flag(0.1, None, 0.0) == "H"


def test_no_range_or_no_value_gives_no_flag():
    """Without a range, or without a number, the flag cannot be told."""
    assert compute_flag(7.6, None, None) is None
    assert compute_flag(None, 4.0, 5.6) is None


def test_effective_flag_prefers_the_computed_flag_when_a_range_exists():
    """A printed flag that contradicts the range is overridden by the range."""
    values = {"value": 7.6, "ref_low": 4.0, "ref_high": 5.6, "flag": "N"}
    assert effective_flag(values) == "H"


def test_effective_flag_falls_back_to_the_printed_flag():
    """Without a range (or without a number) the printed flag is all there is."""
    assert effective_flag({"value": 7.6, "flag": "H"}) == "H"
    assert effective_flag({"value": None, "value_text": "Positive", "flag": "A",
                           "ref_low": 0.0, "ref_high": 1.0}) == "A"
    assert effective_flag({"value": 7.6}) is None


@pytest.mark.parametrize(("flag", "abnormal"), [("H", True), ("L", True), ("A", True),
                                                ("N", False), (None, False)])
def test_is_abnormal(flag, abnormal):
    """High, low and abnormal count as out of range; normal and unknown do not."""
    assert is_abnormal(flag) is abnormal
