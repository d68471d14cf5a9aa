"""Caregiving in the window: switching people, their details and badge, refill and follow-up
warnings on the Overview, and the renewal request."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QLabel, QPushButton
from shiboken6 import isValid

from tests.conftest import PASSPHRASE
from tests.ui.conftest import unlock

CTRL, ALT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.AltModifier


def _open(qtbot, make_window, folder, person: str | None = None):
    window = make_window(folder)
    unlock(qtbot, window, PASSPHRASE)
    if person is not None:
        window.workspace.show_person(window.vault.profiles.find(person).id)
    return window


def _texts(widget) -> str:
    return "\n".join(label.text() for label in widget.findChildren(QLabel))


def _badge_colour(label: QLabel) -> str:
    """The colour of the badge's disc, left of its initials."""
    image = label.pixmap().toImage()
    return QColor(image.pixel(round(image.width() * 0.15),
                              image.height() // 2)).name()


def test_ctrl_digits_switch_people_and_alt_digits_sections(qtbot, make_window, demo_vault_dir):
    """Ctrl+2 shows Dad, Ctrl+3 Léa, Ctrl+1 Me; Alt+2 opens Lab results, Alt+1 the Overview."""
    window = _open(qtbot, make_window, demo_vault_dir)
    workspace = window.workspace
    for key, name in ((Qt.Key.Key_2, "Dad"), (Qt.Key.Key_3, "Léa"), (Qt.Key.Key_1, "Me")):
        qtbot.keyClick(window, key, CTRL)
        assert workspace.person.currentText() == name
        assert window.state.profile.name == name
    qtbot.keyClick(window, Qt.Key.Key_2, ALT)
    assert workspace.current_section() is workspace.sections["lab_result"]
    qtbot.keyClick(window, Qt.Key.Key_1, ALT)
    assert workspace.current_section() is workspace.sections["overview"]


def test_people_menu_lists_everyone_with_badge_shortcut_and_check(qtbot, make_window,
                                                                  demo_vault_dir, interaction):
    """The People menu has "Show <name>" per person, the shown one checked; it follows
    additions, and goes away on lock."""
    window = _open(qtbot, make_window, demo_vault_dir, "Dad")
    people = window.actions.people
    assert [a.text() for a in people] == ["Show Me", "Show Dad", "Show Léa"]
    assert [a.shortcut().toString() for a in people] == ["Ctrl+1", "Ctrl+2", "Ctrl+3"]
    assert [a.isChecked() for a in people] == [False, True, False]
    assert all(not a.icon().isNull() for a in people)
    assert all(a in window.actions.people_menu.actions() for a in people)
    interaction.answer("Grandma")
    window.actions.add_person.trigger()
    assert [a.text() for a in window.actions.people][-1] == "Show Grandma"
    assert window.actions.people[-1].isChecked()
    window.actions.people[1].trigger()
    assert window.state.profile.name == "Dad"
    window.lock()
    assert window.actions.people == []


def test_switcher_items_carry_badges_in_each_persons_colour(qtbot, make_window,
                                                            demo_vault_dir):
    """Each person gets a different colour, in the combo and the big badge beside it."""
    window = _open(qtbot, make_window, demo_vault_dir, "Me")
    workspace = window.workspace
    colours = set()
    for index in range(workspace.person.count()):
        workspace.person.setCurrentIndex(index)
        assert not workspace.person.itemIcon(index).isNull()
        colours.add(_badge_colour(workspace.badge))
    assert len(colours) == 3


def test_person_details_are_stored_and_recoloured(qtbot, make_window, demo_vault_dir):
    """Blood type, contacts and colour set in the form are stored; the badge follows."""
    window = _open(qtbot, make_window, demo_vault_dir, "Léa")
    workspace = window.workspace
    before = _badge_colour(workspace.badge)
    qtbot.keyClick(window, Qt.Key.Key_P, CTRL | Qt.KeyboardModifier.ShiftModifier)
    dialog = workspace.details_dialog
    assert dialog is not None and "Léa" in dialog.windowTitle()
    assert dialog.raw_values()["full_name"] == "Léa Martin"  # pre-filled
    dialog.set_value("blood_type", "B+")
    dialog.set_value("emergency_contacts", "Claire Martin, mother, 06 00 00 00 01")
    dialog.set_value("colour", "#b0306b")
    dialog.accept()
    assert workspace.details_dialog is None or not dialog.isVisible()
    stored = window.vault.profiles.find("Léa")
    assert stored.blood_type == "B+"
    assert stored.emergency_contacts == "Claire Martin, mother, 06 00 00 00 01"
    assert stored.colour == "#b0306b"
    after = _badge_colour(workspace.badge)
    assert after != before and after == "#b0306b"
    assert window.state.profile.blood_type == "B+"  # the views were given the new details


def test_bad_birth_date_keeps_the_details_form_open(qtbot, make_window, demo_vault_dir,
                                                    interaction):
    """A date that is not one stays in the form with a message under it; nothing is saved."""
    window = _open(qtbot, make_window, demo_vault_dir, "Dad")
    window.actions.person_details.trigger()
    dialog = window.workspace.details_dialog
    dialog.set_value("birth_date", "31 Febtember")
    dialog.set_value("blood_type", "AB-")
    dialog.accept()
    assert dialog.isVisible()
    assert dialog.errors["birth_date"].isVisible() and dialog.errors["birth_date"].text()
    assert dialog.raw_values()["blood_type"] == "AB-"  # what was typed is kept
    assert window.vault.profiles.find("Dad").blood_type == "O-"
    assert interaction.warnings() == []  # said in the form, not in a message box
    dialog.reject()


def test_overview_warns_of_refills_and_open_follow_ups(qtbot, make_window, demo_vault_dir):
    """Dad: Ramipril's refill is due in 4 days; two open tasks, the overdue one says so."""
    window = _open(qtbot, make_window, demo_vault_dir, "Dad")
    window.workspace.show_section("overview")
    overview = window.workspace.sections["overview"]
    text = _texts(overview)
    assert "Refills coming up" in text
    refills = [lbl.accessibleName() for lbl in overview.findChildren(QLabel)
               if "refill" in lbl.accessibleName()]
    assert len(refills) == 1  # Metformin's is 9 days away: not yet
    assert refills[0].startswith("Ramipril 10 mg: refill due in 4 days")
    assert "Follow-up tasks (2)" in text
    tasks = {t.values["text"]: t.id for t in window.vault.records.list(
        "follow_up", window.state.profile_id) if not t.values["done_on"]}
    assert set(overview.follow_up_boxes) == set(tasks.values())
    eye = overview.follow_up_boxes[tasks["Eye check with the diabetes screening service"]]
    assert eye.accessibleDescription().startswith("overdue by 10 days")
    readings = overview.follow_up_boxes[tasks["Bring a week of home blood-pressure readings"]]
    assert readings.accessibleDescription().startswith("due in 3 days")
    eye_due = overview.due_labels[tasks["Eye check with the diabetes screening service"]]
    assert "overdue by 10 days" in eye_due.text() and "#b3261e" in eye_due.text()  # red
    assert "overdue" not in "".join(
        overview.due_labels[tasks["Bring a week of home blood-pressure readings"]].text())


def test_a_follow_ups_visit_link_shows_that_visit(qtbot, make_window, demo_vault_dir):
    """The "from the visit of …" link opens Visits with that visit selected."""
    window = _open(qtbot, make_window, demo_vault_dir, "Dad")
    window.workspace.show_section("overview")
    overview = window.workspace.sections["overview"]
    task_id, due = next(iter(overview.due_labels.items()))
    visit_id = window.vault.records.get("follow_up", task_id).values["visit_id"]
    assert f"href='{visit_id}'" in due.text()
    due.linkActivated.emit(str(visit_id))
    visits = window.workspace.sections["visit"]
    assert window.workspace.current_section() is visits
    assert visits.selected_visit().id == visit_id
    assert visits.pane.visit_id == visit_id


def test_ticking_a_follow_up_off_stores_it_and_ctrl_z_brings_it_back(qtbot, make_window,
                                                                     demo_vault_dir):
    """The ticked task leaves the Overview with done_on = today; undo opens it again."""
    window = _open(qtbot, make_window, demo_vault_dir, "Dad")
    window.workspace.show_section("overview")
    overview = window.workspace.sections["overview"]
    dad = window.state.profile_id
    eye = next(t for t in window.vault.records.list("follow_up", dad)
               if t.values["text"].startswith("Eye check"))
    overview.follow_up_boxes[eye.id].setChecked(True)
    assert window.vault.records.get("follow_up", eye.id).values["done_on"] == \
        date.today().isoformat()
    qtbot.waitUntil(lambda: eye.id not in overview.follow_up_boxes)
    assert "Eye check" not in _texts(overview)
    assert "Follow-up tasks (1)" in _texts(overview)
    window.actions.undo.trigger()
    assert window.vault.records.get("follow_up", eye.id).values["done_on"] is None
    assert eye.id in overview.follow_up_boxes


def test_renewal_from_the_overview_drafts_and_copies(qtbot, make_window, demo_vault_dir):
    """The message names the medicine, dose, last refill and Dad's full name; Copy and
    Ctrl+C (nothing selected) put it on the clipboard."""
    window = _open(qtbot, make_window, demo_vault_dir, "Dad")
    window.workspace.show_section("overview")
    overview = window.workspace.sections["overview"]
    ask = next(b for b in overview.findChildren(QPushButton)
               if b.text() == "Ask for a renewal…")
    ask.click()
    dialog = overview.renewal_dialog
    assert dialog.windowTitle() == "Ask for a renewal — Dad"
    text = dialog.text()
    for expected in ("Ramipril", "10 mg", "Last refill", "Henri Martin"):
        assert expected in text
    QGuiApplication.clipboard().clear()
    next(b for b in dialog.findChildren(QPushButton) if b.text() == "Copy").click()
    assert QGuiApplication.clipboard().text() == text
    dialog.editor.setPlainText(text + "\nPS: by Friday please.")
    QGuiApplication.clipboard().clear()
    dialog.editor.setFocus()
    qtbot.keyClick(dialog.editor, Qt.Key.Key_C, CTRL)
    assert QGuiApplication.clipboard().text().endswith("PS: by Friday please.")
    dialog.close()
    window.actions.lock.trigger()  # locking takes the message off the clipboard
    assert QGuiApplication.clipboard().text() == ""


def test_locking_leaves_what_someone_else_copied_alone(qtbot, make_window, demo_vault_dir):
    window = _open(qtbot, make_window, demo_vault_dir, "Dad")
    window.workspace.show_section("overview")
    overview = window.workspace.sections["overview"]
    next(b for b in overview.findChildren(QPushButton)
         if b.text() == "Ask for a renewal…").click()
    overview.renewal_dialog.copy_all()
    QGuiApplication.clipboard().setText("a shopping list")
    window.actions.lock.trigger()
    assert QGuiApplication.clipboard().text() == "a shopping list"


def test_closing_an_edited_renewal_asks_first(qtbot, make_window, demo_vault_dir,
                                              interaction):
    """Changes not copied or printed are not dropped without a question; locking closes
    the message without asking."""
    window = _open(qtbot, make_window, demo_vault_dir, "Dad")
    window.workspace.show_section("medication")
    section = window.workspace.sections["medication"]
    section.select_row(section.model.record_at(0).id)
    section.ask_for_renewal()
    dialog = section.renewal_dialog
    dialog.editor.setFocus()
    qtbot.keyClicks(dialog.editor, "Urgent. ")
    interaction.answer(False)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible()
    assert interaction.messages[-1][1] == "Close the message?"
    interaction.answer(True)
    dialog.reject()
    assert not dialog.isVisible()
    section.ask_for_renewal()
    qtbot.keyClicks(section.renewal_dialog.editor, "Urgent. ")
    window.lock()  # no question: the vault is closing
    assert window.workspace is None


def test_renewal_from_medications_prints_and_is_logged(qtbot, make_window, demo_vault_dir,
                                                       tmp_path):
    """Ctrl+Shift+W on a selected medication opens its renewal; printing it is audited."""
    window = _open(qtbot, make_window, demo_vault_dir, "Dad")
    window.workspace.show_section("medication")
    section = window.workspace.sections["medication"]
    assert not section.renewal_button.isEnabled()
    metformin = next(section.model.record_at(r) for r in range(section.model.rowCount())
                     if section.model.record_at(r).values["name"] == "Metformin")
    section.select_row(metformin.id)
    assert section.renewal_button.isEnabled()
    section.view.setFocus()
    qtbot.keyClick(section.view, Qt.Key.Key_W, CTRL | Qt.KeyboardModifier.ShiftModifier)
    dialog = section.renewal_dialog
    assert dialog is not None and "Metformin" in dialog.text()
    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "renewal.pdf"))
    dialog.print_to(printer)
    assert (tmp_path / "renewal.pdf").read_bytes().startswith(b"%PDF")
    entry = window.vault.audit.entries(limit=1)[0]
    assert entry.action == "printout_printed"
    dialog.close()


def test_ctrl_p_in_visits_opens_the_pack_for_the_chosen_visit(qtbot, make_window,
                                                              demo_vault_dir):
    """Visits → Ctrl+P: the pack dialog for the selected (past) visit; the People menu's
    Appointment pack… with Visits elsewhere: the next visit."""
    from carebook.ui.pack_dialog import PackDialog

    window = _open(qtbot, make_window, demo_vault_dir, "Dad")
    workspace = window.workspace
    workspace.show_section("visit")
    visits = workspace.sections["visit"]
    past = visits.pane  # the pane shows the selected visit
    chosen = window.vault.records.list("visit", window.state.profile_id)
    earliest = min(chosen, key=lambda v: v.values["starts_at"])
    visits.select_visit(earliest.id)
    visits.view.setFocus()
    qtbot.keyClick(visits.view, Qt.Key.Key_P, CTRL)
    dialog = workspace.printout
    assert isinstance(dialog, PackDialog) and dialog.visit_id == earliest.id
    assert "Dad" in dialog.windowTitle() and past is visits.pane
    workspace.show_section("overview")
    window.actions.prepare_pack.trigger()
    assert workspace.printout is not dialog  # one printout at a time
    upcoming = min((v for v in chosen if v.values["status"] == "planned"
                    and v.values["starts_at"] >= date.today().isoformat()),
                   key=lambda v: v.values["starts_at"])
    assert workspace.printout.visit_id in (None, upcoming.id)
    assert upcoming.values["reason"] in workspace.printout.findChild(QLabel).text() or any(
        upcoming.values["reason"] in label.text()
        for label in workspace.printout.findChildren(QLabel))


def test_people_menu_opens_the_emergency_card_of_the_person_shown(qtbot, make_window,
                                                                  demo_vault_dir):
    from carebook.ui.card_dialog import CardDialog

    window = _open(qtbot, make_window, demo_vault_dir, "Léa")
    window.actions.emergency_card.trigger()
    dialog = window.workspace.printout
    assert isinstance(dialog, CardDialog) and "Léa" in dialog.windowTitle()
    assert "Peanut" in " ".join(page for section in dialog.document.sections
                                for page in [str(section.blocks)])
    workspace = window.workspace
    window.actions.lock.trigger()
    assert not dialog.isVisible() and workspace.printout is None


def test_overview_prepares_the_next_visit_in_one_click(qtbot, make_window, demo_vault_dir):
    from carebook.ui.pack_dialog import PackDialog

    window = _open(qtbot, make_window, demo_vault_dir, "Dad")
    overview = window.workspace.sections["overview"]
    window.workspace.show_section("overview")
    button = next(b for b in overview.findChildren(QPushButton)
                  if b.text() == "Prepare for this visit…")
    button.click()
    dialog = window.workspace.printout
    visit = window.vault.records.get("visit", dialog.visit_id)
    assert isinstance(dialog, PackDialog) and visit.values["clinician"] == "Dr. Anne Moreau"
    assert visit.values["reason"].startswith("Diabetes review")


def test_a_documents_copy_is_suggested_under_the_persons_name(qtbot, make_window,
                                                               demo_vault_dir, tmp_path,
                                                               interaction):
    from carebook.services.documents import add_document_file

    letter = tmp_path / "letter: from the clinic.txt"
    letter.write_text("Synthetic letter.", encoding="utf-8")
    window = _open(qtbot, make_window, demo_vault_dir, "Dad")
    info = add_document_file(window.vault, window.state.profile_id, letter)
    window.workspace.show_section("document")
    section = window.workspace.sections["document"]
    section.reload()
    section.select_row(info.id)
    asked = []

    def save_file(parent, title, suggested, filters):
        asked.append(suggested)
        return tmp_path / "copy.txt"

    interaction.save_file = save_file
    section.save_copy()
    assert asked == ["Dad – letter  from the clinic.txt".replace("  ", " ")]
    assert (tmp_path / "copy.txt").read_text(encoding="utf-8") == "Synthetic letter."


def test_a_closed_printout_does_not_forget_the_one_opened_after_it(qtbot, make_window,
                                                                    demo_vault_dir):
    """Pack closed, card opened, then the pack's deferred deletion runs: the card is still
    the open printout, and opening another closes it."""
    window = _open(qtbot, make_window, demo_vault_dir, "Dad")
    workspace = window.workspace
    window.actions.prepare_pack.trigger()
    pack = workspace.printout
    pack.close()
    window.actions.emergency_card.trigger()
    card = workspace.printout
    qtbot.waitUntil(lambda: not isValid(pack), timeout=5000)  # its deleteLater has run
    assert workspace.printout is card
    window.actions.prepare_pack.trigger()
    assert workspace.printout is not card and not card.isVisible()


def test_a_renewal_for_a_stopped_medicine_asks_first(qtbot, make_window, demo_vault_dir,
                                                     interaction):
    window = _open(qtbot, make_window, demo_vault_dir, "Dad")
    window.workspace.show_section("medication")
    section = window.workspace.sections["medication"]
    stopped = next(m for m in window.vault.records.list("medication", window.state.profile_id)
                   if m.values["name"] == "Amlodipine")
    section.select_row(stopped.id)
    interaction.answer(False)
    section.ask_for_renewal()
    assert interaction.messages[-1][1] == "Renew a stopped medicine?"
    assert section.renewal_dialog is None
    interaction.answer(True)
    section.ask_for_renewal()
    assert "Amlodipine" in section.renewal_dialog.text()


def test_record_text_that_looks_like_markup_shows_as_typed(qtbot, make_window, demo_vault_dir):
    """A reason "Check <b>kidneys</b> & <Potassium>" is shown with its brackets, in Visits
    and on the Overview, not read as markup."""
    from carebook.services.records import add_record

    window = _open(qtbot, make_window, demo_vault_dir, "Me")
    odd = "Check <b>kidneys</b> & <Potassium>"
    visit = add_record(window.vault, "visit", window.state.profile_id, {
        "starts_at": f"{date.today().isoformat()}T23:00", "reason": odd, "status": "planned",
        "clinician": "Dr. <i>Who</i>"})
    add_record(window.vault, "allergy", window.state.profile_id,
               {"substance": "<Nuts>", "reaction": "a & b"})
    window.state.records_changed("*")
    window.workspace.show_visit(visit.id)
    pane = window.workspace.sections["visit"].pane
    assert pane.reason.text() == f"Reason: {odd}"
    assert pane.reason.textFormat() == Qt.TextFormat.PlainText
    window.workspace.show_section("overview")
    overview = window.workspace.sections["overview"]
    shown = [label.text() for label in overview.findChildren(QLabel)]
    assert any("&lt;Nuts&gt;" in text and "a &amp; b" in text for text in shown)
