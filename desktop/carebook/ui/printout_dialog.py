"""What the appointment-pack and emergency-card dialogs share: a live print preview with its
page count and zoom, "Save as PDF…" and "Print…" (each audited), and Close.

A subclass says what to print (`build`), on what paper (`page_setup`) and under what file
name (`file_label`, `file_date`), and may put its choices in the left column (`side`).
The preview, the PDF and the printer are all drawn by ui/print_pdf.py, so they show the
same pages.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import shiboken6
from PySide6.QtCore import QLocale, QStandardPaths, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence
from PySide6.QtPrintSupport import (
    QAbstractPrintDialog,
    QPrintDialog,
    QPrinter,
    QPrintPreviewWidget,
)
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QPushButton,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from carebook.errors import CarebookError
from carebook.file_names import safe_file_name
from carebook.interop.printable import PageSetup, PdfResult, PrintDocument
from carebook.services.printouts import export_printout, record_printed
from carebook.ui.print_pdf import page_layout, paint_document, write_pdf
from carebook.ui.widgets import button, label, set_role
from carebook.ui.workspace_state import WorkspaceState
from carebook.vault.vault import Vault

PDF_FILTER = "PDF files (*.pdf)"
LETTER_TERRITORIES = (QLocale.Country.UnitedStates, QLocale.Country.Canada)
ZOOM_STEP = 1.25


def default_paper(locale: QLocale | None = None) -> str:
    """"Letter" where it is the usual paper (United States, Canada), else "A4"."""
    territory = (locale or QLocale()).territory()
    return "Letter" if territory in LETTER_TERRITORIES else "A4"


def counted(number: int, word: str) -> str:
    """"1 page", "3 pages"."""
    return f"{number} {word}{'' if number == 1 else 's'}"


def _native(keys: QKeySequence) -> str:
    return keys.toString(QKeySequence.SequenceFormat.NativeText)


class PrintoutDialog(QDialog):
    """A preview of one printout for the person shown, with Save as PDF, Print and Close."""

    kind_title = "Printout"  # "Appointment pack": the window title and the file name
    page_word = "page"
    empty_text = "There is nothing to print."

    def __init__(self, state: WorkspaceState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if state.profile is None:
            raise ValueError("a printout needs the person shown")
        self.state = state
        self.profile_id = state.profile.id
        self.person = state.profile.name
        self.document: PrintDocument | None = None
        self.pages = 0
        self.saved_path: Path | None = None
        self._problem = ""
        self.setWindowTitle(f"{self.kind_title} — {self.person}")
        # Another view's edit can arrive in bursts; one rebuild once they are all in.
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.timeout.connect(self.refresh)
        self._build()
        state.sig_records_changed.connect(self._schedule_refresh)
        state.sig_profiles_edited.connect(self._schedule_refresh)

    # --- what a subclass provides ---------------------------------------------------------

    def build(self, vault: Vault) -> PrintDocument | None:
        """The document to show (None when nothing is chosen); runs through the task runner."""
        raise NotImplementedError

    def page_setup(self) -> PageSetup:
        """The paper and text size chosen."""
        return PageSetup()

    def file_label(self) -> str:
        """What the file is, after the person's name: "appointment pack"."""
        return self.kind_title.lower()

    def file_date(self) -> str:
        """The ISO date in the suggested file name."""
        return date.today().isoformat()

    def refreshed(self) -> None:
        """Called after every rebuild, for a subclass's own labels."""

    # --- layout ---------------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        self.heading = label("", "subheading")
        outer.addWidget(self.heading)
        body = QHBoxLayout()
        body.setSpacing(16)
        outer.addLayout(body, 1)
        self.side_panel = QWidget()
        self.side_panel.setFixedWidth(260)
        self.side = QVBoxLayout(self.side_panel)
        self.side.setContentsMargins(0, 0, 0, 0)
        body.addWidget(self.side_panel)
        body.addLayout(self._build_preview(), 1)
        outer.addLayout(self._build_status())
        outer.addLayout(self._build_buttons())

    def _build_preview(self) -> QVBoxLayout:
        column = QVBoxLayout()
        bar = QHBoxLayout()
        self.pages_label = label("", wrap=False)
        bar.addWidget(self.pages_label, 1)
        self.zoom_out_button = self._tool("−", "Zoom out", QKeySequence.StandardKey.ZoomOut,
                                          lambda: self.preview.zoomOut(ZOOM_STEP))
        self.zoom_in_button = self._tool("+", "Zoom in", QKeySequence.StandardKey.ZoomIn,
                                         lambda: self.preview.zoomIn(ZOOM_STEP))
        self.fit_button = self._tool("Fit width", "Fit the page to the width",
                                     QKeySequence("Ctrl+0"), self.fit_width)
        for tool in (self.zoom_out_button, self.zoom_in_button, self.fit_button):
            bar.addWidget(tool)
        column.addLayout(bar)
        self.printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        self.preview = QPrintPreviewWidget(self.printer, self)
        self.preview.paintRequested.connect(self._paint_preview)
        self.preview.setZoomMode(QPrintPreviewWidget.ZoomMode.FitToWidth)
        # The preview replays each page on the screen's painter, whose pen starts in the
        # theme's text colour: text in the paper's default black would be light on white.
        self.preview.setStyleSheet("QGraphicsView { color: #000000; }")
        self.message = label("", "muted")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.preview)
        self.stack.addWidget(self.message)
        column.addWidget(self.stack, 1)
        return column

    def _tool(self, text: str, tip: str, keys: QKeySequence | QKeySequence.StandardKey,
              slot) -> QToolButton:
        tool = QToolButton()
        tool.setText(text)
        tool.setShortcut(QKeySequence(keys))
        tool.setToolTip(f"{tip} ({_native(tool.shortcut())})")
        tool.clicked.connect(slot)
        return tool

    def _build_status(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.status = label("", "muted")
        row.addWidget(self.status, 1)
        self.open_file_button = button("Open file", "link")
        self.open_file_button.setToolTip("Open the saved PDF in your PDF viewer")
        self.open_file_button.clicked.connect(lambda: self._open(self.saved_path))
        self.open_folder_button = button("Open folder", "link")
        self.open_folder_button.setToolTip("Show the folder the PDF was saved in")
        self.open_folder_button.clicked.connect(
            lambda: self._open(self.saved_path.parent if self.saved_path else None))
        for link in (self.open_file_button, self.open_folder_button):
            link.hide()
            row.addWidget(link)
        return row

    def _build_buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addStretch(1)
        what = self.kind_title.lower()
        self.print_button = self._button("Print…", QKeySequence.StandardKey.Print,
                                         f"Print this {what}", self.print_document)
        self.save_button = self._button("Save as PDF…", QKeySequence.StandardKey.Save,
                                        f"Save this {what} as a PDF file", self.save_pdf)
        set_role(self.save_button, "primary")
        # Esc closes any dialog already; the button only says so.
        self.close_button = self._button("Close", None, "Close this window (Esc)", self.reject)
        for widget in (self.print_button, self.save_button, self.close_button):
            row.addWidget(widget)
        return row

    def _button(self, text: str, keys: QKeySequence.StandardKey | None, tip: str,
                slot) -> QPushButton:
        widget = button(text)
        widget.setAutoDefault(False)  # Enter on a check box must not open a file dialog
        if keys is not None:
            widget.setShortcut(QKeySequence(keys))
            tip = f"{tip} ({_native(widget.shortcut())})"
        widget.setToolTip(tip)
        widget.clicked.connect(slot)
        return widget

    # --- the preview ----------------------------------------------------------------------

    def refresh(self) -> None:
        """Rebuild the document from the records and the choices, and redraw the preview."""
        self._refresh_timer.stop()
        if not self._vault_open():
            return
        self._problem = ""
        document = self.state.runner.task(self.build, self.state.vault).failure(
            self._not_built).bound_to(self).run_now()
        self.document = document
        self.pages = 0
        if document is not None:
            self.printer.setPageLayout(page_layout(self.page_setup()))
            self.stack.setCurrentWidget(self.preview)
            self.preview.updatePreview()  # paints now, through _paint_preview
        if self.pages:
            self.pages_label.setText(counted(self.pages, self.page_word))
        else:
            self.message.setText(self._problem or self.empty_text)
            self.stack.setCurrentWidget(self.message)
            self.pages_label.setText("")
        ready = self.pages > 0
        for widget in (self.save_button, self.print_button, self.zoom_in_button,
                       self.zoom_out_button, self.fit_button):
            widget.setEnabled(ready)
        self.refreshed()

    def fit_width(self) -> None:
        """Zoom the preview so a page fills its width."""
        self.preview.fitToWidth()

    def _paint_preview(self, printer: QPrinter) -> None:
        if self.document is None:
            return
        try:
            self.pages = paint_document(self.document, printer, self.page_setup())
        except CarebookError as error:
            self.pages, self._problem = 0, error.message

    def _not_built(self, error: BaseException) -> None:
        if isinstance(error, CarebookError):
            self._problem = error.message
        else:
            self._problem = "This printout could not be prepared from the records."
            self.state.runner.report(error, self)  # logged without health data

    def _schedule_refresh(self, *_args) -> None:
        if self.isVisible():
            self._refresh_timer.start(0)

    def _vault_open(self) -> bool:
        state = self.state
        return shiboken6.isValid(state) and state.vault is not None and state.vault.is_open

    # --- save and print -------------------------------------------------------------------

    def suggested_path(self) -> Path:
        """Where the file dialog starts: the last folder used here, else Documents."""
        if self.saved_path is not None:
            folder = self.saved_path.parent
        else:
            folder = Path(QStandardPaths.writableLocation(
                QStandardPaths.StandardLocation.DocumentsLocation) or Path.home())
        person = self.document.person if self.document else self.person
        return folder / safe_file_name(f"{person} – {self.file_label()} {self.file_date()}")

    def save_pdf(self) -> None:
        """Ask where, then write the PDF and note it in the activity log."""
        document = self.document
        if document is None or not self.save_button.isEnabled():
            return
        path = self.state.interaction.save_file(self, f"Save the {self.kind_title.lower()}",
                                                str(self.suggested_path()), PDF_FILTER)
        if path is None or not self._vault_open():
            return
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            # Measured at about a tenth of a second for the demo's three-page pack.
            self.state.runner.task(export_printout, self.state.vault, self.profile_id,
                                   document, path, self.page_setup(), write_pdf).success(
                self._saved).failure(self._not_saved).bound_to(self).run_now()
        finally:
            QApplication.restoreOverrideCursor()

    def _saved(self, result: PdfResult) -> None:
        path = Path(result.path)
        self.saved_path = path
        text = f"Saved “{path.name}” ({counted(result.pages, self.page_word)})."
        self._show_status(" ".join([text, *result.notes]), "muted", links=True)
        self.state.sig_status.emit(f"Saved {path.name}.")

    def _not_saved(self, error: BaseException) -> None:
        if not isinstance(error, CarebookError):
            self._show_status("Not saved.", "error")
            self.state.runner.report(error, self)
            return
        self._show_status(f"Not saved. {error.message}", "error")
        self.state.interaction.warn(
            self, "The PDF was not saved",
            f"{error.message}\n\nNothing else was changed. Choose another folder and try again.")

    def print_document(self) -> None:
        """Choose a printer, print, and note it in the activity log."""
        if self.document is None or not self.print_button.isEnabled():
            return
        printer = self.choose_printer()
        if printer is not None:
            self.print_on(printer)

    def choose_printer(self) -> QPrinter | None:
        """The system print dialog, set to this printout's paper; None when cancelled."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName("Carebook printout")  # print queues are visible: no name in it
        printer.setPageLayout(page_layout(self.page_setup()))
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(f"Print the {self.kind_title.lower()}")
        # Every page is printed: a pack missing a page would mislead.
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, False)
        return printer if dialog.exec() == QDialog.DialogCode.Accepted else None

    def print_on(self, printer: QPrinter) -> None:
        """Draw the printout on `printer` and note it in the activity log."""
        document, setup = self.document, self.page_setup()
        if document is None or not self._vault_open():
            return
        try:
            pages = paint_document(document, printer, setup)
        except CarebookError as error:
            self._show_status(f"Not printed. {error.message}", "error")
            self.state.interaction.warn(self, "Not printed", error.message)
            return
        self.state.runner.task(record_printed, self.state.vault, self.profile_id, document,
                               setup, pages).bound_to(self).run_now()
        self._show_status(f"Sent {counted(pages, self.page_word)} to the printer.", "muted")

    def _show_status(self, text: str, role: str, *, links: bool = False) -> None:
        self.status.setText(text)
        set_role(self.status, role)
        self.open_file_button.setVisible(links)
        self.open_folder_button.setVisible(links)

    def _open(self, path: Path | None) -> None:
        if path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
