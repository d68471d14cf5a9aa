"""The table of rows read from a lab report, as the person reviews and corrects them.

Every cell is editable. A cell the parser doubts is highlighted, marked with a warning shape
and explains itself in a tooltip, so nothing relies on colour alone. Editing a value or a range
re-reads it and recomputes the flag the same way the parser does.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from carebook.domain.flags import compute_flag
from carebook.domain.values import format_number
from carebook.knowledge import display_unit, load_catalogue, normalise_unit
from carebook.labs.tokens import read_range, read_value
from carebook.ui.icons import icon
from carebook.ui.lab_results_model import flag_words
from carebook.ui.theme import current_colors

Index = QModelIndex | QPersistentModelIndex

COLUMNS = (("include", "Save"), ("name", "Test as printed"), ("analyte", "Recognised as"),
           ("value", "Value"), ("unit", "Unit"), ("range", "Range"), ("flag", "Flag"),
           ("page", "Page"))
FIELD_OF_COLUMN = [key for key, _ in COLUMNS]
LOW_CONFIDENCE = 0.8
FLAG_CHOICES = ("H", "L", "N", "A", None)


class ReviewTableModel(QAbstractTableModel):
    """Rows parsed from a report; `rows()` gives back the included ones as corrected."""

    def __init__(self, rows: list[dict], parent=None) -> None:
        super().__init__(parent)
        self._rows = [dict(row, include=True, edited=set()) for row in rows]

    # --- reading back --------------------------------------------------------------------

    def included_rows(self) -> list[dict]:
        """The rows marked to be saved, with the person's corrections."""
        return [row for row in self._rows if row["include"]]

    def row_data(self, row: int) -> dict:
        """One row as it stands now."""
        return self._rows[row]

    def doubtful_count(self) -> int:
        """How many rows still carry a doubt the person has not edited away."""
        return sum(1 for row in self._rows if row["include"] and self._open_doubts(row))

    def set_all_included(self, include: bool) -> None:
        """Tick or untick every row."""
        for row in self._rows:
            row["include"] = include
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 0))

    # --- Qt model ------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt idiom)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][1]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if FIELD_OF_COLUMN[index.column()] == "include":
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base | Qt.ItemFlag.ItemIsEditable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        key = FIELD_OF_COLUMN[index.column()]
        if role == Qt.ItemDataRole.CheckStateRole and key == "include":
            return Qt.CheckState.Checked if row["include"] else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, key)
        if role == Qt.ItemDataRole.EditRole:
            return self._edit_text(row, key)
        doubts = self._doubts_for(row, key)
        if role == Qt.ItemDataRole.ToolTipRole and doubts:
            return "Please check: " + "; ".join(doubts) + "."
        if role == Qt.ItemDataRole.BackgroundRole and doubts:
            return QBrush(QColor(current_colors().warning_bg))
        if role == Qt.ItemDataRole.DecorationRole and doubts:
            return icon("warning")
        if role == Qt.ItemDataRole.ForegroundRole and not row["include"]:
            return QBrush(QColor(current_colors().muted))
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid():
            return False
        row = self._rows[index.row()]
        key = FIELD_OF_COLUMN[index.column()]
        if key == "include" and role == Qt.ItemDataRole.CheckStateRole:
            row["include"] = Qt.CheckState(value) == Qt.CheckState.Checked
        elif role == Qt.ItemDataRole.EditRole and key != "include":
            self._edit(row, key, value)
        else:
            return False
        left, right = self.index(index.row(), 0), self.index(index.row(), len(COLUMNS) - 1)
        self.dataChanged.emit(left, right)
        return True

    # --- cells ---------------------------------------------------------------------------

    def _display(self, row: dict, key: str) -> str | None:
        if key == "include":
            return None
        if key == "analyte":
            analyte = load_catalogue().get(row.get("analyte") or "")
            return analyte.name if analyte else "Not recognised"
        if key == "value":
            return row.get("value_text") or format_number(row.get("value"))
        if key == "range":
            return row.get("ref_text") or ""
        if key == "unit":
            unit = row.get("unit") or ""
            return display_unit(unit) if normalise_unit(unit) == unit and unit else unit
        if key == "flag":
            return flag_words(row.get("flag"))
        value = row.get(key)
        return "" if value is None else str(value)

    def _edit_text(self, row: dict, key: str) -> Any:
        if key == "analyte":
            return row.get("analyte") or ""
        if key == "flag":
            return row.get("flag") or ""
        return self._display(row, key)

    def _edit(self, row: dict, key: str, value: Any) -> None:
        text = str(value or "").strip()
        row["edited"].add(key)
        if key == "name":
            row["name"] = text
        elif key == "analyte":
            self._set_analyte(row, text or None)
        elif key == "value":
            printed = read_value(text)
            row["value_text"] = text
            row["value"] = printed.number if printed else None
            self._reflag(row)
        elif key == "unit":
            row["unit"] = (normalise_unit(text) or text) if text else None
            self._set_analyte(row, row.get("analyte"))
        elif key == "range":
            printed = read_range(text) if text else None
            row["ref_text"] = text or None
            row["ref_low"] = printed.low if printed else None
            row["ref_high"] = printed.high if printed else None
            self._reflag(row)
        elif key == "flag":
            row["flag"] = text if text in ("H", "L", "N", "A") else None
        elif key == "page":
            row["page"] = int(text) if text.isdigit() else row.get("page")

    def _set_analyte(self, row: dict, key: str | None) -> None:
        analyte = load_catalogue().get(key or "")
        row["analyte"] = analyte.key if analyte else None
        unit = normalise_unit(row["unit"]) if row.get("unit") else None
        row["loinc"] = analyte.loinc_for(unit) if analyte else None

    @staticmethod
    def _reflag(row: dict) -> None:
        if "flag" in row["edited"]:
            return  # the person chose the flag; their choice stands
        computed = compute_flag(row.get("value"), row.get("ref_low"), row.get("ref_high"))
        row["flag"] = computed if computed is not None else row.get("flag")

    def _doubts_for(self, row: dict, key: str) -> list[str]:
        return [doubt["text"] for doubt in self._open_doubts(row) if doubt["field"] == key
                or (key == "value" and doubt["field"] not in FIELD_OF_COLUMN)]

    @staticmethod
    def _open_doubts(row: dict) -> list[dict]:
        # A doubt about a cell is settled once the person has edited that cell.
        return [doubt for doubt in row.get("doubts", []) if doubt["field"] not in row["edited"]]
