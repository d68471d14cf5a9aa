"""The distinct ways a vault can refuse to open, each with its own clear message."""

from __future__ import annotations

from carebook.errors import AuthenticationFailed, BadInput, VaultDamaged


class NotAVault(BadInput):
    """The folder holds no Carebook vault."""

    code = "not_a_vault"
    title = "Not a Carebook vault"

    def __init__(self, path: object) -> None:
        super().__init__(
            f"{path} is not a Carebook vault (it has no vault.key file). "
            "Choose the folder that holds your vault, or create a new one."
        )


class VaultExists(BadInput):
    """Refusing to create a vault on top of another one."""

    code = "vault_exists"
    title = "A vault is already here"

    def __init__(self, path: object) -> None:
        super().__init__(f"{path} already holds a Carebook vault; nothing was changed.")


class VaultInUse(BadInput):
    """Another Carebook process has this vault open."""

    code = "vault_in_use"
    title = "Vault already open"

    def __init__(self, path: object) -> None:
        super().__init__(
            f"The vault at {path} is already open in another Carebook window. "
            "Switch to that window, or close it and try again."
        )


class WrongPassphrase(AuthenticationFailed):
    """The passphrase did not unwrap the key."""

    code = "wrong_passphrase"

    def __init__(self) -> None:
        super().__init__(
            "That passphrase does not unlock this vault. Check Caps Lock and try again, "
            "or use your recovery code."
        )


class WrongRecoveryCode(AuthenticationFailed):
    """The recovery code did not unwrap the key."""

    code = "wrong_recovery_code"
    title = "Wrong recovery code"

    def __init__(self) -> None:
        super().__init__(
            "That recovery code does not unlock this vault. Check each group of letters "
            "and digits against the copy you saved."
        )


class DamagedKeyHeader(VaultDamaged):
    """vault.key is unreadable or fails its checksum."""

    code = "damaged_key_header"
    title = "The vault's key file is damaged"

    def __init__(self, reason: str) -> None:
        super().__init__(
            "The vault's key file (vault.key) is damaged, so no passphrase can unlock it. "
            "Nothing was changed. Restore vault.key from a backup of this vault.",
            detail=reason,
        )


class TamperedDatabase(VaultDamaged):
    """vault.db failed its integrity check (damaged, truncated or modified)."""

    code = "tampered_database"
    title = "The vault's database is damaged"

    def __init__(self, reason: str) -> None:
        super().__init__(
            "The vault's database (vault.db) failed its integrity check: it was damaged, cut "
            "short or changed outside Carebook. Nothing was changed. Restore it from a backup.",
            detail=reason,
        )


class NewerVault(BadInput):
    """The vault was written by a newer Carebook with a schema this one does not know."""

    code = "newer_vault"
    title = "Made by a newer Carebook"

    def __init__(self, found: int, known: int) -> None:
        super().__init__(
            f"This vault was written by a newer version of Carebook (schema {found}; this "
            f"version knows up to {known}). Update Carebook to open it; nothing was changed."
        )
