"""First launch: create a vault (folder + strong passphrase), or try the demo."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from carebook.ui.passphrase_entry import PassphraseEntry
from carebook.ui.widgets import brand_header, button, card, centered, label


class WelcomePage(QWidget):
    """Create a new vault."""

    sig_create = Signal(Path, str)
    """The person asked to create a vault in this folder with this passphrase."""
    sig_demo = Signal()
    """The person asked to try the demo family instead."""
    sig_open_other = Signal()
    """The person wants to open a vault that already exists elsewhere."""
    sig_choose_folder = Signal()
    """The person wants to pick another folder for the new vault."""

    def __init__(self, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        panel, body = card("welcomeCard")
        body.setSpacing(12)
        body.addWidget(brand_header(
            "Welcome to Carebook",
            "Your family's health records, encrypted on this computer. Nothing leaves it."))
        body.addWidget(label(
            "Choose a passphrase for your vault. You will type it each time you open "
            "Carebook. Nobody, including us, can recover your records without it or the "
            "recovery code you will get next.", "muted"))
        where = QHBoxLayout()
        self.folder_label = QLabel()
        self.folder_label.setProperty("role", "muted")
        self.folder_label.setWordWrap(True)
        where.addWidget(self.folder_label, 1)
        change = button("Change…", "link")
        change.clicked.connect(self.sig_choose_folder)
        where.addWidget(change)
        body.addLayout(where)
        self.entry = PassphraseEntry()
        body.addWidget(self.entry)
        self.error = label("", "error")
        self.error.hide()
        body.addWidget(self.error)
        actions = QHBoxLayout()
        self.demo_button = button("Try the demo family")
        self.demo_button.clicked.connect(self.sig_demo)
        self.open_button = button("Open an existing vault…", "link")
        self.open_button.clicked.connect(self.sig_open_other)
        self.create_button = button("Create vault", "primary")
        self.create_button.setEnabled(False)
        self.create_button.setDefault(True)
        self.create_button.clicked.connect(self._create)
        actions.addWidget(self.open_button)
        actions.addStretch(1)
        actions.addWidget(self.demo_button)
        actions.addWidget(self.create_button)
        body.addLayout(actions)
        self.entry.sig_changed.connect(self.create_button.setEnabled)
        self.entry.confirmation.returnPressed.connect(self._create)
        layout = QVBoxLayout(self)
        layout.addWidget(centered(panel, 600))
        self.set_folder(folder)

    def set_folder(self, folder: Path) -> None:
        """Show where the vault will be created."""
        self.folder = folder
        self.folder_label.setText(f"Vault folder: {folder}")

    def set_busy(self, busy: bool) -> None:
        """Disable input while the vault is being created."""
        for widget in (self.entry, self.create_button, self.demo_button, self.open_button):
            widget.setEnabled(not busy)
        if not busy:
            self.create_button.setEnabled(self.entry.acceptable)

    def show_error(self, message: str) -> None:
        """Show why creating the vault failed."""
        self.error.setText(message)
        self.error.setVisible(bool(message))

    def _create(self) -> None:
        if self.entry.acceptable:
            self.show_error("")
            self.sig_create.emit(self.folder, self.entry.text())
