"""Keeping files (letters, reports, images) encrypted inside the vault."""

from __future__ import annotations

import mimetypes
from hashlib import sha256
from pathlib import Path

from carebook.atomic import write_atomically
from carebook.errors import BadInput
from carebook.vault.document_store import MAX_DOCUMENT_BYTES, DocumentInfo, DocumentTooLarge
from carebook.vault.vault import Vault


class DuplicateDocument(BadInput):
    """The same bytes are already stored for this person."""

    code = "duplicate_document"
    title = "Already in the vault"

    def __init__(self, existing: DocumentInfo) -> None:
        super().__init__(f"This file was already added on {existing.added_at[:10]} "
                         f"as “{existing.title}”.")
        self.existing = existing


def add_document_file(vault: Vault, profile_id: int, path: Path) -> DocumentInfo:
    """Read a file from disk and store it in the vault for one person."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            raise DocumentTooLarge(size)
        content = path.read_bytes()
    except OSError as error:
        raise BadInput(f"Could not read {path.name}: {error.strerror or error}.") from None
    existing = vault.documents.find_by_hash(profile_id, sha256(content).hexdigest())
    if existing is not None:
        raise DuplicateDocument(existing)
    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return vault.documents.add(profile_id, title=path.stem, filename=path.name,
                               media_type=media_type, content=content)


def save_document_copy(vault: Vault, document_id: int, destination: Path) -> None:
    """Write a decrypted copy where the person chose; the export is audited."""
    info = vault.documents.get(document_id)
    try:
        write_atomically(Path(destination), vault.documents.content(document_id), mode=0o600)
    except OSError as error:
        raise BadInput(f"Could not save to {destination}: {error.strerror or error}. "
                       "The document is still safe in the vault.") from None
    vault.audit.write("document_exported", f"Document saved outside the vault: {info.title}",
                      record_type="document", record_id=document_id,
                      profile_id=info.profile_id)


def delete_document(vault: Vault, document_id: int) -> None:
    """Delete a document that no record depends on."""
    vault.documents.delete(document_id)


def list_documents(vault: Vault, profile_id: int) -> list[DocumentInfo]:
    """A person's documents."""
    return vault.documents.list(profile_id)


def document_info(vault: Vault, document_id: int) -> DocumentInfo:
    """A stored document's description (title, file name, pages)."""
    return vault.documents.get(document_id)


def document_content(vault: Vault, document_id: int) -> bytes:
    """A stored document's bytes, decrypted in memory only (for viewing inside Carebook)."""
    return vault.documents.content(document_id)
