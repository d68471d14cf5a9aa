"""Analyte catalogue: LOINC codes, synonyms, units, typical ranges and plain-language text."""

from __future__ import annotations

from carebook.knowledge.catalogue import PANEL_TITLES, Catalogue
from carebook.knowledge.loader import load_catalogue, read_catalogue
from carebook.knowledge.model import Analyte, CatalogueError, Match, Range, Source, Text
from carebook.knowledge.names import normalise_name

__all__ = [
    "PANEL_TITLES",
    "Analyte",
    "Catalogue",
    "CatalogueError",
    "Match",
    "Range",
    "Source",
    "Text",
    "display_unit",
    "load_catalogue",
    "normalise_name",
    "normalise_unit",
    "read_catalogue",
]


def normalise_unit(text: str | None) -> str | None:
    """UCUM code from any accepted spelling ("mg/dl" -> "mg/dL"), None if unknown."""
    return load_catalogue().normalise_unit(text)


def display_unit(code: str) -> str:
    """How the UI shows a UCUM code ("10*9/L" -> "×10⁹/L", "{INR}" -> "")."""
    return load_catalogue().display_unit(code)
