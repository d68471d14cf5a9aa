"""vault.key: damage of any kind is told apart from a wrong secret, and slots cannot be swapped."""

from __future__ import annotations

import base64
import hashlib
import json

import pytest

from carebook.vault.errors import DamagedKeyHeader
from carebook.vault.kdf import KdfParams
from carebook.vault.keyfile import (
    MAX_HEADER_BYTES,
    SLOT_PASSPHRASE,
    SLOT_RECOVERY,
    KeyHeader,
    SlotLocked,
    header_from_bytes,
    header_to_bytes,
    open_slot,
    read_header,
    seal_slot,
    write_header,
)
from carebook.vault.vault import KEY_FILE
from tests.conftest import PASSPHRASE

CHEAP = KdfParams(time_cost=1, memory_kib=8, parallelism=1)
DB_KEY = bytes(range(32))
RECOVERY = b"7KQ2M-X9D4T-0A1B2-C3D4E-F5G6H-JKMNP"


@pytest.fixture(scope="module")
def header() -> KeyHeader:
    """A header sealing DB_KEY under PASSPHRASE and RECOVERY."""
    vault_id = "0123456789abcdef0123456789abcdef"
    return KeyHeader(vault_id, "2026-03-14T10:30:00Z", {
        SLOT_PASSPHRASE: seal_slot(DB_KEY, PASSPHRASE.encode(), CHEAP, vault_id,
                                   SLOT_PASSPHRASE),
        SLOT_RECOVERY: seal_slot(DB_KEY, RECOVERY, CHEAP, vault_id, SLOT_RECOVERY),
    })


def _body(header: KeyHeader) -> dict:
    body = json.loads(header_to_bytes(header))
    del body["checksum"]
    return body


def _reseal(body: dict) -> bytes:
    """Serialise a doctored body with a correct checksum, as a deliberate forger would."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":")).encode("ascii")
    return json.dumps({**body, "checksum": hashlib.sha256(canonical).hexdigest()}).encode()


# --- round trip ------------------------------------------------------------------------------

def test_header_round_trips_through_bytes(header):
    """Serialising and parsing gives back the same header, and its slots still open."""
    data = header_to_bytes(header)
    parsed = header_from_bytes(data)
    assert parsed == header
    assert open_slot(parsed, SLOT_PASSPHRASE, PASSPHRASE.encode()) == DB_KEY
    assert open_slot(parsed, SLOT_RECOVERY, RECOVERY) == DB_KEY


def test_serialised_header_is_small_ascii_json_without_the_key(header):
    """vault.key is readable JSON; the database key appears in it only sealed."""
    data = header_to_bytes(header)
    assert len(data) < 4096
    body = json.loads(data.decode("ascii"))
    assert body["format"] == "carebook-vault-key"
    assert body["version"] == 1
    assert set(body["slots"]) == {SLOT_PASSPHRASE, SLOT_RECOVERY}
    assert DB_KEY not in data
    assert base64.b64encode(DB_KEY) not in data
    assert DB_KEY.hex().encode() not in data


def test_write_and_read_header_file(header, tmp_path):
    """write_header leaves only vault.key (no temp file), readable by read_header, mode 0600."""
    path = tmp_path / KEY_FILE
    write_header(path, header)
    assert read_header(path) == header
    assert [p.name for p in tmp_path.iterdir()] == [KEY_FILE]
    assert path.stat().st_mode & 0o777 == 0o600


# --- damage is recognised --------------------------------------------------------------------

def test_every_single_bit_flip_of_a_real_header_is_detected(vault_dir):
    """Flipping the low bit of any one byte of a vault.key written by Vault.create is 'damaged'."""
    data = (vault_dir / KEY_FILE).read_bytes()
    header_from_bytes(data)  # the original parses
    undetected = []
    for offset in range(len(data)):
        damaged = bytearray(data)
        damaged[offset] ^= 0x01
        try:
            header_from_bytes(bytes(damaged))
        except DamagedKeyHeader:
            continue
        undetected.append(offset)
    assert undetected == []


def test_every_truncation_is_detected(header):
    """Cutting the file anywhere inside the JSON is 'damaged' (only the final newline is spare)."""
    data = header_to_bytes(header)
    assert data.endswith(b"}\n")
    for length in range(len(data) - 1):
        with pytest.raises(DamagedKeyHeader):
            header_from_bytes(data[:length])
    assert header_from_bytes(data[:-1]) == header


def test_empty_file_is_damaged(tmp_path):
    """An empty vault.key (e.g. after a crash on a filesystem without journaling) is 'damaged'."""
    path = tmp_path / KEY_FILE
    path.write_bytes(b"")
    with pytest.raises(DamagedKeyHeader):
        read_header(path)


@pytest.mark.parametrize(
    "data",
    [b"hello", b"\x00" * 64, bytes(range(256)), "{\"é\": 1}".encode(), b"[1, 2, 3]",
     b"\"a string\"", b"42", b"null", b"{}", b"{\"checksum\": \"abc\"}"],
)
def test_non_header_content_is_damaged(data):
    """Binary junk, non-ASCII, other JSON values and empty objects are all 'damaged'."""
    with pytest.raises(DamagedKeyHeader):
        header_from_bytes(data)


def test_oversize_file_is_damaged_even_if_it_parses(header, tmp_path):
    """A valid header padded past the size limit is refused before it is parsed."""
    padded = header_to_bytes(header) + b" " * MAX_HEADER_BYTES
    path = tmp_path / KEY_FILE
    path.write_bytes(padded)
    with pytest.raises(DamagedKeyHeader) as caught:
        header_from_bytes(padded)
    assert "far larger" in caught.value.detail
    with pytest.raises(DamagedKeyHeader):
        read_header(path)


def test_unreadable_path_is_damaged(tmp_path):
    """A vault.key that is a folder or missing is reported as a damaged header, not a crash."""
    (tmp_path / "folder.key").mkdir()
    with pytest.raises(DamagedKeyHeader):
        read_header(tmp_path / "folder.key")
    with pytest.raises(DamagedKeyHeader):
        read_header(tmp_path / "missing.key")


@pytest.mark.parametrize(
    ("field", "value"),
    [("format", "keepassxc-key"), ("format", None), ("version", 2), ("version", "1"),
     ("version", 0)],
)
def test_wrong_format_or_version_is_damaged_despite_a_valid_checksum(header, field, value):
    """The checksum is not enough: format and version are checked too."""
    body = _body(header)
    body[field] = value
    with pytest.raises(DamagedKeyHeader):
        header_from_bytes(_reseal(body))


@pytest.mark.parametrize(
    ("slot_field", "value"),
    [
        ("salt", "not base64!"),
        ("nonce", None),
        ("kdf", {"algorithm": "argon2id", "time_cost": 10**6, "memory_kib": 8,
                 "parallelism": 1}),
        ("kdf", {"algorithm": "scrypt", "time_cost": 1, "memory_kib": 8, "parallelism": 1}),
        ("kdf", "argon2id"),
        ("salt", ""),  # Argon2 would refuse a salt this short
        ("salt", base64.b64encode(b"1234567").decode()),
        ("nonce", ""),  # AES-GCM would refuse an empty nonce
        ("nonce", base64.b64encode(b"\x00" * 200).decode()),
        ("sealed_key", base64.b64encode(b"\x00" * 8).decode()),
    ],
)
def test_malformed_slot_is_damaged_despite_a_valid_checksum(header, slot_field, value):
    """A forged slot no Carebook would write is 'damaged', never a crash later on."""
    body = _body(header)
    body["slots"][SLOT_PASSPHRASE][slot_field] = value
    with pytest.raises(DamagedKeyHeader):
        header_from_bytes(_reseal(body))


def test_missing_passphrase_slot_is_damaged(header):
    """A header with only a recovery slot is 'damaged'."""
    body = _body(header)
    del body["slots"][SLOT_PASSPHRASE]
    with pytest.raises(DamagedKeyHeader) as caught:
        header_from_bytes(_reseal(body))
    assert "passphrase slot" in caught.value.detail


# --- secrets and slot binding ----------------------------------------------------------------

def test_wrong_secret_locks_the_slot(header):
    """A wrong passphrase raises SlotLocked; so does the recovery code on the passphrase slot."""
    with pytest.raises(SlotLocked):
        open_slot(header, SLOT_PASSPHRASE, b"violet harbor lantern 93")
    with pytest.raises(SlotLocked):
        open_slot(header, SLOT_PASSPHRASE, RECOVERY)
    with pytest.raises(SlotLocked):
        open_slot(header, SLOT_RECOVERY, PASSPHRASE.encode())


def test_passphrase_slot_moved_into_recovery_slot_does_not_open(header):
    """The slot name is bound into the AEAD: the passphrase's sealed key fails as 'recovery'."""
    moved = header.with_slot(SLOT_RECOVERY, header.slots[SLOT_PASSPHRASE])
    assert open_slot(moved, SLOT_PASSPHRASE, PASSPHRASE.encode()) == DB_KEY  # the control
    with pytest.raises(SlotLocked):
        open_slot(moved, SLOT_RECOVERY, PASSPHRASE.encode())


def test_slot_from_another_vault_does_not_open(header):
    """The vault id is bound into the AEAD: the same slot under another vault id fails."""
    other = KeyHeader("f" * 32, header.created_at, header.slots)
    with pytest.raises(SlotLocked):
        open_slot(other, SLOT_PASSPHRASE, PASSPHRASE.encode())


def test_sealed_key_tampering_is_caught_by_the_tag(header):
    """A changed sealed key fails authentication instead of yielding another key."""
    slot = header.slots[SLOT_PASSPHRASE]
    forged_sealed = bytes([slot.sealed[0] ^ 1]) + slot.sealed[1:]
    forged = header.with_slot(SLOT_PASSPHRASE, type(slot)(slot.kdf, slot.salt, slot.nonce,
                                                          forged_sealed))
    with pytest.raises(SlotLocked):
        open_slot(forged, SLOT_PASSPHRASE, PASSPHRASE.encode())


def test_each_seal_uses_fresh_salt_and_nonce(header):
    """Sealing the same key twice under the same secret gives different ciphertexts."""
    again = seal_slot(DB_KEY, PASSPHRASE.encode(), CHEAP, header.vault_id, SLOT_PASSPHRASE)
    first = header.slots[SLOT_PASSPHRASE]
    assert again.salt != first.salt
    assert again.nonce != first.nonce
    assert again.sealed != first.sealed
