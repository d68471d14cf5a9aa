"""The right-hand pane of the Visits screen: one visit with its questions, the notes taken
after it, and the follow-up tasks it left.

Every change goes on the undo stack. Notes are saved when their box loses the focus, on
Ctrl+S, and before another visit or person is shown (the section calls `save_notes`); a
reload never overwrites notes still being typed. Rows are updated in place, so a reload
caused by one row (an answer saved on leaving its field) does not swallow a click on another.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from carebook.domain.records import Record
from carebook.services import questions as question_service
from carebook.services import records as record_service
from carebook.services.visits import VisitDetail, is_upcoming
from carebook.ui.icons import icon
from carebook.ui.theme import current_colors
from carebook.ui.undo import (
    DeleteRecordCommand,
    EditRecordCommand,
    follow_up_done_command,
)
from carebook.ui.visits_model import FollowUpRow, KeyedRows, QuestionRow, status_note, when_text
from carebook.ui.widgets import button, card, label
from carebook.ui.workspace_state import WorkspaceState
from carebook.vault.record_store import RecordNotFound

COMPACT_WIDTH = 560  # pixels below which the visit's buttons drop their text
NOTES_HINT = ("What was said and decided. Saved when you leave the box or press Ctrl+S; "
              "Ctrl+Z undoes a save.")


class VisitDetailPane(QScrollArea):
    """One visit: heading and actions, questions, notes after it, follow-up tasks."""

    def __init__(self, state: WorkspaceState) -> None:
        super().__init__()
        self.state = state
        self.detail: VisitDetail | None = None
        self.saving_notes = False  # the section skips its reload while notes are being saved
        self._notes_loaded = ""
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        body.setObjectName("visitDetail")
        colors = current_colors()
        body.setStyleSheet(f"QFrame#visitRow {{ border: none; border-bottom: 1px solid "
                           f"{colors.border}; }} QWidget#visitDetail {{ background: "
                           f"{colors.window}; }}")
        self.column = QVBoxLayout(body)
        self.column.setContentsMargins(18, 4, 18, 18)
        self.column.setSpacing(12)
        self.placeholder = label("Choose a visit on the left.", "muted")
        self.column.addWidget(self.placeholder)
        self.content = QWidget()
        self.column.addWidget(self.content)
        self.column.addStretch(1)
        layout = QVBoxLayout(self.content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(14)
        layout.addLayout(self._build_heading())
        layout.addWidget(self._build_questions())
        layout.addWidget(self._build_notes())
        layout.addWidget(self._build_follow_ups())
        self.setWidget(body)
        self.show_detail(None)

    # --- building ----------------------------------------------------------------------

    def _build_heading(self) -> QVBoxLayout:
        box = QVBoxLayout()
        box.setSpacing(4)
        top = QHBoxLayout()
        self.when = label("", "heading", plain=True)
        self.status = QLabel("")
        top.addWidget(self.when, 1)
        top.addWidget(self.status, 0, Qt.AlignmentFlag.AlignTop)
        box.addLayout(top)
        self.who = label("", plain=True)
        self.place = label("", "muted", plain=True)
        self.reason = label("", plain=True)
        self.previous = label("", "muted", plain=True)
        for widget in (self.who, self.place, self.reason, self.previous):
            widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            box.addWidget(widget)
        actions = QHBoxLayout()
        actions.setContentsMargins(0, 6, 0, 0)
        self.prepare_button = self._button("Prepare for this visit…", "print",
                                           "Questions, medicines, recent results and the "
                                           "last visit on paper or PDF (Ctrl+P)", "primary")
        self.done_button = self._button("Mark as done", "", "The visit took place "
                                        "(Ctrl+Shift+D); Ctrl+Z undoes it")
        self.edit_button = self._button("Edit", "edit", "Edit the date, clinician, place or "
                                        "reason (Ctrl+E or Enter)")
        self.delete_button = self._button("Delete", "delete", "Delete this visit (Del); "
                                          "Ctrl+Z brings it back with its questions and tasks")
        for widget in (self.prepare_button, self.done_button, self.edit_button):
            actions.addWidget(widget)
        actions.addStretch(1)
        actions.addWidget(self.delete_button)
        box.addLayout(actions)
        return box

    def _button(self, text: str, icon_name: str, tip: str, role: str | None = None):
        widget = button(text, role)
        if icon_name:
            widget.setIcon(icon(icon_name, current_colors().accent_text if role == "primary"
                                else None))
        widget.setToolTip(tip)
        return widget

    def _card_top(self, title: str, body: QVBoxLayout) -> QLabel:
        top = QHBoxLayout()
        top.addWidget(label(title, "subheading", wrap=False))
        count = label("", "muted", wrap=False)
        top.addWidget(count)
        top.addStretch(1)
        body.addLayout(top)
        return count

    def _build_questions(self) -> QFrame:
        frame, body = card()
        self.question_count = self._card_top("Questions", body)
        self.questions = KeyedRows(self._question_row)
        body.addWidget(self.questions)
        self.no_questions = label("No questions for this visit yet: type one, or attach one "
                                  "from your list of questions.", "muted")
        body.addWidget(self.no_questions)
        row = QHBoxLayout()
        self.add_question_button = self._button("Add a question…", "add",
                                                "Type a question to ask at this visit "
                                                "(Ctrl+Shift+Q)")
        self.attach_button = self._button("Attach from my questions…", "question",
                                          "Bring open questions from your list to this visit "
                                          "(Ctrl+Shift+L)")
        row.addWidget(self.add_question_button)
        row.addWidget(self.attach_button)
        row.addStretch(1)
        body.addLayout(row)
        return frame

    def _build_notes(self) -> QFrame:
        frame, body = card()
        self._card_top("Notes after the visit", body)
        body.addWidget(label(NOTES_HINT, "muted"))
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(130)  # long notes scroll inside; the tasks stay in sight
        self.notes.setPlaceholderText("e.g. HbA1c 7.2 %. Keep metformin; repeat the kidney "
                                      "tests in 6 months.")
        self.notes.setToolTip("Notes after the visit (Ctrl+S saves)")
        self.notes.installEventFilter(self)
        body.addWidget(self.notes)
        return frame

    def _build_follow_ups(self) -> QFrame:
        frame, body = card()
        self.follow_up_count = self._card_top("Follow-up tasks", body)
        self.follow_ups = KeyedRows(self._follow_up_row)
        body.addWidget(self.follow_ups)
        self.no_follow_ups = label("No follow-up tasks. Open ones show on the Overview until "
                                   "they are ticked done.", "muted")
        body.addWidget(self.no_follow_ups)
        row = QHBoxLayout()
        self.add_follow_up_button = self._button("Add a follow-up task…", "add",
                                                 "A task with a due date, such as a blood test "
                                                 "to book (Ctrl+Shift+F)")
        row.addWidget(self.add_follow_up_button)
        row.addStretch(1)
        body.addLayout(row)
        return frame

    def _question_row(self) -> QuestionRow:
        row = QuestionRow()
        row.sig_asked.connect(self.set_asked)
        row.sig_answer.connect(self.set_answer)
        return row

    def _follow_up_row(self) -> FollowUpRow:
        row = FollowUpRow()
        row.sig_done.connect(self.set_done)
        row.sig_delete.connect(self.delete_follow_up)
        return row

    def resizeEvent(self, event: QResizeEvent) -> None:
        """On a narrow pane, Edit and Delete show their icons only (tooltips name them)."""
        super().resizeEvent(event)
        compact = self.viewport().width() < COMPACT_WIDTH
        self.edit_button.setText("" if compact else "Edit")
        self.delete_button.setText("" if compact else "Delete")

    # --- showing -----------------------------------------------------------------------

    @property
    def visit_id(self) -> int | None:
        """Id of the visit shown, if any."""
        return self.detail.visit.id if self.detail else None

    def show_detail(self, detail: VisitDetail | None, message: str = "") -> None:
        """Show a visit (None: the `message`, or an invitation to choose one)."""
        same_visit = detail is not None and detail.visit.id == self.visit_id
        self.detail = detail
        self.content.setVisible(detail is not None)
        self.placeholder.setVisible(detail is None)
        self.placeholder.setText(message or "Choose a visit on the left.")
        if detail is None:
            self.questions.sync([], date.today())
            self.follow_ups.sync([], date.today())
            self._load_notes("")
            return
        today = date.today()
        self._show_heading(detail, today)
        self.questions.sync(detail.questions, today)
        self.no_questions.setVisible(not detail.questions)
        asked = len(detail.asked)
        self.question_count.setText(f"{asked} of {len(detail.questions)} asked"
                                    if detail.questions else "")
        self.follow_ups.sync(detail.follow_ups, today)
        self.no_follow_ups.setVisible(not detail.follow_ups)
        still_open = sum(1 for task in detail.follow_ups if not task.values.get("done_on"))
        self.follow_up_count.setText(f"{still_open} open" if detail.follow_ups else "")
        if not same_visit or not self.notes_dirty():
            self._load_notes(detail.visit.values.get("notes") or "")

    def _show_heading(self, detail: VisitDetail, today: date) -> None:
        values = detail.visit.values
        upcoming = is_upcoming(detail.visit, today)
        note = status_note(detail.visit, upcoming, today)
        self.when.setText(when_text(values["starts_at"]) + (f" · {note}" if upcoming else ""))
        status = values.get("status") or "planned"
        colors = current_colors()
        tint = {"planned": colors.accent, "done": colors.ok}.get(status, colors.muted)
        self.status.setText(detail.visit.rtype.field("status").choice_label(status))
        self.status.setStyleSheet(f"color: {tint}; border: 1px solid {tint}; border-radius: 9px;"
                                  " padding: 1px 10px; font-weight: 600;")
        self.who.setText(" · ".join(p for p in (values.get("clinician"),
                                                values.get("specialty")) if p)
                         or "No clinician noted")
        self.place.setText(values.get("place") or "")
        self.place.setVisible(bool(values.get("place")))
        self.reason.setText(f"Reason: {values['reason']}" if values.get("reason") else "")
        self.reason.setVisible(bool(values.get("reason")))
        previous = detail.previous
        self.previous.setText(
            "Last visit: " + question_service.visit_label(previous)
            + (f" — {previous.values['reason']}" if previous.values.get("reason") else "")
            if previous else "No earlier visit recorded.")
        self.done_button.setVisible(status == "planned")

    def _load_notes(self, text: str) -> None:
        self._notes_loaded = text
        if self.notes.toPlainText() != text:
            self.notes.setPlainText(text)

    # --- notes -------------------------------------------------------------------------

    def notes_dirty(self) -> bool:
        """True when the notes box holds text not yet saved."""
        return self.notes.toPlainText().strip() != self._notes_loaded.strip()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Save the notes when their box loses the focus."""
        if watched is self.notes and event.type() == QEvent.Type.FocusOut:
            self.save_notes()
        return super().eventFilter(watched, event)

    def save_notes(self) -> bool:
        """Save typed notes as an undoable edit of the visit; False if they could not be."""
        if self.detail is None or not self.notes_dirty() or self.saving_notes:
            return True
        vault, visit_id, text = self.state.vault, self.detail.visit.id, self.notes.toPlainText()
        before = self.state.runner.task(record_service.get_record, vault, "visit",
                                        visit_id).failure(self._visit_gone).run_now()
        values = before and self.state.runner.task(record_service.validate, "visit",
                                                   {**before.values, "notes": text}).run_now()
        if not values:
            return False  # the runner said why; the text stays in the box
        self.saving_notes = True
        try:
            self.state.undo_stack.push(EditRecordCommand(self.state, before,
                                                         before.with_values(**values)))
        finally:
            self.saving_notes = False
        stored = self.state.runner.task(record_service.get_record, vault, "visit",
                                        visit_id).run_now()
        if stored is None or (stored.values.get("notes") or "") != (values["notes"] or ""):
            return False
        self.detail.visit = stored
        self._notes_loaded = text
        return True

    def _visit_gone(self, error: BaseException) -> None:
        if isinstance(error, RecordNotFound):
            self._notes_loaded = self.notes.toPlainText()  # its notes went with it
        else:
            self.state.runner.report(error, self)

    def store_notes_quietly(self) -> None:
        """Save typed notes without the undo stack or signals (the vault is locking)."""
        if self.detail is None or not self.notes_dirty():
            return
        visit_id, text = self.detail.visit.id, self.notes.toPlainText()

        def store(vault) -> Record:
            visit = record_service.get_record(vault, "visit", visit_id)
            return record_service.update_record(vault, visit, {**visit.values, "notes": text})

        if self.state.runner.task(store, self.state.vault).failure(
                self._visit_gone).run_now() is not None:
            self._notes_loaded = text

    # --- questions and follow-up tasks ---------------------------------------------------

    def _row_record(self, rows: KeyedRows, record_id: int) -> Record | None:
        row = rows.rows.get(record_id)
        return row.record if row is not None else None

    def set_asked(self, question_id: int, asked: bool) -> None:
        """Mark a question asked (or open again), keeping an answer typed meanwhile."""
        before = self._row_record(self.questions, question_id)
        if before is None:
            return
        typed = self.questions.rows[question_id].answer.text().strip()
        self._save_question(before, before.with_values(
            status="asked" if asked else "open", answer=typed or before.values.get("answer")))

    def set_answer(self, question_id: int, answer: str) -> None:
        """Save the answer noted for a question."""
        before = self._row_record(self.questions, question_id)
        if before is not None:
            self._save_question(before, before.with_values(answer=answer or None))

    def _save_question(self, before: Record, after: Record) -> None:
        # Validated first, as every form is: a stored value the form would refuse would make
        # every later edit of the question fail.
        values = self.state.runner.task(record_service.validate, "question",
                                        after.values).bound_to(self).run_now()
        if values is not None:
            self.state.undo_stack.push(EditRecordCommand(self.state, before,
                                                         after.with_values(**values)))

    def set_done(self, task_id: int, done: bool) -> None:
        """Tick a follow-up task done today, or open it again."""
        before = self._row_record(self.follow_ups, task_id)
        if before is None:
            return
        self.state.undo_stack.push(follow_up_done_command(self.state, before, done))

    def delete_follow_up(self, task_id: int) -> None:
        """Delete a follow-up task (undoable)."""
        task = self._row_record(self.follow_ups, task_id)
        if task is not None:
            self.state.undo_stack.push(DeleteRecordCommand(self.state, task))

    def focused_follow_up(self) -> int | None:
        """Id of the follow-up task whose row has the keyboard focus, if any."""
        focus = QApplication.focusWidget()
        for task_id, row in self.follow_ups.rows.items():
            if focus is not None and (focus is row or row.isAncestorOf(focus)):
                return task_id
        return None
