"""Documents (lab-report PDFs, letters, images) stored as blobs inside the encrypted vault."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from carebook.domain.record_types import RECORD_TYPES
from carebook.errors import BadInput
from carebook.vault.audit import AuditLog, utc_now
from carebook.vault.database import Database

MAX_DOCUMENT_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class DocumentInfo:
    """A stored document's description (its content is fetched separately)."""

    id: int
    profile_id: int
    title: str
    filename: str
    media_type: str
    sha256: str
    size: int
    pages: int | None
    source_kind: str
    added_at: str


class DocumentInUse(BadInput):
    """Results still point at this document; deleting it would orphan their provenance."""

    code = "document_in_use"
    title = "Document still in use"

    def __init__(self, count: int) -> None:
        super().__init__(
            f"{count} result(s) were read from this document and point back to its pages. "
            "Delete those results first, so no value loses its source."
        )


class DocumentTooLarge(BadInput):
    """Documents are kept in the database; very large files do not belong there."""

    code = "document_too_large"

    def __init__(self, size: int) -> None:
        super().__init__(f"This file is {size // (1024 * 1024)} MiB; Carebook keeps documents "
                         f"up to {MAX_DOCUMENT_BYTES // (1024 * 1024)} MiB.")


class DocumentStore:
    """Add, read, list and delete documents."""

    _COLUMNS = ("id, profile_id, title, filename, media_type, sha256, size, pages, source_kind,"
                " added_at")

    def __init__(self, db: Database, audit: AuditLog) -> None:
        self._db = db
        self._audit = audit

    def add(self, profile_id: int, *, title: str, filename: str, media_type: str,
            content: bytes, pages: int | None = None, source_kind: str = "manual") -> DocumentInfo:
        """Store a document's bytes, encrypted with the rest of the vault."""
        if len(content) > MAX_DOCUMENT_BYTES:
            raise DocumentTooLarge(len(content))
        digest = hashlib.sha256(content).hexdigest()
        with self._db.transaction():
            cursor = self._db.execute(
                "INSERT INTO documents (profile_id, title, filename, media_type, sha256, size,"
                " pages, content, source_kind, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (profile_id, title, filename, media_type, digest, len(content), pages, content,
                 source_kind, utc_now()))
            self._audit.write("document_added", f"Document added: {title}",
                              record_type="document", record_id=cursor.lastrowid,
                              profile_id=profile_id)
        return self.get(cursor.lastrowid)

    def get(self, document_id: int) -> DocumentInfo:
        """A document's description."""
        row = self._db.query_one(f"SELECT {self._COLUMNS} FROM documents WHERE id = ?",
                                 (document_id,))
        if row is None:
            raise BadInput("That document no longer exists.")
        return DocumentInfo(*row)

    def find_by_hash(self, profile_id: int, sha256: str) -> DocumentInfo | None:
        """The same file stored earlier for this person, if any (re-import detection)."""
        row = self._db.query_one(
            f"SELECT {self._COLUMNS} FROM documents WHERE profile_id = ? AND sha256 = ?",
            (profile_id, sha256))
        return DocumentInfo(*row) if row else None

    def list(self, profile_id: int) -> list[DocumentInfo]:
        """A person's documents, newest first."""
        rows = self._db.query(f"SELECT {self._COLUMNS} FROM documents WHERE profile_id = ?"
                              " ORDER BY added_at DESC, id DESC", (profile_id,))
        return [DocumentInfo(*row) for row in rows]

    def content(self, document_id: int) -> bytes:
        """A document's bytes (decrypted in memory only)."""
        row = self._db.query_one("SELECT content FROM documents WHERE id = ?", (document_id,))
        if row is None:
            raise BadInput("That document no longer exists.")
        return bytes(row[0])

    def delete(self, document_id: int) -> None:
        """Delete a document no result depends on."""
        info = self.get(document_id)
        users = sum(self._db.query_one(
            f"SELECT count(*) FROM {rtype.table} WHERE document_id = ?", (document_id,))[0]
            for rtype in RECORD_TYPES.values())
        if users:
            raise DocumentInUse(users)
        with self._db.transaction():
            self._db.execute("DELETE FROM documents WHERE id = ?", (document_id,))
            self._audit.write("document_deleted", f"Document deleted: {info.title}",
                              record_type="document", record_id=document_id,
                              profile_id=info.profile_id)
