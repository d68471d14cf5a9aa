"""Recovery codes: six groups of five Crockford base-32 characters, forgiving on input."""

from __future__ import annotations

import re

import pytest

from carebook.vault.recovery import ALPHABET, generate_recovery_code, normalize_recovery_code

CODE_FORMAT = re.compile(r"^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){5}$")
SAMPLE = "7KQ2M-X9D4T-0A1B2-C3D4E-F5G6H-JKMNP"


def test_alphabet_leaves_out_confusable_letters():
    """32 symbols, without I, L, O or U."""
    assert len(ALPHABET) == len(set(ALPHABET)) == 32
    assert not set("ILOU") & set(ALPHABET)


def test_generated_codes_have_the_documented_format():
    """Every code is six dash-separated groups of five alphabet characters."""
    codes = [generate_recovery_code() for _ in range(200)]
    for code in codes:
        assert CODE_FORMAT.match(code), code
    assert len(set(codes)) == len(codes)  # 150 random bits: a repeat would mean no randomness


def test_generated_codes_use_the_whole_alphabet():
    """Over many codes, every symbol appears (no symbol is silently excluded)."""
    seen = set("".join(generate_recovery_code() for _ in range(200)).replace("-", ""))
    assert seen == set(ALPHABET)


def test_generated_code_is_its_own_normal_form():
    """A code read back exactly as shown is accepted unchanged."""
    code = generate_recovery_code()
    assert normalize_recovery_code(code) == code


@pytest.mark.parametrize(
    "typed",
    [
        "7kq2m-x9d4t-0a1b2-c3d4e-f5g6h-jkmnp",  # lowercase
        "7KQ2M X9D4T 0A1B2 C3D4E F5G6H JKMNP",  # spaces instead of dashes
        "7KQ2MX9D4T0A1B2C3D4EF5G6HJKMNP",  # no separators at all
        "  7kq2m - x9d4t-0a1b2 c3d4e\tf5g6h-jkmnp\n",  # a mess of both
        "7KQ2M-X9D4T-OA1B2-C3D4E-F5G6H-JKMNP",  # letter O for zero
        "7KQ2M-X9D4T-0AIB2-C3D4E-F5G6H-JKMNP",  # letter I for one
        "7KQ2M-X9D4T-0AlB2-C3D4E-F5G6H-JKMNP",  # lowercase l for one
        "7KQ2M-X9D4T-oaLb2-C3D4E-F5G6H-JKMNP",  # lowercase o, capital L
    ],
)
def test_normalize_forgives_case_spacing_dashes_and_look_alikes(typed):
    """What a person copies by hand maps back to the canonical code."""
    assert normalize_recovery_code(typed) == SAMPLE


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "7KQ2M-X9D4T-0A1B2-C3D4E-F5G6H",  # five groups
        "7KQ2M-X9D4T-0A1B2-C3D4E-F5G6H-JKMNPQ",  # one character too many
        "7KQ2M-X9D4T-0A1B2-C3D4E-F5G6H-JKMNU",  # U is not in the alphabet
        "7KQ2M-X9D4T-0A1B2-C3D4E-F5G6H-JKMNÉ",  # accented letter
        "7KQ2M-X9D4T-0A1B2-C3D4E-F5G6H-JKMN١",  # a non-ASCII digit
    ],
)
def test_normalize_rejects_wrong_length_and_bad_characters(typed):
    """Anything that cannot be a recovery code is refused with a readable message."""
    with pytest.raises(ValueError, match="six groups of five"):
        normalize_recovery_code(typed)
