"""Small building blocks shared by pages and dialogs."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from carebook.ui.icons import app_icon
from carebook.ui.settings import UiSettings


def label(text: str, role: str | None = None, *, wrap: bool = True,
          plain: bool = False) -> QLabel:
    """A label with an optional style role (title, heading, muted, error, code…).

    `plain` for text from the records: a QLabel otherwise reads "<b>" in a visit's reason as
    markup, and shows something else than what was typed.
    """
    widget = QLabel(text)
    if plain:
        widget.setTextFormat(Qt.TextFormat.PlainText)
    widget.setWordWrap(wrap)
    if role:
        widget.setProperty("role", role)
    return widget


def set_role(widget: QWidget, role: str) -> None:
    """Change a widget's style role and re-apply the style sheet to it."""
    widget.setProperty("role", role)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def button(text: str, role: str | None = None) -> QPushButton:
    """A push button; role "primary" for the main action, "link" for a text link."""
    widget = QPushButton(text)
    if role:
        widget.setProperty("role", role)
    if role == "link":
        widget.setCursor(Qt.CursorShape.PointingHandCursor)
        widget.setFlat(True)
    return widget


def card(object_name: str = "card") -> tuple[QFrame, QVBoxLayout]:
    """A rounded panel and its layout."""
    frame = QFrame()
    frame.setObjectName(object_name)
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(18, 16, 18, 16)
    layout.setSpacing(8)
    return frame, layout


def brand_header(title: str, subtitle: str) -> QWidget:
    """The app icon beside a big title and a one-line subtitle."""
    header = QWidget()
    row = QHBoxLayout(header)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(14)
    logo = QLabel()
    logo.setPixmap(app_icon().pixmap(56, 56))
    logo.setAlignment(Qt.AlignmentFlag.AlignTop)
    row.addWidget(logo)
    text = QVBoxLayout()
    text.setSpacing(2)
    text.addWidget(label(title, "title"))
    text.addWidget(label(subtitle, "muted"))
    row.addLayout(text, 1)
    return header


def centered(content: QWidget, max_width: int = 560) -> QWidget:
    """Center `content` horizontally and vertically, in a scroll area for small screens."""
    content.setMaximumWidth(max_width)
    holder = QWidget()
    column = QVBoxLayout(holder)
    column.addStretch(1)
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(content, 100)
    row.addStretch(1)
    column.addLayout(row)
    column.addStretch(2)
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setWidget(holder)
    return scroll


class RoomyRows(QStyledItemDelegate):
    """Rows with a little air above and below (`extra` pixels), so a tree or wrapped text
    reads as easily as the other sections' tables."""

    def __init__(self, parent: QWidget | None = None, extra: int = 8) -> None:
        super().__init__(parent)
        self.extra = extra

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        """The usual size, taller by `extra`."""
        size = super().sizeHint(option, index)
        return QSize(size.width(), size.height() + self.extra)


LIST_WIDTH, DETAIL_WIDTH = 340, 490  # a list's usual width; a detail's comfortable one


def _saved_width(saved: str) -> int:
    try:
        return max(int(saved), 200) if saved else LIST_WIDTH
    except ValueError:
        return LIST_WIDTH


class ListDetailSplitter(QSplitter):
    """The list beside the detail, the list keeping its chosen width while the detail has
    room enough; on a narrow window the list goes above the detail instead."""

    def __init__(self, settings: UiSettings, width_key: str, list_view: QWidget,
                 detail: QWidget) -> None:
        super().__init__(Qt.Orientation.Horizontal)
        self.settings, self.width_key = settings, width_key
        self.addWidget(list_view)
        self.addWidget(detail)
        self.setChildrenCollapsible(False)
        self.setStretchFactor(1, 1)  # the detail takes what the window gives
        self.list_width = _saved_width(settings.load_choice(width_key))
        self.splitterMoved.connect(self._moved_by_hand)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Place the list for the new size."""
        super().resizeEvent(event)
        size = event.size()
        narrow = size.width() < self.widget(0).minimumWidth() + DETAIL_WIDTH
        if narrow != (self.orientation() == Qt.Orientation.Vertical):
            self.setOrientation(Qt.Orientation.Vertical if narrow
                                else Qt.Orientation.Horizontal)
            if narrow:
                self.setSizes([size.height() * 2 // 5, size.height() * 3 // 5])
        if narrow:
            return
        total = size.width() - self.handleWidth()
        width = min(self.list_width, max(self.widget(0).minimumWidth(), total - DETAIL_WIDTH))
        if self.sizes()[0] != width:
            self.setSizes([width, total - width])

    def _moved_by_hand(self, *_args: object) -> None:
        if self.orientation() == Qt.Orientation.Horizontal:
            self.list_width = self.sizes()[0]
            self.settings.save_choice(self.width_key, str(self.list_width))
