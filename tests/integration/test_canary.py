"""Health data never reaches the disk in clear: not in the vault folder, the user folders or temp.

A unique canary string is written through the services into several record types; every file
under the vault folder, the isolated XDG folders and the process temp folder is then searched
for it as UTF-8, UTF-16-LE and base64 (at each of the three byte alignments).
"""

from __future__ import annotations

import base64
import os
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import pytest

from carebook.diagnostics import log_unexpected
from carebook.services.documents import add_document_file
from carebook.services.profiles import add_profile
from carebook.services.records import add_record
from carebook.vault.vault import DB_FILE, Vault
from tests.conftest import PASSPHRASE


def _forms(text: str) -> dict[str, bytes]:
    """The byte patterns that would betray `text`."""
    raw = text.encode("utf-8")
    forms = {"utf-8": raw, "utf-16-le": text.encode("utf-16-le")}
    for shift in range(3):
        # Base64 of the text inside a longer value depends on its offset modulo 3: keep only
        # the characters that the text's own bytes fully decide.
        encoded = base64.b64encode(b"\0" * shift + raw)
        first_full = -(-shift * 4 // 3)
        forms[f"base64+{shift}"] = encoded[first_full:-4]
    return forms


def _leaks(roots: list[Path], text: str) -> list[str]:
    """Every (file, form) in which `text` can be found under `roots`."""
    forms = _forms(text)
    found = []
    for root in roots:
        for path in sorted(Path(root).rglob("*")):
            if not path.is_file():
                continue
            data = path.read_bytes()
            found += [f"{path}: {name}" for name, form in forms.items() if form in data]
    return found


@pytest.fixture
def canary() -> str:
    """A string that occurs nowhere unless this test put it there."""
    return "CANARY-" + uuid.uuid4().hex[:16]


@pytest.fixture
def process_tmp(tmp_path, monkeypatch) -> Path:
    """A private temp folder for this process (TMPDIR), so anything written there is seen."""
    folder = tmp_path / "process-tmp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", None)
    assert tempfile.gettempdir() == str(folder)
    return folder


@pytest.fixture
def scanned(vault_dir, isolated_user_dirs, process_tmp) -> list[Path]:
    """The folders that must never hold health data in clear."""
    return [vault_dir, isolated_user_dirs, process_tmp]


def test_the_scanner_finds_every_form(tmp_path, canary):
    """Control: the canary planted in clear in each form, at each offset, is found."""
    folder = tmp_path / "control"
    folder.mkdir()
    (folder / "clean.bin").write_bytes(os.urandom(4096))
    assert _leaks([folder], canary) == []
    samples = {"plain.txt": f"note: {canary}".encode(), "wide.txt": canary.encode("utf-16-le")}
    for shift in range(3):
        value = ("x" * shift + f"body {canary} end").encode()
        samples[f"b64-{shift}.txt"] = base64.b64encode(value)
    for name, data in samples.items():
        (folder / name).write_bytes(data)
    found = {line.split(": ")[0].rsplit("/", 1)[1] for line in _leaks([folder], canary)}
    assert found == set(samples)


def test_records_never_reach_disk_in_clear(vault_dir, scanned, tmp_path, canary):
    """Profile, medication, note, lab result and document: found by the app, not on disk."""
    outside = tmp_path / "outside"  # where the person's own file lives; not scanned
    outside.mkdir()
    letter = outside / f"{canary}-letter.txt"
    letter.write_text(f"Synthetic referral letter.\nPatient reference {canary}-doc.\n")

    vault = Vault.unlock(vault_dir, PASSPHRASE)
    try:
        person = add_profile(vault, f"{canary}-P")
        add_record(vault, "medication", person.id, {"name": f"{canary}-med", "dose": "5 mg"})
        add_record(vault, "note", person.id, {"body": f"Felt dizzy. {canary}-note"})
        add_record(vault, "lab_result", person.id, {
            "collected_at": "2026-03-01", "name": "Glucose", "value": "5.4",
            "value_text": f"{canary}-lab"})
        document = add_document_file(vault, person.id, letter)
        assert canary.encode() in vault.documents.content(document.id)
        assert (vault_dir / f"{DB_FILE}-wal").stat().st_size > 0  # written, not checkpointed

        assert _leaks(scanned, canary) == []  # while open, with the WAL in place
    finally:
        vault.close()
    assert not (vault_dir / f"{DB_FILE}-wal").exists()
    assert _leaks(scanned, canary) == []  # after closing, everything checkpointed into vault.db

    vault = Vault.unlock(vault_dir, PASSPHRASE)
    try:  # the canaries really are in the vault, just not readable without the key
        person = vault.profiles.find(f"{canary}-P")
        assert vault.records.list("medication", person.id)[0].values["name"] == f"{canary}-med"
        assert vault.records.list("note", person.id)[0].values["body"].endswith(
            f"{canary}-note")
        assert vault.documents.list(person.id)[0].title == f"{canary}-letter"
    finally:
        vault.close()


def test_cli_does_not_echo_the_name_to_stderr(vault_dir, scanned, canary):
    """`carebook profile add NAME` keeps NAME out of stderr and off the disk in clear."""
    name = f"{canary}-cli"
    result = subprocess.run(
        [sys.executable, "-m", "carebook", "profile", "add", name, "--vault", str(vault_dir)],
        env={**os.environ, "CAREBOOK_PASSPHRASE": PASSPHRASE}, stdin=subprocess.DEVNULL,
        capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr.decode()
    assert name.encode() in result.stdout  # it did run: the person was added
    assert not [form for form in _forms(canary).values() if form in result.stderr]
    assert _leaks(scanned, canary) == []
    vault = Vault.unlock(vault_dir, PASSPHRASE)
    try:
        assert vault.profiles.find(name).name == name
    finally:
        vault.close()


def test_crash_diagnostic_keeps_no_message(isolated_user_dirs, canary):
    """An unexpected error's log entry names its type and code lines, never its message."""
    try:
        raise ValueError(f"could not parse {canary}")
    except ValueError as error:
        log = log_unexpected(error, "test")
    assert log is not None
    assert Path(log).is_relative_to(isolated_user_dirs)
    text = Path(log).read_text()
    assert "ValueError" in text
    assert "test_crash_diagnostic_keeps_no_message" in text
    assert _leaks([isolated_user_dirs], canary) == []


def test_closed_database_shows_no_sqlite_structure(vault_dir):
    """Even the schema is encrypted: no SQLite header or table names in vault.db."""
    data = (vault_dir / DB_FILE).read_bytes()
    assert b"SQLite format 3" not in data
    assert b"CREATE TABLE" not in data
    assert b"lab_results" not in data
