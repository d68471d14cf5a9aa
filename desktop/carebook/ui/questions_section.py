"""The Questions section: what the person wants to ask at their next appointment.

Add, Edit, Delete and undo are RecordSection's. This section adds the person's own order
(Move up/down), attaching a question to a planned visit, marking it asked, and drafting
questions from their results (code templates, reviewed in a dialog before anything is
stored). Every change goes through services/questions.py on the undo stack.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
)

from carebook.assistant.questions import DraftQuestion
from carebook.domain.record_types import record_type
from carebook.domain.records import Record
from carebook.services import questions as question_service
from carebook.services import records as record_service
from carebook.ui.icons import icon
from carebook.ui.questions_dialogs import AttachDialog, DraftsDialog, hide_form_row
from carebook.ui.questions_model import QuestionsModel
from carebook.ui.record_section import RecordSection
from carebook.ui.theme import current_colors
from carebook.ui.undo import AddRecordCommand, CallCommand, EditRecordCommand
from carebook.ui.widgets import RoomyRows, button
from carebook.ui.workspace_state import WorkspaceState

SHORTCUTS = {"up": "Ctrl+Up", "down": "Ctrl+Down", "attach": "Ctrl+Shift+L",
             "asked": "Ctrl+Shift+K", "draft": "Ctrl+Shift+D"}
EMPTY_TEXT = ("Questions to bring to your next appointment.\n"
              "Draft them from your results, or add your own.")


class AddDraftsCommand(QUndoCommand):
    """Store the chosen drafts; undo deletes them, redo puts the same records back."""

    def __init__(self, state: WorkspaceState, profile_id: int, drafts: list[DraftQuestion],
                 visit_id: int | None) -> None:
        super().__init__(f"Add {len(drafts)} drafted questions")
        self.state, self.profile_id, self.drafts, self.visit_id = (state, profile_id, drafts,
                                                                    visit_id)
        self.stored: list[Record] | None = None

    def redo(self) -> None:
        vault = self.state.vault
        if self.stored is None:
            self.stored = self.state.runner.task(question_service.save_drafts, vault,
                                                 self.profile_id, self.drafts,
                                                 self.visit_id).run_now()
        else:
            self.state.runner.task(_each, record_service.restore_record, vault,
                                   self.stored).run_now()
        if not self.stored:
            self.setObsolete(True)  # failed, or every draft was already a question
        else:
            count = len(self.stored)
            self.state.sig_status.emit(f"Added {count} question{'s' if count != 1 else ''}. "
                                       "Press Ctrl+Z to undo.")
        self.state.records_changed("question")

    def undo(self) -> None:
        self.state.runner.task(_each, record_service.delete_record, self.state.vault,
                               self.stored or []).run_now()
        self.state.records_changed("question")


def _each(fn: Callable[..., Record], vault, records: list[Record]) -> list[Record]:
    return [fn(vault, record) for record in records]


ABOUT_WIDTH = 240


class QuestionsSection(RecordSection):
    """The person's questions for their clinician, in their own order."""

    def __init__(self, state: WorkspaceState, *, icon_name: str = "") -> None:
        super().__init__(record_type("question"), state, icon_name=icon_name)
        # RecordSection built the generic table model; questions show visits and "about".
        self.model.deleteLater()
        self.model = QuestionsModel(self)
        self.proxy.setSourceModel(self.model)
        self.model.sig_text_edited.connect(self._text_edited, Qt.ConnectionType.QueuedConnection)
        self.attach_dialog: AttachDialog | None = None
        self.drafts_dialog: DraftsDialog | None = None
        self._setup_view()

        row = QHBoxLayout()
        self.layout().insertLayout(1, row)
        self.draft_button = self._button(row, "Draft from my results", "lab", self.draft,
                                         "Draft questions from your latest results", "draft",
                                         role="primary")
        self.attach_button = self._button(row, "Attach to visit…", "visit", self.attach_selected,
                                          "Choose the visit to bring this question to", "attach")
        self.asked_button = self._button(row, "Mark as asked", "", self.toggle_asked,
                                         "Mark the question as asked (or open again)", "asked")
        row.addStretch(1)
        self.up_button = self._button(row, "Move up", "", lambda: self.move_selected(-1),
                                      "Move the question up the list", "up")
        self.down_button = self._button(row, "Move down", "", lambda: self.move_selected(1),
                                        "Move the question down the list", "down")
        self.update_actions()

    def _setup_view(self) -> None:
        # The person's order is the order: no column sorting, long questions wrap.
        self.view.setSortingEnabled(False)
        self.proxy.sort(-1)
        self.view.setWordWrap(True)
        self.view.setItemDelegate(RoomyRows(self.view, extra=10))
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.SelectedClicked)
        header = self.view.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # "About" can list many tests ("When should these tests be repeated?"): it wraps in
        # a fixed width instead of pushing Visit and Status out of the window.
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        self.view.setColumnWidth(1, ABOUT_WIDTH)
        for column in (2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self._fit_columns = False

    def _button(self, row: QHBoxLayout, text: str, icon_name: str, slot: Callable[[], None],
                tip: str, shortcut: str, role: str | None = None) -> QPushButton:
        keys = SHORTCUTS[shortcut]
        widget = button(text, role)
        if icon_name:  # drawn in the button's own text colour
            widget.setIcon(icon(icon_name, current_colors().accent_text if role == "primary"
                                else None))
        widget.setToolTip(f"{tip} ({keys})")
        widget.clicked.connect(slot)
        row.addWidget(widget)
        self.section_action(text, slot, keys)
        return widget

    # --- the section protocol --------------------------------------------------------------

    def fetch(self) -> list[Record]:
        """This person's questions in order (and their visits, kept in the model)."""
        profile_id = self.state.profile_id
        loaded = None if profile_id is None else self.state.runner.task(
            question_service.questions_with_visits, self.state.vault, profile_id).run_now()
        questions, visits = loaded or ([], {})
        self.model.visits, self.model.catalogue = visits, self.catalogue
        return questions

    def empty_text(self) -> str:
        """Say what this list is for."""
        return EMPTY_TEXT

    def clear(self) -> None:
        """Close the dialogs and forget the rows (on lock)."""
        for dialog in (self.attach_dialog, self.drafts_dialog):
            if dialog is not None:
                dialog.reject()
        self.model.visits = {}
        super().clear()

    def _maybe_reload(self, kind: str) -> None:
        if kind in ("question", "visit", "*"):  # a visit's date or clinician shows here
            self.reload()

    def update_actions(self, *args: object) -> None:
        """Enable what the selection allows; the asked button says what it will do."""
        super().update_actions(*args)
        if not hasattr(self, "down_button"):
            return
        record = self.selected_row()
        row = self.model.row_of(record.id) if record is not None else None
        self.draft_button.setEnabled(self.state.profile is not None)
        self.attach_button.setEnabled(record is not None)
        self.asked_button.setEnabled(record is not None)
        self.asked_button.setText("Mark as open" if record is not None and
                                  record.values.get("status") == "asked" else "Mark as asked")
        self.up_button.setEnabled(row is not None and row > 0)
        self.down_button.setEnabled(row is not None and row < self.model.rowCount() - 1)

    # --- add and edit ----------------------------------------------------------------------

    def add_record(self) -> None:
        """Open the form for a new question, which goes to the end of the list."""
        profile_id = self.state.profile_id
        if profile_id is None:
            return

        def submit(raw):
            values = record_service.validate("question", raw)
            values["sort_order"] = self.state.runner.task(
                question_service.next_sort_order, self.state.vault, profile_id).run_now()
            values["status"] = values.get("status") or "open"
            self.state.undo_stack.push(AddRecordCommand(
                self.state, Record("question", profile_id, values)))

        self._open_form(None, submit)
        self.dialog.set_value("status", "open")

    def edit_selected(self) -> None:
        """Open the form for the selected question; its visit and place are kept."""
        before = self.selected_row()
        if before is None:
            return
        drafted = question_service.parse_about(before.values.get("about")) is not None

        def submit(raw):
            values = record_service.validate("question", raw)
            kept = ("visit_id", "sort_order") + (("about",) if drafted else ())
            values.update({name: before.values.get(name) for name in kept})
            self._push_edit(before, values)

        self._open_form(before, submit)
        if drafted:
            hide_form_row(self.dialog, "about")  # its links are the program's, not typed text

    def _text_edited(self, record_id: int, text: str) -> None:
        row = self.model.row_of(record_id)
        if row is None:
            return
        before = self.model.row_at(row)
        values = self.state.runner.task(record_service.validate, "question",
                                        {**before.values, "text": text}).bound_to(self).run_now()
        if values is None:
            self.reload()  # the message was shown; put the stored text back
            return
        self._push_edit(before, {**before.values, **values, "visit_id":
                                 before.values.get("visit_id")})

    def _push_edit(self, before: Record, values: dict[str, Any]) -> None:
        after = Record(before.type_key, before.profile_id, values, id=before.id,
                       provenance=before.provenance, created_at=before.created_at)
        self.state.undo_stack.push(EditRecordCommand(self.state, before, after))

    # --- order, visit, status --------------------------------------------------------------

    def move_selected(self, offset: int) -> None:
        """Move the selected question up (-1) or down (+1); the reload keeps it selected."""
        record = self.selected_row()
        profile_id = self.state.profile_id
        if record is None or profile_id is None or \
                self.view.state() == QAbstractItemView.State.EditingState:
            return  # moving reloads the list, which would drop the text being typed
        row = self.model.row_of(record.id)
        if row is None or not 0 <= row + offset < self.model.rowCount():
            return
        vault, rid = self.state.vault, record.id
        self.state.undo_stack.push(CallCommand(
            self.state, f"Move question “{record.title()}”", "question",
            lambda: question_service.move(vault, profile_id, rid, offset),
            lambda: question_service.move(vault, profile_id, rid, -offset)))

    def attach_selected(self) -> None:
        """Choose the planned visit to bring the selected question to (or none)."""
        record = self.selected_row()
        if record is None or self.state.profile_id is None:
            return
        visits = self.state.runner.task(question_service.upcoming_visits, self.state.vault,
                                        self.state.profile_id).run_now() or []
        current = self.model.visits.get(record.values.get("visit_id"))
        self.attach_dialog = AttachDialog(record, visits, current,
                                          lambda visit_id: self._attach(record, visit_id), self)
        self._open(self.attach_dialog, "attach_dialog")

    def _attach(self, record: Record, visit_id: int | None) -> None:
        before = record.values.get("visit_id")
        if visit_id == before:
            return
        vault = self.state.vault
        self.state.undo_stack.push(CallCommand(
            self.state, "Attach question to a visit" if visit_id else "Detach question",
            "question",
            lambda: question_service.attach(vault, [record.id], visit_id),
            lambda: question_service.attach(vault, [record.id], before),
            "Question attached to the visit." if visit_id else "Question detached."))

    def toggle_asked(self) -> None:
        """Mark the selected question as asked, or open again."""
        record = self.selected_row()
        if record is None:
            return
        before = record.values.get("status") or "open"
        after = "open" if before == "asked" else "asked"
        vault = self.state.vault
        self.state.undo_stack.push(CallCommand(
            self.state, f"Mark question as {after}", "question",
            lambda: question_service.set_status(vault, [record.id], after),
            lambda: question_service.set_status(vault, [record.id], before),
            f"Marked “{record.title()}” as {after}."))

    # --- drafting ------------------------------------------------------------------------

    def draft(self) -> None:
        """Draft questions from the person's results in the background, then let them pick."""
        profile_id = self.state.profile_id
        if profile_id is None:
            return
        self.draft_button.setEnabled(False)
        self.state.runner.task(question_service.draft_from_records, self.state.vault,
                               profile_id).busy("Drafting questions from your results…") \
            .success(lambda drafts: self._drafted(profile_id, drafts)) \
            .failure(self._draft_failed).bound_to(self).run_in_background()

    def _draft_failed(self, error: BaseException) -> None:
        self.update_actions()
        self.state.runner.report(error, self)

    def _drafted(self, profile_id: int, drafts: list[DraftQuestion]) -> None:
        self.update_actions()
        if profile_id != self.state.profile_id:
            return  # another person is shown now; their drafts would be the wrong ones
        if not drafts:
            self.state.interaction.inform(
                self, "No new questions",
                "There is nothing new to draft: no results yet, or your list already has "
                "these questions.")
            return
        visits = self.state.runner.task(question_service.upcoming_visits, self.state.vault,
                                        profile_id).run_now() or []
        self.drafts_dialog = DraftsDialog(
            drafts, visits, _next_visit(visits), self.catalogue,
            lambda chosen, visit_id: self.state.undo_stack.push(
                AddDraftsCommand(self.state, profile_id, chosen, visit_id)), self)
        self._open(self.drafts_dialog, "drafts_dialog")

    def _open(self, dialog: QDialog, attribute: str) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda *_: setattr(self, attribute, None))
        dialog.open()


def _next_visit(visits: list[Record]) -> int | None:
    """The soonest planned visit still to come (upcoming_visits puts those first)."""
    today = date.today().isoformat()
    coming = [v for v in visits if (v.values.get("starts_at") or "")[:10] >= today]
    return coming[0].id if coming else None
