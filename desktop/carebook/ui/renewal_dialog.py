"""Ask for a renewal: a short prescription-renewal message to paste into a clinic's portal
or print, drafted from what the medication record holds and editable before it goes out."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFont, QKeySequence, QShortcut, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from carebook.domain.people import display_name
from carebook.domain.records import Record
from carebook.domain.values import format_date
from carebook.interop.printable import PageSetup, PrintDocument
from carebook.services.medications import renewal_message
from carebook.services.printouts import record_printed
from carebook.ui.clipboard import copy_for_a_minute
from carebook.ui.icons import icon
from carebook.ui.widgets import button, label
from carebook.ui.workspace_state import WorkspaceState

# The message names a person and their medicine: it leaves the clipboard after a minute, as
# the recovery code does (KeePassXC's habit), unless something else was copied since.
PRINT_SHORTCUT = "Ctrl+P"


class RenewalDialog(QDialog):
    """The renewal message for one medication, with Copy, Print… and Close."""

    def __init__(self, state: WorkspaceState, medication: Record,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.medication = medication
        self.profile = state.profile
        person = self.profile.name if self.profile else ""
        self.setWindowTitle(f"Ask for a renewal — {person}")
        self.setMinimumSize(560, 480)
        text = renewal_message(self.profile, medication, date.today()) if self.profile else ""
        self.editor = QPlainTextEdit(text)
        self.editor.setTabChangesFocus(True)
        self.editor.installEventFilter(self)
        self.copied = label("", "muted")
        copy = button("Copy")
        copy.setIcon(icon("copy"))
        copy.setToolTip("Copy the whole message to paste into your clinic's portal "
                        "(Ctrl+C when no text is selected)")
        copy.clicked.connect(self.copy_all)
        printing = button("Print…")
        printing.setIcon(icon("print"))
        printing.setToolTip(f"Print the message ({PRINT_SHORTCUT})")
        printing.clicked.connect(self.print_message)
        printing.setShortcut(QKeySequence(PRINT_SHORTCUT))
        close = button("Close", "primary")
        close.setToolTip("Close (Esc); Carebook does not keep the message")
        close.clicked.connect(self.reject)
        close.setDefault(True)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(label(f"Ask for a renewal of {medication.values['name']}", "heading",
                                   plain=True))
        layout.addWidget(label("A short message with what Carebook holds about this "
                               "medicine. Change anything you like, then copy it into your "
                               "clinic's portal or print it. Nothing is sent from here.",
                               "muted"))
        layout.addWidget(self.editor, 1)
        row = QHBoxLayout()
        row.addWidget(copy)
        row.addWidget(printing)
        row.addWidget(self.copied, 1)
        row.addWidget(close)
        layout.addLayout(row)
        # When the focus is elsewhere (a button), Ctrl+C still copies the message; in the
        # editor, the event filter below decides.
        QShortcut(QKeySequence(QKeySequence.StandardKey.Copy), self, self.copy_all)
        self.editor.setFocus()

    def reject(self) -> None:
        """Close (Esc, Close, the window's ×), asking first if changes would be lost."""
        if self.editor.document().isModified() and not self.state.interaction.confirm(
                self, "Close the message?", "Your changes to the message were not copied "
                "or printed, and Carebook does not keep it.",
                confirm_label="Close without copying", destructive=True):
            return
        super().reject()

    def text(self) -> str:
        """The message as it stands (with the person's edits)."""
        return self.editor.toPlainText()

    def copy_all(self) -> None:
        """Put the whole message on the clipboard, and take it off again after a minute."""
        copy_for_a_minute(self.text())
        self.copied.setText("Copied. Carebook clears the clipboard in one minute.")
        self.editor.document().setModified(False)  # what was changed is now kept elsewhere

    def print_message(self) -> None:
        """Choose a printer and print the message."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("Print the renewal request")
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.print_to(printer)

    def print_to(self, printer: QPrinter) -> None:
        """Print the message on `printer` and note it in the activity log."""
        document = QTextDocument()
        font = QFont(self.font())
        font.setPointSizeF(12)
        document.setDefaultFont(font)
        document.setPlainText(self.text())
        document.print_(printer)
        self.editor.document().setModified(False)
        if self.profile is not None:
            printout = PrintDocument(title="Prescription renewal request",
                                     person=display_name(self.profile),
                                     dated=format_date(date.today().isoformat()), sections=())
            self.state.runner.task(record_printed, self.state.vault, self.profile.id,
                                   printout, PageSetup(), 1).run_now()
        self.state.sig_status.emit("Renewal request sent to the printer.")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Ctrl+C with nothing selected copies the whole message."""
        if (watched is self.editor and event.type() == QEvent.Type.KeyPress
                and event.matches(QKeySequence.StandardKey.Copy)
                and not self.editor.textCursor().hasSelection()):
            self.copy_all()
            return True
        return super().eventFilter(watched, event)


def open_renewal(owner: QWidget, medication: Record) -> RenewalDialog:
    """Show the renewal message for `medication` over `owner` (a section or page with a
    `state`), which keeps it as `owner.renewal_dialog` while it is open."""
    previous = getattr(owner, "renewal_dialog", None)
    if previous is not None:
        previous.close()
    dialog = RenewalDialog(owner.state, medication, owner)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    owner.renewal_dialog = dialog

    def forget(*_args: object) -> None:
        if getattr(owner, "renewal_dialog", None) is dialog:
            owner.renewal_dialog = None

    dialog.destroyed.connect(forget)
    dialog.open()
    return dialog
