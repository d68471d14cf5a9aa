"""Forward-only schema migrations: migrations/NNNN_name.sql, applied in order.

The schema version is SQLite's user_version. Each migration runs in its own transaction
together with the version bump, so a crash mid-migration leaves the previous version intact.
There are no down-migrations: a vault is only ever moved forward.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

from carebook.vault.database import Database
from carebook.vault.errors import NewerVault

_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


@dataclass(frozen=True)
class Migration:
    """One step of the schema."""

    version: int
    name: str
    sql: str


def all_migrations() -> list[Migration]:
    """Every migration shipped with this Carebook, in version order."""
    folder = resources.files("carebook.vault") / "migrations"
    found = []
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), entry.name, entry.read_text("utf-8")))
    found.sort(key=lambda migration: migration.version)
    versions = [migration.version for migration in found]
    if versions != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migration numbering has gaps or repeats: {versions}")
    return found


def latest_version() -> int:
    """The schema version this Carebook writes."""
    return len(all_migrations())


def schema_version(db: Database) -> int:
    """The schema version of an open vault."""
    return db.query_one("PRAGMA user_version")[0]


def migrate(db: Database, target: int | None = None) -> list[int]:
    """Apply every migration above the current version (up to `target`); return those applied."""
    migrations = all_migrations()
    target = len(migrations) if target is None else target
    current = schema_version(db)
    if current > len(migrations):
        raise NewerVault(current, len(migrations))
    applied = []
    for migration in migrations:
        if current < migration.version <= target:
            _apply(db, migration)
            applied.append(migration.version)
    return applied


def _apply(db: Database, migration: Migration) -> None:
    script = (f"BEGIN IMMEDIATE;\n{migration.sql}\n"
              f"PRAGMA user_version = {migration.version};\nCOMMIT;")
    try:
        db.executescript(script)
    except Exception:
        db.rollback_if_open()
        raise
