"""Schema migrations: every older vault reaches the latest schema with its data, atomically."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlcipher3

from carebook.vault.database import Database
from carebook.vault.errors import NewerVault
from carebook.vault.migrations import (
    Migration,
    _apply,
    all_migrations,
    latest_version,
    migrate,
    schema_version,
)
from carebook.vault.vault import Vault
from tests.conftest import PASSPHRASE
from tests.integration.folder_snapshot import snapshot


def _schema(db: Database) -> list[tuple]:
    return db.query("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name")


def _new_database(folder: Path, name: str) -> Database:
    return Database(folder / name, os.urandom(32), create=True)


# Rows valid at each schema version; a new migration adds an entry for its version.
def _rows_v1(db: Database) -> dict[str, list[tuple]]:
    """Insert one of everything at schema 1; return what each table should then hold."""
    stamp = "2026-03-14T10:30:00Z"
    with db.transaction():
        db.execute("INSERT INTO meta (key, value) VALUES ('vault_id', 'abc')")
        db.execute("INSERT INTO profiles (id, name, full_name, birth_date, sex, sort_order,"
                   " created_at) VALUES (1, 'Dad', 'Henri Martin', '1949-09-03', 'male', 1, ?)",
                   (stamp,))
        db.execute("INSERT INTO documents (id, profile_id, title, filename, media_type, sha256,"
                   " size, pages, content, added_at) VALUES (1, 1, 'Lab report', 'r.pdf',"
                   " 'application/pdf', 'ab', 3, 1, x'255044', ?)", (stamp,))
        db.execute("INSERT INTO lab_results (id, profile_id, collected_at, name, loinc, value,"
                   " unit, ref_low, ref_high, flag, source_kind, document_id, page, created_at,"
                   " updated_at) VALUES (1, 1, '2026-03-01', 'HbA1c', '4548-4', 7.6, '%', 4.0,"
                   " 5.6, 'H', 'pdf', 1, 1, ?, ?)", (stamp, stamp))
        db.execute("INSERT INTO medications (id, profile_id, name, dose, start_date, created_at,"
                   " updated_at) VALUES (1, 1, 'Metformin', '1000 mg', '2020-01-01', ?, ?)",
                   (stamp, stamp))
        db.execute("INSERT INTO visits (id, profile_id, starts_at, status, created_at,"
                   " updated_at) VALUES (1, 1, '2026-03-17T10:30', 'planned', ?, ?)",
                   (stamp, stamp))
        db.execute("INSERT INTO questions (id, profile_id, visit_id, text, status, created_at,"
                   " updated_at) VALUES (1, 1, 1, 'Should my treatment change?', 'open', ?, ?)",
                   (stamp, stamp))
        db.execute("INSERT INTO notes (id, profile_id, body, created_at, updated_at)"
                   " VALUES (1, 1, 'Walk more.', ?, ?)", (stamp, stamp))
        db.execute("INSERT INTO audit_log (at, action, summary) VALUES (?, 'vault_created',"
                   " 'Vault created')", (stamp,))
    return {
        "profiles": [(1, "Dad")],
        "lab_results": [(1, "HbA1c")],
        "medications": [(1, "Metformin")],
        "visits": [(1, "planned")],
        "questions": [(1, "Should my treatment change?")],
        "notes": [(1, "Walk more.")],
        "follow_ups": [],  # the table comes with version 3; empty after the upgrade
    }


def _rows_v3(db: Database) -> dict[str, list[tuple]]:
    """Version 1's rows, plus a person's emergency details and a follow-up task."""
    expected = _rows_v1(db)
    with db.transaction():
        db.execute("UPDATE profiles SET blood_type = 'O+', emergency_contacts = 'Anne, 555'"
                   " WHERE id = 1")
        db.execute("INSERT INTO follow_ups (id, profile_id, visit_id, text, due_date,"
                   " created_at, updated_at) VALUES (1, 1, 1, 'Book an eye exam', '2026-06-01',"
                   " '2026-03-17T11:00:00Z', '2026-03-17T11:00:00Z')")
    return {**expected, "follow_ups": [(1, "Book an eye exam")]}


# Version 2 only adds an index, so the rows valid at version 1 are still the sample.
SAMPLE_ROWS: dict[int, Callable[[Database], dict[str, list[tuple]]]] = {1: _rows_v1,
                                                                       2: _rows_v1,
                                                                       3: _rows_v3}
_CHECK_COLUMNS = {"profiles": "name", "lab_results": "name", "medications": "name",
                  "visits": "status", "questions": "text", "notes": "body",
                  "follow_ups": "text"}


def _held(db: Database) -> dict[str, list[tuple]]:
    return {table: db.query(f"SELECT id, {column} FROM {table} ORDER BY id")
            for table, column in _CHECK_COLUMNS.items()}


@pytest.fixture
def reference_schema(tmp_path) -> list[tuple]:
    """The schema of a database migrated straight from version 0 to the latest."""
    db = _new_database(tmp_path, "reference.db")
    try:
        assert schema_version(db) == 0
        assert migrate(db) == list(range(1, latest_version() + 1))
        return _schema(db)
    finally:
        db.close()


def test_migrations_are_numbered_without_gaps():
    """Migrations are 1..N, each with SQL; latest_version is N."""
    migrations = all_migrations()
    assert [m.version for m in migrations] == list(range(1, len(migrations) + 1))
    assert latest_version() == len(migrations) >= 1
    assert all(m.sql.strip() for m in migrations)


def test_every_schema_version_has_sample_rows():
    """Each schema version has representative rows, so its upgrade is tested with data."""
    assert set(SAMPLE_ROWS) == set(range(1, latest_version() + 1))


@pytest.mark.parametrize("start", range(latest_version()))
def test_migrate_from_every_earlier_version(tmp_path, reference_schema, start):
    """From version k (with rows valid at k) to the latest: data kept, schema as if fresh."""
    db = _new_database(tmp_path, f"from-{start}.db")
    try:
        assert migrate(db, target=start) == list(range(1, start + 1))
        assert schema_version(db) == start
        expected = SAMPLE_ROWS[start](db) if start >= 1 else None

        applied = migrate(db)

        assert applied == list(range(start + 1, latest_version() + 1))
        assert schema_version(db) == latest_version()
        assert _schema(db) == reference_schema
        if expected is not None:
            assert _held(db) == expected
        assert db.query("PRAGMA foreign_key_check") == []
        assert db.query_one("PRAGMA integrity_check")[0] == "ok"
    finally:
        db.close()


def test_migrate_at_the_latest_version_changes_nothing(tmp_path, reference_schema):
    """Migrating an up-to-date database applies nothing and keeps every row."""
    db = _new_database(tmp_path, "current.db")
    try:
        migrate(db)
        expected = SAMPLE_ROWS[latest_version()](db)
        assert migrate(db) == []
        assert _held(db) == expected
        assert _schema(db) == reference_schema
    finally:
        db.close()


def test_a_new_vault_has_the_reference_schema(vault, reference_schema):
    """Vault.create produces exactly the schema the migrations build."""
    assert schema_version(vault.db) == latest_version()
    assert _schema(vault.db) == reference_schema


def test_newer_vault_is_refused_and_left_unchanged(vault_dir):
    """A vault whose schema is above what this Carebook knows raises NewerVault, writing nothing."""
    vault = Vault.unlock(vault_dir, PASSPHRASE)
    vault.db.execute(f"PRAGMA user_version = {latest_version() + 1}")
    vault.close()
    before = snapshot(vault_dir)
    for _ in range(2):  # the second attempt proves the first released the folder lock
        with pytest.raises(NewerVault) as caught:
            Vault.unlock(vault_dir, PASSPHRASE)
        assert snapshot(vault_dir) == before
    assert caught.value.exit_code == 2
    assert f"schema {latest_version() + 1}" in caught.value.message


def test_failing_migration_rolls_back_entirely(tmp_path):
    """A migration that breaks halfway leaves the version and the schema as they were."""
    db = _new_database(tmp_path, "broken.db")
    try:
        migrate(db)
        before = _schema(db)
        broken = Migration(latest_version() + 1, "9999_broken.sql",
                           "CREATE TABLE first_step (x INTEGER);\n"
                           "INSERT INTO first_step VALUES (1);\n"
                           "INSERT INTO no_such_table VALUES (1);\n"
                           "CREATE TABLE never_reached (y INTEGER);\n")
        with pytest.raises(sqlcipher3.OperationalError):
            _apply(db, broken)
        assert schema_version(db) == latest_version()
        assert _schema(db) == before
        assert db.query_one(
            "SELECT count(*) FROM sqlite_master WHERE name = 'first_step'")[0] == 0
        with db.transaction():  # the connection is usable: no transaction was left open
            db.execute("INSERT INTO meta (key, value) VALUES ('after', 'ok')")
        assert db.query_one("SELECT value FROM meta WHERE key = 'after'") == ("ok",)
    finally:
        db.close()


def test_successful_migration_keeps_existing_rows(tmp_path):
    """A further (here: made-up) migration that adds a column keeps every existing row."""
    db = _new_database(tmp_path, "next.db")
    try:
        migrate(db)
        expected = SAMPLE_ROWS[latest_version()](db)
        _apply(db, Migration(latest_version() + 1, "9999_next.sql",
                             "ALTER TABLE medications ADD COLUMN form TEXT;"))
        assert schema_version(db) == latest_version() + 1
        assert _held(db) == expected
        assert db.query("SELECT form FROM medications") == [(None,)]
    finally:
        db.close()



def test_trend_query_is_served_by_the_covering_index(vault):
    """Version 2's index answers a trend without touching the table's pages."""
    plan = " ".join(str(row) for row in vault.db.query(
        "EXPLAIN QUERY PLAN SELECT id, collected_at, value, value_text, unit, ref_low, ref_high,"
        " flag FROM lab_results WHERE profile_id = 1 AND analyte = 'Glucose'"
        " ORDER BY collected_at"))
    assert "COVERING INDEX lab_results_trend" in plan
    assert "TEMP B-TREE" not in plan  # already in date order
