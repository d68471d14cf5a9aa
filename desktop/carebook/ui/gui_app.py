"""A QGuiApplication for drawing without a window (the CLI's printouts)."""

from __future__ import annotations

import os

from PySide6.QtGui import QGuiApplication


def ensure_gui_application() -> QGuiApplication:
    """The running Qt application, or a new one drawing off screen.

    Fonts, QPdfWriter and QTextDocument layout all need one; a window does not, and a command
    run over SSH or from cron has no display to open.
    """
    existing = QGuiApplication.instance()
    if existing is not None:
        return existing
    # Forced, not a default: a QT_QPA_PLATFORM meant for windows (xcb without a display)
    # would abort the process, and a command has no window to show.
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    app = QGuiApplication(["carebook"])
    app.setApplicationName("Carebook")
    return app
