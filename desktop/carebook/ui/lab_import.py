"""Importing lab PDFs chosen in a file dialog or dropped on the window, one after another.

Each file is read in the background (the isolated child does the reading), then reviewed in
the dialog beside its page. A password-protected PDF asks for its password; a file that can't
be read says why and the next one goes on; a file imported before says when.
"""

from __future__ import annotations

from collections import deque
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from carebook.domain.values import format_date
from carebook.labs.errors import EncryptedPdf, UnreadableReport
from carebook.services import lab_import
from carebook.services.lab_import import ReportDraft
from carebook.ui.lab_review import LabReviewDialog
from carebook.ui.workspace_state import WorkspaceState

PDF_FILTER = "Lab reports (*.pdf *.PDF)"


def pdf_paths(paths: list[Path]) -> list[Path]:
    """The PDF files among dropped or chosen paths (a dropped folder gives its PDFs)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.iterdir() if p.suffix.lower() == ".pdf"))
        elif path.suffix.lower() == ".pdf":
            found.append(path)
    return found


class LabImporter(QObject):
    """Reads, reviews and saves lab reports for the person shown, one file at a time."""

    sig_imported = Signal(int)
    """A report was saved (the number of results stored)."""

    def __init__(self, state: WorkspaceState, window: QWidget) -> None:
        super().__init__(window)
        self.state = state
        self.window = window
        self.dialog: LabReviewDialog | None = None
        self._queue: deque[Path] = deque()
        self._done = 0
        self._total = 0

    def choose_files(self) -> None:
        """Ask which PDFs to import."""
        paths = self.state.interaction.open_files(self.window, "Import lab reports", PDF_FILTER)
        self.import_files(paths)

    def import_files(self, paths: list[Path]) -> None:
        """Queue files for import; they are reviewed one after another."""
        if self.state.profile is None:
            return
        files = pdf_paths([Path(p) for p in paths])
        skipped = len(paths) - len(files)
        if skipped and not files:
            self.state.interaction.warn(self.window, "Not a PDF",
                                        "Carebook imports lab reports saved as PDF files.")
            return
        if not self._queue and self.dialog is None:
            self._done, self._total = 0, 0
        self._queue.extend(files)
        self._total += len(files)
        if self.dialog is None and len(self._queue) == len(files):
            self._next()

    def _next(self) -> None:
        self.dialog = None
        if not self._queue:
            return
        self._done += 1
        self._read(self._queue.popleft(), None)

    def _read(self, path: Path, password: str | None) -> None:
        counter = f" ({self._done} of {self._total})" if self._total > 1 else ""
        self.state.runner.task(
            lab_import.read_report, self.state.vault, self.state.profile_id, path, password
        ).busy(f"Reading {path.name}{counter}…").success(self._review).failure(
            lambda error: self._failed(path, error)).bound_to(self).run_in_background()

    def _failed(self, path: Path, error: BaseException) -> None:
        interaction = self.state.interaction
        if isinstance(error, EncryptedPdf):
            password = interaction.ask_secret(self.window, f"{path.name} is protected",
                                              str(error))
            if password is not None:
                self._read(path, password)
                return
        elif isinstance(error, UnreadableReport):
            interaction.warn(self.window, f"Can't import {path.name}", error.message)
        else:
            self.state.runner.report(error, self.window)
        self._next()

    def _review(self, draft: ReportDraft) -> None:
        if draft.already_imported is not None:
            when = format_date(draft.already_imported.added_at)
            if not self.state.interaction.confirm(
                    self.window, "Already imported",
                    f"{draft.filename} was already imported on {when}. Review it again anyway?",
                    confirm_label="Review again"):
                self._next()
                return
        if not draft.parsed["results"]:
            self.state.interaction.warn(
                self.window, f"No results found in {draft.filename}",
                "Carebook could not find lab results in this PDF. You can type the values in "
                "with Add in the Lab results section.")
            self._next()
            return
        profile = self.state.profile
        self.dialog = LabReviewDialog(draft, lambda date, rows: self._save(draft, date, rows),
                                      self.state.interaction, self.window,
                                      person=profile.name if profile else "")
        self.dialog.finished.connect(lambda _result: self._next())
        self.dialog.open()

    def _save(self, draft: ReportDraft, collected_at: str, rows: list[dict]) -> bool:
        prepared = lab_import.prepare_rows(collected_at, rows)  # ValidationError goes back
        saved = self.state.runner.task(lab_import.save_report, self.state.vault,
                                       self.state.profile_id, draft, prepared).run_now()
        if saved is None:
            return False
        self.state.records_changed("lab_result")
        self.state.records_changed("document")
        self.state.sig_status.emit(f"Saved {saved.count} results from {draft.filename}.")
        self.sig_imported.emit(saved.count)
        return True
