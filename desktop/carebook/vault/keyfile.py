"""vault.key: a small versioned JSON header holding the database key, wrapped twice.

Each slot (passphrase, recovery code) seals the same random 256-bit database key with
AES-256-GCM under a key derived by Argon2id. The slot's name, the vault id and the KDF
parameters are bound in as associated data, so none of them can be swapped unnoticed.

A sha256 checksum over the header's content lets Carebook tell a damaged file apart from a
wrong passphrase: both would otherwise end in the same failed decryption. The checksum is
for diagnosis only; the AEAD tag is what protects the key.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from carebook.atomic import StepCallback, write_atomically
from carebook.vault.errors import DamagedKeyHeader
from carebook.vault.kdf import KEY_BYTES, SALT_BYTES, KdfParams, derive_key

FORMAT = "carebook-vault-key"
VERSION = 1
SLOT_PASSPHRASE = "passphrase"
SLOT_RECOVERY = "recovery"
NONCE_BYTES = 12
TAG_BYTES = 16  # AES-GCM authentication tag appended to the sealed key
MAX_HEADER_BYTES = 64 * 1024


@dataclass(frozen=True)
class KeySlot:
    """The database key sealed under one secret."""

    kdf: KdfParams
    salt: bytes
    nonce: bytes
    sealed: bytes


@dataclass(frozen=True)
class KeyHeader:
    """Everything in vault.key."""

    vault_id: str
    created_at: str
    slots: dict[str, KeySlot]

    def with_slot(self, name: str, slot: KeySlot) -> KeyHeader:
        """A copy of this header with one slot replaced."""
        return KeyHeader(self.vault_id, self.created_at, {**self.slots, name: slot})


class SlotLocked(Exception):
    """The secret given does not open this slot."""


def seal_slot(db_key: bytes, secret: bytes, params: KdfParams, vault_id: str,
              slot_name: str) -> KeySlot:
    """Wrap `db_key` under a key derived from `secret` with fresh salt and nonce."""
    salt, nonce = secrets.token_bytes(SALT_BYTES), secrets.token_bytes(NONCE_BYTES)
    kek = derive_key(secret, salt, params)
    aad = _associated_data(vault_id, slot_name, params, salt)
    return KeySlot(params, salt, nonce, AESGCM(kek).encrypt(nonce, db_key, aad))


def open_slot(header: KeyHeader, slot_name: str, secret: bytes) -> bytes:
    """Unwrap the database key from one slot; SlotLocked if the secret is wrong."""
    slot = header.slots[slot_name]
    kek = derive_key(secret, slot.salt, slot.kdf)
    aad = _associated_data(header.vault_id, slot_name, slot.kdf, slot.salt)
    try:
        key = AESGCM(kek).decrypt(slot.nonce, slot.sealed, aad)
    except InvalidTag:
        raise SlotLocked(slot_name) from None
    if len(key) != KEY_BYTES:
        raise SlotLocked(slot_name)
    return key


def _associated_data(vault_id: str, slot_name: str, params: KdfParams, salt: bytes) -> bytes:
    bound = {"format": FORMAT, "version": VERSION, "vault_id": vault_id, "slot": slot_name,
             "kdf": params.to_dict(), "salt": _b64(salt)}
    return _canonical(bound)


def header_to_bytes(header: KeyHeader) -> bytes:
    """Serialise a header, with its checksum, as the bytes written to vault.key."""
    body = {
        "format": FORMAT,
        "version": VERSION,
        "vault_id": header.vault_id,
        "created_at": header.created_at,
        "slots": {
            name: {"kdf": slot.kdf.to_dict(), "salt": _b64(slot.salt),
                   "nonce": _b64(slot.nonce), "sealed_key": _b64(slot.sealed)}
            for name, slot in sorted(header.slots.items())
        },
    }
    body["checksum"] = hashlib.sha256(_canonical(body)).hexdigest()
    return (json.dumps(body, indent=2, sort_keys=True) + "\n").encode("ascii")


def header_from_bytes(data: bytes) -> KeyHeader:
    """Parse vault.key; DamagedKeyHeader for anything that is not an intact header."""
    if len(data) > MAX_HEADER_BYTES:
        raise DamagedKeyHeader("the file is far larger than a key header")
    try:
        body = json.loads(data.decode("ascii"))
        checksum = body.pop("checksum")
    except (UnicodeDecodeError, ValueError, AttributeError, KeyError, TypeError) as error:
        raise DamagedKeyHeader(f"not a readable key header ({type(error).__name__})") from None
    if hashlib.sha256(_canonical(body)).hexdigest() != checksum:
        raise DamagedKeyHeader("the header's checksum does not match its content")
    if body.get("format") != FORMAT:
        raise DamagedKeyHeader("the file is not a Carebook key header")
    if body.get("version") != VERSION:
        raise DamagedKeyHeader(f"unknown key header version {body.get('version')!r}")
    try:
        slots = {name: KeySlot(KdfParams.from_dict(raw["kdf"]), _unb64(raw["salt"]),
                               _unb64(raw["nonce"]), _unb64(raw["sealed_key"]))
                 for name, raw in body["slots"].items()}
        header = KeyHeader(str(body["vault_id"]), str(body["created_at"]), slots)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise DamagedKeyHeader(f"a key slot is malformed ({type(error).__name__})") from None
    for name, slot in slots.items():
        # Sizes Carebook never writes would otherwise fail later, inside Argon2 or AES-GCM,
        # as an unexpected error instead of this clear one.
        if (len(slot.salt), len(slot.nonce), len(slot.sealed)) != (
                SALT_BYTES, NONCE_BYTES, KEY_BYTES + TAG_BYTES):
            raise DamagedKeyHeader(f"the {name} slot has fields of the wrong size")
    if SLOT_PASSPHRASE not in slots:
        raise DamagedKeyHeader("the passphrase slot is missing")
    return header


def read_header(path: Path) -> KeyHeader:
    """Read and parse vault.key (reading never changes it)."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_HEADER_BYTES + 1)
    except OSError as error:
        raise DamagedKeyHeader(f"vault.key cannot be read ({error.strerror})") from None
    return header_from_bytes(data)


def write_header(path: Path, header: KeyHeader, on_step: StepCallback | None = None) -> None:
    """Replace vault.key atomically; a kill at any step leaves the old or the new header."""
    write_atomically(path, header_to_bytes(header), on_step)


def _canonical(data: dict) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":")).encode("ascii")


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)
