"""The whole first-run journey, driven as a person would with keyboard and mouse:
create a vault, save the recovery code, add a person and a medication, lock, unlock."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from carebook.ui.clipboard import forget_copied
from carebook.vault.vault import is_vault
from tests.conftest import PASSPHRASE
from tests.ui.conftest import unlock

CODE_PATTERN = re.compile(r"^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){5}$")


def _create_vault(qtbot, window) -> str:
    welcome = window.welcome
    qtbot.keyClicks(welcome.entry.passphrase, PASSPHRASE)
    qtbot.keyClicks(welcome.entry.confirmation, PASSPHRASE)
    qtbot.waitUntil(welcome.create_button.isEnabled)
    qtbot.mouseClick(welcome.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.recovery, timeout=15_000)
    return window.recovery.code_label.text()


def test_first_launch_shows_welcome_and_refuses_a_weak_passphrase(qtbot, make_window, tmp_path):
    """A weak passphrase keeps Create disabled and says why, in words."""
    window = make_window(tmp_path / "vault")
    assert window.pages.currentWidget() is window.welcome
    entry = window.welcome.entry
    qtbot.keyClicks(entry.passphrase, "password1")
    qtbot.keyClicks(entry.confirmation, "password1")
    qtbot.waitUntil(lambda: "Too short" in entry.verdict.text() or
                    "guess" in entry.verdict.text())
    assert not window.welcome.create_button.isEnabled()
    assert not entry.acceptable
    entry.clear()
    qtbot.keyClicks(entry.passphrase, "correct horse battery staple")
    qtbot.keyClicks(entry.confirmation, "correct horse battery stapl")
    qtbot.waitUntil(lambda: entry.mismatch.text() != "")
    assert not window.welcome.create_button.isEnabled()
    assert not is_vault(tmp_path / "vault")


def test_create_add_person_and_medication_lock_and_unlock(qtbot, make_window, interaction,
                                                          tmp_path):
    """The issue's journey: everything typed survives a lock and an unlock."""
    window = make_window(tmp_path / "vault")
    code = _create_vault(qtbot, window)
    assert CODE_PATTERN.match(code)
    recovery = window.recovery
    assert not recovery.continue_button.isEnabled()
    recovery.copy_button.click()
    assert QApplication.clipboard().text() == code
    forget_copied()  # what the one-minute timer (or a lock) does, run now
    assert QApplication.clipboard().text() == ""
    recovery.saved.setChecked(True)
    qtbot.mouseClick(recovery.continue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.workspace is not None)
    assert recovery.code_label.text() == ""  # the code is not left on a hidden page
    workspace = window.workspace
    assert workspace.person.currentText() == "Me"

    interaction.answer("Dad")
    window.actions.add_person.trigger()
    assert workspace.person.currentText() == "Dad"

    workspace.show_section("medication")
    section = workspace.sections["medication"]
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: section.dialog is not None and section.dialog.isVisible())
    dialog = section.dialog
    qtbot.keyClicks(dialog.editors["name"], "Metformin")
    qtbot.keyClicks(dialog.editors["dose"], "500 mg")
    qtbot.keyClicks(dialog.editors["start_date"].line, "2024-03-01")
    dialog.accept()
    qtbot.waitUntil(lambda: section.dialog is None)
    assert section.model.rowCount() == 1
    assert section.model.record_at(0).values["name"] == "Metformin"

    # Offscreen there is no window manager to give the window back its focus after the
    # dialog closes, as a desktop would.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.vault is None and window.workspace is None
    assert window.pages.currentWidget() is window.unlock_page
    assert not window.actions.add.isEnabled()

    unlock(qtbot, window, PASSPHRASE)
    workspace = window.workspace
    workspace.person.setCurrentIndex(workspace.person.findText("Dad"))
    workspace.show_section("medication")
    section = workspace.sections["medication"]
    assert [section.model.record_at(r).values["name"] for r in range(section.model.rowCount())] \
        == ["Metformin"]
    assert section.model.record_at(0).values["start_date"] == "2024-03-01"


def test_form_shows_validation_errors_and_stays_open(qtbot, make_window, vault_dir, interaction):
    """A stop date before the start date is refused under its field; nothing is saved."""
    window = make_window(vault_dir)
    unlock(qtbot, window, PASSPHRASE)
    interaction.answer("Léa")
    window.actions.add_person.trigger()
    window.workspace.show_section("medication")
    section = window.workspace.sections["medication"]
    window.actions.add.trigger()
    dialog = section.dialog
    qtbot.keyClicks(dialog.editors["name"], "Salbutamol")
    qtbot.keyClicks(dialog.editors["start_date"].line, "2025-05-01")
    qtbot.keyClicks(dialog.editors["stop_date"].line, "2025-04-01")
    qtbot.keyClicks(dialog.editors["refills_left"], "two")
    dialog.accept()
    assert dialog.isVisible()
    assert dialog.errors["stop_date"].isVisible()
    assert "before" in dialog.errors["stop_date"].text()
    assert "whole number" in dialog.errors["refills_left"].text()
    assert not dialog.errors["name"].isVisible()
    assert section.model.rowCount() == 0
    dialog.reject()
