"""One Carebook process per vault, enforced with an advisory lock on the vault folder.

The lock is taken on the folder rather than a file in it: vault.key is replaced by rename
when the passphrase changes (a lock on it would be lost), and closing a second descriptor
on vault.db would drop SQLite's own POSIX locks on that file. A folder needs no extra file,
so checking whether a vault is in use writes nothing. The kernel releases the lock when
the process dies, so a crash never leaves a vault stuck.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from carebook.vault.errors import VaultInUse


class VaultLock:
    """An exclusive, non-blocking lock on a vault folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock or raise VaultInUse."""
        fd = os.open(self.folder, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise VaultInUse(self.folder) from None
        self._fd = fd

    def release(self) -> None:
        """Give the lock back (safe to call twice)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    @property
    def held(self) -> bool:
        """True while this object holds the lock."""
        return self._fd is not None
