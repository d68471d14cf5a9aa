"""The questions table: text (editable in place), what it is about, the visit it is
attached to, and whether it was asked. Rows keep the person's own order."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from carebook.domain.records import Record
from carebook.knowledge.catalogue import Catalogue
from carebook.services import questions as question_service
from carebook.ui.record_table_model import Column, Index, RowTableModel
from carebook.ui.theme import current_colors

STATUS_TEXT = {"open": "Open", "asked": "✓ Asked"}
TEXT_COLUMN = 0


class QuestionsModel(RowTableModel):
    """A person's questions; editing the text cell asks the section to save it."""

    sig_text_edited = Signal(int, str)
    """The text of the question with this id was edited in place (not yet saved)."""

    def __init__(self, parent=None) -> None:
        super().__init__([
            Column("Question", lambda r: r.values.get("text") or "",
                   lambda r: r.values.get("sort_order") or 0),
            Column("About", self.about_of, self.about_of),
            Column("Visit", self.visit_of, self.visit_date),
            Column("Status", lambda r: STATUS_TEXT.get(r.values.get("status") or "open", ""),
                   lambda r: r.values.get("status") or "open"),
        ], tooltip=self._tooltip, parent=parent)
        self.visits: dict[int, Record] = {}
        self.catalogue: Catalogue | None = None

    def set_questions(self, questions: list[Record], visits: dict[int, Record],
                      catalogue: Catalogue | None) -> None:
        """Show these questions, naming visits and analytes with what is given."""
        self.visits, self.catalogue = visits, catalogue
        self.set_rows(questions)

    def about_of(self, record: Record) -> str:
        """What the question is about, in words."""
        return question_service.about_text(record, self.catalogue)

    def visit_of(self, record: Record) -> str:
        """The attached visit as one line; blank when none (or when it was deleted)."""
        visit = self.visits.get(record.values.get("visit_id"))
        return question_service.visit_label(visit) if visit else ""

    def visit_date(self, record: Record) -> str:
        """The attached visit's date, for sorting."""
        visit = self.visits.get(record.values.get("visit_id"))
        return (visit.values.get("starts_at") or "") if visit else ""

    def _tooltip(self, record: Record) -> str:
        answer = record.values.get("answer")
        text = record.values.get("text") or ""
        return f"{text}\n\nAnswer: {answer}" if answer else text

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and index.column() == TEXT_COLUMN:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < self.rowCount()):
            return None
        record = self.row_at(index.row())
        asked = record.values.get("status") == "asked"
        if role == Qt.ItemDataRole.EditRole and index.column() == TEXT_COLUMN:
            return record.values.get("text") or ""
        if role == Qt.ItemDataRole.ForegroundRole and asked:
            return QBrush(QColor(current_colors().muted))
        if role == Qt.ItemDataRole.FontRole and asked and index.column() == TEXT_COLUMN:
            font = QFont()
            font.setStrikeOut(True)
            return font
        return super().data(index, role)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (role != Qt.ItemDataRole.EditRole or not index.isValid()
                or index.column() != TEXT_COLUMN):
            return False
        record = self.row_at(index.row())
        text = str(value or "").strip()
        if not text or text == (record.values.get("text") or ""):
            return False  # an emptied cell keeps the question; deleting is Del
        self.sig_text_edited.emit(record.id, text)
        return True

    def index_of(self, record_id: int, column: int = 0) -> QModelIndex:
        """The index of a question's cell, or an invalid index."""
        row = self.row_of(record_id)
        return self.index(row, column) if row is not None else QModelIndex()
