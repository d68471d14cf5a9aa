"""The Visits screen on the demo family: grouping, the visit's questions, notes and follow-up
tasks, and undo for every change."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from carebook.domain.records import Record
from carebook.services import profiles as profile_service
from carebook.services import visits as visit_service
from carebook.ui.visits_model import LINES_ROLE, VisitListModel, due_text
from carebook.ui.visits_section import VisitsSection
from carebook.vault.vault import Vault
from tests.conftest import PASSPHRASE
from tests.ui.conftest import open_section

TODAY = date.today()


def _visits(qtbot, make_window, folder, person: str = "Dad"):
    window, section = open_section(qtbot, make_window, folder, "visit", person)
    assert isinstance(section, VisitsSection)
    return window, section


def _on_day(window, offset: int) -> Record:
    """The person's visit `offset` days from today."""
    day = (TODAY + timedelta(days=offset)).isoformat()
    return next(v for v in window.vault.records.list("visit", window.state.profile_id)
                if v.values["starts_at"].startswith(day))


def _visit_rows(model: VisitListModel) -> list[list[int]]:
    return [[model.index(row, 0, model.index(group, 0)).data(Qt.ItemDataRole.UserRole + 1).id
             for row in range(model.rowCount(model.index(group, 0)))] for group in (0, 1)]


def _linked(window, kind: str, visit_id: int) -> list[Record]:
    return [r for r in window.vault.records.list(kind, window.state.profile_id)
            if r.values.get("visit_id") == visit_id]


def test_dads_visits_are_grouped_and_the_next_one_is_shown(qtbot, make_window,
                                                           demo_vault_dir):
    window, section = _visits(qtbot, make_window, demo_vault_dir)
    model = section.model
    assert [model.index(g, 0).data() for g in (0, 1)] == ["Upcoming (2)", "Past (2)"]
    upcoming, past = _visit_rows(model)
    assert upcoming == [_on_day(window, 3).id, _on_day(window, 45).id]
    assert past == [_on_day(window, -150).id, _on_day(window, -340).id]
    assert section.pane.visit_id == upcoming[0]
    assert model.visit_at(section.view.currentIndex()).id == upcoming[0]
    assert "in 3 days" in model.index(0, 0, model.index(0, 0)).data()
    texts = [row.text.text() for row in section.pane.questions.rows.values()]
    assert len(texts) == 2 and texts[0].startswith("My HbA1c went from 6.4 %")
    assert not any(row.asked.isChecked() for row in section.pane.questions.rows.values())
    assert section.pane.previous.text().startswith("Last visit: ")
    assert "Blood results; kidney function" in section.pane.previous.text()
    # The arrow keys go from visit to visit, over the "Past" heading.
    section.view.setFocus()
    qtbot.keyClick(section.view, Qt.Key.Key_Down)
    assert section.pane.visit_id == upcoming[1]
    qtbot.keyClick(section.view, Qt.Key.Key_Down)
    assert section.pane.visit_id == past[0]


def test_past_visit_shows_asked_questions_answers_notes_and_tasks(qtbot, make_window,
                                                                 demo_vault_dir):
    window, section = _visits(qtbot, make_window, demo_vault_dir)
    visit = _on_day(window, -150)
    section.select_visit(visit.id)
    pane = section.pane
    assert pane.visit_id == visit.id and pane.when.text().startswith(
        (TODAY - timedelta(days=150)).strftime("%a"))
    rows = list(pane.questions.rows.values())
    assert [row.record.values["status"] for row in rows] == ["asked", "asked"]
    assert all(row.asked.isChecked() for row in rows)
    answers = [row.answer.text() for row in rows]
    assert answers == [q.values["answer"] for q in _linked(window, "question", visit.id)]
    assert "Yes: referral to nephrology sent." in answers
    assert pane.question_count.text() == "2 of 2 asked"
    assert pane.notes.toPlainText().startswith("eGFR 54")
    tasks = list(pane.follow_ups.rows.values())
    assert len(tasks) == 4 and sum(row.check.isChecked() for row in tasks) == 2
    eye = next(row for row in tasks if row.record.values["text"].startswith("Eye check"))
    overdue_since = (TODAY - timedelta(days=10)).strftime("%d %b").lstrip("0")
    assert eye.due.text().startswith(f"overdue since {overdue_since}")
    assert pane.follow_up_count.text() == "2 open"
    assert not pane.done_button.isVisibleTo(pane)  # already done


def test_typed_question_is_stored_with_the_visit_and_ctrl_z_removes_it(
        qtbot, make_window, demo_vault_dir, interaction):
    window, section = _visits(qtbot, make_window, demo_vault_dir)
    visit_id = section.pane.visit_id
    interaction.answer("Can I still drive after the eye drops?")
    section.view.setFocus()
    qtbot.keyClick(section.view, Qt.Key.Key_Q,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    stored = _linked(window, "question", visit_id)
    assert [q.values["text"] for q in stored][-1] == "Can I still drive after the eye drops?"
    assert stored[-1].values["status"] == "open" and stored[-1].values["sort_order"] == 5
    assert stored[-1].id in section.pane.questions.rows
    window.actions.undo.trigger()
    assert len(_linked(window, "question", visit_id)) == 2
    assert stored[-1].id not in section.pane.questions.rows
    window.actions.redo.trigger()
    assert window.vault.records.get("question", stored[-1].id).values["visit_id"] == visit_id


def test_answer_and_asked_tick_are_saved_and_undoable(qtbot, make_window, demo_vault_dir):
    window, section = _visits(qtbot, make_window, demo_vault_dir)
    row = next(iter(section.pane.questions.rows.values()))
    question_id = row.record.id
    row.answer.setFocus()
    qtbot.keyClicks(row.answer, "Add a second medicine if HbA1c stays high")
    # One click on the tick: leaving the answer saves it, and the tick still lands.
    qtbot.mouseClick(row.asked, Qt.MouseButton.LeftButton)
    stored = window.vault.records.get("question", question_id).values
    assert stored["status"] == "asked" and stored["answer"].startswith("Add a second")
    assert section.pane.questions.rows[question_id] is row  # updated in place, not rebuilt
    assert section.pane.question_count.text() == "1 of 2 asked"
    window.actions.undo.trigger()
    assert window.vault.records.get("question", question_id).values["status"] == "open"
    assert not row.asked.isChecked()
    window.actions.undo.trigger()
    assert window.vault.records.get("question", question_id).values["answer"] is None
    assert row.answer.text() == ""


def test_ticking_a_follow_up_done_stores_today_and_undo_reopens(qtbot, make_window,
                                                                demo_vault_dir):
    window, section = _visits(qtbot, make_window, demo_vault_dir)
    section.select_visit(_on_day(window, -150).id)
    row = next(r for r in section.pane.follow_ups.rows.values() if not r.check.isChecked())
    task_id = row.record.id
    row.check.click()
    assert window.vault.records.get("follow_up", task_id).values["done_on"] == \
        TODAY.isoformat()
    assert row.due.text() == f"done {TODAY.strftime('%d %b').lstrip('0')}"
    assert task_id not in {t.id for t in visit_service.open_follow_ups(
        window.vault, window.state.profile_id)}
    window.actions.undo.trigger()
    assert window.vault.records.get("follow_up", task_id).values["done_on"] is None
    assert not section.pane.follow_ups.rows[task_id].check.isChecked()
    row.check.click()
    row.check.click()  # unticked again: open
    assert window.vault.records.get("follow_up", task_id).values["done_on"] is None


def test_a_click_on_a_task_while_typing_notes_keeps_both(qtbot, make_window,
                                                         demo_vault_dir):
    window, section = _visits(qtbot, make_window, demo_vault_dir)
    visit = _on_day(window, -150)
    section.select_visit(visit.id)
    section.pane.notes.setFocus()
    section.pane.notes.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(section.pane.notes, " Eye check booked.")
    row = next(r for r in section.pane.follow_ups.rows.values() if not r.check.isChecked())
    qtbot.mouseClick(row.text, Qt.MouseButton.LeftButton)  # the task's text ticks it too
    assert window.vault.records.get("follow_up", row.record.id).values["done_on"] == \
        TODAY.isoformat()
    assert section.pane.notes.toPlainText().endswith("Eye check booked.")  # kept through
    section.view.setFocus()  # leaving the box saves it
    assert window.vault.records.get("visit", visit.id).values["notes"].endswith(
        "Eye check booked.")


def test_add_and_delete_a_follow_up_task(qtbot, make_window, demo_vault_dir):
    window, section = _visits(qtbot, make_window, demo_vault_dir)
    visit_id = section.pane.visit_id
    section.pane.add_follow_up_button.click()
    form = section.dialog
    assert not form.editors["done_on"].isVisibleTo(form)
    due = (TODAY + timedelta(days=90)).isoformat()
    form.set_value("text", "Blood test for HbA1c")
    form.set_value("due_date", due)
    form.accept()
    task = _linked(window, "follow_up", visit_id)[-1]
    assert (task.values["text"], task.values["due_date"], task.values["done_on"]) == (
        "Blood test for HbA1c", due, None)
    row = section.pane.follow_ups.rows[task.id]
    row.check.setFocus()
    window.actions.delete.trigger()  # Del on a task's row deletes the task, not the visit
    assert _linked(window, "follow_up", visit_id) == []
    assert window.vault.records.get("visit", visit_id)
    window.actions.undo.trigger()
    assert [t.id for t in _linked(window, "follow_up", visit_id)] == [task.id]


def test_notes_are_saved_when_switching_visit_person_or_locking(qtbot, make_window,
                                                               demo_vault_dir):
    window, section = _visits(qtbot, make_window, demo_vault_dir)
    first = section.pane.visit_id
    section.pane.notes.setFocus()
    qtbot.keyClicks(section.pane.notes, "Bring the glucose meter.")
    section.view.setFocus()
    qtbot.keyClick(section.view, Qt.Key.Key_Down)
    assert window.vault.records.get("visit", first).values["notes"] == \
        "Bring the glucose meter."
    second = section.pane.visit_id
    assert second != first and section.pane.notes.toPlainText() == ""
    # Selecting another visit by program (no focus change) also saves first.
    section.pane.notes.setPlainText("Ask about the scan.")
    section.select_visit(first)
    assert window.vault.records.get("visit", second).values["notes"] == "Ask about the scan."
    assert section.pane.notes.toPlainText() == "Bring the glucose meter."
    window.actions.undo.trigger()  # each save is undoable
    assert window.vault.records.get("visit", second).values["notes"] is None
    section.pane.notes.setPlainText("Switching person.")
    workspace = window.workspace
    workspace.person.setCurrentIndex(workspace.person.findText("Léa"))
    assert window.vault.records.get("visit", first).values["notes"] == "Switching person."
    section.pane.notes.setPlainText("Typed just before the lock.")
    lea_visit = section.pane.visit_id
    window.lock()
    vault = Vault.unlock(demo_vault_dir, PASSPHRASE)
    try:
        assert vault.records.get("visit", lea_visit).values["notes"] == \
            "Typed just before the lock."
    finally:
        vault.close()


def test_a_reload_keeps_notes_being_typed(qtbot, make_window, demo_vault_dir):
    window, section = _visits(qtbot, make_window, demo_vault_dir)
    section.pane.notes.setPlainText("Half-typed")
    window.state.records_changed("question")  # another section changed something
    assert section.pane.notes.toPlainText() == "Half-typed"
    assert section.pane.notes_dirty()


def test_mark_as_done_and_delete_with_undo(qtbot, make_window, demo_vault_dir):
    window, section = _visits(qtbot, make_window, demo_vault_dir)
    visit_id = section.pane.visit_id
    section.pane.done_button.click()
    assert window.vault.records.get("visit", visit_id).values["status"] == "done"
    assert visit_id in _visit_rows(section.model)[1] and section.pane.visit_id == visit_id
    window.actions.undo.trigger()
    assert window.vault.records.get("visit", visit_id).values["status"] == "planned"
    assert _visit_rows(section.model)[0][0] == visit_id

    questions = _linked(window, "question", visit_id)
    section.view.setFocus()
    window.actions.delete.trigger()
    assert visit_id not in {v.id for v in window.vault.records.list(
        "visit", window.state.profile_id)}
    assert _linked(window, "question", visit_id) == []
    assert section.pane.visit_id != visit_id
    window.actions.undo.trigger()
    assert [q.id for q in _linked(window, "question", visit_id)] == [q.id for q in questions]
    section.select_visit(visit_id)
    assert len(section.pane.questions.rows) == 2


def test_enter_edits_the_visit(qtbot, make_window, demo_vault_dir):
    window, section = _visits(qtbot, make_window, demo_vault_dir)
    visit_id = section.pane.visit_id
    section.view.setFocus()
    qtbot.keyClick(section.view, Qt.Key.Key_Return)
    form = section.dialog
    assert form.editors["reason"].text().startswith("Diabetes review")
    form.set_value("place", "Cabinet médical des Lilas, room 2")
    form.accept()
    assert window.vault.records.get("visit", visit_id).values["place"].endswith("room 2")
    assert section.pane.place.text().endswith("room 2")
    assert len(_linked(window, "question", visit_id)) == 2


def test_ctrl_p_asks_for_the_pack_of_the_visit_shown(qtbot, make_window, demo_vault_dir):
    _window, section = _visits(qtbot, make_window, demo_vault_dir)
    section.view.setFocus()
    with qtbot.waitSignal(section.sig_prepare_pack, timeout=2000) as signal:
        qtbot.keyClick(section.view, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert signal.args == [section.pane.visit_id]


def test_attach_from_my_questions_moves_them_and_undo_puts_them_back(
        qtbot, make_window, demo_vault_dir):
    window, section = _visits(qtbot, make_window, demo_vault_dir)
    next_visit = section.pane.visit_id
    kidney = _on_day(window, 45).id
    section.select_visit(kidney)
    assert section.pane.no_questions.isVisibleTo(section.pane)
    section.pane.attach_button.click()
    dialog = section.dialog
    assert dialog.list.count() == 2 and "(now for " in dialog.list.item(0).text()
    dialog.set_checked(1, True)
    assert dialog.attach_button.text() == "Attach 1 question"
    dialog.accept()
    attached = _linked(window, "question", kidney)
    assert len(attached) == 1 and attached[0].values["text"].startswith("My potassium")
    assert list(section.pane.questions.rows) == [attached[0].id]
    window.actions.undo.trigger()
    assert window.vault.records.get("question", attached[0].id).values["visit_id"] == next_visit


def test_filter_narrows_the_list(qtbot, make_window, demo_vault_dir):
    window, section = _visits(qtbot, make_window, demo_vault_dir)
    window.actions.find.trigger()
    qtbot.keyClicks(section.filter, "haddad")
    assert _visit_rows(section.model) == [[_on_day(window, 45).id], []]
    assert section.pane.visit_id == _on_day(window, 45).id
    qtbot.keyClicks(section.filter, "zzz")
    assert section.pane.visit_id is None
    assert section.pane.placeholder.text() == "No visit matches the filter."


def test_person_without_visits_shows_the_empty_state(qtbot, make_window, demo_vault_dir,
                                                     interaction):
    window, section = _visits(qtbot, make_window, demo_vault_dir)
    grandma = profile_service.add_profile(window.vault, "Grandma")
    window.workspace.reload_people(prefer=grandma.id)
    assert section.stack.currentIndex() == 1
    assert section.empty.text().startswith("No visits for Grandma yet.")
    assert section.empty_add.isVisibleTo(section)
    for action in (window.actions.edit, window.actions.delete):
        action.trigger()  # nothing to act on: no error, no question
    section.prepare_pack()
    assert interaction.messages == []
    section.empty_add.click()
    section.dialog.set_value("starts_at", f"{TODAY + timedelta(days=7)}T09:30")
    section.dialog.set_value("clinician", "Dr. Lina Berg")
    section.dialog.accept()
    assert section.stack.currentIndex() == 0
    added = window.vault.records.list("visit", grandma.id)
    assert len(added) == 1 and added[0].values["status"] == "planned"
    assert section.pane.visit_id == added[0].id


def test_visit_list_model_passes_qtmodeltester(qtmodeltester, demo_vault):
    dad = demo_vault.profiles.find("Dad").id
    lists = visit_service.visit_lists(demo_vault, dad)
    model = VisitListModel()
    model.set_lists(lists.upcoming, lists.past)
    qtmodeltester.check(model, force_py=True)
    model.set_lists([], lists.past)  # the tester watches the reset
    assert model.index(0, 0).data() == "No upcoming visits"
    assert not model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsSelectable
    cancelled = Record("visit", dad, {**lists.past[0].values, "status": "cancelled"}, id=99)
    model.set_lists([], [cancelled])
    when, _who, _reason, muted = model.index(0, 0, model.index(1, 0)).data(LINES_ROLE)
    assert when.endswith("· Cancelled") and muted


def test_due_dates_in_words():
    def task(**values):
        return Record("follow_up", 1, {"text": "x", "due_date": None, "done_on": None,
                                       **values})

    day = date(2026, 11, 20)
    assert due_text(task(due_date="2026-11-03"), day) == "overdue since 3 Nov"
    assert due_text(task(due_date="2026-11-20"), day) == "due today"
    assert due_text(task(due_date="2026-11-21"), day) == "due tomorrow"
    assert due_text(task(due_date="2027-01-05"), day) == "due 5 Jan 2027"
    assert due_text(task(due_date="2026-11-03", done_on="2026-11-02"), day) == "done 2 Nov"
    assert due_text(task(), day) == "no due date"


def test_notes_that_cannot_be_saved_keep_the_visit_and_the_text(qtbot, make_window,
                                                                 demo_vault_dir, interaction):
    """Too long to store: the warning says so, the visit stays chosen, nothing typed is
    lost; a page break pasted from a letter is kept as a line break."""
    window, section = _visits(qtbot, make_window, demo_vault_dir)
    first = section.pane.visit_id
    too_long = "x" * 100_001
    section.pane.notes.setPlainText(too_long)
    section.view.setFocus()
    qtbot.keyClick(section.view, Qt.Key.Key_Down)
    assert any("100000" in text or "100,000" in text for text in interaction.warnings())
    assert section.pane.visit_id == first
    assert section.pane.notes.toPlainText() == too_long
    section.pane.notes.setPlainText("Letter page one\x0cpage two")
    assert section.pane.save_notes()
    assert window.vault.records.get("visit", first).values["notes"] == \
        "Letter page one\npage two"
