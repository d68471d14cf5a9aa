"""Errors a user can see. Each carries a plain-words message and the CLI exit code."""

from __future__ import annotations


class CarebookError(Exception):
    """Base of every error that is shown to a person rather than as a traceback."""

    exit_code = 1
    code = "unexpected"
    title = "Something went wrong"

    def __init__(self, message: str, *, detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail


class BadInput(CarebookError):
    """Unreadable file, invalid arguments, or input that cannot be used as given."""

    exit_code = 2
    code = "bad_input"
    title = "Cannot use this input"


class AuthenticationFailed(CarebookError):
    """Wrong passphrase or recovery code."""

    exit_code = 3
    code = "authentication_failed"
    title = "Wrong passphrase"


class VaultDamaged(CarebookError):
    """The vault's files were damaged or changed outside Carebook."""

    exit_code = 4
    code = "vault_damaged"
    title = "The vault is damaged"


class ValidationError(BadInput):
    """A record failed validation; `field_errors` maps field name to a message."""

    code = "invalid_record"
    title = "Please check the form"

    def __init__(self, field_errors: dict[str, str]) -> None:
        summary = "; ".join(f"{name}: {msg}" for name, msg in field_errors.items())
        super().__init__(f"Some fields need attention: {summary}")
        self.field_errors = field_errors
