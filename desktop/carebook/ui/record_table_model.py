"""Table models for records: columns derived from the record type's fields, with richer
columns for lab results (value with unit, range, flag, source) and vitals."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from carebook.domain.fields import Field, Kind
from carebook.domain.flags import effective_flag
from carebook.domain.record_types import RecordType
from carebook.domain.records import Record
from carebook.domain.text import fold
from carebook.domain.values import (
    format_date,
    format_datetime,
    format_number,
    format_range,
    format_reading,
)
from carebook.ui.theme import current_colors

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
RECORD_ROLE = Qt.ItemDataRole.UserRole + 2
FLAG_TEXT = {"H": "▲ High", "L": "▼ Low", "A": "● Abnormal", "N": "Normal"}
SOURCE_TEXT = {"manual": "Typed in", "pdf": "Lab report", "fhir": "FHIR import", "demo": "Demo"}

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    """How one column shows, sorts and colours a record."""

    header: str
    display: Callable[[Record], str]
    sort_key: Callable[[Record], Any]
    numeric: bool = False
    flag: Callable[[Record], str | None] | None = None


def format_field(spec: Field, value: Any) -> str:
    """A stored value as a person reads it."""
    if value is None:
        return ""
    match spec.kind:
        case Kind.DATE:
            return format_date(value)
        case Kind.DATETIME:
            return format_datetime(value)
        case Kind.NUMBER:
            return format_number(value)
        case Kind.CHOICE:
            return spec.choice_label(value)
        case _:
            return str(value)


def _field_column(spec: Field) -> Column:
    return Column(spec.label,
                  lambda r, s=spec: format_field(s, r.values.get(s.name)),
                  lambda r, s=spec: r.values.get(s.name),
                  numeric=spec.kind in (Kind.NUMBER, Kind.INTEGER))


def lab_value_text(record: Record) -> str:
    """A lab result's value with its unit, or its text value (e.g. ">90", "Negative")."""
    values = record.values
    if values.get("value") is None:
        return values.get("value_text") or ""
    shown = values.get("value_text") or format_number(values["value"])
    return f"{shown} {values.get('unit') or ''}".strip()


def _lab_columns(rtype: RecordType) -> list[Column]:
    flag = lambda r: effective_flag(r.values)  # noqa: E731
    return [
        _field_column(rtype.field("collected_at")),
        _field_column(rtype.field("name")),
        Column("Result", lab_value_text, lambda r: r.values.get("value"), numeric=True, flag=flag),
        Column("Range", lambda r: format_range(r.values.get("ref_low"), r.values.get("ref_high"),
                                               r.values.get("ref_text")),
               lambda r: (r.values.get("ref_low") if r.values.get("ref_low") is not None
                          else r.values.get("ref_high"))),
        Column("Flag", lambda r: FLAG_TEXT.get(flag(r) or "", ""), lambda r: flag(r) or "",
               flag=flag),
        Column("Source", lambda r: SOURCE_TEXT.get(r.provenance.source_kind, ""),
               lambda r: r.provenance.source_kind),
    ]


def _vital_columns(rtype: RecordType) -> list[Column]:
    return [
        _field_column(rtype.field("measured_at")),
        _field_column(rtype.field("kind")),
        Column("Value", lambda r: format_reading(r.values, False), lambda r: r.values.get("value"),
               numeric=True),
        _field_column(rtype.field("unit")),
    ]


def columns_for(rtype: RecordType) -> list[Column]:
    """The table columns for a record type."""
    if rtype.key == "lab_result":
        return _lab_columns(rtype)
    if rtype.key == "vital":
        return _vital_columns(rtype)
    return [_field_column(spec) for spec in rtype.fields if spec.in_table]


class RowTableModel(QAbstractTableModel):
    """Rows are plain objects (records, documents, audit entries); columns say how to show them."""

    def __init__(self, columns: list[Column], *, tooltip: Callable[[Any], str] | None = None,
                 parent=None) -> None:
        super().__init__(parent)
        self.columns = columns
        self._tooltip = tooltip
        self._rows: list[Any] = []

    def set_rows(self, rows: list[Any]) -> None:
        """Replace every row."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> Any:
        """The object shown in `row`."""
        return self._rows[row]

    def row_of(self, row_id: int) -> int | None:
        """The row showing the object with this id, if any."""
        for row, item in enumerate(self._rows):
            if item.id == row_id:
                return row
        return None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt API)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt API)
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(self.columns)):
            return self.columns[section].header
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        item = self._rows[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.display(item)
        if role == SORT_ROLE:
            return column.sort_key(item)
        if role == RECORD_ROLE:
            return item.id
        if role == Qt.ItemDataRole.ToolTipRole and self._tooltip is not None:
            return self._tooltip(item)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if column.flag is not None and role in (Qt.ItemDataRole.ForegroundRole,
                                                Qt.ItemDataRole.BackgroundRole):
            return _flag_brush(column.flag(item), role)
        return None


class RecordTableModel(RowTableModel):
    """Records of one type; the tooltip says where each came from."""

    def __init__(self, rtype: RecordType, parent=None) -> None:
        super().__init__(columns_for(rtype), tooltip=lambda r: r.provenance.describe(),
                         parent=parent)
        self.rtype = rtype

    def set_records(self, records: list[Record]) -> None:
        """Replace every row."""
        self.set_rows(records)

    def record_at(self, row: int) -> Record:
        """The record shown in `row`."""
        return self.row_at(row)


def flag_color(flag: str | None, *, background: bool = False) -> str | None:
    """The theme colour of an abnormal flag: blue for low, red for high or abnormal."""
    if flag not in ("H", "L", "A"):
        return None
    colors = current_colors()
    if background:
        return colors.low_bg if flag == "L" else colors.high_bg
    return colors.low if flag == "L" else colors.high


def _flag_brush(flag: str | None, role: int) -> QBrush | None:
    color = flag_color(flag, background=role == Qt.ItemDataRole.BackgroundRole)
    return QBrush(QColor(color)) if color else None


class RecordFilterProxy(QSortFilterProxyModel):
    """Sorts on typed values (blanks last) and filters on every shown column, accent-blind."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._needle = ""
        self.setSortRole(SORT_ROLE)

    def set_filter_text(self, text: str) -> None:
        """Show only rows whose text contains every word typed."""
        self.beginFilterChange()
        self._needle = fold(text.strip())
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent: Index) -> bool:
        if not self._needle:
            return True
        model = self.sourceModel()
        haystack = fold(" ".join(
            str(model.data(model.index(row, column, parent)) or "")
            for column in range(model.columnCount(parent))))
        return all(word in haystack for word in self._needle.split())

    def lessThan(self, left: Index, right: Index) -> bool:
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        if a is None or a == "":
            return False  # blanks sort last in ascending order
        if b is None or b == "":
            return True
        if isinstance(a, str) and isinstance(b, str):
            return fold(a) < fold(b)
        try:
            return a < b
        except TypeError:
            return str(a) < str(b)
