"""Start the Qt application around a context."""

from __future__ import annotations

import sys

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from carebook.context import AppContext
from carebook.diagnostics import log_unexpected
from carebook.ui.icons import app_icon
from carebook.ui.settings import UiSettings
from carebook.ui.theme import apply_theme
from carebook.ui.window import CarebookWindow


def prepare_application() -> QApplication:
    """The QApplication, named so QSettings lands in Carebook's own file."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Carebook")
    app.setOrganizationName("Carebook")
    app.setWindowIcon(app_icon())
    return app


def install_excepthook() -> None:
    """Unexpected errors: a plain message for the person, a safe diagnostic in the log.

    Never the traceback on screen or on stderr: exception messages can carry record values.
    """

    def hook(kind, error, trace) -> None:
        error.__traceback__ = trace
        log = log_unexpected(error, "ui")
        where = f"\n\nA diagnostic without health data was written to {log}." if log else ""
        QMessageBox.warning(None, "Something went wrong",
                            "Carebook hit an unexpected problem and stopped that action. "
                            f"Your records are safe.{where}")

    sys.excepthook = hook


def launch(context: AppContext) -> int:
    """Show the window and run the event loop."""
    app = prepare_application()
    settings = UiSettings()
    apply_theme(app, settings.theme)
    install_excepthook()
    window = CarebookWindow(context, settings=settings)
    QGuiApplication.styleHints().colorSchemeChanged.connect(
        lambda _scheme: window.system_scheme_changed())
    window.show()
    window.start()
    return app.exec()
