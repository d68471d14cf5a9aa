"""The Lab results section: results grouped by collection date and panel, each with its
flag in words, its range (printed, or typical when the report printed none), a way back
to the report page it was read from, and its trend over time.

Add, Edit, Delete and undo are RecordSection's; only the view differs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QMenu,
    QTreeView,
)

from carebook.domain.record_types import record_type
from carebook.domain.records import Record
from carebook.domain.values import format_date
from carebook.services.lab_results import group_results
from carebook.ui.icons import icon
from carebook.ui.lab_results_model import LabResultsModel
from carebook.ui.pdf_view import PdfSourceDialog
from carebook.ui.record_section import RecordSection
from carebook.ui.widgets import RoomyRows
from carebook.ui.workspace_state import WorkspaceState

if TYPE_CHECKING:
    from carebook.ui.explain_dialog import ExplainDialog
    from carebook.ui.lab_trend import LabTrendDialog

SOURCE_SHORTCUT = "Ctrl+Shift+O"
EXPLAIN_SHORTCUT = "Ctrl+Shift+E"
EXPLAIN_REPORT_SHORTCUT = "Ctrl+Shift+R"


class LabResultsSection(RecordSection):
    """Lab results by date and panel, with Trend and Source."""

    def __init__(self, state: WorkspaceState, *, icon_name: str = "") -> None:
        super().__init__(record_type("lab_result"), state, icon_name=icon_name)
        # RecordSection built a flat table model; this section shows the same records grouped.
        self.model.deleteLater()
        self.model = LabResultsModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setRecursiveFilteringEnabled(True)  # a match keeps its date and panel
        self.proxy.setAutoAcceptChildRows(True)  # a matching date or panel keeps its results
        self.trend_dialog: LabTrendDialog | None = None
        self.source_dialog: PdfSourceDialog | None = None
        self.explain_dialog: ExplainDialog | None = None

        self.trend_button = self.add_button(
            "Trend", "trend", self.open_trend,
            "Show this test over time (Enter or double-click)")
        self.source_button = self.add_button(
            "Source", "document", self.open_source,
            f"Open the report page this result was read from ({SOURCE_SHORTCUT})")
        self.explain_button = self.add_button(
            "Explain", "assistant", self.explain_result,
            f"Explain this result in plain words, on this computer ({EXPLAIN_SHORTCUT}); "
            f"the whole day's report with {EXPLAIN_REPORT_SHORTCUT}")
        self.source_action = self.section_action("Open source page", self.open_source,
                                                  SOURCE_SHORTCUT, "document")
        self.explain_action = self.section_action("Explain this result", self.explain_result,
                                                   EXPLAIN_SHORTCUT, "assistant")
        self.explain_report_action = self.section_action("Explain this day's report",
                                                          self.explain_report,
                                                          EXPLAIN_REPORT_SHORTCUT, "assistant")
        self.trend_action = self.section_action("Show trend", self.open_trend, icon_name="trend")
        # Enter or a double-click opens the trend here; Edit stays on its button and Ctrl+E.
        self.view.activated.disconnect()
        self.view.activated.connect(self._activated)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.update_actions()

    def _catalogue_failed(self, error: BaseException) -> None:
        super()._catalogue_failed(error)
        # Results stay readable without it: as printed, under "Other tests", no conversions.
        self.state.sig_status.emit("The test catalogue could not be read; results are shown "
                                   "as printed, without panels or unit conversions.")

    # --- the table protocol, for a tree -----------------------------------------------------

    def reload(self) -> None:
        """Fetch and group the results again, keeping the selection."""
        selected = self.selected_row()
        records = self.fetch()
        sex = self.state.profile.sex if self.state.profile else None
        self.model.set_rows(group_results(records, self.catalogue, sex))
        self.view.expandAll()
        if records:
            for column in range(self.model.columnCount() - 1):
                self.view.resizeColumnToContents(column)
        if selected is not None:
            self.select_row(selected.id)
        self.count.setText(str(len(records)) if records else "")
        self.empty.setText(self.empty_text())
        self.stack.setCurrentWidget(self.view if records else self.empty)
        self.update_actions()

    def selected_row(self) -> Record | None:
        """The selected result's record (None on a date or panel row)."""
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return None
        line = self.model.line_at(self.proxy.mapToSource(rows[0]))
        return line.record if line is not None else None

    def select_row(self, row_id: int) -> None:
        """Select the result with this record id, if shown."""
        index = self.proxy.mapFromSource(self.model.index_of(row_id))
        if index.isValid():
            self.view.selectionModel().select(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)
            self.view.setCurrentIndex(index)
            self.view.scrollTo(index)

    def update_actions(self, *args: object) -> None:
        """Trend needs a result with a known analyte; Source one read from a document."""
        super().update_actions(*args)
        if not hasattr(self, "source_action"):
            return  # still being built
        record = self.selected_row()
        has_trend = record is not None and bool(record.values.get("analyte"))
        has_source = record is not None and record.provenance.document_id is not None
        for widget in (self.trend_button, self.trend_action):
            widget.setEnabled(has_trend)
        for widget in (self.source_button, self.source_action):
            widget.setEnabled(has_source)
        for widget in (self.explain_button, self.explain_action, self.explain_report_action):
            widget.setEnabled(record is not None)

    def clear(self) -> None:
        """Close the trend and source windows and forget every row (on lock)."""
        for dialog in (self.trend_dialog, self.source_dialog, self.explain_dialog):
            if dialog is not None:
                dialog.close()
        super().clear()

    # --- trend and source -------------------------------------------------------------------

    def open_trend(self) -> None:
        """Show the selected result's analyte over time."""
        record = self.selected_row()
        if record is None or not record.values.get("analyte"):
            return
        # Imported on first use: pyqtgraph takes over half a second to load, and the
        # window should not wait for it at start.
        from carebook.ui.lab_trend import LabTrendDialog

        if self.trend_dialog is not None:
            self.trend_dialog.close()
        self.trend_dialog = LabTrendDialog(self.state, record.profile_id,
                                           record.values["analyte"], self.catalogue, self)
        self._keep(self.trend_dialog, "trend_dialog")

    def open_source(self) -> None:
        """Open the report the selected result was read from, at its page."""
        record = self.selected_row()
        if record is None or record.provenance.document_id is None:
            return
        if self.source_dialog is not None:
            self.source_dialog.close()
        self.source_dialog = PdfSourceDialog(self.state, record.provenance.document_id,
                                             record.provenance.page, self)
        self._keep(self.source_dialog, "source_dialog")

    def explain_result(self) -> None:
        """Explain the selected result, with its trend, in plain words."""
        record = self.selected_row()
        if record is not None:
            self.open_explanation([record.id], record.title())

    def explain_report(self) -> None:
        """Explain every result collected on the selected result's day."""
        record = self.selected_row()
        if record is None:
            return
        from carebook.services.assistant import report_record_ids

        day = record.values["collected_at"]
        ids = self.state.runner.task(report_record_ids, self.state.vault, record.profile_id,
                                     day).run_now()
        if ids:
            self.open_explanation(ids, f"Results of {format_date(day)}")

    def open_explanation(self, record_ids: list[int], title: str) -> None:
        """Open the Explain panel for these results (one at a time)."""
        from carebook.ui.explain_dialog import ExplainDialog

        if self.explain_dialog is not None:
            self.explain_dialog.close()
        self.explain_dialog = ExplainDialog(self.state, self.state.profile_id, record_ids,
                                            title, self)
        self._keep(self.explain_dialog, "explain_dialog")

    def _keep(self, dialog, attribute: str) -> None:
        # Non-modal, so the list stays usable; forgotten once closed (and deleted).
        def forget(*_args: object) -> None:
            if getattr(self, attribute, None) is dialog:
                setattr(self, attribute, None)

        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(forget)
        dialog.show()

    def _activated(self, index: QModelIndex) -> None:
        if self.model.line_at(self.proxy.mapToSource(index)) is not None:
            self.open_trend()

    def _context_menu(self, point: QPoint) -> None:
        if self.selected_row() is None:
            return
        menu = QMenu(self)
        menu.addAction(self.explain_action)
        menu.addAction(self.explain_report_action)
        menu.addAction(self.trend_action)
        menu.addAction(self.source_action)
        menu.addSeparator()
        menu.addAction(icon("edit"), "Edit…", self.edit_selected)
        menu.addAction(icon("delete"), "Delete", self.delete_selected)
        menu.exec(self.view.viewport().mapToGlobal(point))

    def _make_view(self, settings_key: str) -> QTreeView:
        # Grouped by date and panel, so no column sorting: the grouping is the order.
        view = QTreeView()
        view.setModel(self.proxy)
        view.setAlternatingRowColors(True)
        view.setUniformRowHeights(True)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setExpandsOnDoubleClick(False)
        view.setAllColumnsShowFocus(True)
        view.setItemDelegate(RoomyRows(view))
        header = view.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setDefaultSectionSize(140)
        return view
