"""A vault: a folder holding vault.db (SQLCipher 4) and vault.key (the wrapped key).

Opening checks, in this order, and writes nothing until all have passed:
not a vault → already open elsewhere → damaged key header → wrong secret → damaged database.
"""

from __future__ import annotations

import contextlib
import secrets
import unicodedata
import uuid
from pathlib import Path

from carebook.domain.record_types import RECORD_TYPES
from carebook.errors import BadInput
from carebook.vault.audit import AuditLog, utc_now
from carebook.vault.database import Database, verify_database
from carebook.vault.document_store import DocumentStore
from carebook.vault.errors import (
    NotAVault,
    TamperedDatabase,
    VaultExists,
    WrongPassphrase,
    WrongRecoveryCode,
)
from carebook.vault.kdf import DEFAULT_KDF, KEY_BYTES, KdfParams
from carebook.vault.keyfile import (
    SLOT_PASSPHRASE,
    SLOT_RECOVERY,
    KeyHeader,
    SlotLocked,
    StepCallback,
    open_slot,
    read_header,
    seal_slot,
    write_header,
)
from carebook.vault.lock import VaultLock
from carebook.vault.migrations import migrate
from carebook.vault.profile_store import ProfileStore
from carebook.vault.record_store import RecordStore
from carebook.vault.recovery import generate_recovery_code, normalize_recovery_code

KEY_FILE = "vault.key"
DB_FILE = "vault.db"


def is_vault(folder: Path) -> bool:
    """True when `folder` looks like a vault (has a key header)."""
    return (Path(folder) / KEY_FILE).is_file()


def _secret(text: str) -> bytes:
    # NFC so the same passphrase typed on another keyboard layout or OS still matches.
    return unicodedata.normalize("NFC", text).encode("utf-8")


class Vault:
    """An unlocked vault: its stores, its key, and the lock that keeps others out."""

    def __init__(self, folder: Path, header: KeyHeader, db_key: bytes, db: Database,
                 lock: VaultLock) -> None:
        self.folder = folder
        self.header = header
        self._key = bytearray(db_key)
        self.db = db
        self._lock = lock
        self.audit = AuditLog(db)
        self.records = RecordStore(db, self.audit)
        self.profiles = ProfileStore(db, self.audit)
        self.documents = DocumentStore(db, self.audit)
        self.opened_with_recovery_code = False

    # --- creating and opening -------------------------------------------------------------

    @classmethod
    def create(cls, folder: Path, passphrase: str,
               kdf: KdfParams = DEFAULT_KDF) -> tuple[Vault, str]:
        """Create a vault; return it open, with the recovery code to show once."""
        folder = Path(folder)
        if (folder / KEY_FILE).exists() or (folder / DB_FILE).exists():
            raise VaultExists(folder)
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as error:  # a file in the way, no permission: the path is bad input
            raise BadInput(f"Cannot create a vault in {folder}: "
                           f"{error.strerror or error}.") from None
        lock = VaultLock(folder)
        lock.acquire()
        db = None
        try:
            db_key = secrets.token_bytes(KEY_BYTES)
            recovery_code = generate_recovery_code()
            vault_id = uuid.uuid4().hex
            header = KeyHeader(vault_id, utc_now(), {
                SLOT_PASSPHRASE: seal_slot(db_key, _secret(passphrase), kdf, vault_id,
                                           SLOT_PASSPHRASE),
                SLOT_RECOVERY: seal_slot(db_key, recovery_code.encode("ascii"), kdf, vault_id,
                                         SLOT_RECOVERY),
            })
            db = Database(folder / DB_FILE, db_key, create=True)
            migrate(db)
            with db.transaction():
                db.execute("INSERT INTO meta (key, value) VALUES ('vault_id', ?)", (vault_id,))
                AuditLog(db).write("vault_created", "Vault created")
            # The key header is written last: until it exists the folder is not a vault.
            write_header(folder / KEY_FILE, header)
        except BaseException:
            if db is not None:
                db.close()
            for name in (DB_FILE, DB_FILE + "-wal", DB_FILE + "-shm"):
                with contextlib.suppress(FileNotFoundError):
                    (folder / name).unlink()
            lock.release()
            raise
        return cls(folder, header, db_key, db, lock), recovery_code

    @classmethod
    def unlock(cls, folder: Path, passphrase: str) -> Vault:
        """Open a vault with its passphrase."""
        return cls._open(Path(folder), SLOT_PASSPHRASE, _secret(passphrase))

    @classmethod
    def unlock_with_recovery_code(cls, folder: Path, code: str) -> Vault:
        """Open a vault with its recovery code; the caller must then set a new passphrase."""
        try:
            canonical = normalize_recovery_code(code)
        except ValueError as error:
            raise BadInput(str(error)) from None
        vault = cls._open(Path(folder), SLOT_RECOVERY, canonical.encode("ascii"))
        vault.opened_with_recovery_code = True
        return vault

    @classmethod
    def _open(cls, folder: Path, slot: str, secret: bytes) -> Vault:
        if not folder.is_dir() or not (folder / KEY_FILE).is_file():
            raise NotAVault(folder)
        lock = VaultLock(folder)
        lock.acquire()
        try:
            header = read_header(folder / KEY_FILE)
            if slot not in header.slots:
                raise WrongRecoveryCode()
            if not (folder / DB_FILE).is_file():
                raise TamperedDatabase("vault.db is missing")
            try:
                db_key = open_slot(header, slot, secret)
            except SlotLocked:
                raise (WrongPassphrase() if slot == SLOT_PASSPHRASE
                       else WrongRecoveryCode()) from None
            pending_wal = (folder / (DB_FILE + "-wal")).exists()  # left by a crash
            if not pending_wal:
                verify_database(folder / DB_FILE, db_key)  # writes nothing
            db = Database(folder / DB_FILE, db_key)
        except BaseException:
            lock.release()
            raise
        try:
            if pending_wal:
                db.verify(db_key)  # the WAL was just replayed: check what it produced
            stored_id = db.query_one("SELECT value FROM meta WHERE key = 'vault_id'")
            if stored_id is None or stored_id[0] != header.vault_id:
                raise TamperedDatabase("vault.key and vault.db belong to different vaults")
            migrate(db)
            vault = cls(folder, header, db_key, db, lock)
            how = "passphrase" if slot == SLOT_PASSPHRASE else "recovery code"
            vault.audit.write("vault_opened", f"Vault unlocked with the {how}")
        except BaseException:
            db.close()
            lock.release()
            raise
        with contextlib.suppress(OSError):
            (folder / (KEY_FILE + ".tmp")).unlink(missing_ok=True)  # left by an interrupted change
        return vault

    # --- using an open vault ----------------------------------------------------------------

    def change_passphrase(self, new_passphrase: str, on_step: StepCallback | None = None) -> None:
        """Re-wrap the database key under a new passphrase (the data is not re-encrypted)."""
        step = on_step or (lambda _name: None)
        params = self.header.slots[SLOT_PASSPHRASE].kdf
        slot = seal_slot(bytes(self._key), _secret(new_passphrase), params,
                         self.header.vault_id, SLOT_PASSPHRASE)
        step("derived")
        new_header = self.header.with_slot(SLOT_PASSPHRASE, slot)
        write_header(self.folder / KEY_FILE, new_header, step)
        self.header = new_header
        self.opened_with_recovery_code = False
        self.audit.write("passphrase_changed", "Passphrase changed")

    def verify_passphrase(self, passphrase: str) -> bool:
        """True when `passphrase` is this vault's current passphrase."""
        try:
            return open_slot(self.header, SLOT_PASSPHRASE, _secret(passphrase)) == bytes(self._key)
        except SlotLocked:
            return False

    def counts(self) -> dict[str, int]:
        """How many records of each kind the vault holds."""
        counts = {"profile": len(self.profiles.list())}
        counts.update({key: self.records.count(key) for key in RECORD_TYPES})
        counts["document"] = self.db.query_one("SELECT count(*) FROM documents")[0]
        counts["audit_entry"] = self.audit.count()
        return counts

    def close(self) -> None:
        """Lock: close the connection, forget the key bytes, release the folder lock."""
        try:
            self.db.close()
        finally:
            for index in range(len(self._key)):
                self._key[index] = 0
            self._lock.release()

    @property
    def is_open(self) -> bool:
        """False once closed."""
        return self._lock.held
