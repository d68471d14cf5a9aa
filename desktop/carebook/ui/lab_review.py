"""Reviewing a lab report beside its original page before anything is saved.

Left: the PDF, from memory, at the page of the selected row. Right: the collected date and the
rows read from it, every cell editable, doubtful cells highlighted, each row included or not.
Save hands the confirmed rows to `submit`; a ValidationError keeps the dialog open on the row
that needs fixing.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSplitter,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from carebook.domain.values import format_date
from carebook.errors import ValidationError
from carebook.knowledge import load_catalogue
from carebook.services.lab_import import ReportDraft
from carebook.ui.field_editors import DateField
from carebook.ui.interaction import Interaction
from carebook.ui.lab_results_model import FLAG_WORDS
from carebook.ui.lab_review_model import FIELD_OF_COLUMN, ReviewTableModel
from carebook.ui.pdf_view import PdfPageView
from carebook.ui.widgets import label

# submit(collected_at, rows) saves; it raises ValidationError, or returns False when saving
# failed (already reported), so the dialog stays open and nothing typed is lost.
Submit = Callable[[str, list[dict]], bool]


class AnalytePicker(QStyledItemDelegate):
    """Picks the catalogue analyte a printed name stands for (type to search)."""

    def createEditor(self, parent, option, index):
        combo = QComboBox(parent)
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        combo.addItem("Not recognised", "")
        for analyte in sorted(load_catalogue().analytes(), key=lambda a: a.name.casefold()):
            combo.addItem(analyte.name, analyte.key)
        combo.completer().setFilterMode(Qt.MatchFlag.MatchContains)
        combo.completer().setCompletionMode(combo.completer().CompletionMode.PopupCompletion)
        return combo

    def setEditorData(self, editor, index):
        position = editor.findData(index.data(Qt.ItemDataRole.EditRole) or "")
        editor.setCurrentIndex(max(position, 0))

    def setModelData(self, editor, model, index):
        position = editor.findText(editor.currentText(), Qt.MatchFlag.MatchFixedString)
        model.setData(index, editor.itemData(position) if position >= 0 else "")


class FlagPicker(QStyledItemDelegate):
    """Picks a flag by its words."""

    def createEditor(self, parent, option, index):
        combo = QComboBox(parent)
        combo.addItem("No flag", "")
        for code, words in FLAG_WORDS.items():
            combo.addItem(words, code)
        return combo

    def setEditorData(self, editor, index):
        editor.setCurrentIndex(max(editor.findData(index.data(Qt.ItemDataRole.EditRole)), 0))

    def setModelData(self, editor, model, index):
        model.setData(index, editor.currentData())


class LabReviewDialog(QDialog):
    """Check what was read from a report against the page, correct it, and save it."""

    def __init__(self, draft: ReportDraft, submit: Submit, interaction: Interaction,
                 parent: QWidget | None = None, *, person: str = "") -> None:
        super().__init__(parent)
        self.draft = draft
        self._submit = submit
        self._interaction = interaction
        self.setWindowTitle(f"Review lab report — {draft.filename}")
        self.resize(1360, 860)
        self.pdf = PdfPageView(self)
        self.pdf.set_pdf(draft.data, 1)

        self.model = ReviewTableModel(draft.parsed["results"], self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.table.setItemDelegateForColumn(FIELD_OF_COLUMN.index("analyte"), AnalytePicker(self))
        self.table.setItemDelegateForColumn(FIELD_OF_COLUMN.index("flag"), FlagPicker(self))
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        self.table.setWordWrap(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for key in ("name", "analyte"):  # the two long texts share the spare width
            header.setSectionResizeMode(FIELD_OF_COLUMN.index(key), QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(self._row_selected)
        self.model.dataChanged.connect(lambda *_: self._update_summary())

        self.date = DateField()
        self.date.set_iso(draft.parsed.get("collected_at"))
        self.date_error = label("", "field-error")
        self.date_error.hide()
        self.summary = label("", "muted")
        self.summary.setWordWrap(True)
        self.banner = label("", "warning-banner")
        self.banner.setWordWrap(True)
        self.banner.setVisible(draft.already_imported is not None)
        if draft.already_imported is not None:
            when = format_date(draft.already_imported.added_at)
            self.banner.setText(f"This file was already imported on {when} "
                                f"(“{draft.already_imported.title}”). Saving again would add "
                                "its results a second time.")
        self.setLayout(self._layout(person))
        self._update_summary()
        QShortcut(QKeySequence("Ctrl+S"), self, activated=self.accept)
        QShortcut(QKeySequence(Qt.Key.Key_Space), self.table, activated=self._toggle_current)
        if self.model.rowCount():
            self.table.selectRow(0)

    def _layout(self, person: str) -> QHBoxLayout:
        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        heading = "Review the results" + (f" for {person}" if person else "")
        column.addWidget(label(heading, "heading"))
        column.addWidget(label("Nothing is saved until you press Save. Compare each row with "
                               "the page on the left; double-click a cell to correct it.",
                               "muted"))
        column.addWidget(self.banner)
        form = QFormLayout()
        date_box = QVBoxLayout()
        date_box.addWidget(self.date)
        date_box.addWidget(self.date_error)
        form.addRow("Collected on *", date_box)
        column.addLayout(form)
        column.addWidget(self.table, 1)
        column.addWidget(self.summary)
        tick_all = QPushButton("Include all")
        tick_all.clicked.connect(lambda: self.model.set_all_included(True))
        tick_none = QPushButton("Include none")
        tick_none.clicked.connect(lambda: self.model.set_all_included(False))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("Save results")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(tick_all)
        row.addWidget(tick_none)
        row.addStretch(1)
        row.addWidget(buttons)
        column.addLayout(row)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.pdf)
        splitter.addWidget(right)
        splitter.setSizes([560, 800])
        outer = QHBoxLayout()
        outer.addWidget(splitter)
        return outer

    def _row_selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            row = self.model.row_data(current.row())
            if row.get("page"):
                # The page, with the value marked where it was read.
                self.pdf.highlight(row.get("value_text") or row.get("name") or "",
                                   int(row["page"]))

    def _toggle_current(self) -> None:
        current = self.table.currentIndex()
        if current.isValid():
            include = self.model.index(current.row(), 0)
            checked = self.model.data(include, Qt.ItemDataRole.CheckStateRole)
            self.model.setData(include, Qt.CheckState.Unchecked.value
                               if checked == Qt.CheckState.Checked else
                               Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)

    def _update_summary(self) -> None:
        included = len(self.model.included_rows())
        total = self.model.rowCount()
        doubtful = self.model.doubtful_count()
        family = self.draft.parsed.get("family")
        text = f"Recognised as: {family}. " if family else ""
        text += f"{included} of {total} results will be saved."
        if doubtful:
            text += (f" {doubtful} {'needs' if doubtful == 1 else 'need'} a closer look "
                     "(marked ⚠ and highlighted; hover for why).")
        self.summary.setText(text)

    def accept(self) -> None:
        """Save the included rows; stay open and point at the problem when something is off."""
        self.date_error.hide()
        rows = self.model.included_rows()
        if not rows:
            self._interaction.warn(self, "Nothing to save",
                                   "No result is included. Tick the rows to save, or Cancel.")
            return
        try:
            saved = self._submit(self.date.iso(), rows)
        except ValidationError as error:
            self._show_problem(error, rows)
            return
        if not saved:
            return
        self.pdf.clear()
        super().accept()

    def _show_problem(self, error: ValidationError, rows: list[dict]) -> None:
        problems = dict(error.field_errors or {})
        if "collected_at" in problems:
            self.date_error.setText(problems.pop("collected_at"))
            self.date_error.show()
            self.date.setFocus()
        row_index = getattr(error, "row", None)
        if problems and row_index is not None:
            position = self.model.included_rows().index(rows[row_index])
            self._select_included(position)
            self._interaction.warn(self, "Please check this row",
                                   "\n".join(problems.values()))

    def _select_included(self, position: int) -> None:
        seen = -1
        for row in range(self.model.rowCount()):
            if self.model.row_data(row)["include"]:
                seen += 1
                if seen == position:
                    self.table.selectRow(row)
                    return

    def reject(self) -> None:
        """Cancel, asking first when corrections would be lost."""
        edited = any(self.model.row_data(r)["edited"] for r in range(self.model.rowCount()))
        if edited and not self._interaction.confirm(
                self, "Discard your corrections?",
                "Nothing from this report will be saved.", confirm_label="Discard"):
            return
        self.pdf.clear()
        super().reject()
