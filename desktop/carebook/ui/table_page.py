"""The shape every list section shares: a heading with a count, a filter box, action
buttons, and a sortable table that shows an empty-state message when there is nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from carebook.ui.icons import icon
from carebook.ui.record_table_model import RecordFilterProxy, RowTableModel
from carebook.ui.widgets import button, label
from carebook.ui.workspace_state import WorkspaceState

MIN_COLUMN, MAX_COLUMN = 90, 340


class TablePage(QWidget):
    """Heading, filter, actions and a table over a RowTableModel; subclasses say what to fetch."""

    def __init__(self, title: str, model: RowTableModel, state: WorkspaceState, *,
                 settings_key: str, icon_name: str = "", compact: bool = False) -> None:
        super().__init__()
        self.title = title
        self.icon_name = icon_name
        self.state = state
        self.model = model
        self.proxy = RecordFilterProxy(self)
        self.proxy.setSourceModel(model)
        self.view = self._make_view(settings_key)

        self.top = QHBoxLayout()
        self.heading = label(title, "subheading" if compact else "heading", wrap=False)
        self.count = label("", "muted", wrap=False)
        self.top.addWidget(self.heading)
        self.top.addWidget(self.count)
        self.top.addStretch(1)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(f"Filter {title.lower()}…")
        self.filter.setClearButtonEnabled(True)
        self.filter.addAction(icon("filter"), QLineEdit.ActionPosition.LeadingPosition)
        self.filter.setMaximumWidth(260)
        self.filter.textChanged.connect(self.proxy.set_filter_text)
        self.top.addWidget(self.filter)

        self.empty = label("", "muted")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.empty)
        layout = QVBoxLayout(self)
        margin = 0 if compact else 16
        layout.setContentsMargins(margin, 8, margin, 8)
        layout.addLayout(self.top)
        layout.addWidget(self.stack, 1)
        self._selection_buttons: list[QPushButton] = []
        self.view.selectionModel().selectionChanged.connect(self.update_actions)

    def add_button(self, text: str, icon_name: str, slot: Callable[[], None], tooltip: str = "",
                   *, needs_selection: bool = False) -> QPushButton:
        """Add an action button to the heading row."""
        widget = button(text)
        widget.setIcon(icon(icon_name))
        widget.setToolTip(tooltip)
        widget.clicked.connect(slot)
        self.top.addWidget(widget)
        if needs_selection:
            self._selection_buttons.append(widget)
        return widget

    # --- what subclasses provide -----------------------------------------------------------

    def fetch(self) -> list[Any]:
        """The rows to show now."""
        raise NotImplementedError

    def empty_text(self) -> str:
        """What to say when there are no rows."""
        return "Nothing here yet."

    # --- the section protocol --------------------------------------------------------------

    def reload(self) -> None:
        """Fetch the rows again, keeping the selection."""
        selected = self.selected_row()
        rows = self.fetch()
        self.model.set_rows(rows)
        if selected is not None:
            self.select_row(selected.id)
        if rows and self._fit_columns:
            self._size_columns_to_content()
        self.count.setText(str(len(rows)) if rows else "")
        self.empty.setText(self.empty_text())
        self.stack.setCurrentWidget(self.view if rows else self.empty)
        self.update_actions()

    def clear(self) -> None:
        """Forget every row shown (on lock)."""
        self.model.set_rows([])
        self.filter.clear()

    def focus_filter(self) -> None:
        """Put the cursor in the filter box."""
        self.filter.setFocus()
        self.filter.selectAll()

    def selected_row(self) -> Any | None:
        """The object of the selected row, if any."""
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.row_at(self.proxy.mapToSource(rows[0]).row())

    def select_row(self, row_id: int) -> None:
        """Select the row showing the object with `row_id`, if shown."""
        row = self.model.row_of(row_id)
        if row is None:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if index.isValid():
            self.view.selectionModel().select(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)
            self.view.scrollTo(index)

    def update_actions(self, *_args: object) -> None:
        """Enable the buttons that need a selection only when there is one."""
        has_selection = self.selected_row() is not None
        for widget in self._selection_buttons:
            widget.setEnabled(has_selection)

    def _size_columns_to_content(self) -> None:
        # Measured over every row: Qt's own fit samples only the rows in view, and a
        # section is often filled while hidden.
        header = self.view.horizontalHeader()
        metrics = self.view.fontMetrics()
        bold = QFontMetrics(header.font())
        header.blockSignals(True)  # a first automatic fit is not a choice worth remembering
        for column in range(self.model.columnCount() - 1):
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal) or "")
            widest = max((metrics.horizontalAdvance(str(self.model.index(row, column).data()
                                                        or ""))
                          for row in range(self.model.rowCount())), default=0)
            width = max(widest, bold.horizontalAdvance(title) + 24) + 28
            self.view.setColumnWidth(column, min(max(width, MIN_COLUMN), MAX_COLUMN))
        header.blockSignals(False)

    def _make_view(self, settings_key: str) -> QTableView:
        view = QTableView()
        view.setModel(self.proxy)
        view.setSortingEnabled(True)
        view.setAlternatingRowColors(True)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setWordWrap(False)
        view.verticalHeader().hide()
        view.setShowGrid(False)
        header = view.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setDefaultSectionSize(150)
        settings = self.state.settings
        saved = settings.load_bytes(settings_key)
        # Fit columns to the content until the person sizes one by hand; then keep theirs.
        self._fit_columns = saved is None
        if saved is not None:
            header.restoreState(saved)
        else:
            view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        def remember(*_args: object) -> None:
            settings.save_bytes(settings_key, header.saveState())

        def resized_by_hand(index: int, *_sizes: int) -> None:
            # The last column stretches with the window; only the others are a choice.
            if index != header.count() - 1:
                self._fit_columns = False
                remember()

        header.sectionResized.connect(resized_by_hand)
        header.sortIndicatorChanged.connect(remember)
        return view
