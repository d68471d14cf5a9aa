"""The model catalogue: models/catalogue.toml, read into plain records."""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from pathlib import Path

from carebook.paths import models_dir


@dataclass(frozen=True)
class CatalogueModel:
    """One known model: what it is, where its file lives, and the hash it must have."""

    id: str
    name: str
    file: str
    sha256: str
    size: int
    licence: str
    source: str
    pypi_package: str = ""
    wheel_member: str = ""

    def path(self, directory: Path | None = None) -> Path:
        """Where this model's GGUF file is expected."""
        return (directory or models_dir()) / self.file


def load_catalogue(path: Path | None = None) -> tuple[str, list[CatalogueModel]]:
    """Return (default model id, models) from the catalogue file."""
    path = path or models_dir() / "catalogue.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    models = [CatalogueModel(**entry) for entry in data.get("model", [])]
    return data["default"], models


def default_model(path: Path | None = None) -> CatalogueModel:
    """The catalogue entry named as default."""
    default_id, models = load_catalogue(path)
    for model in models:
        if model.id == default_id:
            return model
    raise KeyError(f"default model {default_id!r} is not in the catalogue")


def sha256_of(path: Path, chunk_size: int = 1 << 20) -> str:
    """Hex sha256 of a file, read in chunks so large models do not fill memory."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(chunk_size):
            digest.update(chunk)
    return digest.hexdigest()
