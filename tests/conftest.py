"""Shared fixtures: real SQLCipher vaults built once per session and copied per test.

Most tests use a cheap Argon2id setting (FAST_KDF) so the suite stays quick; the real
default parameters are exercised by the CLI tests and measured by bench/vault.py.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from carebook.services.demo import create_demo_family
from carebook.vault.kdf import KdfParams
from carebook.vault.vault import Vault

FAST_KDF = KdfParams(time_cost=1, memory_kib=8 * 1024, parallelism=1)
PASSPHRASE = "violet harbor lantern 92"
NEW_PASSPHRASE = "copper meadow falcon 17"


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path_factory, monkeypatch):
    """Point every per-user folder (data, config, logs, temp) at a fresh test folder."""
    home = tmp_path_factory.mktemp("home")
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(name, str(home / name.lower()))
    monkeypatch.delenv("CAREBOOK_PASSPHRASE", raising=False)
    monkeypatch.delenv("CAREBOOK_VAULT", raising=False)
    return home


@pytest.fixture(scope="session")
def _empty_template(tmp_path_factory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("template") / "empty"
    vault, code = Vault.create(folder, PASSPHRASE, FAST_KDF)
    vault.close()
    return folder, code


@pytest.fixture(scope="session")
def _demo_template(tmp_path_factory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("template") / "demo"
    vault, code = Vault.create(folder, PASSPHRASE, FAST_KDF)
    create_demo_family(vault)
    vault.close()
    return folder, code


def _copy(template: Path, target: Path) -> Path:
    shutil.copytree(template, target)
    return target


@pytest.fixture
def vault_dir(_empty_template, tmp_path) -> Path:
    """A closed, empty vault (passphrase PASSPHRASE) private to this test."""
    return _copy(_empty_template[0], tmp_path / "vault")


@pytest.fixture
def recovery_code(_empty_template) -> str:
    """The recovery code of `vault_dir`."""
    return _empty_template[1]


@pytest.fixture
def demo_vault_dir(_demo_template, tmp_path) -> Path:
    """A closed vault holding the synthetic demo family, private to this test."""
    return _copy(_demo_template[0], tmp_path / "demo-vault")


def _opened(folder: Path):
    opened = Vault.unlock(folder, PASSPHRASE)
    yield opened
    if opened.is_open:
        opened.close()


@pytest.fixture
def vault(vault_dir):
    """An open empty vault, closed after the test."""
    yield from _opened(vault_dir)


@pytest.fixture
def demo_vault(demo_vault_dir):
    """An open vault with the demo family, closed after the test."""
    yield from _opened(demo_vault_dir)
