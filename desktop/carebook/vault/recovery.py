"""Recovery codes: 150 random bits written as six groups of five characters.

Crockford's base-32 alphabet leaves out I, L, O and U, so a code copied by hand and read
back later cannot be misread; on input those letters are mapped to the digits they resemble.
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
GROUPS, GROUP_SIZE = 6, 5
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})


def generate_recovery_code() -> str:
    """A fresh code like "7KQ2M-X9D4T-…", shown once to the person."""
    chars = "".join(secrets.choice(ALPHABET) for _ in range(GROUPS * GROUP_SIZE))
    return "-".join(chars[i:i + GROUP_SIZE] for i in range(0, len(chars), GROUP_SIZE))


def normalize_recovery_code(text: str) -> str:
    """Canonical form of a typed code (case, spaces, dashes, look-alikes forgiven).

    Raises ValueError when it cannot be a recovery code at all.
    """
    chars = "".join(ch for ch in text.upper() if ch.isalnum()).translate(_CONFUSABLE)
    if len(chars) != GROUPS * GROUP_SIZE or any(ch not in ALPHABET for ch in chars):
        raise ValueError("A recovery code has 30 letters and digits in six groups of five.")
    return "-".join(chars[i:i + GROUP_SIZE] for i in range(0, len(chars), GROUP_SIZE))
