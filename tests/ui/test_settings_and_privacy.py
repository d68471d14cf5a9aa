"""UI state that is remembered (and health data that is not), theme, and crash handling."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QDialog

from carebook.ui import launcher
from carebook.ui.settings_dialog import SettingsDialog
from carebook.ui.theme import DARK, LIGHT, apply_theme
from tests.conftest import PASSPHRASE
from tests.ui.conftest import unlock


def test_window_geometry_and_section_are_remembered(qtbot, make_window, demo_vault_dir,
                                                    ui_settings):
    """A second window opens at the size and on the section the first one had."""
    first = make_window(demo_vault_dir)
    first.resize(777, 707)
    unlock(qtbot, first, PASSPHRASE)
    first.workspace.show_section("vital")
    first.close()
    second = make_window(demo_vault_dir, settings=ui_settings)
    assert (second.width(), second.height()) == (777, 707)
    unlock(qtbot, second, PASSPHRASE)
    assert second.workspace.current_section() is second.workspace.sections["vital"]


def test_settings_dialog_changes_the_auto_lock_delay(qtbot, make_window, vault_dir, ui_settings):
    """Auto-lock after 2 minutes, or not at all, as chosen in Settings."""
    window = make_window(vault_dir)
    unlock(qtbot, window, PASSPHRASE)
    assert window.idle.armed and ui_settings.auto_lock_minutes == 5
    dialog = SettingsDialog(ui_settings, window)
    dialog.minutes.setValue(2)
    dialog.accept()
    window._arm_idle()
    assert window.idle._timer.interval() == 120_000
    dialog = SettingsDialog(ui_settings, window)
    dialog.auto_lock.setChecked(False)
    dialog.accept()
    window._arm_idle()
    assert not window.idle.armed
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_dark_and_light_palettes_apply(qapp):
    """The chosen theme sets the palette; "system" falls back to light offscreen."""
    apply_theme(qapp, "dark")
    assert qapp.palette().color(QPalette.ColorRole.Window) == QColor(DARK.window)
    apply_theme(qapp, "system")
    assert qapp.palette().color(QPalette.ColorRole.Window) == QColor(LIGHT.window)
    apply_theme(qapp, "light")


def test_qsettings_hold_no_health_data(qtbot, make_window, demo_vault_dir, settings_file):
    """After a session full of names and results, the settings file holds none of them."""
    window = make_window(demo_vault_dir)
    unlock(qtbot, window, PASSPHRASE)
    for name in ("Me", "Dad", "Léa"):
        window.workspace.person.setCurrentIndex(window.workspace.person.findText(name))
        for section in ("overview", "lab_result", "medication", "condition", "activity"):
            window.workspace.show_section(section)
    window.close()
    stored = settings_file.read_bytes()
    assert stored  # something was remembered: geometry, sections, column widths
    for secret in ("Dad", "Henri", "Metformin", "Penicillin", "Hemoglobin", "Peanut", "7.6",
                   PASSPHRASE):
        assert secret.encode() not in stored


def test_unexpected_errors_show_a_plain_message_and_no_traceback(qtbot, monkeypatch, capfd):
    """The GUI's excepthook logs a safe diagnostic and prints nothing to stderr."""
    shown = []
    monkeypatch.setattr(launcher.QMessageBox, "warning",
                        lambda parent, title, text: shown.append((title, text)))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    launcher.install_excepthook()
    try:
        raise ValueError("Henri Martin HbA1c 7.6")
    except ValueError as error:
        sys.excepthook(type(error), error, error.__traceback__)
    title, text = shown[0]
    assert title == "Something went wrong" and "Traceback" not in text
    assert "Henri" not in text
    err = capfd.readouterr().err
    assert "Henri" not in err and "Traceback" not in err
    log = (Path(os.environ["XDG_STATE_HOME"]) / "Carebook" / "log" / "carebook.log").read_text()
    assert "builtins.ValueError" in log and "test_settings_and_privacy.py" in log
    assert "Henri" not in log and "7.6" not in log


def test_switching_theme_keeps_the_session_and_redraws_the_workspace(qtbot, make_window,
                                                                     demo_vault_dir,
                                                                     ui_settings, qapp):
    """Dark from Settings: same person, same section, new icons, vault still open."""
    window = make_window(demo_vault_dir)
    unlock(qtbot, window, PASSPHRASE)
    window.workspace.person.setCurrentIndex(window.workspace.person.findText("Léa"))
    window.workspace.show_section("medication")
    before = window.workspace
    ui_settings.theme = "dark"
    window.apply_appearance()
    try:
        assert window.workspace is not before and window.vault is not None
        assert window.workspace.person.currentText() == "Léa"
        assert window.workspace.current_section() is window.workspace.sections["medication"]
        assert qapp.palette().color(QPalette.ColorRole.Window) == QColor(DARK.window)
    finally:
        apply_theme(qapp, "light")
