"""Copying secrets and health data to the clipboard for a minute, and no longer.

What Carebook copies (a recovery code, a renewal request naming the person and their
medicine) leaves the clipboard after a minute, and at once when the vault locks or Carebook
quits, unless something else was copied over it meanwhile.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication

CLIPBOARD_CLEAR_MS = 60_000
_copied: list[str] = []  # what Carebook put there and has not yet taken back


def copy_for_a_minute(text: str) -> None:
    """Put `text` on the clipboard; it is cleared in a minute, on lock, or on quit."""
    clipboard = QGuiApplication.clipboard()
    clipboard.setText(text)
    _copied.append(text)
    # Timed on the clipboard itself, so closing the dialog that copied does not cancel it.
    QTimer.singleShot(CLIPBOARD_CLEAR_MS, clipboard, lambda: _take_back(text))


def forget_copied() -> None:
    """Take back everything Carebook copied that is still on the clipboard (lock, quit)."""
    for text in list(_copied):
        _take_back(text)


def _take_back(text: str) -> None:
    clipboard = QGuiApplication.clipboard()
    if clipboard.text() == text:
        clipboard.clear()
    if text in _copied:
        _copied.remove(text)
