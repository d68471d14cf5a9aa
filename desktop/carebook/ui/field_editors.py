"""One editor widget per field kind, each reading and writing the raw value as text or a
choice; typing and range checks are left to the domain's validation."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QTime
from PySide6.QtWidgets import (
    QCalendarWidget,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QTimeEdit,
    QToolButton,
    QWidget,
    QWidgetAction,
)

from carebook.domain.fields import Field, Kind
from carebook.domain.values import format_number
from carebook.ui.icons import icon

_TYPED_DATE_FORMATS = ("yyyy-MM-dd", "d MMM yyyy", "d MMMM yyyy", "d/M/yyyy", "d.M.yyyy")


class DateField(QWidget):
    """A date typed as 2026-03-14 (or 14 Mar 2026), or picked from a calendar."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.line = QLineEdit()
        self.line.setPlaceholderText("YYYY-MM-DD")
        picker = QToolButton()
        picker.setIcon(icon("visit"))
        picker.setToolTip("Pick a date")
        picker.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(False)
        menu = QMenu(picker)
        holder = QWidgetAction(menu)
        holder.setDefaultWidget(self.calendar)
        menu.addAction(holder)
        menu.aboutToShow.connect(self._sync_calendar)
        self.calendar.clicked.connect(lambda day: (self.set_iso(day.toString("yyyy-MM-dd")),
                                                   menu.close()))
        picker.setMenu(menu)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        row.addWidget(self.line, 1)
        row.addWidget(picker)
        self.setFocusProxy(self.line)

    def iso(self) -> str:
        """The typed date as ISO when it can be read, else the text as typed."""
        text = self.line.text().strip()
        for pattern in _TYPED_DATE_FORMATS:
            day = QDate.fromString(text, pattern)
            if day.isValid():
                return day.toString("yyyy-MM-dd")
        return text

    def set_iso(self, iso: str | None) -> None:
        """Show a stored ISO date (or nothing)."""
        self.line.setText(iso or "")

    def _sync_calendar(self) -> None:
        day = QDate.fromString(self.iso(), "yyyy-MM-dd")
        self.calendar.setSelectedDate(day if day.isValid() else QDate.currentDate())


class DateTimeField(QWidget):
    """A date plus a time of day."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.date = DateField()
        self.time = QTimeEdit(QTime(9, 0))
        self.time.setDisplayFormat("HH:mm")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.date, 1)
        row.addWidget(self.time)
        self.setFocusProxy(self.date)

    def text(self) -> str:
        """"YYYY-MM-DD HH:MM", or the date text as typed when it is not a date."""
        day = self.date.iso()
        return f"{day} {self.time.time().toString('HH:mm')}" if day else ""

    def set_iso(self, iso: str | None) -> None:
        """Show a stored "YYYY-MM-DDTHH:MM"."""
        self.date.set_iso(iso[:10] if iso else None)
        if iso and len(iso) >= 16:
            self.time.setTime(QTime.fromString(iso[11:16], "HH:mm"))


def make_editor(spec: Field) -> QWidget:
    """The editor widget for one field."""
    match spec.kind:
        case Kind.LONG_TEXT:
            editor = QPlainTextEdit()
            editor.setTabChangesFocus(True)
            editor.setFixedHeight(84)
            editor.setPlaceholderText(spec.placeholder)
            return editor
        case Kind.DATE:
            return DateField()
        case Kind.DATETIME:
            return DateTimeField()
        case Kind.CHOICE:
            combo = QComboBox()
            if not spec.required:
                combo.addItem("—", None)
            for stored, shown in spec.choices:
                combo.addItem(shown, stored)
            return combo
        case _:
            line = QLineEdit()
            line.setPlaceholderText(spec.placeholder)
            if spec.kind in (Kind.TEXT,):
                line.setMaxLength(spec.max_length)
            return line


def read_editor(spec: Field, editor: QWidget) -> Any:
    """The raw value an editor holds (text, or the stored value of a choice)."""
    if isinstance(editor, QPlainTextEdit):
        return editor.toPlainText()
    if isinstance(editor, DateField):
        return editor.iso()
    if isinstance(editor, DateTimeField):
        return editor.text()
    if isinstance(editor, QComboBox):
        return editor.currentData()
    return editor.text()


def write_editor(spec: Field, editor: QWidget, value: Any) -> None:
    """Show a stored value in its editor."""
    if isinstance(editor, QPlainTextEdit):
        editor.setPlainText(value or "")
    elif isinstance(editor, DateField | DateTimeField):
        editor.set_iso(value)
    elif isinstance(editor, QComboBox):
        index = editor.findData(value)
        editor.setCurrentIndex(max(index, 0))
    elif spec.kind == Kind.NUMBER:
        editor.setText(format_number(value) if value is not None else "")
    else:
        editor.setText("" if value is None else str(value))


def default_value(spec: Field) -> Any:
    """What a new record's field starts with (today for required dates)."""
    if spec.required and spec.kind == Kind.DATE:
        return date.today().isoformat()
    if spec.required and spec.kind == Kind.DATETIME:
        return f"{date.today().isoformat()}T09:00"
    return None
