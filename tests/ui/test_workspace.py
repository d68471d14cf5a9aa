"""The workspace: people, undo, filters, Overview, documents and the activity log."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.conftest import PASSPHRASE
from tests.ui.conftest import unlock


def _open(qtbot, make_window, folder):
    window = make_window(folder)
    unlock(qtbot, window, PASSPHRASE)
    return window


def _open_with_person(qtbot, make_window, folder, interaction, name="Me"):
    window = _open(qtbot, make_window, folder)
    interaction.answer(name)
    window.actions.add_person.trigger()
    return window


def _choose(window, name: str) -> None:
    window.workspace.person.setCurrentIndex(window.workspace.person.findText(name))


def test_overview_puts_what_matters_first(qtbot, make_window, demo_vault_dir):
    """Dad's Overview lists his out-of-range results, current medicines, allergy, next visit."""
    window = _open(qtbot, make_window, demo_vault_dir)
    _choose(window, "Dad")
    window.workspace.show_section("overview")
    text = " ".join(label.text() for label in
                    window.workspace.sections["overview"].findChildren(type(
                        window.unlock_page.error)))
    for expected in ("Results out of range (8)", "Hemoglobin A1c", "7.6 %", "eGFR",
                     "Penicillin", "Metformin", "Ramipril", "Diabetes review",
                     "Type 2 diabetes"):
        assert expected in text
    assert "Amlodipine" not in text  # stopped, so not a current medication


def test_delete_is_undone_with_ctrl_z_and_redone(qtbot, make_window, demo_vault_dir):
    """Deleting a medication, undoing and redoing keep the same record (same id)."""
    window = _open(qtbot, make_window, demo_vault_dir)
    _choose(window, "Dad")
    window.workspace.show_section("medication")
    section = window.workspace.sections["medication"]
    before = section.model.rowCount()
    metformin = next(section.model.record_at(r) for r in range(before)
                     if section.model.record_at(r).values["name"] == "Metformin")
    section.select_row(metformin.id)
    window.actions.delete.trigger()
    assert section.model.rowCount() == before - 1
    assert "Ctrl+Z" in window.statusBar().currentMessage()
    assert window.actions.undo.isEnabled()
    window.actions.undo.trigger()
    assert section.model.rowCount() == before
    restored = window.vault.records.get("medication", metformin.id)
    assert restored.values == metformin.values
    window.actions.redo.trigger()
    assert section.model.rowCount() == before - 1
    actions = [entry.action for entry in window.vault.audit.entries(limit=3)]
    assert actions == ["record_deleted", "record_restored", "record_deleted"]


def test_edit_is_undoable(qtbot, make_window, demo_vault_dir):
    """An edit through the form can be undone back to the old values."""
    window = _open(qtbot, make_window, demo_vault_dir)
    _choose(window, "Léa")
    window.workspace.show_section("condition")
    allergies = window.workspace.sections["condition"].parts[1]
    peanut = next(allergies.model.record_at(r) for r in range(allergies.model.rowCount())
                  if allergies.model.record_at(r).values["substance"] == "Peanut")
    allergies.select_row(peanut.id)
    allergies.edit_selected()
    dialog = allergies.dialog
    dialog.editors["reaction"].setText("Hives and wheeze")
    dialog.accept()
    assert window.vault.records.get("allergy", peanut.id).values["reaction"] == "Hives and wheeze"
    window.actions.undo.trigger()
    assert window.vault.records.get("allergy", peanut.id).values["reaction"] == \
        peanut.values["reaction"]


def test_filter_ignores_accents_and_case(qtbot, make_window, demo_vault_dir):
    """Typing "hemoglobine" finds Léa's "Hémoglobine" rows, and nothing else."""
    window = _open(qtbot, make_window, demo_vault_dir)
    _choose(window, "Léa")
    window.workspace.show_section("lab_result")
    section = window.workspace.sections["lab_result"]
    window.actions.find.trigger()
    qtbot.keyClicks(section.filter, "hemoglobine")
    proxy = section.proxy
    results = [proxy.index(row, 0, proxy.index(panel, 0, proxy.index(day, 0)))
               for day in range(proxy.rowCount())
               for panel in range(proxy.rowCount(proxy.index(day, 0)))
               for row in range(proxy.rowCount(proxy.index(panel, 0, proxy.index(day, 0))))]
    assert {index.data() for index in results} == {"Hémoglobine"}
    assert len(results) == 3  # one per date, grouped under its date and panel


def test_people_add_rename_and_delete_with_confirmation(qtbot, make_window, demo_vault_dir,
                                                        interaction):
    """Declining the confirmation deletes nothing; confirming removes the person's records."""
    window = _open(qtbot, make_window, demo_vault_dir)
    workspace = window.workspace
    _choose(window, "Léa")
    interaction.answer("Léa M.")
    window.actions.rename_person.trigger()
    assert workspace.person.currentText() == "Léa M."
    lea_id = workspace.state.profile_id
    interaction.answer(False)
    window.actions.delete_person.trigger()
    assert workspace.person.findText("Léa M.") >= 0
    kind, _title, text = interaction.messages[-1]
    assert kind == "confirm" and "cannot be undone" in text
    interaction.answer(True)
    window.actions.delete_person.trigger()
    assert workspace.person.findText("Léa M.") == -1
    assert window.vault.records.count("lab_result", lea_id) == 0
    interaction.answer("Dad")
    window.actions.add_person.trigger()  # a taken name is refused, in words
    assert any("already someone called" in text for text in interaction.warnings())


def test_documents_are_stored_saved_out_and_deleted(qtbot, make_window, vault_dir, interaction,
                                                    tmp_path):
    """A file goes into the vault, a duplicate is reported, a copy comes out identical."""
    window = _open_with_person(qtbot, make_window, vault_dir, interaction)
    window.workspace.show_section("document")
    section = window.workspace.sections["document"]
    letter = tmp_path / "referral.pdf"
    letter.write_bytes(b"%PDF-1.4 synthetic letter for a synthetic person\n%%EOF\n")
    interaction.answer([letter])
    window.actions.add.trigger()
    qtbot.waitUntil(lambda: section.model.rowCount() == 1, timeout=10_000)
    interaction.answer([letter])
    window.actions.add.trigger()
    qtbot.waitUntil(lambda: any(kind == "inform" for kind, *_ in interaction.messages),
                    timeout=10_000)
    assert section.model.rowCount() == 1
    section.select_row(section.model.row_at(0).id)
    copy = tmp_path / "copy.pdf"
    interaction.answer(copy)
    window.actions.edit.trigger()  # Enter / Edit on a document saves a copy
    assert copy.read_bytes() == letter.read_bytes()
    interaction.answer(True)
    window.actions.delete.trigger()
    assert section.model.rowCount() == 0


def test_activity_is_newest_first_and_follows_changes(qtbot, make_window, vault_dir,
                                                      interaction):
    """Opening the vault and adding a record appear at the top of the log."""
    window = _open_with_person(qtbot, make_window, vault_dir, interaction)
    window.workspace.show_section("medication")
    medications = window.workspace.sections["medication"]
    window.actions.add.trigger()
    medications.dialog.editors["name"].setText("Vitamin D3")
    medications.dialog.accept()
    window.workspace.show_section("activity")
    activity = window.workspace.sections["activity"]
    top = [activity.proxy.index(r, 1).data() for r in range(3)]
    assert top[0] == "Record added"
    assert "Vault unlocked" in top
    ids = [activity.proxy.index(r, 0).data(Qt.ItemDataRole.UserRole + 1)
           for r in range(activity.proxy.rowCount())]
    assert ids == sorted(ids, reverse=True)


def test_empty_person_shows_a_helpful_empty_state(qtbot, make_window, vault_dir, interaction):
    """An empty list says whose it is and how to fill it, instead of a blank table."""
    window = _open_with_person(qtbot, make_window, vault_dir, interaction)
    window.workspace.show_section("immunization")
    section = window.workspace.sections["immunization"]
    assert section.stack.currentWidget() is section.empty
    assert "No immunizations for Me yet" in section.empty.text()


def test_sections_are_on_alt_digits_and_people_on_ctrl_digits(qtbot, make_window,
                                                              demo_vault_dir):
    """View lists the ten sections on Alt+1 … Alt+0; People shows each person on Ctrl+n."""
    window = _open(qtbot, make_window, demo_vault_dir)
    assert [a.shortcut().toString() for a in window.actions.sections] == \
        [f"Alt+{n % 10}" for n in range(1, 11)]
    assert [a.shortcut().toString() for a in window.actions.people] == \
        ["Ctrl+1", "Ctrl+2", "Ctrl+3"]


def test_renaming_and_deleting_refresh_the_people_menu(qtbot, make_window, demo_vault_dir,
                                                       interaction):
    """A new name shows in the People menu and the switcher; a deleted person leaves both."""
    window = _open(qtbot, make_window, demo_vault_dir)
    workspace = window.workspace
    _choose(window, "Léa")
    interaction.answer("Zoé")
    window.actions.rename_person.trigger()
    assert [a.text() for a in window.actions.people] == ["Show Me", "Show Dad", "Show Zoé"]
    assert window.actions.people[2].isChecked()
    assert not workspace.person.itemIcon(workspace.person.currentIndex()).isNull()
    assert workspace.badge.pixmap() is not None and not workspace.badge.pixmap().isNull()
    interaction.answer(True)
    window.actions.delete_person.trigger()
    assert [a.text() for a in window.actions.people] == ["Show Me", "Show Dad"]
    assert sum(a.isChecked() for a in window.actions.people) == 1


def test_person_details_are_in_the_people_button_menu(qtbot, make_window, demo_vault_dir):
    """The people button beside the switcher offers the details form too."""
    window = _open(qtbot, make_window, demo_vault_dir)
    _choose(window, "Dad")
    entry = next(a for a in window.workspace.people_menu.actions()
                 if a.text() == "Person details…")
    entry.trigger()
    dialog = window.workspace.details_dialog
    assert dialog is not None and dialog.windowTitle() == "Person details — Dad"
    assert dialog.raw_values()["blood_type"] == "O-"
    dialog.reject()
