"""Comparing text the way people read it: without case or accents."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower-case without accents, so "lea" finds "Léa" and "hemoglobine" finds "Hémoglobine"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
