"""A section listing one record type for the person shown: filter, sort, add, edit, delete."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QSplitter, QVBoxLayout, QWidget

from carebook.diagnostics import log_unexpected
from carebook.domain.record_types import RecordType, record_type
from carebook.domain.records import Record
from carebook.knowledge import load_catalogue
from carebook.knowledge.catalogue import Catalogue
from carebook.services import records as record_service
from carebook.ui.icons import icon
from carebook.ui.record_form import RecordFormDialog
from carebook.ui.record_table_model import RecordTableModel
from carebook.ui.table_page import TablePage
from carebook.ui.undo import AddRecordCommand, DeleteRecordCommand, EditRecordCommand
from carebook.ui.widgets import label
from carebook.ui.workspace_state import WorkspaceState


class RecordSection(TablePage):
    """One record type's table with its filter and actions."""

    def __init__(self, rtype: RecordType, state: WorkspaceState, *, icon_name: str = "",
                 compact: bool = False) -> None:
        super().__init__(rtype.plural, RecordTableModel(rtype), state,
                         settings_key=f"table/{rtype.key}", icon_name=icon_name, compact=compact)
        self.model.setParent(self)
        self.rtype = rtype
        self.dialog: RecordFormDialog | None = None
        self._catalogue: Catalogue | None = None
        self._catalogue_loaded = False
        self.add_button_widget = self.add_button(
            "Add", "add", self.add_record, f"Add a {rtype.label.lower()} (Ctrl+N)")
        self.add_button("Edit", "edit", self.edit_selected, "Edit the selected row (Enter)",
                        needs_selection=True)
        self.add_button("Delete", "delete", self.delete_selected,
                        "Delete the selected row (Del); Ctrl+Z undoes it", needs_selection=True)
        # `activated` is Enter or a double-click, so each opens the form once.
        self.view.activated.connect(lambda _index: self.edit_selected())
        state.sig_profile_changed.connect(lambda _id: self.reload())
        state.sig_records_changed.connect(self._maybe_reload)
        self.update_actions()

    def section_action(self, text: str, slot: Callable[[], None], shortcut: str | None = None,
                       icon_name: str = "") -> QAction:
        """An action whose shortcut works while this section has the focus."""
        action = QAction(icon(icon_name), text, self) if icon_name else QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    @property
    def catalogue(self) -> Catalogue | None:
        """The analyte catalogue (loaded on first use; None if it could not be read)."""
        if not self._catalogue_loaded:
            self._catalogue_loaded = True
            self._catalogue = self.state.runner.task(load_catalogue).failure(
                self._catalogue_failed).run_now()
        return self._catalogue

    def _catalogue_failed(self, error: BaseException) -> None:
        log_unexpected(error, "analyte catalogue")

    def fetch(self) -> list[Record]:
        """This person's records of this type."""
        profile_id = self.state.profile_id
        if profile_id is None:
            return []
        return self.state.runner.task(record_service.list_records, self.state.vault,
                                      self.rtype.key, profile_id).run_now() or []

    def empty_text(self) -> str:
        """Say whose list is empty and how to fill it."""
        name = self.state.profile.name if self.state.profile else "this person"
        return (f"No {self.rtype.plural.lower()} for {name} yet.\n"
                "Add one with the Add button or Ctrl+N.")

    def clear(self) -> None:
        """Close any open form and forget the rows (on lock)."""
        if self.dialog is not None:
            self.dialog.reject()
        super().clear()

    def add_record(self) -> None:
        """Open the form for a new record."""
        if self.state.profile is None:
            return
        profile_id = self.state.profile_id

        def submit(raw):
            values = record_service.validate(self.rtype.key, raw)
            self.state.undo_stack.push(AddRecordCommand(
                self.state, Record(self.rtype.key, profile_id, values)))

        self._open_form(None, submit)

    def edit_selected(self) -> None:
        """Open the form for the selected record."""
        before = self.selected_row()
        if before is None:
            return

        def submit(raw):
            values = record_service.validate(self.rtype.key, raw)
            after = Record(before.type_key, before.profile_id, values, id=before.id,
                           provenance=before.provenance, created_at=before.created_at)
            self.state.undo_stack.push(EditRecordCommand(self.state, before, after))

        self._open_form(before, submit)

    def delete_selected(self) -> None:
        """Delete the selected record (undoable with Ctrl+Z)."""
        record = self.selected_row()
        if record is not None:
            self.state.undo_stack.push(DeleteRecordCommand(self.state, record))

    def update_actions(self, *args: object) -> None:
        """Edit/Delete need a selection; Add needs a person."""
        super().update_actions(*args)
        if hasattr(self, "add_button_widget"):
            self.add_button_widget.setEnabled(self.state.profile is not None)

    def _open_form(self, record: Record | None, submit) -> None:
        person = self.state.profile.name if self.state.profile else ""
        self.dialog = RecordFormDialog(self.rtype, record, submit, self, person=person)
        self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog.destroyed.connect(lambda *_: setattr(self, "dialog", None))
        self.dialog.open()

    def _maybe_reload(self, kind: str) -> None:
        if kind in (self.rtype.key, "*"):
            self.reload()


class SplitSection(QWidget):
    """Two record types on one page (conditions above allergies)."""

    def __init__(self, title: str, keys: tuple[str, str], state: WorkspaceState,
                 icon_name: str) -> None:
        super().__init__()
        self.title = title
        self.icon_name = icon_name
        self.parts = [RecordSection(record_type(key), state, compact=True) for key in keys]
        splitter = QSplitter(Qt.Orientation.Vertical)
        for part in self.parts:
            splitter.addWidget(part)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 8, 16, 8)
        layout.addWidget(label(title, "heading"))
        layout.addWidget(splitter, 1)

    def _active(self) -> RecordSection:
        focus = QApplication.focusWidget()
        for part in self.parts:
            if focus is not None and (focus is part or part.isAncestorOf(focus)):
                return part
        return self.parts[0]

    def reload(self) -> None:
        """Reload both parts."""
        for part in self.parts:
            part.reload()

    def clear(self) -> None:
        """Clear both parts."""
        for part in self.parts:
            part.clear()

    def add_record(self) -> None:
        """Add to the part that has the focus."""
        self._active().add_record()

    def edit_selected(self) -> None:
        """Edit in the part that has the focus."""
        self._active().edit_selected()

    def delete_selected(self) -> None:
        """Delete in the part that has the focus."""
        self._active().delete_selected()

    def focus_filter(self) -> None:
        """Filter the part that has the focus."""
        self._active().focus_filter()
