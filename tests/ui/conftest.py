"""UI fixtures: a real CarebookWindow on the offscreen platform, with its QSettings in a
test folder and the questions it asks answered by a script (the Interaction facade)."""

from __future__ import annotations

import gc
from collections import deque
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from carebook.context import AppContext
from carebook.ui.interaction import Interaction
from carebook.ui.launcher import prepare_application
from carebook.ui.settings import UiSettings
from carebook.ui.theme import apply_theme
from carebook.ui.window import CarebookWindow
from tests.conftest import FAST_KDF


class ScriptedInteraction(Interaction):
    """Answers questions from queues and keeps every message shown, for assertions."""

    def __init__(self) -> None:
        self.answers: deque = deque()
        self.messages: list[tuple[str, str, str]] = []

    def answer(self, *values) -> None:
        """Queue answers for the next questions, in order."""
        self.answers.extend(values)

    def _next(self, kind: str):
        if not self.answers:
            raise AssertionError(f"the program asked an unscripted question ({kind})")
        return self.answers.popleft()

    def confirm(self, parent, title, text, *, confirm_label="OK", destructive=False) -> bool:
        self.messages.append(("confirm", title, text))
        return bool(self._next("confirm"))

    def inform(self, parent, title, text) -> None:
        self.messages.append(("inform", title, text))

    def warn(self, parent, title, text) -> None:
        self.messages.append(("warn", title, text))

    def ask_text(self, parent, title, label, text=""):
        self.messages.append(("ask_text", title, label))
        return self._next("ask_text")

    def ask_secret(self, parent, title, label):
        self.messages.append(("ask_secret", title, label))
        return self._next("ask_secret")

    def open_files(self, parent, title, filters):
        return self._next("open_files")

    def save_file(self, parent, title, suggested, filters):
        return self._next("save_file")

    def choose_folder(self, parent, title, start=""):
        return self._next("choose_folder")

    def warnings(self) -> list[str]:
        """Texts of every warning shown so far."""
        return [text for kind, _title, text in self.messages if kind == "warn"]


def pytest_runtest_logfinish(nodeid, location):
    """Free each test's closed windows before the next test starts.

    Left to chance, Python's cycle collector frees them at some allocation inside a later
    test, possibly in the middle of a Qt signal, where destroying a window can crash the
    process (seen with PySide6 6.11 on Python 3.11). Collecting here frees them at a quiet
    moment, as Carebook itself deletes closed dialogs from the event loop (deleteLater).
    """
    gc.collect()


@pytest.fixture(scope="session", autouse=True)
def styled_application(qapp):
    """Name and theme the one QApplication of the session as the launcher does."""
    prepare_application()
    apply_theme(qapp, "light")
    return qapp


@pytest.fixture
def interaction() -> ScriptedInteraction:
    """Scripted answers to the window's questions."""
    return ScriptedInteraction()


@pytest.fixture
def settings_file(tmp_path) -> Path:
    """Where this test's QSettings are written."""
    return tmp_path / "settings" / "Carebook.ini"


@pytest.fixture
def ui_settings(settings_file) -> UiSettings:
    """UiSettings stored in this test's own file."""
    return UiSettings(QSettings(str(settings_file), QSettings.Format.IniFormat))


@pytest.fixture
def make_window(qtbot, interaction, ui_settings):
    """Factory: a shown, started CarebookWindow on `vault_dir`; closed after the test."""
    windows = []

    def factory(vault_dir: Path, *, demo: bool = False, settings: UiSettings | None = None):
        window = CarebookWindow(AppContext(vault_dir=Path(vault_dir), demo=demo, kdf=FAST_KDF),
                                interaction=interaction, settings=settings or ui_settings)
        qtbot.addWidget(window)
        window.show()
        window.start()
        windows.append(window)
        return window

    yield factory
    for window in windows:
        window.close()
        window.context.cleanup()


def unlock(qtbot, window, passphrase: str) -> None:
    """Type a passphrase on the unlock page, press Enter, wait for the workspace."""
    page = window.unlock_page
    page.secret.clear()
    qtbot.keyClicks(page.secret, passphrase)
    qtbot.keyClick(page.secret, "\r")
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=15_000)


def open_section(qtbot, make_window, folder, section: str, person: str | None = None):
    """A window on `folder`, unlocked, showing `person`'s (or the remembered person's)
    `section`; returns the window and that section's widget."""
    from tests.conftest import PASSPHRASE

    window = make_window(folder)
    unlock(qtbot, window, PASSPHRASE)
    workspace = window.workspace
    if person is not None:
        workspace.person.setCurrentIndex(workspace.person.findText(person))
    workspace.show_section(section)
    return window, workspace.sections[section]
