"""The Visits section: a person's upcoming and past visits on the left, the chosen one on the
right with its questions, the notes taken after it, and its follow-up tasks.

The window's Add (Ctrl+N), Edit (Ctrl+E; Enter on the list) and Delete (Del) act on visits;
Del on a follow-up task's row deletes that task instead. Every change is undoable. Typed
notes are saved before another visit or person is shown, and when the vault locks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLineEdit,
    QStackedWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from carebook.domain.record_types import record_type
from carebook.domain.records import Record
from carebook.domain.values import format_date
from carebook.services import questions as question_service
from carebook.services import records as record_service
from carebook.services import visits as visit_service
from carebook.services.visits import VisitLists
from carebook.ui.icons import icon
from carebook.ui.questions_dialogs import AttachQuestionsDialog, hide_form_row
from carebook.ui.record_form import RecordFormDialog
from carebook.ui.undo import AddRecordCommand, CallCommand, CreateCommand, EditRecordCommand
from carebook.ui.visit_detail import VisitDetailPane
from carebook.ui.visits_model import VisitListModel, VisitRowDelegate
from carebook.ui.widgets import ListDetailSplitter, button, label
from carebook.ui.workspace_state import WorkspaceState

SHORTCUTS = {"prepare": "Ctrl+P", "save": "Ctrl+S", "done": "Ctrl+Shift+D",
             "question": "Ctrl+Shift+Q", "attach": "Ctrl+Shift+L", "follow_up": "Ctrl+Shift+F"}
RELOAD_KINDS = ("visit", "question", "follow_up", "*")
LIST_WIDTH_KEY = "visits/list_width"


def _matches(visit: Record, text: str) -> bool:
    values = visit.values
    words = [values.get(name) or "" for name in ("clinician", "specialty", "place", "reason",
                                                  "notes", "status")]
    return text in " ".join([*words, format_date(values["starts_at"])]).casefold()


class VisitsSection(QWidget):
    """Upcoming and past visits of the person shown, and the chosen visit in detail."""

    sig_prepare_pack = Signal(int)
    """Prepare the appointment pack for the visit with this id."""

    def __init__(self, state: WorkspaceState, *, icon_name: str = "visit") -> None:
        super().__init__()
        self.title, self.icon_name, self.state = "Visits", icon_name, state
        self.lists = VisitLists([], [])
        self.dialog: QDialog | None = None
        self._busy = False  # filling the list: selection changes are ours, not the person's
        self.model = VisitListModel(self)
        self.view = self._make_view()
        self.pane = VisitDetailPane(state)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter visits…")
        self.filter.setClearButtonEnabled(True)
        self.filter.addAction(icon("filter"), QLineEdit.ActionPosition.LeadingPosition)
        self.filter.setMaximumWidth(260)
        self.filter.setToolTip("Show visits whose clinician, place, reason or notes match "
                               "(Ctrl+F)")
        self.filter.textChanged.connect(self._filter_changed)
        self.add_button = button("Add visit")
        self.add_button.setIcon(icon("add"))
        self.add_button.setToolTip("Add a visit (Ctrl+N)")
        self.add_button.clicked.connect(self.add_record)
        self.count = label("", "muted", wrap=False)
        top = QHBoxLayout()
        top.addWidget(label("Visits", "heading", wrap=False))
        top.addWidget(self.count)
        top.addStretch(1)
        top.addWidget(self.filter)
        top.addWidget(self.add_button)
        self.splitter = ListDetailSplitter(state.settings, LIST_WIDTH_KEY, self.view,
                                           self.pane)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.splitter)
        self.stack.addWidget(self._make_empty_page())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 8, 16, 8)
        layout.addLayout(top)
        layout.addWidget(self.stack, 1)
        self._connect_actions()
        state.sig_profile_changed.connect(self._profile_changed)
        state.sig_records_changed.connect(self._records_changed)
        self.update_actions()

    def _make_view(self) -> QTreeView:
        view = QTreeView()
        view.setModel(self.model)
        view.setItemDelegate(VisitRowDelegate(view))
        view.setHeaderHidden(True)
        view.setRootIsDecorated(False)
        view.setIndentation(0)  # the group rows are headings, not branches
        view.setItemsExpandable(False)
        view.setUniformRowHeights(False)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setMinimumWidth(220)
        view.setAccessibleName("Visits")
        view.selectionModel().currentChanged.connect(lambda *_: self._selection_changed())
        view.activated.connect(lambda _index: self.edit_selected())  # Enter or double-click
        return view

    def _make_empty_page(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setSpacing(14)
        column.addStretch(1)
        self.empty = label("", "muted")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setMaximumWidth(520)
        column.addWidget(self.empty, 0, Qt.AlignmentFlag.AlignHCenter)
        self.empty_add = button("Add a visit", "primary")
        self.empty_add.setToolTip("Add a visit (Ctrl+N)")
        self.empty_add.clicked.connect(self.add_record)
        column.addWidget(self.empty_add, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addStretch(2)
        return page

    def section_action(self, text: str, slot: Callable[[], Any], shortcut: str) -> QAction:
        """An action whose shortcut works while this section has the focus."""
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _connect_actions(self) -> None:
        pane = self.pane
        for name, text, slot, widget in (
                ("prepare", "Prepare for this visit…", self.prepare_pack, pane.prepare_button),
                ("done", "Mark as done", self.mark_done, pane.done_button),
                ("question", "Add a question…", self.add_question, pane.add_question_button),
                ("attach", "Attach from my questions…", self.attach_questions,
                 pane.attach_button),
                ("follow_up", "Add a follow-up task…", self.add_follow_up,
                 pane.add_follow_up_button),
                ("save", "Save notes", self.save_notes, None)):
            self.section_action(text, slot, SHORTCUTS[name])
            if widget is not None:
                widget.clicked.connect(slot)
        pane.edit_button.clicked.connect(self.edit_selected)
        pane.delete_button.clicked.connect(self.delete_visit)

    # --- the section protocol --------------------------------------------------------------

    def reload(self) -> None:
        """Save typed notes, then fetch the visits again keeping the one shown."""
        if not self._busy:
            self.pane.save_notes()
            self.refresh()

    def refresh(self, select: int | None = None) -> None:
        """Fetch the person's visits and show `select` (else the same, else the next one)."""
        if self._busy:
            return
        profile_id = self.state.profile_id
        lists = None if profile_id is None else self.state.runner.task(
            visit_service.visit_lists, self.state.vault, profile_id).run_now()
        self.lists = lists or VisitLists([], [])
        self._fill(select if select is not None else self.pane.visit_id)

    def clear(self) -> None:
        """Save typed notes, close any dialog and forget every visit (on lock)."""
        self.pane.store_notes_quietly()
        if self.dialog is not None:
            self.dialog.reject()
        self._busy = True
        self.filter.clear()
        self.lists = VisitLists([], [])
        self.model.set_lists([], [])
        self.pane.show_detail(None)
        self._busy = False

    def focus_filter(self) -> None:
        """Put the cursor in the filter box."""
        self.filter.setFocus()
        self.filter.selectAll()

    def select_visit(self, visit_id: int) -> None:
        """Show this visit (clearing a filter that hides it)."""
        self.pane.save_notes()
        if visit_id not in self.model.visit_ids():
            self.filter.clear()
        self.refresh(select=visit_id)

    def selected_visit(self) -> Record | None:
        """The visit shown on the right, as last loaded."""
        return self.pane.detail.visit if self.pane.detail else None

    # --- filling ---------------------------------------------------------------------------

    def _fill(self, wanted: int | None) -> None:
        self._busy = True
        try:
            text = self.filter.text().strip().casefold()
            upcoming, past = self.lists.upcoming, self.lists.past
            if text:
                upcoming = [v for v in upcoming if _matches(v, text)]
                past = [v for v in past if _matches(v, text)]
            self.model.set_lists(upcoming, past)
            self.view.expandAll()
            total = len(self.lists.upcoming) + len(self.lists.past)
            self.count.setText(str(total) if total else "")
            self.stack.setCurrentIndex(0 if total else 1)
            self.filter.setVisible(bool(total))
            self.empty.setText(self._empty_text())
            self.empty_add.setVisible(self.state.profile is not None)
            ids = self.model.visit_ids()
            chosen = wanted if wanted in ids else (ids[0] if ids else None)
            index = self.model.index_of(chosen) if chosen is not None else None
            if index is not None:
                self.view.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
                self.view.scrollTo(index)
            self._show(chosen)
        finally:
            self._busy = False

    def _empty_text(self) -> str:
        if self.state.profile is None:
            return "Add a person to start: People → Add person…"
        return (f"No visits for {self.state.profile.name} yet.\n"
                "Add upcoming appointments to prepare your questions, and past ones to keep "
                "what was said and what to do next.")

    def _show(self, visit_id: int | None) -> None:
        profile_id = self.state.profile_id
        detail = None if visit_id is None or profile_id is None else self.state.runner.task(
            visit_service.visit_detail, self.state.vault, profile_id, visit_id).run_now()
        message = "No visit matches the filter." if self.filter.text().strip() else ""
        self.pane.show_detail(detail, message)
        self.update_actions()

    def _selection_changed(self) -> None:
        if self._busy:
            return
        visit = self.model.visit_at(self.view.currentIndex())
        if visit is None or visit.id == self.pane.visit_id:
            return
        if not self.pane.save_notes():  # of the visit being left; the runner said why
            self._busy = True
            self.refresh(select=self.pane.visit_id)  # stay: the typed notes are kept
            self._busy = False
            return
        self._show(visit.id)

    def _filter_changed(self, _text: str) -> None:
        if not self._busy:
            self.pane.save_notes()
            self._fill(self.pane.visit_id)

    def _records_changed(self, kind: str) -> None:
        if kind in RELOAD_KINDS and not self.pane.saving_notes:
            self.refresh()

    def _profile_changed(self, _profile_id: int) -> None:
        self.pane.save_notes()  # the previous person's visit
        self._busy = True
        self.filter.clear()
        self._busy = False
        self.refresh()

    def update_actions(self) -> None:
        """Visit actions need a visit; Add needs a person."""
        has_visit = self.pane.visit_id is not None
        self.add_button.setEnabled(self.state.profile is not None)
        for action in self.actions():
            action.setEnabled(has_visit)

    # --- visits ----------------------------------------------------------------------------

    def _fresh(self) -> Record | None:
        """The shown visit as stored now, after saving the notes typed for it."""
        visit_id = self.pane.visit_id
        if visit_id is None or not self.pane.save_notes():
            return None
        return self.state.runner.task(record_service.get_record, self.state.vault, "visit",
                                      visit_id).run_now()

    def _open_form(self, key: str, record: Record | None, submit) -> RecordFormDialog:
        person = self.state.profile.name if self.state.profile else ""
        self.dialog = RecordFormDialog(record_type(key), record, submit, self, person=person)
        self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog.destroyed.connect(lambda *_: setattr(self, "dialog", None))
        self.dialog.open()
        return self.dialog

    def add_record(self) -> None:
        """Open the form for a new visit (planned); it is shown once saved."""
        profile_id = self.state.profile_id
        if profile_id is None or not self.pane.save_notes():
            return

        def submit(raw: dict[str, Any]) -> None:
            values = record_service.validate("visit", raw)
            command = AddRecordCommand(self.state, Record("visit", profile_id, values))
            self.state.undo_stack.push(command)
            if command.record.id is not None:
                self.filter.clear()
                self.refresh(select=command.record.id)

        self._open_form("visit", None, submit).set_value("status", "planned")

    def edit_selected(self) -> None:
        """Open the form for the visit shown."""
        before = self._fresh()
        if before is None:
            return

        def submit(raw: dict[str, Any]) -> None:
            after = before.with_values(**record_service.validate("visit", raw))
            self.state.undo_stack.push(EditRecordCommand(self.state, before, after))

        self._open_form("visit", before, submit)

    def delete_selected(self) -> None:
        """Delete the follow-up task whose row has the focus, else the visit shown."""
        task_id = self.pane.focused_follow_up()
        if task_id is not None:
            self.pane.delete_follow_up(task_id)
        else:
            self.delete_visit()

    def delete_visit(self) -> None:
        """Delete the visit shown; Ctrl+Z brings it back with its questions and tasks."""
        visit = self._fresh()
        if visit is None:
            return
        vault, kept = self.state.vault, {}

        def do() -> Record:
            gone, kept["linked"] = visit_service.delete_visit(vault, visit)
            return gone

        self.state.undo_stack.push(CallCommand(
            self.state, f"Delete visit “{visit.title()}”", "*", do,
            lambda: visit_service.restore_visit(vault, visit, kept["linked"]),
            f"Deleted the visit of {format_date(visit.values['starts_at'])}. "
            "Press Ctrl+Z to undo."))

    def mark_done(self) -> None:
        """Mark the planned visit shown as done (it moves to Past)."""
        before = self._fresh()
        if before is None or before.values.get("status") != "planned":
            return
        self.state.undo_stack.push(EditRecordCommand(self.state, before,
                                                     before.with_values(status="done")))
        self.state.sig_status.emit(f"Marked the visit of {format_date(before.values['starts_at'])}"
                                   " as done. Ctrl+Z undoes it.")

    def prepare_pack(self) -> None:
        """Ask for the appointment pack of the visit shown."""
        visit = self._fresh()
        if visit is not None:
            self.sig_prepare_pack.emit(visit.id)

    def save_notes(self) -> None:
        """Save the notes typed for the visit shown (Ctrl+S)."""
        dirty = self.pane.notes_dirty()
        if self.pane.save_notes() and dirty:
            self.state.sig_status.emit("Notes saved. Ctrl+Z undoes it.")

    # --- questions and follow-up tasks -----------------------------------------------------

    def add_question(self) -> None:
        """Type a question for the visit shown; it joins the person's list of questions."""
        visit = self.selected_visit()
        if visit is None:
            return
        text = self.state.interaction.ask_text(self, "Add a question",
                                               "Question to ask at this visit:")
        if not text or not text.strip():
            return
        vault = self.state.vault
        self.state.undo_stack.push(CreateCommand(
            self.state, "Add question", "question",
            lambda: visit_service.add_question(vault, visit.profile_id, visit.id, text.strip()),
            "Question added to the visit and to your list. Ctrl+Z undoes it."))

    def attach_questions(self) -> None:
        """Choose open questions from the person's list to bring to the visit shown."""
        visit = self.selected_visit()
        if visit is None:
            return
        loaded = self.state.runner.task(question_service.questions_with_visits,
                                        self.state.vault, visit.profile_id).run_now()
        questions, visits = loaded or ([], {})
        offered = [q for q in questions if q.values.get("status") != "asked"
                   and q.values.get("visit_id") != visit.id]
        if not offered:
            self.state.interaction.inform(
                self, "Nothing to attach", "Every open question on your list is already "
                "attached to this visit. Type a new one with “Add a question…”.")
            return
        self.dialog = AttachQuestionsDialog(offered, visits,
                                            lambda ids: self._attach(visit.id, offered, ids),
                                            self)
        self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog.destroyed.connect(lambda *_: setattr(self, "dialog", None))
        self.dialog.open()

    def _attach(self, visit_id: int, offered: list[Record], ids: list[int]) -> None:
        vault = self.state.vault
        before = {q.id: q.values.get("visit_id") for q in offered if q.id in ids}

        def undo() -> list[Record]:
            return [record for qid, old in before.items()
                    for record in question_service.attach(vault, [qid], old)]

        count = len(ids)
        self.state.undo_stack.push(CallCommand(
            self.state, f"Attach {count} question{'s' if count != 1 else ''}", "question",
            lambda: question_service.attach(vault, ids, visit_id), undo,
            f"Attached {count} question{'s' if count != 1 else ''} to the visit."))

    def add_follow_up(self) -> None:
        """Open the small form for a follow-up task of the visit shown."""
        visit = self.selected_visit()
        if visit is None:
            return
        vault = self.state.vault

        def submit(raw: dict[str, Any]) -> None:
            values = record_service.validate("follow_up", {**raw, "visit_id": visit.id,
                                                           "done_on": None})
            self.state.undo_stack.push(CreateCommand(
                self.state, "Add follow-up task", "follow_up",
                lambda: visit_service.add_follow_up(vault, visit.profile_id, values),
                f"Added “{values['text']}”; it shows on the Overview until done."))

        hide_form_row(self._open_form("follow_up", None, submit), "done_on")
