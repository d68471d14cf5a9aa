"""Settings → Models: the models Carebook can use, their files' checks, and which one explains.

Hashing a model file takes seconds for a multi-GB file, so adding, checking and confirming run
on the task runner's worker thread with progress shown here; choosing and removing are quick.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from carebook.assistant.registry import ModelEntry, ModelRegistry, Status
from carebook.errors import CarebookError
from carebook.ui.interaction import Interaction
from carebook.ui.record_table_model import Column, RowTableModel
from carebook.ui.tasks import TaskRunner
from carebook.ui.widgets import button, card, label

HINT = ("Bigger instruct models (1–4B parameters, Q4_K_M) explain better; add their GGUF "
        "file here.")
CONFIRM_HINT = ("This file changed since you added it. If you replaced it yourself, choose "
                "“Confirm changed file”; until then Carebook will not use it.")
GGUF_FILTER = "GGUF model files (*.gguf);;All files (*)"
STATUS_TEXT = {"ready": "Ready", "missing": "Missing", "changed": "Changed — confirm",
               "unconfirmed": "Checking…"}


@dataclass(frozen=True)
class ModelRow:
    """One line of the table: an entry, its file's status, and whether it is the active one."""

    entry: ModelEntry
    status: Status
    active: bool

    @property
    def id(self) -> str:
        """The entry's id (RowTableModel finds rows by it)."""
        return self.entry.id

    @property
    def status_text(self) -> str:
        """The status in words; a catalogue file is fetched again rather than confirmed."""
        if self.status == "changed" and not self.entry.removable:
            return "Changed — fetch again"
        return STATUS_TEXT[self.status]


def format_size(size: int) -> str:
    """Bytes as a person reads a file size (decimal units, as file managers show)."""
    if size >= 1_000_000_000:
        return f"{size / 1e9:.1f} GB"
    return f"{max(size, 1) / 1e6:.0f} MB" if size >= 1_000_000 else f"{size / 1e3:.0f} KB"


def _count(value: int) -> str:
    if value >= 1e9:
        return f"{value / 1e9:.1f} billion"
    return f"{value / 1e6:.0f} million" if value >= 1e6 else f"{value:,}"


def _problem_flag(row: ModelRow) -> str | None:
    return "H" if row.status in ("missing", "changed") else None


COLUMNS = [
    Column("Model", lambda r: r.entry.name, lambda r: r.entry.name),
    Column("Size", lambda r: format_size(r.entry.size), lambda r: r.entry.size, numeric=True),
    Column("Quantisation", lambda r: r.entry.info.quantisation if r.entry.info else "",
           lambda r: r.entry.info.quantisation if r.entry.info else ""),
    Column("Context", lambda r: f"{r.entry.info.context_length:,} tokens"
           if r.entry.info and r.entry.info.context_length else "",
           lambda r: (r.entry.info.context_length or 0) if r.entry.info else 0, numeric=True),
    Column("Licence", lambda r: r.entry.licence or "Not stated", lambda r: r.entry.licence),
    Column("Status", lambda r: r.status_text, lambda r: r.status, flag=_problem_flag),
    Column("In use", lambda r: "● Active" if r.active else "", lambda r: r.active),
]


class ModelsPage(QWidget):
    """Lists models, adds GGUF files, checks them, and chooses the one explanations use."""

    sig_active_changed = Signal(str)
    """Emitted with the model id when another model becomes the one explanations use."""

    sig_progress = Signal(str)
    """Progress text of a file check, emitted from the worker thread, shown on the UI thread."""

    def __init__(self, registry: ModelRegistry, runner: TaskRunner | None,
                 interaction: Interaction, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.registry, self.runner, self.interaction = registry, runner, interaction
        self._checking: set[str] = set()      # ids whose hash is being computed
        self._check_failed: set[str] = set()  # not re-queued automatically after a failure
        self.model = RowTableModel(COLUMNS, tooltip=lambda r: str(r.entry.path), parent=self)
        self.table = self._make_table()
        layout = QVBoxLayout(self)
        self.hint = label(HINT, "muted")
        layout.addWidget(self.hint)
        self.damaged_note = label(f"Your list of models was damaged, so it was started afresh; "
                                  f"the old one is kept as {registry.damaged_copy}.", "banner")
        self.damaged_note.setVisible(registry.damaged_copy is not None)
        layout.addWidget(self.damaged_note)
        layout.addWidget(self.table, 1)
        layout.addWidget(self._make_details())
        self.progress = label("", "muted")
        layout.addWidget(self.progress)
        layout.addLayout(self._make_buttons())
        self.sig_progress.connect(self.progress.setText)
        self.refresh()
        self.select(registry.active_id)

    # --- building ---------------------------------------------------------------------------

    def _make_table(self) -> QTableView:
        table = QTableView()
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setShowGrid(False)
        table.setWordWrap(False)
        table.verticalHeader().hide()
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        table.selectionModel().selectionChanged.connect(self._selection_changed)
        table.doubleClicked.connect(lambda _index: self.use_selected())
        for key, slot in ((Qt.Key.Key_Delete, self.remove_selected),
                          (Qt.Key.Key_Return, self.use_selected),
                          (Qt.Key.Key_Enter, self.use_selected)):
            shortcut = QShortcut(QKeySequence(key), table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(slot)
        return table

    def _make_details(self) -> QWidget:
        frame, layout = card()
        self.details_title = label("", "subheading")
        layout.addWidget(self.details_title)
        form = QFormLayout()
        self.detail: dict[str, QLabel] = {}
        for key in ("File", "SHA-256", "Source", "Licence", "Model"):
            value = label("")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.detail[key] = value
            form.addRow(key, value)
        layout.addLayout(form)
        self.problem = label("", "error")
        layout.addWidget(self.problem)
        return frame

    def _make_buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.add_button = button("Add a model file…")
        self.add_button.clicked.connect(self.add_files)
        self.remove_button = button("Remove")
        self.remove_button.clicked.connect(self.remove_selected)
        self.confirm_button = button("Confirm changed file")
        self.confirm_button.clicked.connect(self.confirm_selected)
        self.use_button = button("Use this model", "primary")
        self.use_button.clicked.connect(self.use_selected)
        row.addWidget(self.add_button)
        row.addStretch(1)
        for widget in (self.remove_button, self.confirm_button, self.use_button):
            row.addWidget(widget)
        return row

    # --- showing ----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the registry again, keeping the selection; check files not yet hashed."""
        selected = self.selected_row()
        rows = self._rows()
        if self.runner is None and self._check_inline(rows):
            rows = self._rows()
        self.model.set_rows(rows)
        if selected is not None:
            self.select(selected.id)
        self._selection_changed()
        if self.runner is not None:
            for row in rows:
                if row.status == "unconfirmed" and row.id not in self._check_failed:
                    self._verify(row.entry)

    def _rows(self) -> list[ModelRow]:
        active = self.registry.active_id
        return [ModelRow(entry, self.registry.status(entry), entry.id == active)
                for entry in self.registry.entries()]

    def select(self, model_id: str) -> None:
        """Select the row of this model, if listed."""
        row = self.model.row_of(model_id)
        if row is not None:
            self.table.selectionModel().select(
                self.model.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)

    def selected_row(self) -> ModelRow | None:
        """The selected model's row, if any."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _selection_changed(self, *_args: object) -> None:
        row = self.selected_row()
        self.use_button.setEnabled(row is not None and not row.active
                                   and row.status not in ("missing", "changed"))
        self.confirm_button.setEnabled(row is not None and row.status == "changed"
                                       and row.entry.removable)
        self.remove_button.setEnabled(row is not None and row.entry.removable)
        self.remove_button.setToolTip("" if row is None or row.entry.removable else
                                      "Models that come with Carebook cannot be removed.")
        self._show_details(row)

    def _show_details(self, row: ModelRow | None) -> None:
        if row is None:
            self.details_title.setText("Choose a model to see its details.")
            for value in self.detail.values():
                value.setText("")
            self.problem.setText("")
            return
        entry, info = row.entry, row.entry.info
        self.details_title.setText(entry.name)
        self.detail["File"].setText(str(entry.path))
        self.detail["SHA-256"].setText(f"{entry.sha256[:16]}…")
        self.detail["SHA-256"].setToolTip(entry.sha256)
        self.detail["Source"].setText(entry.source)
        self.detail["Licence"].setText(entry.licence or "Not stated in the file")
        self.detail["Model"].setText(_describe(info) if info else "Cannot read the file now.")
        self.problem.setText(CONFIRM_HINT if row.status == "changed" and entry.removable
                             else self.registry.explain_status(entry, row.status))

    # --- actions ----------------------------------------------------------------------------

    def add_files(self) -> None:
        """Ask for GGUF files and add each after checking it (off the UI thread)."""
        for path in self.interaction.open_files(self, "Add a model file", GGUF_FILTER):
            self._run(self.registry.add, (path, self._reporter(f"Checking {path.name}")),
                      f"Checking {path.name}…", self._added, f"Can't add {path.name}")

    def use_selected(self) -> None:
        """Make the selected model the one explanations use."""
        row = self.selected_row()
        if row is None or row.active:
            return
        try:
            self.registry.set_active(row.id)
        except CarebookError as error:
            self.interaction.warn(self, f"Can't use {row.entry.name}", error.message)
            return
        self.progress.setText(f"Explanations now use {row.entry.name}.")
        self.refresh()
        self.sig_active_changed.emit(row.id)

    def confirm_selected(self) -> None:
        """Accept a changed file's new contents after asking, and pin its new hash."""
        row = self.selected_row()
        if row is None or row.status != "changed" or not row.entry.removable:
            return
        if not self.interaction.confirm(
                self, "Confirm changed file",
                f"{row.entry.path.name} changed since you added it. Confirm it only if you "
                "replaced it yourself, for example with a newer download.",
                confirm_label="Confirm"):
            return
        self._run(self.registry.confirm, (row.id, self._reporter(f"Checking {row.entry.name}")),
                  f"Checking {row.entry.name}…", self._confirmed,
                  f"Can't confirm {row.entry.name}")

    def remove_selected(self) -> None:
        """Forget the selected added model after asking; its file is left where it is."""
        row = self.selected_row()
        if row is None or not row.entry.removable:
            return
        if not self.interaction.confirm(
                self, "Remove model", f"Remove {row.entry.name} from your models? The file "
                f"itself stays in {row.entry.path.parent}.", confirm_label="Remove",
                destructive=True):
            return
        try:
            self.registry.remove(row.id)
        except CarebookError as error:
            self.interaction.warn(self, f"Can't remove {row.entry.name}", error.message)
            return
        self.progress.setText(f"Removed {row.entry.name}.")
        self.refresh()
        if row.active:
            self.sig_active_changed.emit(self.registry.active_id)

    # --- outcomes ---------------------------------------------------------------------------

    def _added(self, entry: ModelEntry) -> None:
        self.progress.setText(f"Added {entry.name}. Choose “Use this model” to explain with it.")
        self.refresh()
        self.select(entry.id)

    def _confirmed(self, entry: ModelEntry) -> None:
        self.progress.setText(f"Confirmed {entry.name}.")
        self.refresh()
        self.select(entry.id)

    def _verify(self, entry: ModelEntry) -> None:
        if entry.id in self._checking:
            return
        self._checking.add(entry.id)

        def done(_status: object) -> None:
            self._checking.discard(entry.id)
            self.progress.setText("")
            self.refresh()

        def failed(error: BaseException) -> None:
            self._checking.discard(entry.id)
            self._check_failed.add(entry.id)
            self._show_error(f"Can't check {entry.name}", error)

        self._run(self.registry.verify, (entry, self._reporter(f"Checking {entry.name}")),
                  f"Checking {entry.name}…", done, failed)

    def _check_inline(self, rows: list[ModelRow]) -> bool:
        """Without a runner (screenshots, scripts) unchecked files are hashed right here."""
        checked = False
        for row in rows:
            if row.status == "unconfirmed" and row.id not in self._check_failed:
                try:
                    self.registry.verify(row.entry)
                except (CarebookError, OSError):
                    self._check_failed.add(row.id)
                checked = True
        return checked

    # --- running ----------------------------------------------------------------------------

    def _run(self, fn: Callable[..., Any], args: tuple, busy: str,
             on_success: Callable[[Any], None],
             on_failure: str | Callable[[BaseException], None]) -> None:
        failure = on_failure if callable(on_failure) else (
            lambda error, title=on_failure: self._show_error(title, error))
        if self.runner is None:
            try:
                result = fn(*args)
            except Exception as error:  # shown in plain words, as the runner would
                failure(error)
                return
            on_success(result)
            return
        self.progress.setText(busy)
        # Hashing a model never touches the vault: the model lane keeps the database free,
        # and keeps the registry to one thread with the explanations that read it.
        self.runner.task(fn, *args).busy(busy).success(on_success).failure(failure) \
            .bound_to(self).off_database().run_in_background()

    def _reporter(self, text: str) -> Callable[[int, int], None]:
        """A progress callback for the worker thread; emits only when the percentage moves."""
        last = [-1]

        def report(done: int, total: int) -> None:
            percent = 100 * done // total if total else 100
            if percent != last[0]:
                last[0] = percent
                with contextlib.suppress(RuntimeError):  # the page was closed meanwhile
                    self.sig_progress.emit(f"{text}… {percent} %")

        return report

    def _show_error(self, title: str, error: BaseException) -> None:
        self.progress.setText("")
        if isinstance(error, CarebookError):
            self.interaction.warn(self, title, error.message)
        elif self.runner is not None:
            self.runner.report(error, self)
        else:
            self.interaction.warn(self, title, "Carebook hit an unexpected problem and "
                                  "stopped that action.")


def _describe(info: Any) -> str:
    parts = [info.architecture, f"{_count(info.parameters)} parameters"]
    parts.append("its own chat template" if info.has_chat_template else "no chat template")
    return ", ".join(parts)
