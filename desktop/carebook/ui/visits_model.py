"""How the Visits screen shows its items: the visit list ("Upcoming" soonest first, "Past"
most recent first, each visit drawn on three lines: when, who, why), the detail pane's
question and follow-up rows (kept by record id and updated in place), and the words it uses
for dates ("in 3 days", "overdue since 3 Nov")."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QMouseEvent, QPainter
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from carebook.domain.records import Record
from carebook.domain.values import format_date
from carebook.services.visit_pack import visit_line
from carebook.ui.icons import icon
from carebook.ui.theme import current_colors
from carebook.ui.widgets import label, set_role

Index = QModelIndex | QPersistentModelIndex
VISIT_ROLE = Qt.ItemDataRole.UserRole + 1
"""The visit's Record (None on a group row)."""
LINES_ROLE = Qt.ItemDataRole.UserRole + 2
"""(when, who, reason, muted) lines of a visit row; `muted` is True for cancelled ones."""
GROUPS = ("Upcoming", "Past")
EMPTY_GROUPS = ("No upcoming visits", "No past visits")
PAD, GAP = 8, 2  # row padding and line spacing, in pixels


def relative_day(day: date, today: date) -> str:
    """ "today", "tomorrow", "in 5 days", "yesterday", "3 days ago"."""
    days = (day - today).days
    words = {0: "today", 1: "tomorrow", -1: "yesterday"}
    if days in words:
        return words[days]
    return f"in {days} days" if days > 0 else f"{-days} days ago"


def short_date(iso: str, today: date) -> str:
    """ "3 Nov" this year, "3 Nov 2025" otherwise."""
    text = format_date(iso)
    return text.rsplit(" ", 1)[0] if iso[:4] == str(today.year) else text


def when_text(starts_at: str, *, weekday: bool = True) -> str:
    """ "Thu 12 Mar 2026, 10:30" (the weekday helps a caregiver place a date)."""
    moment = datetime.fromisoformat(starts_at)
    day = format_date(starts_at)
    prefix = f"{moment:%a} " if weekday else ""
    return f"{prefix}{day}, {moment:%H:%M}" if len(starts_at) > 10 else f"{prefix}{day}"


def due_text(task: Record, today: date) -> str:
    """A follow-up task's date in words: "overdue since 3 Nov", "due 12 Dec", "done 3 Nov"."""
    done_on, due = task.values.get("done_on"), task.values.get("due_date")
    if done_on:
        return f"done {short_date(done_on, today)}"
    if not due:
        return "no due date"
    days = (date.fromisoformat(due) - today).days
    if days < 0:
        return f"overdue since {short_date(due, today)}"
    if days <= 1:
        return f"due {relative_day(date.fromisoformat(due), today)}"
    return f"due {short_date(due, today)}"


def status_note(visit: Record, upcoming: bool, today: date) -> str:
    """What to say beside a visit's date: how soon, or that it did not (yet) happen."""
    status = visit.values.get("status")
    if status == "cancelled":
        return "Cancelled"
    if upcoming:
        return relative_day(date.fromisoformat(visit.values["starts_at"][:10]), today)
    return "Not marked done" if status == "planned" else ""


def visit_lines(visit: Record, upcoming: bool, today: date) -> tuple[str, str, str, bool]:
    """The three lines of a visit row, and whether it is muted (cancelled)."""
    values = visit.values
    note = status_note(visit, upcoming, today)
    when = when_text(values["starts_at"]) + (f" · {note}" if note else "")
    who = " · ".join(part for part in (values.get("clinician"), values.get("specialty"))
                     if part) or "No clinician noted"
    return when, who, values.get("reason") or "", values.get("status") == "cancelled"


class VisitListModel(QAbstractItemModel):
    """Two group rows; the visits are their children (one column)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._groups: tuple[list[Record], list[Record]] = ([], [])
        self.today = date.today()

    def set_lists(self, upcoming: list[Record], past: list[Record],
                  today: date | None = None) -> None:
        """Show these visits (already in order)."""
        self.beginResetModel()
        self._groups = (list(upcoming), list(past))
        self.today = today or date.today()
        self.endResetModel()

    def visit_ids(self) -> list[int]:
        """Ids of the visits shown, top to bottom."""
        return [visit.id for group in self._groups for visit in group]

    def index_of(self, visit_id: int) -> QModelIndex:
        """The index of a visit's row; invalid when it is not shown."""
        for number, group in enumerate(self._groups):
            for row, visit in enumerate(group):
                if visit.id == visit_id:
                    return self.createIndex(row, 0, number + 1)
        return QModelIndex()

    def visit_at(self, index: Index) -> Record | None:
        """The visit at `index` (None on a group row)."""
        if not index.isValid() or index.internalId() == 0:
            return None
        return self._groups[index.internalId() - 1][index.row()]

    # --- Qt's model protocol: a group's internal id is 0, a visit's is its group + 1 -------

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column != 0 or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, 0, 0) if row < len(GROUPS) else QModelIndex()
        if parent.internalId() != 0 or row >= len(self._groups[parent.row()]):
            return QModelIndex()
        return self.createIndex(row, 0, parent.row() + 1)

    def parent(self, index: Index | None = None) -> Any:
        if index is None:  # QObject.parent()
            return super().parent()
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt API)
        if not parent.isValid():
            return len(GROUPS)
        if parent.column() != 0 or parent.internalId() != 0:
            return 0
        return len(self._groups[parent.row()])

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt API)
        return 1

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008 (Qt API)
        return self.rowCount(parent) > 0

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid() or index.internalId() == 0:
            # Group rows are headings: the arrow keys pass over them.
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        visit = self.visit_at(index)
        if visit is None:
            return self._group_data(index.row(), role)
        upcoming = index.internalId() == 1
        if role == Qt.ItemDataRole.DisplayRole:
            return "\n".join(line for line in visit_lines(visit, upcoming, self.today)[:3]
                             if line)
        if role == LINES_ROLE:
            return visit_lines(visit, upcoming, self.today)
        if role == VISIT_ROLE:
            return visit
        if role == Qt.ItemDataRole.ToolTipRole:
            note = status_note(visit, upcoming, self.today)
            return visit_line(visit) + (f" ({note})" if note else "")
        return None

    def _group_data(self, number: int, role: int) -> Any:
        count = len(self._groups[number])
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{GROUPS[number]} ({count})" if count else EMPTY_GROUPS[number]
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        return None


class VisitRowDelegate(QStyledItemDelegate):
    """Draws a visit as when (bold), who, and why (muted); a group as a small heading."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        """Three text lines for a visit, one roomy line for a group heading."""
        metrics = QFontMetrics(option.font)
        if index.data(VISIT_ROLE) is None:
            return QSize(120, metrics.height() + 2 * PAD + 6)
        lines = 3 if index.data(LINES_ROLE)[2] else 2
        return QSize(200, lines * metrics.height() + (lines - 1) * GAP + 2 * PAD)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        """Paint the background as the style does, then the lines."""
        lines = index.data(LINES_ROLE)
        if lines is None:
            self._paint_group(painter, option, index)
            return
        self.initStyleOption(option, index)
        option.text = ""
        widget: QWidget | None = option.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        colors = current_colors()
        text = QColor(colors.accent_text if selected else colors.text)
        muted = QColor(colors.accent_text if selected else colors.muted)
        when, who, reason, cancelled = lines
        area = option.rect.adjusted(PAD + 4, PAD, -PAD, -PAD)
        height = QFontMetrics(option.font).height()
        painter.save()
        bold = QFont(option.font)
        bold.setBold(True)
        bold.setStrikeOut(cancelled)
        top = area.top()
        for line, font, color in ((when, bold, muted if cancelled else text),
                                  (who, option.font, muted if cancelled else text),
                                  (reason, option.font, muted)):
            if not line:
                continue
            painter.setFont(font)
            painter.setPen(color)
            rect = QRect(area.left(), top, area.width(), height)
            elided = QFontMetrics(font).elidedText(line, Qt.TextElideMode.ElideRight,
                                                   rect.width())
            painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             elided)
            top += height + GAP
        painter.restore()

    def _paint_group(self, painter: QPainter, option: QStyleOptionViewItem,
                     index: QModelIndex) -> None:
        painter.save()
        font = QFont(option.font)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor(current_colors().muted))
        rect = option.rect.adjusted(PAD + 4, PAD + 6, -PAD, -PAD // 2)
        painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         str(index.data() or ""))
        painter.restore()


class QuestionRow(QFrame):
    """A question with its "Asked" tick and the answer noted."""

    sig_asked = Signal(int, bool)
    """The "Asked" tick of the question with this id was changed by the person."""
    sig_answer = Signal(int, str)
    """The answer typed for the question with this id differs from the stored one."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("visitRow")
        self.record: Record | None = None
        self.text = label("", plain=True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.asked = QCheckBox("Asked")
        self.asked.setToolTip("Tick when the question was asked at the visit")
        self.asked.toggled.connect(lambda on: self.sig_asked.emit(self.record.id, on))
        self.answer = QLineEdit()
        self.answer.setPlaceholderText("Answer noted at the visit…")
        self.answer.setToolTip("The answer; saved when you press Enter or leave the field")
        self.answer.editingFinished.connect(self._answer_finished)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 6, 0, 8)
        grid.addWidget(self.text, 0, 0)
        grid.addWidget(self.asked, 0, 1, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.answer, 1, 0, 1, 2)
        grid.setColumnStretch(0, 1)

    def show_record(self, record: Record, _today: date) -> None:
        """Show the stored question; an answer being typed is left alone."""
        self.record = record
        self.text.setText(record.values.get("text") or "")
        self.asked.blockSignals(True)
        self.asked.setChecked(record.values.get("status") == "asked")
        self.asked.blockSignals(False)
        if not self.answer.hasFocus():
            self.answer.setText(record.values.get("answer") or "")
            self.answer.setCursorPosition(0)
        self.answer.setToolTip(record.values.get("answer") or "")

    def _answer_finished(self) -> None:
        text = self.answer.text().strip()
        if self.record is not None and text != (self.record.values.get("answer") or ""):
            self.sig_answer.emit(self.record.id, text)


class TickLabel(QLabel):
    """A check box's wrapping text: a click on it ticks the box, as on the box's own text."""

    def __init__(self, check: QCheckBox) -> None:
        super().__init__()
        self.check = check
        self.setTextFormat(Qt.TextFormat.PlainText)  # a task's own words, never markup
        self.setWordWrap(True)
        self.setBuddy(check)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        """Toggle the box on a left click."""
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
                event.position().toPoint()):
            self.check.click()
        super().mouseReleaseEvent(event)


class FollowUpRow(QFrame):
    """A follow-up task: a tick to mark it done, its due date in words, a delete button."""

    sig_done = Signal(int, bool)
    """The task with this id was ticked done (True) or opened again (False)."""
    sig_delete = Signal(int)
    """Delete the task with this id."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("visitRow")
        self.record: Record | None = None
        self.check = QCheckBox()
        self.check.toggled.connect(lambda on: self.sig_done.emit(self.record.id, on))
        self.text = TickLabel(self.check)
        self.due = label("", "muted", wrap=False)
        self.delete = QToolButton()
        self.delete.setIcon(icon("delete"))
        self.delete.setAutoRaise(True)
        self.delete.setToolTip("Delete this task (Del while it has the focus); Ctrl+Z undoes it")
        self.delete.clicked.connect(lambda: self.sig_delete.emit(self.record.id))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 4, 0, 4)
        row.addWidget(self.check, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.text, 1, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.due, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.delete, 0, Qt.AlignmentFlag.AlignTop)

    def show_record(self, record: Record, today: date) -> None:
        """Show the stored task and how its date stands today."""
        self.record = record
        text = record.values.get("text") or ""
        self.text.setText(text)
        self.check.setAccessibleName(text)
        self.check.setToolTip("Tick when done; the Overview lists the task until then")
        self.check.blockSignals(True)
        self.check.setChecked(bool(record.values.get("done_on")))
        self.check.blockSignals(False)
        font = self.text.font()
        font.setStrikeOut(bool(record.values.get("done_on")))
        self.text.setFont(font)
        words = due_text(record, today)
        self.due.setText(words)
        set_role(self.due, "error" if words.startswith("overdue") else "muted")


class KeyedRows(QWidget):
    """A column of row widgets, one per record, kept and updated by record id."""

    def __init__(self, make: Callable[[], QWidget]) -> None:
        super().__init__()
        self._make = make
        self.rows: dict[int, Any] = {}
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(0)

    def sync(self, records: list[Record], today: date) -> None:
        """Show exactly these records, in this order."""
        fresh = {}
        for record in records:
            row = self.rows.get(record.id) or self._make()
            row.show_record(record, today)
            fresh[record.id] = row
        for record_id, row in self.rows.items():
            if record_id not in fresh:
                row.hide()
                row.deleteLater()
        order = [fresh[record.id] for record in records]
        if order != [self._layout.itemAt(i).widget() for i in range(self._layout.count())]:
            for row in (*self.rows.values(), *order):
                self._layout.removeWidget(row)
            for row in order:
                self._layout.addWidget(row)
        self.rows = fresh
