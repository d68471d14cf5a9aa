"""Creating, unlocking, checking and re-keying vaults."""

from __future__ import annotations

from pathlib import Path

from carebook.errors import BadInput
from carebook.vault.errors import WrongPassphrase
from carebook.vault.kdf import DEFAULT_KDF, KdfParams
from carebook.vault.keyfile import StepCallback
from carebook.vault.passphrase_policy import Assessment, assess_passphrase
from carebook.vault.vault import Vault

__all__ = ["Assessment", "assess_passphrase", "change_passphrase", "check_vault",
           "create_vault", "recover_vault", "require_strong", "unlock_vault"]


class WeakPassphrase(BadInput):
    """The new passphrase would be too easy to guess."""

    code = "weak_passphrase"
    title = "Choose a stronger passphrase"


def require_strong(passphrase: str) -> None:
    """Refuse a passphrase zxcvbn judges guessable, saying why."""
    verdict = assess_passphrase(passphrase)
    if not verdict.acceptable:
        raise WeakPassphrase(verdict.reason)


def create_vault(folder: Path, passphrase: str,
                 kdf: KdfParams = DEFAULT_KDF) -> tuple[Vault, str]:
    """Create a vault protected by a strong passphrase; return it open with its recovery code."""
    require_strong(passphrase)
    return Vault.create(folder, passphrase, kdf)


def unlock_vault(folder: Path, passphrase: str) -> Vault:
    """Open a vault with its passphrase."""
    return Vault.unlock(folder, passphrase)


def recover_vault(folder: Path, recovery_code: str) -> Vault:
    """Open a vault with its recovery code; a new passphrase must be set next."""
    return Vault.unlock_with_recovery_code(folder, recovery_code)


def change_passphrase(vault: Vault, new_passphrase: str, current: str | None = None,
                      on_step: StepCallback | None = None) -> None:
    """Set a new passphrase; `current` is checked unless the vault was opened by recovery code."""
    if not vault.opened_with_recovery_code and (
            current is None or not vault.verify_passphrase(current)):
        raise WrongPassphrase()
    require_strong(new_passphrase)
    vault.change_passphrase(new_passphrase, on_step)


def check_vault(folder: Path, passphrase: str) -> dict[str, int]:
    """Unlock (which runs every integrity check), count records per kind, and lock again."""
    vault = Vault.unlock(folder, passphrase)
    try:
        return vault.counts()
    finally:
        vault.close()
