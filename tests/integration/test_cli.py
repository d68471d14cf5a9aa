"""The `carebook` command as scripts use it: real executable, real vaults, exit codes 0/2/3/4.

The vault made by `vault init` uses the real Argon2 parameters (about half a second per
unlock), so only five calls pay that cost; the other cases use the cheap template vaults.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from carebook import __version__
from carebook.vault.kdf import DEFAULT_KDF
from carebook.vault.keyfile import SLOT_PASSPHRASE, read_header
from carebook.vault.migrations import latest_version
from carebook.vault.vault import DB_FILE, KEY_FILE
from tests.conftest import NEW_PASSPHRASE, PASSPHRASE

_SCRIPT = Path(sys.executable).with_name("carebook")
CAREBOOK = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "carebook"]
CODE_FORMAT = re.compile(r"^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){5}$")
SECRET_VARIABLES = ("CAREBOOK_PASSPHRASE", "CAREBOOK_NEW_PASSPHRASE", "CAREBOOK_RECOVERY_CODE",
                    "CAREBOOK_VAULT")


def carebook(*args: str | Path, **secrets: str) -> subprocess.CompletedProcess:
    """Run `carebook ARGS` with only the given secrets in its environment and no terminal."""
    env = {k: v for k, v in os.environ.items() if k not in SECRET_VARIABLES}
    env.update({f"CAREBOOK_{name.upper()}": value for name, value in secrets.items()})
    result = subprocess.run([*CAREBOOK, *map(str, args)], env=env, stdin=subprocess.DEVNULL,
                            capture_output=True, text=True, timeout=120)
    assert "Traceback" not in result.stderr, result.stderr
    return result


@pytest.fixture(scope="module")
def _initialised(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    folder = tmp_path_factory.mktemp("cli") / "vault"
    home = tmp_path_factory.mktemp("cli-home")
    with pytest.MonkeyPatch.context() as patch:  # set up before the per-test isolation runs
        for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
            patch.setenv(name, str(home / name.lower()))
        return folder, carebook("vault", "init", "--vault", folder, "--json",
                                passphrase=PASSPHRASE)


@pytest.fixture
def cli_vault(_initialised, tmp_path) -> Path:
    """A copy of the vault `carebook vault init` made (real Argon2 parameters)."""
    folder, result = _initialised
    assert result.returncode == 0, result.stderr
    return Path(shutil.copytree(folder, tmp_path / "cli-vault"))


def test_version():
    """--version prints the package version and exits 0."""
    result = carebook("--version")
    assert (result.returncode, result.stdout.strip()) == (0, f"carebook {__version__}")


def test_vault_init_json(_initialised):
    """`vault init --json` prints the folder and a well-formed recovery code, exit 0."""
    folder, result = _initialised
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["vault"] == str(folder)
    assert CODE_FORMAT.match(data["recovery_code"])
    assert sorted(p.name for p in folder.iterdir()) == [DB_FILE, KEY_FILE]
    assert read_header(folder / KEY_FILE).slots[SLOT_PASSPHRASE].kdf == DEFAULT_KDF


def test_vault_init_with_weak_passphrase_creates_nothing(tmp_path):
    """A guessable passphrase: exit 2, a reason on stderr, no folder created."""
    folder = tmp_path / "weak"
    result = carebook("vault", "init", "--vault", folder, passphrase="Password123!")
    assert result.returncode == 2
    assert "Too easy to guess" in result.stderr
    assert result.stdout == ""
    assert not folder.exists()


def test_profile_add_and_list_round_trip(cli_vault):
    """`profile add Dad --json` returns the new id; `profile list --json` shows it."""
    added = carebook("profile", "add", "Dad", "--vault", cli_vault, "--json",
                     passphrase=PASSPHRASE)
    assert added.returncode == 0, added.stderr
    person = json.loads(added.stdout)
    assert person["name"] == "Dad"
    listed = carebook("profile", "list", "--vault", cli_vault, "--json", passphrase=PASSPHRASE)
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout)["profiles"] == [
        {"id": person["id"], "name": "Dad", "full_name": "", "birth_date": None, "sex": None}]


def test_vault_check_json(cli_vault):
    """`vault check --json`: integrity ok, the schema version and counts per kind."""
    result = carebook("vault", "check", "--vault", cli_vault, "--json", passphrase=PASSPHRASE)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["integrity"] == "ok"
    assert data["schema_version"] == latest_version()
    assert data["counts"]["profile"] == 0
    assert {"lab_result", "medication", "document", "audit_entry"} <= set(data["counts"])
    assert data["counts"]["audit_entry"] >= 2  # created, then opened by this check


def test_demo_create_new_vault(tmp_path):
    """`demo create --vault NEW --json` creates a vault with the three-person family."""
    folder = tmp_path / "demo"
    result = carebook("demo", "create", "--vault", folder, "--json", passphrase=PASSPHRASE)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["profiles"] == ["Me", "Dad", "Léa"]
    assert data["counts"]["profile"] == 3
    assert data["counts"]["lab_result"] > 100
    assert CODE_FORMAT.match(data["recovery_code"])
    assert (folder / KEY_FILE).is_file()


def test_wrong_passphrase_exits_3(vault_dir):
    """A wrong passphrase: exit 3 with the plain message, nothing on stdout."""
    result = carebook("profile", "list", "--vault", vault_dir, passphrase=NEW_PASSPHRASE)
    assert result.returncode == 3
    assert "passphrase does not unlock this vault" in result.stderr
    assert result.stdout == ""


def test_tampered_database_exits_4(demo_vault_dir):
    """A flipped byte in the middle of vault.db: exit 4, naming the damaged file."""
    path = demo_vault_dir / DB_FILE
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    result = carebook("vault", "check", "--vault", demo_vault_dir, passphrase=PASSPHRASE)
    assert result.returncode == 4
    assert "vault.db" in result.stderr


def test_not_a_vault_exits_2_without_asking(tmp_path):
    """A folder without a vault: exit 2 saying so, before any passphrase is asked for."""
    result = carebook("profile", "list", "--vault", tmp_path)
    assert result.returncode == 2
    assert "is not a Carebook vault" in result.stderr
    assert "CAREBOOK_PASSPHRASE" not in result.stderr
    assert "Passphrase" not in result.stderr


def test_no_passphrase_and_no_terminal_exits_2(vault_dir):
    """No CAREBOOK_PASSPHRASE and no terminal to ask on: exit 2 naming the variable."""
    result = carebook("profile", "list", "--vault", vault_dir)
    assert result.returncode == 2
    assert "CAREBOOK_PASSPHRASE" in result.stderr


def test_passwd_then_old_fails_and_new_works(vault_dir):
    """`vault passwd` with CAREBOOK_NEW_PASSPHRASE: then the old gives 3 and the new gives 0."""
    changed = carebook("vault", "passwd", "--vault", vault_dir, "--json",
                       passphrase=PASSPHRASE, new_passphrase=NEW_PASSPHRASE)
    assert changed.returncode == 0, changed.stderr
    assert json.loads(changed.stdout)["passphrase_changed"] is True
    assert carebook("profile", "list", "--vault", vault_dir,
                    passphrase=PASSPHRASE).returncode == 3
    assert carebook("profile", "list", "--vault", vault_dir,
                    passphrase=NEW_PASSPHRASE).returncode == 0


def test_passwd_with_recovery_code(vault_dir, recovery_code):
    """`vault passwd --recovery-code` needs no old passphrase; afterwards the new one works."""
    changed = carebook("vault", "passwd", "--recovery-code", "--vault", vault_dir,
                       recovery_code=recovery_code.lower(), new_passphrase=NEW_PASSPHRASE)
    assert changed.returncode == 0, changed.stderr
    assert carebook("profile", "list", "--vault", vault_dir,
                    passphrase=NEW_PASSPHRASE).returncode == 0


@pytest.mark.parametrize("args", [["profile", "add"], ["vault", "init", "--no-such-option"]])
def test_bad_arguments_exit_2(args):
    """Missing or unknown commands and options: exit 2 with usage on stderr."""
    result = carebook(*args)
    assert result.returncode == 2
    assert "usage:" in result.stderr
