"""Questions the program asks a person, behind one facade tests can script (as in git-cola).

Widgets never open QMessageBox or QFileDialog themselves; they ask `Interaction`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget


class Interaction:
    """Real dialogs."""

    def confirm(self, parent: QWidget | None, title: str, text: str, *,
                confirm_label: str = "OK", destructive: bool = False) -> bool:
        """Ask yes/no; the safe answer (Cancel) is the default."""
        box = QMessageBox(QMessageBox.Icon.Warning if destructive else QMessageBox.Icon.Question,
                          title, text, parent=parent)
        accept = box.addButton(confirm_label, QMessageBox.ButtonRole.AcceptRole
                               if not destructive else QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.exec()
        return box.clickedButton() is accept

    def inform(self, parent: QWidget | None, title: str, text: str) -> None:
        """Tell the person something."""
        QMessageBox.information(parent, title, text)

    def warn(self, parent: QWidget | None, title: str, text: str) -> None:
        """Tell the person something went wrong, in plain words."""
        QMessageBox.warning(parent, title, text)

    def ask_text(self, parent: QWidget | None, title: str, label: str,
                 text: str = "") -> str | None:
        """Ask for one line of text; None when cancelled."""
        value, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, text)
        return value if ok else None

    def ask_secret(self, parent: QWidget | None, title: str, label: str) -> str | None:
        """Ask for a password without showing it; None when cancelled."""
        value, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Password)
        return value if ok else None

    def open_files(self, parent: QWidget | None, title: str, filters: str) -> list[Path]:
        """Choose files to read; empty when cancelled."""
        names, _ = QFileDialog.getOpenFileNames(parent, title, "", filters)
        return [Path(name) for name in names]

    def save_file(self, parent: QWidget | None, title: str, suggested: str,
                  filters: str) -> Path | None:
        """Choose where to write a file; None when cancelled."""
        name, _ = QFileDialog.getSaveFileName(parent, title, suggested, filters)
        return Path(name) if name else None

    def choose_folder(self, parent: QWidget | None, title: str, start: str = "") -> Path | None:
        """Choose a folder; None when cancelled."""
        name = QFileDialog.getExistingDirectory(parent, title, start)
        return Path(name) if name else None
