"""The recovery code, shown once: print it, copy it, and say it is saved."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QVBoxLayout, QWidget

from carebook.ui.clipboard import copy_for_a_minute
from carebook.ui.icons import icon
from carebook.ui.widgets import brand_header, button, card, centered, label


class RecoveryCodePage(QWidget):
    """Shows the recovery code until the person confirms they saved it."""

    sig_done = Signal()
    """The person confirmed the code is saved; the code is wiped from the page."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._code = ""
        panel, body = card("welcomeCard")
        body.setSpacing(12)
        body.addWidget(brand_header("Your recovery code",
                                    "The only way back in if you forget your passphrase."))
        body.addWidget(label(
            "Write this code down or print it, and keep it somewhere safe away from this "
            "computer. It is shown only now. Anyone who has it can open your vault.", "muted"))
        self.code_label = label("", "code", wrap=False)
        self.code_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        body.addWidget(self.code_label)
        tools = QHBoxLayout()
        self.print_button = button("Print…")
        self.print_button.setIcon(icon("print"))
        self.print_button.clicked.connect(self._print)
        self.copy_button = button("Copy")
        self.copy_button.setIcon(icon("copy"))
        self.copy_button.clicked.connect(self._copy)
        self.copied = label("", "muted")
        tools.addWidget(self.print_button)
        tools.addWidget(self.copy_button)
        tools.addWidget(self.copied, 1)
        body.addLayout(tools)
        self.saved = QCheckBox("I have saved my recovery code somewhere safe")
        body.addWidget(self.saved)
        finish = QHBoxLayout()
        finish.addStretch(1)
        self.continue_button = button("Continue", "primary")
        self.continue_button.setEnabled(False)
        self.continue_button.clicked.connect(self._finish)
        finish.addWidget(self.continue_button)
        body.addLayout(finish)
        self.saved.toggled.connect(self.continue_button.setEnabled)
        layout = QVBoxLayout(self)
        layout.addWidget(centered(panel, 720))

    def show_code(self, code: str) -> None:
        """Display a freshly created recovery code."""
        self._code = code
        self.code_label.setText(code)
        self.saved.setChecked(False)
        self.copied.setText("")

    def _copy(self) -> None:
        copy_for_a_minute(self._code)
        self.copied.setText("Copied. The clipboard is cleared in one minute.")

    def _print(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if QPrintDialog(printer, self).exec():
            render_recovery_sheet(self._code).print_(printer)

    def _finish(self) -> None:
        self._code = ""
        self.code_label.clear()
        self.sig_done.emit()


def render_recovery_sheet(code: str) -> QTextDocument:
    """The printable page: the code, large, with what it is for."""
    document = QTextDocument()
    document.setHtml(
        "<h1>Carebook recovery code</h1>"
        f"<p style='font-size:26pt; font-family:monospace'><b>{code}</b></p>"
        "<p>This code opens your Carebook vault if you forget your passphrase. "
        "Keep it somewhere safe, away from the computer. Anyone holding it can read "
        "your records.</p>")
    return document
