"""The SQLCipher connection: raw-key opening, integrity checks, and serialised access.

One `Database` owns one connection. Every statement runs under a re-entrant lock, so the
task runner may hand the database to a background thread (unlock, import, demo data)
while the UI thread reads; only one thread touches the connection at a time.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlcipher3

from carebook.vault.errors import TamperedDatabase

# SQLCipher prints decryption failures to stderr by default; Carebook reports them itself.
_quiet = sqlcipher3.connect(":memory:")
_quiet.execute("PRAGMA cipher_log_level = NONE")
_quiet.close()


def _key_pragma(key: bytes) -> str:
    # A raw 256-bit key: SQLCipher skips its own KDF; the passphrase never reaches SQLite.
    return f"PRAGMA key = \"x'{key.hex()}'\""


def verify_database(path: Path, key: bytes) -> None:
    """Check that vault.db decrypts and every page passes its HMAC, writing nothing.

    The check runs on an immutable read-only connection: SQLite then creates no -wal or -shm
    file, so a damaged vault is left byte-identical. Immutable means a pending write-ahead log
    is not read, so call this only when there is none (otherwise use Database.verify).
    """
    connection = sqlcipher3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    try:
        _check(connection, key)
    finally:
        connection.close()


def _check(connection: Any, key: bytes) -> None:
    try:
        connection.execute(_key_pragma(key))
        version = connection.execute("PRAGMA cipher_version").fetchone()
        if not version or not str(version[0]).startswith("4."):
            raise TamperedDatabase(f"unsupported SQLCipher version {version!r}")
        problems = connection.execute("PRAGMA cipher_integrity_check").fetchall()
        if problems:
            raise TamperedDatabase(f"{len(problems)} page(s) failed the HMAC check")
        verdict = connection.execute("PRAGMA quick_check").fetchone()
        if not verdict or verdict[0] != "ok":
            raise TamperedDatabase("the database structure is inconsistent")
        tables = connection.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
        if tables == 0:
            raise TamperedDatabase("the database is empty")
    except sqlcipher3.DatabaseError as error:
        raise TamperedDatabase(str(error)) from None


class Database:
    """A keyed SQLCipher connection with serialised access."""

    def __init__(self, path: Path, key: bytes, *, create: bool = False) -> None:
        self.path = path
        mode = "rwc" if create else "rw"
        self._lock = threading.RLock()
        self._conn = sqlcipher3.connect(
            f"file:{path}?mode={mode}", uri=True, check_same_thread=False,
            isolation_level=None,  # explicit transactions only (see `transaction`)
        )
        try:
            self._conn.execute(_key_pragma(key))
            for pragma in ("journal_mode = WAL", "secure_delete = ON", "temp_store = MEMORY",
                           "foreign_keys = ON", "synchronous = FULL"):
                self._conn.execute(f"PRAGMA {pragma}")
        except sqlcipher3.DatabaseError as error:
            self._conn.close()
            raise TamperedDatabase(str(error)) from None

    def verify(self, key: bytes) -> None:
        """Run the integrity checks on this connection (after SQLite replayed a pending WAL)."""
        with self._lock:
            _check(self._conn, key)

    def execute(self, sql: str, params: Sequence[Any] | dict = ()) -> sqlcipher3.Cursor:
        """Run one statement (inside a transaction if one is open)."""
        with self._lock:
            return self._conn.execute(sql, params)

    def query(self, sql: str, params: Sequence[Any] | dict = ()) -> list[tuple]:
        """Run a SELECT and return all rows."""
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    def query_one(self, sql: str, params: Sequence[Any] | dict = ()) -> tuple | None:
        """Run a SELECT and return the first row or None."""
        with self._lock:
            return self._conn.execute(sql, params).fetchone()

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Run one statement for many rows."""
        with self._lock:
            self._conn.executemany(sql, rows)

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """All-or-nothing block; nests (inner blocks join the outer transaction)."""
        with self._lock:
            if self._conn.in_transaction:
                yield self
                return
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def executescript(self, script: str) -> None:
        """Run a multi-statement script (used by migrations, inside their own BEGIN/COMMIT)."""
        with self._lock:
            self._conn.executescript(script)

    def rollback_if_open(self) -> None:
        """Roll back a transaction a failed script left open."""
        with self._lock:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")

    def close(self) -> None:
        """Close the connection; SQLite checkpoints and removes the -wal and -shm files."""
        with self._lock:
            self._conn.close()
