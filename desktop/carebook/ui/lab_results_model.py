"""The tree model of the grouped lab results: collection date → panel → result."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QIcon

from carebook.domain.records import Record
from carebook.domain.values import format_date, format_number
from carebook.services.lab_results import DateGroup, PanelGroup, ResultLine
from carebook.ui.icons import icon
from carebook.ui.record_table_model import RECORD_ROLE, SOURCE_TEXT, flag_color
from carebook.ui.theme import current_colors

Index = QModelIndex | QPersistentModelIndex

# Words and a shape: a flag never relies on colour alone. "Abnormal" has no direction, so
# its shape is the warning icon.
FLAG_WORDS = {"H": "High ▲", "L": "Low ▼", "A": "Abnormal", "N": "Normal"}
FLAG_ICONS = {"A": "warning"}
TYPICAL_TIP = ("The report printed no range for this result; this is the typical range for "
               "adults, which may differ from your lab's.")
HEADERS = ("Test", "Result", "Unit", "Range", "Flag", "Source")
RESULT, UNIT, RANGE, FLAG, SOURCE = 1, 2, 3, 4, 5


def flag_words(flag: str | None) -> str:
    """A flag as words with a direction mark ("High ▲"), or "" when there is none."""
    return FLAG_WORDS.get(flag or "", "")


def flag_icon(flag: str | None) -> QIcon | None:
    """The warning shape for "abnormal", in its colour (None for every other flag)."""
    name = FLAG_ICONS.get(flag or "")
    return icon(name, flag_color(flag)) if name else None


def source_text(record: Record) -> str:
    """Where a result came from, short ("Lab report, p. 2", "Typed in")."""
    origin = record.provenance
    text = SOURCE_TEXT.get(origin.source_kind, origin.source_kind.capitalize())
    return f"{text}, p. {origin.page}" if origin.document_id and origin.page else text


@dataclass
class _Node:
    kind: str  # "date", "panel" or "result"
    parent: int | None  # node id of the parent; None at the top
    row: int
    payload: Any
    children: list[int] = field(default_factory=list)


class LabResultsModel(QAbstractItemModel):
    """Dates at the top, panels under them, results under the panels."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._nodes: list[_Node] = []
        self._top: list[int] = []

    # --- filling ----------------------------------------------------------------------------

    def set_rows(self, groups: list[DateGroup]) -> None:
        """Replace everything shown by these date groups."""
        self.beginResetModel()
        self._nodes, self._top = [], []
        for row, group in enumerate(groups):
            date_id = self._add("date", None, row, group)
            for panel_row, panel in enumerate(group.panels):
                panel_id = self._add("panel", date_id, panel_row, panel)
                for line_row, line in enumerate(panel.lines):
                    self._add("result", panel_id, line_row, line)
        self.endResetModel()

    def _add(self, kind: str, parent: int | None, row: int, payload: Any) -> int:
        node_id = len(self._nodes)
        self._nodes.append(_Node(kind, parent, row, payload))
        (self._top if parent is None else self._nodes[parent].children).append(node_id)
        return node_id

    def line_at(self, index: Index) -> ResultLine | None:
        """The result at `index`, or None on a date or panel row."""
        if not index.isValid():
            return None
        node = self._nodes[index.internalId()]
        return node.payload if node.kind == "result" else None

    def index_of(self, record_id: int) -> QModelIndex:
        """The index (column 0) of the result with this record id; invalid when not shown."""
        for node_id, node in enumerate(self._nodes):
            if node.kind == "result" and node.payload.record.id == record_id:
                return self.createIndex(node.row, 0, node_id)
        return QModelIndex()

    def result_count(self) -> int:
        """How many results are shown."""
        return sum(1 for node in self._nodes if node.kind == "result")

    # --- Qt's model protocol ----------------------------------------------------------------

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        children = self._children(parent)
        if not (0 <= row < len(children) and 0 <= column < len(HEADERS)):
            return QModelIndex()
        return self.createIndex(row, column, children[row])

    def parent(self, index: Index | None = None) -> Any:
        if index is None:  # QObject.parent()
            return super().parent()
        if not index.isValid():
            return QModelIndex()
        parent_id = self._nodes[index.internalId()].parent
        if parent_id is None:
            return QModelIndex()
        return self.createIndex(self._nodes[parent_id].row, 0, parent_id)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt API)
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._children(parent))

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt API)
        return len(HEADERS)

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008 (Qt API)
        return self.rowCount(parent) > 0

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(HEADERS)):
            return HEADERS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node = self._nodes[index.internalId()]
        if node.kind == "result":
            return self._result_data(node.payload, index.column(), role)
        if index.column() != 0:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _group_text(node.payload)
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _result_data(self, line: ResultLine, column: int, role: int) -> Any:
        record = line.record
        if role == Qt.ItemDataRole.DisplayRole:
            return _result_text(line, column)
        if role == RECORD_ROLE:
            return record.id
        if role == Qt.ItemDataRole.ToolTipRole:
            return TYPICAL_TIP if column == RANGE and line.typical else (
                record.provenance.describe())
        if role == Qt.ItemDataRole.TextAlignmentRole and column == RESULT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.DecorationRole and column == FLAG:
            return flag_icon(line.flag)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column in (RESULT, FLAG) and flag_color(line.flag):
                return QBrush(QColor(flag_color(line.flag)))
            if column == RANGE and line.typical:
                return QBrush(QColor(current_colors().muted))
        if role == Qt.ItemDataRole.FontRole and column in (RESULT, FLAG) and line.flag in (
                "H", "L", "A"):
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _children(self, parent: Index) -> list[int]:
        if not parent.isValid():
            return self._top
        return self._nodes[parent.internalId()].children


def _group_text(payload: DateGroup | PanelGroup) -> str:
    if isinstance(payload, DateGroup):
        noun = "result" if payload.count == 1 else "results"
        return f"{format_date(payload.date)}  ·  {payload.count} {noun}"
    return payload.title


def _result_text(line: ResultLine, column: int) -> str:
    values = line.record.values
    match column:
        case 0:
            return values["name"]
        case 1:
            return values.get("value_text") or format_number(values.get("value"))
        case 2:
            return line.unit
        case 3:
            return f"{line.range_text} (typical)" if line.typical else line.range_text
        case 4:
            return flag_words(line.flag)
        case 5:
            return source_text(line.record)
    return ""
