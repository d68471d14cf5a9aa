"""Changing the passphrase, by choice or because the vault was opened with the recovery code."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QVBoxLayout,
    QWidget,
)

from carebook.ui.passphrase_entry import PassphraseEntry, password_field
from carebook.ui.widgets import label


class PassphraseDialog(QDialog):
    """Asks for a new passphrase (and the current one, unless after a recovery-code unlock)."""

    sig_submit = Signal(object, str)
    """Set the new passphrase (second) after checking the current one (first; None after
    a recovery-code unlock)."""

    def __init__(self, parent: QWidget | None = None, *, after_recovery: bool = False) -> None:
        super().__init__(parent)
        self.after_recovery = after_recovery
        self.setWindowTitle("Choose a new passphrase" if after_recovery else "Change passphrase")
        self.setMinimumWidth(500)
        layout = QVBoxLayout(self)
        if after_recovery:
            layout.addWidget(label("Choose a new passphrase", "heading"))
            layout.addWidget(label(
                "You opened the vault with your recovery code. Choose a new passphrase now; "
                "your recovery code keeps working.", "muted"))
        else:
            layout.addWidget(label("Change passphrase", "heading"))
            layout.addWidget(label("Only the key that locks your vault is re-wrapped; your "
                                   "records stay as they are. Your recovery code keeps working.",
                                   "muted"))
        self.current = password_field()
        if not after_recovery:
            form = QFormLayout()
            form.addRow("Current passphrase", self.current)
            layout.addLayout(form)
        self.entry = PassphraseEntry(label="New passphrase")
        layout.addWidget(self.entry)
        self.error = label("", "error")
        self.error.hide()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Set passphrase")
        self.ok_button.setProperty("role", "primary")
        self.ok_button.setEnabled(False)
        if after_recovery:
            self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Lock instead")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.entry.sig_changed.connect(self.ok_button.setEnabled)
        (self.entry.passphrase if after_recovery else self.current).setFocus()

    def show_error(self, message: str) -> None:
        """Say why the change did not happen."""
        self.error.setText(message)
        self.error.setVisible(bool(message))

    def set_busy(self, busy: bool) -> None:
        """Disable input while the key is being re-wrapped."""
        self.buttons.setEnabled(not busy)
        self.entry.setEnabled(not busy)
        self.current.setEnabled(not busy)
        self.ok_button.setText("Saving…" if busy else "Set passphrase")

    def accept(self) -> None:
        """Ask for the change; the dialog closes through `finish()` once it succeeded."""
        if self.entry.acceptable:
            self.show_error("")
            self.sig_submit.emit(self.current.text() or None, self.entry.text())

    def finish(self) -> None:
        """Close after a successful change."""
        super().accept()
