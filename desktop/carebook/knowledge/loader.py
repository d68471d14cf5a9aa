"""Read resources/knowledge/ (units.json + analytes/*.json), check it, build the Catalogue."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from carebook import paths
from carebook.knowledge.catalogue import Catalogue
from carebook.knowledge.entries import build_analyte
from carebook.knowledge.model import Analyte, CatalogueError
from carebook.knowledge.units import UnitTable, UnitTableError


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CatalogueError(f"{path.name}: cannot be read as JSON ({exc})") from exc


def _string_map(data: Any, label: str) -> dict[str, str]:
    if not isinstance(data, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        raise CatalogueError(f"{label} must map strings to strings")
    return data


def _unit_table(root: Path, files: list[tuple[str, dict]]) -> UnitTable:
    data = _read_json(root / "units.json")
    if not isinstance(data, dict):
        raise CatalogueError("units.json must hold an object")
    displays = _string_map(data.get("codes"), "units.json 'codes'")
    spellings = dict(_string_map(data.get("spellings"), "units.json 'spellings'"))
    for file_name, content in files:
        extra = _string_map(content.get("unit_spellings", {}), f"{file_name} 'unit_spellings'")
        for spelling, code in extra.items():
            if spellings.setdefault(spelling, code) != code:
                raise CatalogueError(
                    f"{file_name}: unit spelling {spelling!r} -> {code!r} contradicts "
                    f"{spellings[spelling]!r}; list {spellings[spelling]!r} in the entry's "
                    "'units' with its factor instead")
            # A data file may bring a UCUM code units.json lacks; it is shown as written.
            displays.setdefault(code, code)
    try:
        return UnitTable(displays, spellings)
    except UnitTableError as exc:
        raise CatalogueError(f"units: {exc}") from exc


def read_catalogue(root: Path) -> Catalogue:
    """Build a catalogue from a knowledge folder; CatalogueError names every problem found."""
    files: list[tuple[str, dict]] = []
    for path in sorted((root / "analytes").glob("*.json")):
        content = _read_json(path)
        if not isinstance(content, dict) or not isinstance(content.get("analytes"), list):
            raise CatalogueError(f"{path.name}: needs an 'analytes' list")
        files.append((path.name, content))
    units = _unit_table(root, files)
    problems: list[str] = []
    analytes: list[Analyte] = []
    for file_name, content in files:
        for number, entry in enumerate(content["analytes"], start=1):
            analyte = build_analyte(entry, f"{file_name} #{number}", units.codes,
                                    units.normalise, problems)
            if analyte is not None:
                analytes.append(analyte)
    if problems:
        shown = problems[:20] + ([f"... and {len(problems) - 20} more"] if len(problems) > 20
                                 else [])
        raise CatalogueError("analyte data: " + "; ".join(shown))
    return Catalogue(analytes, units)


@cache
def load_catalogue() -> Catalogue:
    """The catalogue shipped in resources/knowledge/, read once per process."""
    return read_catalogue(paths.resource("knowledge"))
