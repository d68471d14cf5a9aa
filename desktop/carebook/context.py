"""The application context: passed explicitly to whatever needs it, never a global."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from carebook.vault.kdf import DEFAULT_KDF, KdfParams


@dataclass
class AppContext:
    """Where the vault is, whether this is a demo session, and how keys are derived."""

    vault_dir: Path
    demo: bool = False
    kdf: KdfParams = DEFAULT_KDF
    _scratch: list[Path] = field(default_factory=list)

    def make_demo_folder(self) -> Path:
        """A fresh throwaway folder for a demo vault, removed by `cleanup()`."""
        folder = Path(tempfile.mkdtemp(prefix="carebook-demo-")) / "vault"
        self._scratch.append(folder.parent)
        return folder

    def cleanup(self) -> None:
        """Remove throwaway demo vaults."""
        while self._scratch:
            shutil.rmtree(self._scratch.pop(), ignore_errors=True)
