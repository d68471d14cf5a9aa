"""Field specifications: one description of a field drives storage, forms and tables."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """How a field's value is typed, validated and edited."""

    TEXT = "text"
    LONG_TEXT = "long_text"
    DATE = "date"  # stored as YYYY-MM-DD
    DATETIME = "datetime"  # stored as YYYY-MM-DDTHH:MM
    NUMBER = "number"  # float; decimal comma accepted on input
    INTEGER = "integer"
    CHOICE = "choice"


@dataclass(frozen=True)
class Field:
    """One field of a record type."""

    name: str
    label: str
    kind: Kind = Kind.TEXT
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()  # (stored value, label shown)
    max_length: int = 200
    in_table: bool = True
    placeholder: str = ""
    minimum: float | None = None

    def choice_label(self, value: object) -> str:
        """The label shown for a stored choice value (the value itself if unknown)."""
        for stored, label in self.choices:
            if stored == value:
                return label
        return "" if value is None else str(value)
