"""File names every file system accepts, for the names Carebook suggests when saving."""

from __future__ import annotations

import re

# Characters that Windows, macOS or Linux refuse (or misread) in a file name.
_UNSAFE_IN_NAMES = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_RESERVED_NAMES = {"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(1, 10)),
                   *(f"LPT{n}" for n in range(1, 10))}
MAX_NAME_BYTES = 200  # file systems allow 255 bytes; leaves room for " (2)" and ".pdf"


def safe_file_name(stem: str, suffix: str = ".pdf") -> str:
    """`stem` + `suffix` with what file systems refuse replaced, trimmed to a sane length."""
    text = " ".join(_UNSAFE_IN_NAMES.sub(" ", stem).split())
    while len(text.encode("utf-8")) > MAX_NAME_BYTES:
        text = text[:-1]
    text = text.strip(" .")  # Windows drops a trailing dot or space
    if not text:
        text = "Carebook printout"
    if text.split(".")[0].upper() in _RESERVED_NAMES:
        text = f"Carebook {text}"
    return text + suffix
