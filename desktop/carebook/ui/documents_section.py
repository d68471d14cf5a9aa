"""Documents kept encrypted in the vault: add files, save a copy out, delete."""

from __future__ import annotations

from pathlib import Path

from carebook.domain.values import format_date
from carebook.errors import CarebookError
from carebook.file_names import safe_file_name
from carebook.services import documents as document_service
from carebook.ui.record_table_model import Column, RowTableModel
from carebook.ui.table_page import TablePage
from carebook.ui.workspace_state import WorkspaceState
from carebook.vault.document_store import DocumentInfo


def _size(info: DocumentInfo) -> str:
    size = float(info.size)
    for unit in ("bytes", "KB", "MB"):
        if size < 1024 or unit == "MB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return ""


DOCUMENT_COLUMNS = [
    Column("Added", lambda d: format_date(d.added_at[:10]), lambda d: d.added_at),
    Column("Title", lambda d: d.title, lambda d: d.title),
    Column("File", lambda d: d.filename, lambda d: d.filename),
    Column("Type", lambda d: d.media_type, lambda d: d.media_type),
    Column("Size", _size, lambda d: d.size, numeric=True),
]


class DocumentsSection(TablePage):
    """The person's stored documents."""

    def __init__(self, state: WorkspaceState) -> None:
        super().__init__("Documents", RowTableModel(
            DOCUMENT_COLUMNS, tooltip=lambda d: f"sha256 {d.sha256}"), state,
            settings_key="table/documents", icon_name="document")
        self.model.setParent(self)
        self.add_button("Add files…", "add", self.add_record,
                        "Keep a copy of files encrypted in the vault (Ctrl+N)")
        self.add_button("Save a copy…", "export", self.save_copy,
                        "Write a decrypted copy of the selected document", needs_selection=True)
        self.add_button("Delete", "delete", self.delete_selected, needs_selection=True)
        self.view.activated.connect(lambda _index: self.save_copy())
        state.sig_profile_changed.connect(lambda _id: self.reload())
        state.sig_records_changed.connect(
            lambda kind: self.reload() if kind in ("document", "*") else None)
        self.update_actions()

    def fetch(self) -> list[DocumentInfo]:
        """This person's documents."""
        if self.state.profile_id is None:
            return []
        return self.state.runner.task(document_service.list_documents, self.state.vault,
                                      self.state.profile_id).run_now() or []

    def empty_text(self) -> str:
        """Say what documents are for."""
        return ("No documents yet. Add letters, reports or images to keep them encrypted "
                "in the vault, not as loose files on this computer.")

    def add_record(self) -> None:
        """Choose files and store each in the vault, in the background."""
        if self.state.profile_id is None:
            return
        paths = self.state.interaction.open_files(self, "Add documents", "All files (*)")
        if paths:
            self.state.runner.task(self._store_all, paths, self.state.profile_id).busy(
                f"Adding {len(paths)} document(s)…").success(self._stored).bound_to(
                self).run_in_background()

    def _store_all(self, paths, profile_id) -> list[str]:
        notes = []
        for path in paths:
            try:
                document_service.add_document_file(self.state.vault, profile_id, path)
            except CarebookError as problem:  # duplicate, too large, unreadable: say which
                notes.append(f"{path.name}: {problem.message}")
        return notes

    def _stored(self, notes: list[str]) -> None:
        self.state.records_changed("document")
        if notes:
            self.state.interaction.inform(self, "Some files were not added",
                                          "\n".join(notes))

    def save_copy(self) -> None:
        """Write a decrypted copy of the selected document where the person chooses."""
        info = self.selected_row()
        if info is None:
            return
        # The copy's suggested name says whose it is: exports are labelled with the person.
        original = Path(info.filename)
        person = self.state.profile.name if self.state.profile else ""
        suggested = safe_file_name(f"{person} – {original.stem}" if person else original.stem,
                                   original.suffix)
        target = self.state.interaction.save_file(self, "Save a copy", suggested,
                                                  "All files (*)")
        if target is not None:
            self.state.runner.task(document_service.save_document_copy, self.state.vault,
                                   info.id, target).success(
                lambda _r: self.state.sig_status.emit(f"Saved a copy to {target}.")
            ).bound_to(self).run_now()

    def delete_selected(self) -> None:
        """Delete the selected document after confirmation (documents cannot be undone)."""
        info = self.selected_row()
        if info is None:
            return
        if self.state.interaction.confirm(
                self, "Delete document?",
                f"Delete “{info.title}” from the vault? This cannot be undone.",
                confirm_label="Delete", destructive=True):
            self.state.runner.task(document_service.delete_document, self.state.vault,
                                   info.id).success(
                lambda _r: self.state.records_changed("document")).bound_to(self).run_now()

    def edit_selected(self) -> None:
        """Documents are not edited; Enter saves a copy."""
        self.save_copy()
