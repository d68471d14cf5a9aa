"""The only module that knows where resources, models and user data live."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "Carebook"

# desktop/carebook/paths.py -> the project root holds resources/ and models/.
PROJECT_ROOT = Path(__file__).resolve().parents[2]


def resources_dir() -> Path:
    """Icons, styles and data files shipped with the program."""
    return PROJECT_ROOT / "resources"


def resource(*parts: str) -> Path:
    """Path of one file under resources/."""
    return resources_dir().joinpath(*parts)


def models_dir() -> Path:
    """GGUF files and the model catalogue."""
    return PROJECT_ROOT / "models"


def data_dir() -> Path:
    """Per-user data folder (platformdirs; honours XDG_DATA_HOME on Linux)."""
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def default_vault_dir() -> Path:
    """Where the vault lives unless --vault says otherwise."""
    override = os.environ.get("CAREBOOK_VAULT")
    return Path(override) if override else data_dir() / "vault"


def log_dir() -> Path:
    """Diagnostic logs: never health data, only event names and code locations."""
    return platformdirs.user_log_path(APP_NAME, appauthor=False)
