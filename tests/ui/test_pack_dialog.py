"""The appointment-pack and emergency-card dialogs on the demo family: what is chosen is what
is printed, paper and text size, saving (and failing to save), printing, the wallet card."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QLocale
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QGraphicsView

from carebook.file_names import safe_file_name
from carebook.services.profiles import update_person_details
from carebook.services.visits import add_question, next_visit
from carebook.ui.card_dialog import WHERE_TO_FILL, CardDialog
from carebook.ui.pack_dialog import PackDialog
from carebook.ui.printout_dialog import default_paper
from carebook.ui.theme import apply_theme
from tests.ui.conftest import open_section


def _window(qtbot, make_window, folder, person: str):
    window, _overview = open_section(qtbot, make_window, folder, "overview", person)
    return window


def _pack(qtbot, make_window, folder, *, visit: str = "next"):
    window = _window(qtbot, make_window, folder, "Dad")
    visit_id = next_visit(window.vault, window.state.profile_id).id if visit == "next" else None
    dialog = PackDialog(window.state, visit_id, window)
    dialog.show()
    return window, dialog


def _pages(path: Path) -> list[str]:
    """Each page's text with runs of white space as one space (Qt places words one by one)."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(path).pages]


def _save(dialog, interaction, path: Path) -> None:
    interaction.answer(path)
    dialog.save_button.click()


def _audit(window, action: str):
    return [entry for entry in window.vault.audit.entries() if entry.action == action]


def test_the_pack_holds_only_the_chosen_sections(qtbot, make_window, demo_vault_dir, interaction,
                                                 tmp_path):
    window, dialog = _pack(qtbot, make_window, demo_vault_dir)
    assert dialog.windowTitle() == "Appointment pack — Dad"
    assert "Diabetes review" in dialog.heading.text()
    assert all(check.isChecked() for check in dialog.checks.values())
    assert "Ctrl+S" in dialog.save_button.toolTip() and "Ctrl+P" in dialog.print_button.toolTip()
    dialog.checks["vitals"].setChecked(False)
    dialog.checks["results"].setChecked(False)
    assert dialog.document.section_keys == ("person", "medications", "allergies",
                                            "conditions", "questions")
    out = tmp_path / "pack.pdf"
    _save(dialog, interaction, out)
    pages = _pages(out)
    text = "\n".join(pages)
    for chosen in ("Metformin", "1000 mg", "Penicillin", "Widespread rash",
                   "Chronic kidney disease", "Should my diabetes treatment change?"):
        assert chosen in text
    for unchosen in ("Recent vitals", "Vitals in the last", "Blood pressure", "Results since",
                     "Results in the last", "Glucose, fasting", "eGFR"):
        assert unchosen not in text
    for number, page in enumerate(pages, start=1):
        assert "Henri Martin" in page and f"Page {number} of {len(pages)}" in page
    exported = _audit(window, "printout_exported")
    assert len(exported) == 1 and exported[0].profile_id == window.state.profile_id
    assert exported[0].detail["sections"] == list(dialog.document.section_keys)
    assert "pack.pdf" in dialog.status.text() and dialog.open_folder_button.isVisibleTo(dialog)
    assert dialog.isVisible()  # saved, and still there for another copy


def test_letter_paper_and_largest_text(qtbot, make_window, demo_vault_dir, interaction,
                                       tmp_path):
    _, dialog = _pack(qtbot, make_window, demo_vault_dir)
    dialog.paper.setCurrentIndex(dialog.paper.findData("A4"))
    normal = dialog.pages
    assert normal >= 2 and dialog.pages_label.text() == f"{normal} pages"
    dialog.paper.setCurrentIndex(dialog.paper.findData("Letter"))
    out = tmp_path / "letter.pdf"
    _save(dialog, interaction, out)
    box = PdfReader(out).pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx((612, 792), abs=1)
    dialog.paper.setCurrentIndex(dialog.paper.findData("A4"))
    dialog.text_size.setCurrentIndex(dialog.text_size.findData("largest"))
    assert dialog.page_setup().text_size == "largest"
    assert dialog.pages > normal
    assert dialog.preview.pageCount() == dialog.pages


def test_with_nothing_ticked_there_is_nothing_to_save_or_print(qtbot, make_window,
                                                               demo_vault_dir):
    _, dialog = _pack(qtbot, make_window, demo_vault_dir)
    for check in dialog.checks.values():
        check.setChecked(False)
    assert dialog.document is None
    assert not dialog.save_button.isEnabled() and not dialog.print_button.isEnabled()
    assert dialog.stack.currentWidget() is dialog.message
    assert "at least one" in dialog.message.text()
    dialog.save_pdf()  # an unscripted file question would fail the test
    dialog.checks["allergies"].setChecked(True)
    assert dialog.save_button.isEnabled() and dialog.document.section_keys == ("allergies",)


def test_choices_are_remembered_without_health_data(qtbot, make_window, demo_vault_dir,
                                                    settings_file):
    window, dialog = _pack(qtbot, make_window, demo_vault_dir)
    dialog.checks["vitals"].setChecked(False)
    dialog.paper.setCurrentIndex(dialog.paper.findData("Letter"))
    dialog.text_size.setCurrentIndex(dialog.text_size.findData("large"))
    dialog.close()
    again = PackDialog(window.state, None, window)
    assert not again.checks["vitals"].isChecked() and again.checks["results"].isChecked()
    assert again.page_setup().paper == "Letter" and again.page_setup().text_size == "large"
    window.settings.sync()
    stored = settings_file.read_text(encoding="utf-8")
    for private in ("Dad", "Henri", "Metformin", "Moreau"):
        assert private not in stored


def test_an_unwritable_folder_gives_a_message_and_no_file(qtbot, make_window, demo_vault_dir,
                                                          interaction, tmp_path, monkeypatch):
    window, dialog = _pack(qtbot, make_window, demo_vault_dir)
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    if os.access(folder, os.W_OK):  # running as root: make the system refuse as it would
        def refuse(path, _data, *args, **kwargs):
            raise PermissionError(13, "Permission denied", str(path))

        monkeypatch.setattr("carebook.ui.print_pdf.write_atomically", refuse)
    try:
        _save(dialog, interaction, folder / "pack.pdf")
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)
    [warning] = interaction.warnings()
    assert "pack.pdf" in warning and "Permission denied" in warning
    assert "Traceback" not in warning
    assert dialog.isVisible() and dialog.save_button.isEnabled()
    assert dialog.status.text().startswith("Not saved")
    assert not dialog.open_file_button.isVisibleTo(dialog)
    assert _audit(window, "printout_exported") == []
    monkeypatch.undo()
    _save(dialog, interaction, tmp_path / "pack")  # a name without .pdf gets it
    assert (tmp_path / "pack.pdf").is_file()


def test_printing_is_audited(qtbot, make_window, demo_vault_dir, tmp_path):
    window, dialog = _pack(qtbot, make_window, demo_vault_dir)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    dialog.print_on(printer)
    [printed] = _audit(window, "printout_printed")
    assert printed.profile_id == window.state.profile_id
    assert printed.detail["pages"] == dialog.pages == len(_pages(tmp_path / "printed.pdf"))
    assert "to the printer" in dialog.status.text()


def test_the_preview_follows_new_records(qtbot, make_window, demo_vault_dir):
    window, dialog = _pack(qtbot, make_window, demo_vault_dir, visit=None)
    text = "Is my walking enough exercise?"
    add_question(window.vault, window.state.profile_id, dialog.visit_id, text)
    window.state.records_changed("question")
    qtbot.waitUntil(lambda: text in dialog.document.section("questions").blocks[0].items)


def test_the_suggested_file_name_is_safe_and_says_whose(qtbot, make_window, demo_vault_dir):
    _, dialog = _pack(qtbot, make_window, demo_vault_dir)
    name = dialog.suggested_path().name
    assert name == f"Henri Martin (Dad) – appointment pack {dialog.visit_day}.pdf"
    assert safe_file_name('a/b: c*?"d') == "a b c d.pdf"
    assert safe_file_name(" ... ") == "Carebook printout.pdf"
    assert safe_file_name("CON") == "Carebook CON.pdf"
    assert len(safe_file_name("é" * 500).encode("utf-8")) <= 204


def test_default_paper_follows_the_locale():
    assert default_paper(QLocale("en_US")) == "Letter"
    assert default_paper(QLocale("fr_CA")) == "Letter"
    assert default_paper(QLocale("fr_FR")) == "A4"
    assert default_paper(QLocale("en_GB")) == "A4"


def test_the_emergency_card_is_wallet_sized(qtbot, make_window, demo_vault_dir, interaction,
                                            tmp_path):
    window = _window(qtbot, make_window, demo_vault_dir, "Léa")
    dialog = CardDialog(window.state, window)
    dialog.show()
    assert dialog.windowTitle() == "Emergency card — Léa"
    assert dialog.hint.text() == WHERE_TO_FILL
    assert dialog.suggested_path().name.startswith("Léa Martin – emergency card ")
    out = tmp_path / "card.pdf"
    _save(dialog, interaction, out)
    box = PdfReader(out).pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx((242.6, 153.0), abs=1.5)
    text = "\n".join(_pages(out))
    for expected in ("Emergency card", "Léa Martin", "Peanut", "Adrenaline",
                     "Claire Martin (mother)", "Marc Martin (father)"):
        assert expected in text
    [exported] = _audit(window, "printout_exported")
    assert exported.profile_id == window.state.profile_id
    assert exported.detail["paper"] == "card"


def test_the_preview_prints_black_on_white_in_a_dark_theme(qtbot, make_window, demo_vault_dir,
                                                          qapp):
    """The preview replays pages with the screen painter's pen: a dark theme's light text
    colour must not reach text printed in the paper's default black."""
    window = _window(qtbot, make_window, demo_vault_dir, "Léa")
    apply_theme(qapp, "dark")
    try:
        dialog = CardDialog(window.state, window)
        dialog.show()
        viewport = dialog.preview.findChild(QGraphicsView).viewport()
        assert viewport.palette().color(viewport.foregroundRole()).name() == "#000000"
    finally:
        apply_theme(qapp, "light")


def test_the_card_says_where_missing_details_come_from(qtbot, make_window, demo_vault_dir):
    window = _window(qtbot, make_window, demo_vault_dir, "Léa")
    dialog = CardDialog(window.state, window)
    dialog.show()
    update_person_details(window.vault, window.state.profile_id,
                          {"full_name": "Léa Martin", "blood_type": None,
                           "emergency_contacts": ""})
    window.state.sig_profiles_edited.emit()
    qtbot.waitUntil(lambda: dialog.hint.text() != WHERE_TO_FILL)
    assert dialog.hint.text().startswith("No blood type and no emergency contact recorded")
    assert WHERE_TO_FILL in dialog.hint.text()
    assert "No contact recorded" in str(dialog.document.section("contacts"))
