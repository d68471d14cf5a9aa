"""A new passphrase, typed twice, with live strength feedback from zxcvbn."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QProgressBar, QVBoxLayout, QWidget

from carebook.services.vault_access import assess_passphrase
from carebook.ui.icons import icon


def password_field(placeholder: str = "") -> QLineEdit:
    """A password line edit with a show/hide toggle."""
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setPlaceholderText(placeholder)
    toggle = field.addAction(icon("eye"), QLineEdit.ActionPosition.TrailingPosition)
    toggle.setToolTip("Show or hide what you typed")
    toggle.setCheckable(True)
    toggle.toggled.connect(lambda shown: field.setEchoMode(
        QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password))
    return field


class PassphraseEntry(QWidget):
    """Passphrase + confirmation + strength meter; `acceptable` when strong and matching."""

    sig_changed = Signal(bool)
    """Emitted with the new `acceptable` value whenever either field changes."""

    def __init__(self, parent: QWidget | None = None, *, label: str = "Passphrase") -> None:
        super().__init__(parent)
        self.passphrase = password_field("At least 10 characters; a few unrelated words")
        self.confirmation = password_field("Type it again")
        self.meter = QProgressBar()
        self.meter.setRange(0, 4)
        self.meter.setTextVisible(False)
        self.meter.setFixedHeight(8)
        self.verdict = QLabel(" ")
        self.verdict.setWordWrap(True)
        self.verdict.setProperty("role", "muted")
        # Room for three lines from the start, so the form does not jump while typing.
        self.verdict.setMinimumHeight(self.verdict.fontMetrics().lineSpacing() * 3)
        self.verdict.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.mismatch = QLabel("")
        self.mismatch.setProperty("role", "field-error")
        form = QFormLayout()
        form.addRow(label, self.passphrase)
        strength = QVBoxLayout()
        strength.setSpacing(4)
        strength.addWidget(self.meter)
        strength.addWidget(self.verdict)
        form.addRow("", strength)
        form.addRow("Confirm", self.confirmation)
        form.addRow("", self.mismatch)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        self._strong = False
        self._debounce = QTimer(self, singleShot=True, interval=120)
        self._debounce.timeout.connect(self._assess)
        self.passphrase.textChanged.connect(self._debounce.start)
        self.confirmation.textChanged.connect(self._update_match)

    @property
    def acceptable(self) -> bool:
        """Strong enough and typed the same twice."""
        self._assess_now_if_pending()
        return self._strong and self.passphrase.text() == self.confirmation.text()

    def text(self) -> str:
        """The passphrase typed."""
        return self.passphrase.text()

    def clear(self) -> None:
        """Forget what was typed."""
        self.passphrase.clear()
        self.confirmation.clear()

    def _assess_now_if_pending(self) -> None:
        if self._debounce.isActive():
            self._debounce.stop()
            self._assess()

    def _assess(self) -> None:
        verdict = assess_passphrase(self.passphrase.text())
        self._strong = verdict.acceptable
        self.meter.setValue(verdict.score if self.passphrase.text() else 0)
        self.meter.setProperty("strength", str(verdict.score))
        self.meter.style().unpolish(self.meter)
        self.meter.style().polish(self.meter)
        text = verdict.reason if self.passphrase.text() else " "
        if verdict.suggestions and not verdict.acceptable:
            text += " " + verdict.suggestions[0]  # one hint is read; a list is skipped
        self.verdict.setText(text)
        self.verdict.setProperty("role", "muted" if verdict.acceptable or
                                 not self.passphrase.text() else "field-error")
        self.verdict.style().polish(self.verdict)
        self._update_match()

    def _update_match(self) -> None:
        typed = self.confirmation.text()
        different = bool(typed) and typed != self.passphrase.text()
        self.mismatch.setText("The two passphrases are different." if different else "")
        self.sig_changed.emit(self._strong and typed == self.passphrase.text())
