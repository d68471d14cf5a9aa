"""The five ways opening can fail: each its own error, code and message, and none writes a byte.

Every case snapshots the name and sha256 of every file in the vault folder before the attempt
and compares after it: a refused open must leave the folder exactly as it found it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from carebook.domain.records import Profile
from carebook.errors import CarebookError
from carebook.vault.errors import (
    DamagedKeyHeader,
    NotAVault,
    TamperedDatabase,
    VaultInUse,
    WrongPassphrase,
)
from carebook.vault.keyfile import (
    SLOT_PASSPHRASE,
    KeyHeader,
    open_slot,
    read_header,
    seal_slot,
    write_header,
)
from carebook.vault.vault import DB_FILE, KEY_FILE, Vault
from tests.conftest import FAST_KDF, NEW_PASSPHRASE, PASSPHRASE
from tests.integration.folder_snapshot import snapshot

PAGE = 4096  # SQLCipher 4 page size

HOLD_OPEN = """
import sys
from carebook.vault.vault import Vault
vault = Vault.unlock(sys.argv[1], sys.argv[2])
print("ready", flush=True)
sys.stdin.readline()
vault.close()
"""


def _refused(folder: Path, opener: Callable[[], object] | None = None) -> CarebookError:
    """Try to open `folder`; return the error, after checking no file was added or changed."""
    before = snapshot(folder)
    with pytest.raises(CarebookError) as caught:
        vault = (opener or (lambda: Vault.unlock(folder, PASSPHRASE)))()
        vault.close()  # only reached if the open wrongly succeeded
    assert snapshot(folder) == before
    return caught.value


def _flip(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def _truncate(path: Path, size: int) -> None:
    with path.open("r+b") as handle:
        handle.truncate(size)


# --- 1. wrong passphrase ---------------------------------------------------------------------

def test_wrong_passphrase(vault_dir):
    """A wrong passphrase: WrongPassphrase, exit code 3."""
    error = _refused(vault_dir, lambda: Vault.unlock(vault_dir, NEW_PASSPHRASE))
    assert type(error) is WrongPassphrase
    assert (error.exit_code, error.code) == (3, "wrong_passphrase")
    assert "passphrase does not unlock" in error.message


# --- 2. damaged key header -------------------------------------------------------------------

@pytest.mark.parametrize("where", ["start", "middle", "end"])
def test_damaged_key_header(vault_dir, where):
    """A flipped byte in vault.key: DamagedKeyHeader, exit 4, not 'wrong passphrase'."""
    key = vault_dir / KEY_FILE
    size = key.stat().st_size
    _flip(key, {"start": 0, "middle": size // 2, "end": size - 3}[where])
    error = _refused(vault_dir)
    assert type(error) is DamagedKeyHeader
    assert (error.exit_code, error.code) == (4, "damaged_key_header")
    assert "vault.key" in error.message


def test_damaged_key_header_is_reported_for_the_recovery_code_too(vault_dir, recovery_code):
    """The recovery-code path reports the same damage, not a wrong code."""
    _flip(vault_dir / KEY_FILE, 40)
    error = _refused(vault_dir, lambda: Vault.unlock_with_recovery_code(vault_dir,
                                                                         recovery_code))
    assert type(error) is DamagedKeyHeader


# --- 3. tampered database --------------------------------------------------------------------

def _assert_tampered(error: CarebookError) -> None:
    assert type(error) is TamperedDatabase
    assert (error.exit_code, error.code) == (4, "tampered_database")
    assert "vault.db" in error.message


def test_tampered_database_first_page(vault_dir):
    """A flipped byte in page 1 (past the salt) is caught by the page HMAC."""
    _flip(vault_dir / DB_FILE, 100)
    _assert_tampered(_refused(vault_dir))


def test_tampered_database_salt(vault_dir):
    """A flipped byte in the database salt (first 16 bytes) is caught too."""
    _flip(vault_dir / DB_FILE, 3)
    _assert_tampered(_refused(vault_dir))


def test_tampered_database_middle_page(demo_vault_dir):
    """A flipped byte in a middle page of a many-page vault is caught by the integrity check."""
    db = demo_vault_dir / DB_FILE
    size = db.stat().st_size
    assert size // PAGE >= 20  # the demo vault really has many pages
    _flip(db, size // 2)
    _assert_tampered(_refused(demo_vault_dir))


def test_tampered_database_last_byte(demo_vault_dir):
    """A flipped byte at the very end of the last page (its HMAC) is caught."""
    db = demo_vault_dir / DB_FILE
    _flip(db, db.stat().st_size - 1)
    _assert_tampered(_refused(demo_vault_dir))


@pytest.mark.parametrize("cut", ["last_page", "half", "one_byte"])
@pytest.mark.parametrize("template", ["vault_dir", "demo_vault_dir"])
def test_truncated_database(request, template, cut):
    """vault.db cut short by a whole page, to half, or by one byte is refused as tampered."""
    folder = request.getfixturevalue(template)
    db = folder / DB_FILE
    size = db.stat().st_size
    _truncate(db, {"last_page": size - PAGE, "half": size // 2, "one_byte": size - 1}[cut])
    _assert_tampered(_refused(folder))


def test_tampered_free_page(vault_dir):
    """A flipped byte in a page no table uses any more is still caught (every page has a MAC)."""
    vault = Vault.unlock(vault_dir, PASSPHRASE)
    try:
        person = vault.profiles.add(Profile(name="Dad"))
        document = vault.documents.add(person.id, title="Scan", filename="scan.bin",
                                       media_type="application/octet-stream",
                                       content=os.urandom(40 * PAGE))
        vault.documents.delete(document.id)  # its overflow pages go to the freelist
        assert vault.db.query_one("PRAGMA freelist_count")[0] >= 30
    finally:
        vault.close()
    db = vault_dir / DB_FILE
    _flip(db, db.stat().st_size - PAGE // 2)  # inside the last page, now a free page
    _assert_tampered(_refused(vault_dir))


def test_missing_database_file(vault_dir):
    """vault.key without vault.db is a damaged vault, not an empty new one."""
    (vault_dir / DB_FILE).unlink()
    _assert_tampered(_refused(vault_dir))


def test_database_from_another_vault(tmp_path, vault_dir):
    """vault.db swapped for another vault's database (same passphrase) is refused."""
    other, _ = Vault.create(tmp_path / "other", PASSPHRASE, FAST_KDF)
    other.close()
    (vault_dir / DB_FILE).write_bytes((tmp_path / "other" / DB_FILE).read_bytes())
    _assert_tampered(_refused(vault_dir))


def test_key_header_relabelled_with_another_vault_id(vault_dir):
    """A header that opens the key but names another vault id is refused as a mismatch."""
    header = read_header(vault_dir / KEY_FILE)
    db_key = open_slot(header, SLOT_PASSPHRASE, PASSPHRASE.encode())
    other_id = "f" * 32
    write_header(vault_dir / KEY_FILE, KeyHeader(other_id, header.created_at, {
        SLOT_PASSPHRASE: seal_slot(db_key, PASSPHRASE.encode(), FAST_KDF, other_id,
                                   SLOT_PASSPHRASE)}))
    error = _refused(vault_dir)
    _assert_tampered(error)
    assert "different vaults" in error.detail


# --- 4. not a vault --------------------------------------------------------------------------

def test_empty_folder_is_not_a_vault(tmp_path):
    """An empty folder: NotAVault, exit 2, and nothing is created in it."""
    folder = tmp_path / "empty"
    folder.mkdir()
    error = _refused(folder)
    assert type(error) is NotAVault
    assert (error.exit_code, error.code) == (2, "not_a_vault")
    assert list(folder.iterdir()) == []


def test_folder_of_random_files_is_not_a_vault(tmp_path):
    """A folder of unrelated files (even one called vault.db) is not a vault; nothing changes."""
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "holiday.jpg").write_bytes(os.urandom(5000))
    (folder / "notes.txt").write_text("shopping list\n")
    (folder / DB_FILE).write_bytes(os.urandom(PAGE * 2))
    (folder / "sub").mkdir()
    (folder / "sub" / "more.bin").write_bytes(os.urandom(100))
    error = _refused(folder)
    assert type(error) is NotAVault


def test_missing_folder_is_not_a_vault(tmp_path):
    """A path that does not exist is not a vault, and is not created."""
    folder = tmp_path / "nowhere"
    with pytest.raises(NotAVault):
        Vault.unlock(folder, PASSPHRASE)
    assert not folder.exists()


def test_file_instead_of_folder_is_not_a_vault(vault_dir):
    """Pointing at vault.key itself rather than its folder is NotAVault."""
    with pytest.raises(NotAVault):
        Vault.unlock(vault_dir / KEY_FILE, PASSPHRASE)


# --- 5. vault in use -------------------------------------------------------------------------

def test_vault_open_in_another_process(vault_dir):
    """While another process holds the vault, opening it here is VaultInUse and writes nothing."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_OPEN, str(vault_dir), PASSPHRASE],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready", holder.stderr.read()
        error = _refused(vault_dir)
        assert type(error) is VaultInUse
        assert (error.exit_code, error.code) == (2, "vault_in_use")
        assert "already open" in error.message
        holder.stdin.write("\n")
        holder.stdin.flush()
        assert holder.wait(timeout=60) == 0
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()
    Vault.unlock(vault_dir, PASSPHRASE).close()  # free again once the other process is gone


def test_vault_in_use_is_checked_before_the_passphrase(vault_dir):
    """A second open in this process is refused as in use, even with a wrong passphrase."""
    first = Vault.unlock(vault_dir, PASSPHRASE)
    try:
        for secret in (PASSPHRASE, NEW_PASSPHRASE):
            error = _refused(vault_dir, lambda s=secret: Vault.unlock(vault_dir, s))
            assert type(error) is VaultInUse
        assert first.is_open
    finally:
        first.close()
    Vault.unlock(vault_dir, PASSPHRASE).close()


def test_failed_opens_release_the_folder_lock(vault_dir):
    """After a refused open the vault can be opened at once (no lock left behind)."""
    for _ in range(2):
        with pytest.raises(WrongPassphrase):
            Vault.unlock(vault_dir, NEW_PASSPHRASE)
    Vault.unlock(vault_dir, PASSPHRASE).close()


# --- all five side by side -------------------------------------------------------------------

def test_the_five_refusals_are_distinct(tmp_path, vault_dir, demo_vault_dir):
    """Five different classes, codes, titles and messages: a person can tell them apart."""
    errors = [_refused(vault_dir, lambda: Vault.unlock(vault_dir, NEW_PASSPHRASE))]

    key_damaged = tmp_path / "key-damaged"
    key_damaged.mkdir()
    for name in (KEY_FILE, DB_FILE):
        (key_damaged / name).write_bytes((vault_dir / name).read_bytes())
    _flip(key_damaged / KEY_FILE, 60)
    errors.append(_refused(key_damaged))

    _flip(demo_vault_dir / DB_FILE, (demo_vault_dir / DB_FILE).stat().st_size // 2)
    errors.append(_refused(demo_vault_dir))

    errors.append(_refused(tmp_path))

    holder = Vault.unlock(vault_dir, PASSPHRASE)
    try:
        errors.append(_refused(vault_dir))
    finally:
        holder.close()

    assert [type(e) for e in errors] == [WrongPassphrase, DamagedKeyHeader, TamperedDatabase,
                                         NotAVault, VaultInUse]
    for attribute in ("code", "title", "message"):
        values = [getattr(e, attribute) for e in errors]
        assert len(set(values)) == 5, (attribute, values)
    assert [e.exit_code for e in errors] == [3, 4, 4, 2, 2]
