"""Kill the process at each step of a passphrase change: exactly one passphrase must work.

A child process unlocks a copy of the vault and changes the passphrase, printing each step
as it completes and then stopping dead at the chosen one; the parent SIGKILLs it there.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from carebook.errors import AuthenticationFailed
from carebook.services.profiles import add_profile
from carebook.services.records import add_record
from carebook.vault.vault import Vault
from tests.conftest import NEW_PASSPHRASE, PASSPHRASE

STEPS = ("derived", "temp_written", "temp_synced", "renamed", "dir_synced")
NEW_HEADER_FROM = STEPS.index("renamed")

CHANGE_AND_STALL = """
import sys, time
from carebook.vault.vault import Vault
folder, target, old, new = sys.argv[1:5]
vault = Vault.unlock(folder, old)

def on_step(name):
    print(name, flush=True)
    if name == target:
        time.sleep(600)  # the parent kills us here

vault.change_passphrase(new, on_step=on_step)
print("finished", flush=True)
"""


def test_change_passphrase_reports_exactly_these_steps(vault):
    """The steps the kill test stops at are all the steps there are, in this order."""
    seen: list[str] = []
    vault.change_passphrase(NEW_PASSPHRASE, on_step=seen.append)
    assert tuple(seen) == STEPS


def _opens(folder, secret: str, *, recovery: bool = False) -> bool:
    opener = Vault.unlock_with_recovery_code if recovery else Vault.unlock
    try:
        vault = opener(folder, secret)
    except AuthenticationFailed:
        return False
    try:
        people = [p.name for p in vault.profiles.list()]
        meds = [m.values["name"] for m in vault.records.list("medication",
                                                              vault.profiles.find("Gran").id)]
        assert (people, meds) == (["Gran"], ["Warfarin"])  # the data survived the kill
        assert vault.db.query_one("PRAGMA integrity_check")[0] == "ok"
    finally:
        vault.close()
    return True


@pytest.mark.parametrize("target", STEPS)
def test_kill_at_each_step_leaves_exactly_one_passphrase(vault_dir, recovery_code, target):
    """Before the rename only the old passphrase opens; from the rename on only the new one."""
    vault = Vault.unlock(vault_dir, PASSPHRASE)
    try:
        gran = add_profile(vault, "Gran")
        add_record(vault, "medication", gran.id, {"name": "Warfarin", "dose": "3 mg"})
    finally:
        vault.close()

    child = subprocess.Popen(
        [sys.executable, "-c", CHANGE_AND_STALL, str(vault_dir), target, PASSPHRASE,
         NEW_PASSPHRASE],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seen: list[str] = []
    try:
        for line in child.stdout:
            seen.append(line.strip())
            if seen[-1] == target:
                os.kill(child.pid, signal.SIGKILL)
                break
    finally:
        if child.poll() is None:
            child.kill()
        child.wait()
    assert seen == list(STEPS[:STEPS.index(target) + 1]), child.stderr.read()
    assert child.returncode == -signal.SIGKILL
    temp_left = (vault_dir / "vault.key.tmp").exists()
    assert temp_left == (target in ("temp_written", "temp_synced"))

    old_opens, new_opens = _opens(vault_dir, PASSPHRASE), _opens(vault_dir, NEW_PASSPHRASE)
    expect_new = STEPS.index(target) >= NEW_HEADER_FROM
    assert (old_opens, new_opens) == (not expect_new, expect_new)
    assert _opens(vault_dir, recovery_code, recovery=True)
    assert not (vault_dir / "vault.key.tmp").exists()  # the next open tidies it away
