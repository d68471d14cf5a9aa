"""Crash reporting that never leaks health data.

Exception messages and local variables can carry record values, so a diagnostic keeps only
the exception's type and the code locations it passed through.
"""

from __future__ import annotations

import traceback
from datetime import UTC, datetime
from pathlib import Path

from carebook.paths import log_dir


def safe_traceback(error: BaseException) -> str:
    """The exception type and stack frames (file, line, function), without any message."""
    frames = traceback.extract_tb(error.__traceback__)
    lines = [f"{type(error).__module__}.{type(error).__qualname__}"]
    lines += [f"  {Path(frame.filename).name}:{frame.lineno} in {frame.name}" for frame in frames]
    return "\n".join(lines)


def log_unexpected(error: BaseException, where: str) -> Path | None:
    """Append a safe diagnostic to the log file; return its path (None if it cannot be written)."""
    return log_diagnostic(where, safe_traceback(error))


def log_diagnostic(where: str, diagnostic: str) -> Path | None:
    """Append an already-safe diagnostic (from safe_traceback, maybe of a child process)."""
    path = log_dir() / "carebook.log"
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(f"{stamp} unexpected error in {where}\n{diagnostic}\n")
    except OSError:
        return None
    return path
