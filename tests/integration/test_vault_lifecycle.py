"""A vault's life: create, unlock, use, close, reopen, recover, change passphrase."""

from __future__ import annotations

import signal
import subprocess
import sys

import pytest

from carebook.errors import BadInput
from carebook.services import vault_access
from carebook.services.profiles import add_profile
from carebook.services.records import add_record
from carebook.vault.errors import VaultExists, WrongPassphrase, WrongRecoveryCode
from carebook.vault.keyfile import SLOT_PASSPHRASE
from carebook.vault.migrations import latest_version, schema_version
from carebook.vault.recovery import normalize_recovery_code
from carebook.vault.vault import DB_FILE, KEY_FILE, Vault
from tests.conftest import FAST_KDF, NEW_PASSPHRASE, PASSPHRASE
from tests.integration.folder_snapshot import snapshot


def _audit_actions(vault: Vault) -> list[str]:
    return [entry.action for entry in vault.audit.entries()]


def test_create_unlock_add_close_reopen(tmp_path):
    """What is written before closing is there after reopening with the passphrase."""
    folder = tmp_path / "family"
    vault, code = Vault.create(folder, PASSPHRASE, FAST_KDF)
    assert vault.is_open
    assert normalize_recovery_code(code) == code
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith(f"{DB_FILE}-")) == [
        DB_FILE, KEY_FILE]
    assert folder.stat().st_mode & 0o777 == 0o700
    assert schema_version(vault.db) == latest_version()
    vault.close()
    assert not vault.is_open

    vault = Vault.unlock(folder, PASSPHRASE)
    try:
        dad = add_profile(vault, "Dad")
        add_record(vault, "medication", dad.id, {"name": "Metformin", "dose": "1000 mg"})
    finally:
        vault.close()
    assert sorted(p.name for p in folder.iterdir()) == [DB_FILE, KEY_FILE]  # WAL checkpointed

    vault = Vault.unlock(folder, PASSPHRASE)
    try:
        assert [p.name for p in vault.profiles.list()] == ["Dad"]
        medications = vault.records.list("medication", dad.id)
        assert [(m.values["name"], m.values["dose"]) for m in medications] == [
            ("Metformin", "1000 mg")]
        assert not vault.opened_with_recovery_code
        assert _audit_actions(vault)[0] == "vault_opened"
        assert "vault_created" in _audit_actions(vault)
    finally:
        vault.close()


def test_recovery_code_typed_loosely_unlocks(vault_dir, recovery_code):
    """The recovery code in lowercase with spaces opens the vault and marks it as recovered."""
    typed = recovery_code.lower().replace("-", " ")
    vault = Vault.unlock_with_recovery_code(vault_dir, typed)
    try:
        assert vault.opened_with_recovery_code
        assert vault.audit.entries()[0].summary == "Vault unlocked with the recovery code"
    finally:
        vault.close()


def test_wrong_recovery_code_is_refused(vault_dir, recovery_code):
    """A well-formed but wrong recovery code raises WrongRecoveryCode (exit code 3)."""
    wrong = ("0" if recovery_code[0] != "0" else "1") + recovery_code[1:]
    with pytest.raises(WrongRecoveryCode) as caught:
        Vault.unlock_with_recovery_code(vault_dir, wrong)
    assert caught.value.exit_code == 3


def test_change_passphrase_old_fails_new_and_recovery_work(vault_dir, recovery_code):
    """After a change only the new passphrase works; the recovery code keeps working."""
    vault = Vault.unlock(vault_dir, PASSPHRASE)
    try:
        add_profile(vault, "Mum")
        vault.change_passphrase(NEW_PASSPHRASE)
        assert vault.verify_passphrase(NEW_PASSPHRASE)
        assert not vault.verify_passphrase(PASSPHRASE)
        assert _audit_actions(vault)[0] == "passphrase_changed"
    finally:
        vault.close()
    assert sorted(p.name for p in vault_dir.iterdir()) == [DB_FILE, KEY_FILE]  # no .tmp left

    with pytest.raises(WrongPassphrase) as caught:
        Vault.unlock(vault_dir, PASSPHRASE)
    assert caught.value.exit_code == 3
    for opener, secret in ((Vault.unlock, NEW_PASSPHRASE),
                           (Vault.unlock_with_recovery_code, recovery_code)):
        vault = opener(vault_dir, secret)
        try:
            assert [p.name for p in vault.profiles.list()] == ["Mum"]
        finally:
            vault.close()


def test_recovered_vault_can_set_a_new_passphrase_without_the_old_one(vault_dir, recovery_code):
    """Opened by recovery code, the service needs no current passphrase."""
    vault = vault_access.recover_vault(vault_dir, recovery_code)
    try:
        vault_access.change_passphrase(vault, NEW_PASSPHRASE)
        assert not vault.opened_with_recovery_code
    finally:
        vault.close()
    Vault.unlock(vault_dir, NEW_PASSPHRASE).close()


def test_change_passphrase_service_demands_the_current_passphrase(vault):
    """Without the correct current passphrase nothing changes and WrongPassphrase is raised."""
    before = (vault.folder / KEY_FILE).read_bytes()
    for current in (None, "", "copper meadow falcon 18"):
        with pytest.raises(WrongPassphrase):
            vault_access.change_passphrase(vault, NEW_PASSPHRASE, current)
    assert (vault.folder / KEY_FILE).read_bytes() == before
    assert vault.verify_passphrase(PASSPHRASE)
    assert "passphrase_changed" not in _audit_actions(vault)


@pytest.mark.parametrize("weak", ["Password123!", "short", "aaaaaaaaaaaaaaaa"])
def test_change_passphrase_service_refuses_a_weak_new_one(vault, weak):
    """A guessable new passphrase is refused (WeakPassphrase, exit 2) and nothing changes."""
    before = (vault.folder / KEY_FILE).read_bytes()
    with pytest.raises(vault_access.WeakPassphrase) as caught:
        vault_access.change_passphrase(vault, weak, PASSPHRASE)
    assert caught.value.exit_code == 2
    assert caught.value.message.startswith("Too ")
    assert (vault.folder / KEY_FILE).read_bytes() == before


def test_change_passphrase_service_with_correct_current(vault):
    """With the right current passphrase and a strong new one, the change is made."""
    vault_access.change_passphrase(vault, NEW_PASSPHRASE, PASSPHRASE)
    assert vault.verify_passphrase(NEW_PASSPHRASE)


def test_change_keeps_the_kdf_cost_and_the_recovery_slot(vault):
    """Only the passphrase slot is re-sealed, with the same Argon2 parameters."""
    recovery_before = vault.header.slots["recovery"]
    vault.change_passphrase(NEW_PASSPHRASE)
    assert vault.header.slots["recovery"] == recovery_before
    assert vault.header.slots[SLOT_PASSPHRASE].kdf == FAST_KDF


def test_create_refuses_an_existing_vault_and_changes_nothing(vault_dir):
    """Vault.create on a vault folder raises VaultExists and leaves every byte alone."""
    before = snapshot(vault_dir)
    with pytest.raises(VaultExists) as caught:
        Vault.create(vault_dir, NEW_PASSPHRASE, FAST_KDF)
    assert caught.value.exit_code == 2
    assert snapshot(vault_dir) == before
    Vault.unlock(vault_dir, PASSPHRASE).close()


def test_create_refuses_a_folder_holding_only_a_database(vault_dir):
    """A leftover vault.db without vault.key is not overwritten either."""
    (vault_dir / KEY_FILE).unlink()
    before = snapshot(vault_dir)
    with pytest.raises(VaultExists):
        Vault.create(vault_dir, PASSPHRASE, FAST_KDF)
    assert snapshot(vault_dir) == before


@pytest.mark.parametrize("below", ["", "sub"])
def test_create_where_a_file_is_in_the_way_is_bad_input(tmp_path, below):
    """A path that is (or runs through) a file gives BadInput (exit 2), not a crash."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(BadInput) as caught:
        Vault.create(blocker / below if below else blocker, PASSPHRASE, FAST_KDF)
    assert caught.value.exit_code == 2
    assert blocker.read_text() == "not a folder"


def test_create_vault_service_refuses_a_weak_passphrase(tmp_path):
    """The service checks strength first and creates no folder for a weak passphrase."""
    folder = tmp_path / "new"
    with pytest.raises(vault_access.WeakPassphrase):
        vault_access.create_vault(folder, "Password123!", FAST_KDF)
    assert not folder.exists()


def test_check_vault_counts_and_locks_again(demo_vault_dir):
    """check_vault returns counts per kind and leaves the vault closed (no -wal, lock free)."""
    counts = vault_access.check_vault(demo_vault_dir, PASSPHRASE)
    assert counts["profile"] == 3
    assert counts["lab_result"] > 100
    assert sorted(p.name for p in demo_vault_dir.iterdir()) == [DB_FILE, KEY_FILE]
    Vault.unlock(demo_vault_dir, PASSPHRASE).close()  # not left locked


def test_close_forgets_the_key(vault):
    """Closing zeroes the key bytes held in memory."""
    key = vault._key
    assert any(key)
    vault.close()
    assert not any(key)


def test_vault_opens_after_a_crash_left_its_write_ahead_log(vault_dir):
    """A process killed with the vault open leaves vault.db-wal; the next unlock replays it,
    checks the result, and every committed record is there."""
    script = (
        "import sys, time\n"
        "from carebook.vault.vault import Vault\n"
        "from carebook.services.profiles import add_profile\n"
        "vault = Vault.unlock(sys.argv[1], sys.argv[2])\n"
        "for name in ('Gran', 'Grandpa', 'Aunt'):\n"
        "    add_profile(vault, name)\n"
        "print('committed', flush=True)\n"
        "time.sleep(600)\n"
    )
    child = subprocess.Popen([sys.executable, "-c", script, str(vault_dir), PASSPHRASE],
                             stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "committed"
        assert (vault_dir / f"{DB_FILE}-wal").stat().st_size > 0
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert (vault_dir / f"{DB_FILE}-wal").exists()  # left behind by the crash
    vault = Vault.unlock(vault_dir, PASSPHRASE)
    try:
        assert [p.name for p in vault.profiles.list()] == ["Gran", "Grandpa", "Aunt"]
    finally:
        vault.close()
