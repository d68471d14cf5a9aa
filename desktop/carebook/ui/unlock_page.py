"""Later launches: unlock with the passphrase, or with the recovery code."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from carebook.ui.passphrase_entry import password_field
from carebook.ui.widgets import brand_header, button, card, centered, label


class UnlockPage(QWidget):
    """Asks for the passphrase (or recovery code) of one vault."""

    sig_unlock = Signal(str)
    """Unlock with this passphrase."""
    sig_recover = Signal(str)
    """Unlock with this recovery code."""
    sig_open_other = Signal()
    """The person wants another vault folder."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._recovery_mode = False
        panel, body = card("welcomeCard")
        body.setSpacing(12)
        self.header = brand_header("Unlock Carebook",
                                   "Your records are encrypted. Type your passphrase to open them.")
        body.addWidget(self.header)
        self.folder_label = label("", "muted")
        body.addWidget(self.folder_label)
        self.hint = label("", "banner")
        self.hint.hide()
        body.addWidget(self.hint)
        form = QFormLayout()
        self.field_label = QLabel("Passphrase")
        self.secret = password_field()
        form.addRow(self.field_label, self.secret)
        body.addLayout(form)
        self.error = label("", "error")
        self.error.hide()
        body.addWidget(self.error)
        actions = QHBoxLayout()
        self.mode_button = button("Forgot your passphrase? Use your recovery code", "link")
        self.mode_button.clicked.connect(lambda: self.set_recovery_mode(not self._recovery_mode))
        self.unlock_button = button("Unlock", "primary")
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self._submit)
        actions.addWidget(self.mode_button)
        actions.addStretch(1)
        actions.addWidget(self.unlock_button)
        body.addLayout(actions)
        other = button("Open another vault…", "link")
        other.clicked.connect(self.sig_open_other)
        body.addWidget(other)
        self.secret.returnPressed.connect(self._submit)
        layout = QVBoxLayout(self)
        layout.addWidget(centered(panel, 560))

    def prepare(self, folder: Path, *, hint: str = "", message: str = "") -> None:
        """Show the unlock form for `folder`, empty, focused; optional hint and message."""
        self.folder_label.setText(f"Vault: {folder}")
        self.hint.setText(hint)
        self.hint.setVisible(bool(hint))
        self.set_recovery_mode(False)
        self.show_error(message)
        self.set_busy(False)
        self.secret.setFocus()

    def set_recovery_mode(self, on: bool) -> None:
        """Switch between passphrase and recovery-code entry."""
        self._recovery_mode = on
        self.secret.clear()
        self.field_label.setText("Recovery code" if on else "Passphrase")
        self.secret.setPlaceholderText("XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX" if on else "")
        self.mode_button.setText("Use your passphrase instead" if on else
                                 "Forgot your passphrase? Use your recovery code")
        self.show_error("")
        self.secret.setFocus()

    def set_busy(self, busy: bool) -> None:
        """Disable input while the key is being derived."""
        self.secret.setEnabled(not busy)
        self.unlock_button.setEnabled(not busy)
        self.mode_button.setEnabled(not busy)
        self.unlock_button.setText("Unlocking…" if busy else "Unlock")

    def show_error(self, message: str) -> None:
        """Show why unlocking failed, keeping what was typed selected for retyping."""
        self.error.setText(message)
        self.error.setVisible(bool(message))
        if message:
            self.secret.selectAll()
            self.secret.setFocus()

    def _submit(self) -> None:
        text = self.secret.text()
        if not text:
            self.show_error("Type your recovery code." if self._recovery_mode
                            else "Type your passphrase.")
            return
        (self.sig_recover if self._recovery_mode else self.sig_unlock).emit(text)
