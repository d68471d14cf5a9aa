"""Unlocking: wrong passphrase, recovery code (with its forced new passphrase), idle lock."""

from __future__ import annotations

import hashlib

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from carebook.services.demo import DEMO_PASSPHRASE
from tests.conftest import NEW_PASSPHRASE, PASSPHRASE
from tests.ui.conftest import unlock


def _snapshot(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_existing_vault_opens_on_the_unlock_page(make_window, vault_dir):
    """A folder that holds a vault starts at the unlock page, not the welcome page."""
    window = make_window(vault_dir)
    assert window.pages.currentWidget() is window.unlock_page
    assert str(vault_dir) in window.unlock_page.folder_label.text()
    assert not window.actions.lock.isEnabled()


def test_wrong_passphrase_says_so_and_changes_nothing(qtbot, make_window, vault_dir):
    """The message is the vault's own; the files are byte-identical afterwards."""
    before = _snapshot(vault_dir)
    window = make_window(vault_dir)
    page = window.unlock_page
    qtbot.keyClicks(page.secret, "not the passphrase")
    qtbot.keyClick(page.secret, Qt.Key.Key_Return)
    qtbot.waitUntil(page.error.isVisible, timeout=10_000)
    assert "does not unlock" in page.error.text()
    assert window.vault is None
    assert page.secret.isEnabled() and page.unlock_button.isEnabled()
    assert _snapshot(vault_dir) == before


def test_recovery_code_unlocks_and_a_new_passphrase_is_required(qtbot, make_window, vault_dir,
                                                                recovery_code):
    """Declining the new passphrase locks again; setting one opens the workspace and the
    old passphrase stops working."""
    window = make_window(vault_dir)
    page = window.unlock_page
    page.mode_button.click()
    qtbot.keyClicks(page.secret, recovery_code.lower().replace("-", " "))
    qtbot.keyClick(page.secret, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.passphrase_dialog is not None, timeout=10_000)
    assert window.workspace is None  # nothing is shown before a new passphrase is set
    window.passphrase_dialog.reject()  # "Lock instead"
    qtbot.waitUntil(lambda: window.vault is None)
    assert window.pages.currentWidget() is window.unlock_page

    page.mode_button.click()
    qtbot.keyClicks(page.secret, recovery_code)
    qtbot.keyClick(page.secret, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.passphrase_dialog is not None, timeout=10_000)
    dialog = window.passphrase_dialog
    qtbot.keyClicks(dialog.entry.passphrase, NEW_PASSPHRASE)
    qtbot.keyClicks(dialog.entry.confirmation, NEW_PASSPHRASE)
    qtbot.waitUntil(dialog.ok_button.isEnabled)
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=10_000)
    window.lock()
    unlock(qtbot, window, NEW_PASSPHRASE)
    window.lock()
    window.unlock_page.secret.setText(PASSPHRASE)
    window.unlock_page.unlock_button.click()
    qtbot.waitUntil(window.unlock_page.error.isVisible, timeout=10_000)


def test_change_passphrase_from_the_menu_checks_the_current_one(qtbot, make_window, vault_dir):
    """A wrong current passphrase is refused inside the dialog; the right one changes it."""
    window = make_window(vault_dir)
    unlock(qtbot, window, PASSPHRASE)
    window.actions.change_passphrase.trigger()
    dialog = window.passphrase_dialog
    dialog.current.setText("wrong current passphrase")
    dialog.entry.passphrase.setText(NEW_PASSPHRASE)
    dialog.entry.confirmation.setText(NEW_PASSPHRASE)
    qtbot.waitUntil(dialog.ok_button.isEnabled)
    dialog.ok_button.click()
    qtbot.waitUntil(dialog.error.isVisible, timeout=10_000)
    assert "does not unlock" in dialog.error.text()
    dialog.current.setText(PASSPHRASE)
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: window.passphrase_dialog is None, timeout=10_000)
    window.lock()
    unlock(qtbot, window, NEW_PASSPHRASE)


def test_idle_lock_clears_the_views_and_input_postpones_it(qtbot, make_window, demo_vault_dir):
    """Input resets the countdown; without input the vault locks and says why."""
    window = make_window(demo_vault_dir)
    unlock(qtbot, window, PASSPHRASE)
    overview = window.workspace.sections["overview"]
    assert overview.findChildren(type(window.unlock_page.error))  # cards are shown
    window.idle.arm(400)
    for _ in range(4):  # keep moving the mouse for longer than the timeout
        QTest.qWait(150)
        QTest.mouseMove(window, QPoint(300 + _, 300))
    assert window.vault is not None
    qtbot.waitUntil(lambda: window.vault is None, timeout=5_000)
    assert window.workspace is None
    assert window.pages.currentWidget() is window.unlock_page
    assert "without activity" in window.unlock_page.error.text()


def test_demo_session_shows_its_passphrase_on_the_unlock_page(qtbot, make_window, tmp_path):
    """`carebook --demo`: a living family at once; after a lock, the demo passphrase is shown."""
    window = make_window(tmp_path / "unused", demo=True)
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=20_000)
    people = [window.workspace.person.itemText(i) for i in range(window.workspace.person.count())]
    assert people == ["Me", "Dad", "Léa"]
    demo_folder = window.context.vault_dir
    window.lock()
    assert DEMO_PASSPHRASE in window.unlock_page.hint.text()
    unlock(qtbot, window, DEMO_PASSPHRASE)
    window.close()
    window.context.cleanup()
    assert not demo_folder.exists()


def test_locking_dismisses_open_questions(qtbot, make_window, vault_dir):
    """A confirmation left open when the vault locks answers "cancel", not "delete"."""
    from PySide6.QtWidgets import QMessageBox

    window = make_window(vault_dir)
    unlock(qtbot, window, PASSPHRASE)
    question = QMessageBox(QMessageBox.Icon.Warning, "Delete Dad?", "Really?",
                           QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                           window)
    question.open()
    qtbot.waitUntil(question.isVisible)
    window.lock()
    assert not question.isVisible()
    assert question.result() != QMessageBox.StandardButton.Yes
