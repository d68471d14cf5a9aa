"""Showing a PDF from memory: the vault's documents are sensitive, so they are never written
to a temporary file; QtPdf reads them from a QBuffer.

    view = PdfPageView()
    view.set_pdf(pdf_bytes, page=2)   # 1-based page
    view.show_page(3)
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QModelIndex, QPointF, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtPdf import QPdfDocument, QPdfSearchModel
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from carebook.services import documents as document_service
from carebook.ui.widgets import label
from carebook.ui.workspace_state import WorkspaceState

ZOOM_STEP = 1.25
MIN_ZOOM, MAX_ZOOM = 0.25, 6.0


class PdfPageView(QWidget):
    """A PDF shown from bytes, one page at a time, with page label and zoom controls.

    API: set_pdf(data, page), show_page(n), current_page(), page_count(), zoom_in(),
    zoom_out(), fit_width(), clear(). Pages are 1-based everywhere.
    """

    sig_page_changed = Signal(int)
    """The page shown changed (1-based)."""
    sig_failed = Signal(str)
    """The bytes could not be read as a PDF (a plain-words reason)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # The document reads from the buffer for as long as it is open, and the buffer reads
        # from the byte array: both must outlive the document, or QtPdf reads freed memory.
        self._bytes = QByteArray()
        self._buffer = QBuffer(self)
        self._pending_page = 1
        self.document = QPdfDocument(self)
        self.document.statusChanged.connect(self._status_changed)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.SinglePage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.pageNavigator().currentPageChanged.connect(self._page_changed)
        # Searching the page for a value marks where it was read (QtPdf searches in batches).
        self.search = QPdfSearchModel(self)
        self.search.setDocument(self.document)
        self.search.rowsInserted.connect(lambda *_: self._mark_pending())
        self.view.setSearchModel(self.search)
        self._mark_on_page: int | None = None

        self.previous_button = self._tool("‹", "Previous page (Page Up)", self.previous_page)
        self.next_button = self._tool("›", "Next page (Page Down)", self.next_page)
        self.page_label = label("", "muted", wrap=False)
        self.zoom_out_button = self._tool("−", "Zoom out (Ctrl+-)", self.zoom_out)
        self.zoom_in_button = self._tool("+", "Zoom in (Ctrl+=)", self.zoom_in)
        self.fit_button = self._tool("Fit width", "Fit the page to the width", self.fit_width)
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        for widget in (self.previous_button, self.page_label, self.next_button):
            bar.addWidget(widget)
        bar.addStretch(1)
        for widget in (self.zoom_out_button, self.zoom_in_button, self.fit_button):
            bar.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        shortcuts = {"Ctrl+=": self.zoom_in, "Ctrl++": self.zoom_in, "Ctrl+-": self.zoom_out,
                     "PgUp": self.previous_page, "PgDown": self.next_page}
        for keys, slot in shortcuts.items():
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self._update_controls()

    def _tool(self, text: str, tooltip: str, slot) -> QToolButton:
        widget = QToolButton(self)
        widget.setText(text)
        widget.setToolTip(tooltip)
        widget.setAccessibleName(tooltip)
        widget.clicked.connect(slot)
        return widget

    # --- the document -----------------------------------------------------------------------

    def set_pdf(self, data: bytes, page: int = 1) -> None:
        """Show the PDF in `data` (kept in memory only) at a 1-based `page`."""
        self.clear()
        self._bytes = QByteArray(data)
        self._buffer.setData(self._bytes)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self._pending_page = page
        self.document.load(self._buffer)
        if self.document.status() == QPdfDocument.Status.Ready:
            self._status_changed(QPdfDocument.Status.Ready)

    def clear(self) -> None:
        """Close the document and drop its bytes."""
        self.document.close()
        self._buffer.close()
        self._buffer.setData(QByteArray())
        self._bytes = QByteArray()
        self._update_controls()

    def page_count(self) -> int:
        """Pages in the document (0 when none is loaded)."""
        return self.document.pageCount() if self._ready() else 0

    def current_page(self) -> int:
        """The page shown, 1-based (0 when no document is loaded)."""
        return self.view.pageNavigator().currentPage() + 1 if self._ready() else 0

    def show_page(self, page: int) -> None:
        """Jump to a 1-based page (clamped to the document)."""
        if not self._ready():
            self._pending_page = page
            return
        target = min(max(page, 1), self.page_count()) - 1
        self.view.pageNavigator().jump(target, QPointF(), self.view.zoomFactor())
        self._update_controls()

    def highlight(self, text: str, page: int) -> None:
        """Show a 1-based page and mark where `text` is printed on it (if it is)."""
        self.show_page(page)
        self._mark_on_page = page - 1
        self.search.setSearchString(text.strip())
        self._mark_pending()

    def highlighted_page(self) -> int | None:
        """1-based page of the marked text, or None when nothing is marked."""
        index = self.view.currentSearchResultIndex()
        if index < 0 or index >= self.search.rowCount(QModelIndex()):
            return None
        return self.search.resultAtIndex(index).page() + 1

    def _mark_pending(self) -> None:
        if self._mark_on_page is None:
            return
        for index in range(self.search.rowCount(QModelIndex())):
            if self.search.resultAtIndex(index).page() == self._mark_on_page:
                self.view.setCurrentSearchResultIndex(index)
                self._mark_on_page = None
                return

    def previous_page(self) -> None:
        """Show the page before."""
        self.show_page(self.current_page() - 1)

    def next_page(self) -> None:
        """Show the page after."""
        self.show_page(self.current_page() + 1)

    # --- zoom -------------------------------------------------------------------------------

    def zoom_in(self) -> None:
        """Make the page bigger."""
        self._zoom_to(self._zoom() * ZOOM_STEP)

    def zoom_out(self) -> None:
        """Make the page smaller."""
        self._zoom_to(self._zoom() / ZOOM_STEP)

    def fit_width(self) -> None:
        """Fit the page to the width of the view."""
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

    def _zoom(self) -> float:
        if self.view.zoomMode() == QPdfView.ZoomMode.Custom or not self._ready():
            return self.view.zoomFactor()
        # In a fit mode the view computes the scale itself; start from what is on screen.
        size = self.document.pagePointSize(self.view.pageNavigator().currentPage())
        if size.width() <= 0:
            return 1.0
        points_to_pixels = self.logicalDpiX() / 72.0
        usable = self.view.viewport().width() - 2 * self.view.documentMargins().left()
        return max(usable, 1) / (size.width() * points_to_pixels)

    def _zoom_to(self, factor: float) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(min(max(factor, MIN_ZOOM), MAX_ZOOM))

    # --- plumbing ---------------------------------------------------------------------------

    def _ready(self) -> bool:
        return self.document.status() == QPdfDocument.Status.Ready

    def _status_changed(self, status: QPdfDocument.Status) -> None:
        if status == QPdfDocument.Status.Ready:
            self.show_page(self._pending_page)
        elif status == QPdfDocument.Status.Error:
            self.sig_failed.emit("This document could not be shown: it is not a readable PDF.")
        self._update_controls()

    def _page_changed(self, _page: int) -> None:
        self._update_controls()
        self.sig_page_changed.emit(self.current_page())

    def _update_controls(self) -> None:
        total, page = self.page_count(), self.current_page()
        self.page_label.setText(f"Page {page} of {total}" if total else "")
        self.previous_button.setEnabled(page > 1)
        self.next_button.setEnabled(0 < page < total)
        for widget in (self.zoom_in_button, self.zoom_out_button, self.fit_button):
            widget.setEnabled(total > 0)


class PdfSourceDialog(QDialog):
    """A stored document opened at the page a result was read from."""

    def __init__(self, state: WorkspaceState, document_id: int, page: int | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setWindowTitle("Source document")
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.resize(820, 900)
        self.pdf = PdfPageView(self)
        self.note = label("", "muted")
        self.note.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.pdf, 1)
        layout.addWidget(buttons)
        self.pdf.sig_failed.connect(self._failed)
        self.pdf.sig_page_changed.connect(lambda _page: self._retitle())
        self.title = ""
        self._open(document_id, page or 1)

    def _open(self, document_id: int, page: int) -> None:
        runner = self.state.runner
        info = runner.task(document_service.document_info, self.state.vault,
                           document_id).bound_to(self).run_now()
        if info is None:
            return
        self.title = info.title
        content = runner.task(document_service.document_content, self.state.vault,
                              document_id).bound_to(self).run_now()
        if content is not None:
            self.pdf.set_pdf(content, page)
        self._retitle()

    def _retitle(self) -> None:
        page = self.pdf.current_page()
        where = f" — page {page}" if page else ""
        self.setWindowTitle(f"{self.title or 'Source document'}{where}")

    def _failed(self, message: str) -> None:
        self.note.setText(message)
        self.note.show()

    def done(self, result: int) -> None:
        """Drop the document's bytes as soon as the dialog closes."""
        self.pdf.clear()
        super().done(result)
