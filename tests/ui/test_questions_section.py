"""The Questions section on the demo family: order, visits, drafting, undo."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt

from carebook.knowledge import load_catalogue
from carebook.services import questions as qs
from carebook.ui.questions_model import QuestionsModel
from carebook.ui.questions_section import EMPTY_TEXT
from tests.ui.conftest import open_section


def _questions(qtbot, make_window, folder, person="Dad"):
    return open_section(qtbot, make_window, folder, "question", person)


def _column(section, column: int) -> list[str]:
    model = section.proxy
    return [model.index(row, column).data() for row in range(model.rowCount())]


def _stored(window) -> list[str]:
    return [q.values["text"] for q in qs.list_questions(window.vault, window.state.profile_id)]


def _drafted(qtbot, section):
    section.draft_button.click()
    qtbot.waitUntil(lambda: section.drafts_dialog is not None, timeout=10_000)
    return section.drafts_dialog


def _flagged_names(vault, profile_id) -> set[str]:
    """Catalogue names of results outside their printed range on the latest such day,
    worked out here from values and ranges rather than by the app's own flag code."""
    catalogue, by_day = load_catalogue(), {}
    for result in vault.records.list("lab_result", profile_id):
        v = result.values
        out = v["value"] is not None and ((v["ref_low"] is not None and v["value"] < v["ref_low"])
                                          or (v["ref_high"] is not None
                                              and v["value"] > v["ref_high"]))
        if out and v.get("analyte"):
            by_day.setdefault(v["collected_at"][:10], set()).add(
                catalogue.get(v["analyte"]).name)
    return by_day[max(by_day)]


def test_dads_questions_show_in_order_with_what_and_when(qtbot, make_window, demo_vault_dir):
    window, section = _questions(qtbot, make_window, demo_vault_dir)
    texts = _column(section, 0)
    # Two open for the next visit, then two asked (and answered) at the visit 150 days ago.
    assert texts == _stored(window) and len(texts) == 4
    assert texts[0].startswith("My HbA1c went from 6.4 %")
    assert _column(section, 1) == ["Hemoglobin A1c", "Potassium",
                                  "eGFR (CKD-EPI 2021, creatinine)", ""]
    assert all("Dr. Anne Moreau" in text and "2" in text for text in _column(section, 2))
    assert _column(section, 3) == ["Open", "Open", "✓ Asked", "✓ Asked"]
    assert not section.view.isSortingEnabled()  # the person's order is the order


def test_empty_list_says_what_it_is_for(qtbot, make_window, demo_vault_dir):
    _window, section = _questions(qtbot, make_window, demo_vault_dir, person="Me")
    assert section.stack.currentWidget() is section.empty
    assert section.empty.text() == EMPTY_TEXT
    assert section.draft_button.isEnabled() and not section.up_button.isEnabled()


def test_ctrl_down_and_up_move_the_question_and_keep_it_selected(qtbot, make_window,
                                                                demo_vault_dir):
    window, section = _questions(qtbot, make_window, demo_vault_dir)
    first, second, *asked = _stored(window)
    first_id = section.model.row_at(0).id
    section.select_row(first_id)
    section.view.setFocus()
    qtbot.keyClick(section.view, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert _stored(window) == [second, first, *asked]
    assert _column(section, 0) == [second, first, *asked]
    assert section.selected_row().id == first_id
    assert section.down_button.isEnabled() and section.up_button.isEnabled()
    window.actions.undo.trigger()
    assert _stored(window) == [first, second, *asked]
    qtbot.keyClick(section.view, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert _stored(window) == [first, second, *asked]  # already at the top: nothing moves
    last_id = section.model.row_at(3).id
    section.select_row(last_id)
    assert not section.down_button.isEnabled()  # already at the bottom


def test_attach_to_another_visit_persists_and_shows(qtbot, make_window, demo_vault_dir):
    window, section = _questions(qtbot, make_window, demo_vault_dir)
    question = section.model.row_at(1)
    section.select_row(question.id)
    section.attach_button.click()
    dialog = section.attach_dialog
    combo = dialog.choice
    labels = [combo.itemText(i) for i in range(combo.count())]
    assert labels[0] == "No visit" and len(labels) == 3  # Dad's two planned visits
    combo.setCurrentIndex(next(i for i, text in enumerate(labels) if "Haddad" in text))
    dialog.accept()
    kidney = window.vault.records.get("question", question.id).values["visit_id"]
    assert window.vault.records.get("visit", kidney).values["clinician"] == "Dr. Karim Haddad"
    assert "Dr. Karim Haddad" in _column(section, 2)[1]
    window.actions.undo.trigger()
    assert window.vault.records.get("question", question.id).values["visit_id"] == \
        question.values["visit_id"]


def test_drafts_from_results_are_offered_then_stored_only_when_added(
        qtbot, make_window, demo_vault_dir):
    window, section = _questions(qtbot, make_window, demo_vault_dir)
    before = _stored(window)
    dialog = _drafted(qtbot, section)
    offered = [draft.text for draft in dialog.drafts]
    flagged = _flagged_names(window.vault, window.state.profile_id)
    assert any(name.casefold() in text.casefold() for text in offered
               for name in flagged), flagged
    assert _stored(window) == before  # nothing stored while the person chooses
    dialog.set_checked(0, False)
    assert dialog.add_button.text() == f"Add {len(offered) - 1} questions"
    dialog.accept()
    stored = qs.list_questions(window.vault, window.state.profile_id)
    assert [q.values["text"] for q in stored] == before + offered[1:]
    about = json.loads(stored[-1].values["about"])
    assert about["drafted_by"] == "template" and about["record_ids"]
    assert stored[-1].values["visit_id"] == stored[0].values["visit_id"]  # the next visit
    assert window.vault.audit.entries(limit=1)[0].action == "questions_drafted"
    assert section.model.rowCount() == len(stored)
    window.actions.undo.trigger()
    assert _stored(window) == before


def test_drafting_twice_adds_no_duplicates(qtbot, make_window, demo_vault_dir, interaction):
    window, section = _questions(qtbot, make_window, demo_vault_dir, person="Léa")
    _drafted(qtbot, section).accept()
    count = len(_stored(window))
    section.draft_button.click()
    qtbot.waitUntil(lambda: any(m[1] == "No new questions" for m in interaction.messages),
                    timeout=10_000)
    assert section.drafts_dialog is None
    assert len(_stored(window)) == count == len(set(_stored(window)))


def test_delete_is_undone_in_place(qtbot, make_window, demo_vault_dir):
    window, section = _questions(qtbot, make_window, demo_vault_dir)
    first = section.model.row_at(0)
    section.select_row(first.id)
    window.actions.delete.trigger()
    assert section.model.rowCount() == 3
    window.actions.undo.trigger()
    assert window.vault.records.get("question", first.id).values == first.values
    assert section.model.row_at(0).id == first.id


def test_add_edit_and_mark_asked_keep_order_and_visit(qtbot, make_window, demo_vault_dir):
    window, section = _questions(qtbot, make_window, demo_vault_dir)
    window.actions.add.trigger()
    section.dialog.set_value("text", "Can I drive after the kidney scan?")
    section.dialog.accept()
    added = qs.list_questions(window.vault, window.state.profile_id)[-1]
    assert added.values["text"] == "Can I drive after the kidney scan?"
    assert added.values["status"] == "open" and added.values["sort_order"] == 5

    first = section.model.row_at(0)
    section.select_row(first.id)
    section.view.setFocus()
    qtbot.keyClick(section.view, Qt.Key.Key_Return)  # Enter opens the form
    assert not section.dialog.editors["about"].isVisibleTo(section.dialog)  # drafted links
    section.dialog.set_value("text", "Should my diabetes treatment change?")
    section.dialog.accept()
    edited = window.vault.records.get("question", first.id).values
    assert edited["text"] == "Should my diabetes treatment change?"
    assert (edited["visit_id"], edited["sort_order"], edited["about"]) == (
        first.values["visit_id"], first.values["sort_order"], first.values["about"])

    section.select_row(first.id)
    section.asked_button.click()
    assert window.vault.records.get("question", first.id).values["status"] == "asked"
    assert _column(section, 3)[0] == "✓ Asked"
    assert section.asked_button.text() == "Mark as open"


def test_text_edited_in_place_is_saved_and_undoable(qtbot, make_window, demo_vault_dir):
    window, section = _questions(qtbot, make_window, demo_vault_dir)
    question = section.model.row_at(1)
    assert section.model.setData(section.model.index(1, 0), "Is my potassium too high?")
    qtbot.waitUntil(lambda: window.vault.records.get("question", question.id)
                    .values["text"] == "Is my potassium too high?")
    assert window.vault.records.get("question", question.id).values["visit_id"] == \
        question.values["visit_id"]
    assert not section.model.setData(section.model.index(1, 0), "   ")  # never emptied
    window.actions.undo.trigger()
    assert window.vault.records.get("question", question.id).values["text"] == \
        question.values["text"]


def test_questions_model_passes_qtmodeltester(qtmodeltester, demo_vault):
    dad = demo_vault.profiles.find("Dad").id
    model = QuestionsModel()
    model.set_questions(qs.list_questions(demo_vault, dad), qs.visits_by_id(demo_vault, dad),
                        load_catalogue())
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 4
    assert model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable
    assert not model.flags(model.index(0, 1)) & Qt.ItemFlag.ItemIsEditable
