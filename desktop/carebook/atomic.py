"""Atomic file replacement: a reader, or a process killed midway, sees the old file or the
new one, never a mix."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

StepCallback = Callable[[str], None]


def write_atomically(path: Path, data: bytes, on_step: StepCallback | None = None,
                     mode: int = 0o600) -> None:
    """Write a temp file beside `path`, fsync it, rename it over `path`, fsync the folder.

    `on_step` is told each step's name as it completes ("temp_written", "temp_synced",
    "renamed", "dir_synced"); the kill-at-each-step test stops the process there.
    """
    step = on_step or (lambda _name: None)
    temp = path.with_name(path.name + ".tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        step("temp_written")
        os.fsync(fd)
        step("temp_synced")
    except BaseException:
        os.close(fd)
        temp.unlink(missing_ok=True)
        raise
    os.close(fd)
    os.replace(temp, path)
    step("renamed")
    sync_directory(path.parent)
    step("dir_synced")


def sync_directory(directory: Path) -> None:
    """fsync a folder so a rename inside it survives a power cut (no-op where unsupported)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
