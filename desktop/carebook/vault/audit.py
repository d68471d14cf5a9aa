"""The audit log: what happened in the vault, kept inside the vault, readable by its owner."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from carebook.vault.database import Database


def utc_now() -> str:
    """Current time as an ISO-8601 UTC timestamp (second precision)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class AuditEntry:
    """One line of the audit log."""

    id: int
    at: str
    action: str
    record_type: str | None
    record_id: int | None
    profile_id: int | None
    summary: str
    detail: dict | None


class AuditLog:
    """Append-only log of vault events (opens, changes, deletions, exports, AI runs)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def write(self, action: str, summary: str = "", *, record_type: str | None = None,
              record_id: int | None = None, profile_id: int | None = None,
              detail: dict | None = None) -> None:
        """Append one entry."""
        self._db.execute(
            "INSERT INTO audit_log (at, action, record_type, record_id, profile_id, summary,"
            " detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (utc_now(), action, record_type, record_id, profile_id, summary,
             json.dumps(detail, sort_keys=True) if detail is not None else None),
        )

    def entries(self, limit: int = 1000, offset: int = 0) -> list[AuditEntry]:
        """Entries, newest first."""
        rows = self._db.query(
            "SELECT id, at, action, record_type, record_id, profile_id, summary, detail"
            " FROM audit_log ORDER BY id DESC LIMIT ? OFFSET ?", (limit, offset))
        return [AuditEntry(*row[:7], json.loads(row[7]) if row[7] else None) for row in rows]

    def count(self) -> int:
        """Number of entries."""
        return self._db.query_one("SELECT count(*) FROM audit_log")[0]
