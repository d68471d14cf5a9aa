"""Small GGUF files built byte by byte, for the header reader, registry and page tests."""

from __future__ import annotations

import os
import struct
from pathlib import Path

import pytest

from carebook.paths import models_dir

REAL_MODEL = models_dir() / "SmolLM2-135M-Instruct.Q4_1.gguf"
needs_real_model = pytest.mark.skipif(not REAL_MODEL.is_file(),
                                      reason="run `make test` to fetch the default model")

TYPE_CODES = {"uint8": 0, "uint32": 4, "int32": 5, "float32": 6, "bool": 7, "string": 8,
              "array": 9, "uint64": 10}
INCOMPLETE, DAMAGED = "is incomplete", "is damaged (its header is not valid)"
NOT_GGUF = "is not a GGUF model file"


def _string(text: str | bytes) -> bytes:
    raw = text.encode() if isinstance(text, str) else text
    return struct.pack("<Q", len(raw)) + raw


def _value(value) -> tuple[int, bytes]:
    """(type code, encoding) for a Python value; ("uint64", 5) style tuples force a type."""
    if isinstance(value, tuple):
        kind, inner = value
        if kind == "array":
            item_kind, items = inner
            body = b"".join(_value((item_kind, item))[1] for item in items)
            return 9, struct.pack("<IQ", TYPE_CODES[item_kind], len(items)) + body
        if kind == "string":
            return 8, _string(inner)
        fmt = {"uint8": "<B", "uint32": "<I", "int32": "<i", "float32": "<f", "bool": "<?",
               "uint64": "<Q"}[kind]
        return TYPE_CODES[kind], struct.pack(fmt, inner)
    if isinstance(value, bool):
        return _value(("bool", value))
    if isinstance(value, int):
        return _value(("uint32", value))
    if isinstance(value, float):
        return _value(("float32", value))
    if isinstance(value, list):
        return _value(("array", ("string", value)))
    return _value(("string", value))


def gguf_bytes(*, name: str | None = "Tiny Test Model", architecture: str | None = "llama",
               version: int = 3, context_length: int = 256, file_type: int | None = 0,
               chat_template: bool = True, extra: dict | list | None = None,
               tensors: tuple = ((64,),), payload_byte: int = 7, alignment: int = 32) -> bytes:
    """A small, valid GGUF file: a llama header, a short vocabulary, F32 tensors."""
    metadata: dict = {}
    if architecture is not None:
        metadata["general.architecture"] = architecture
    if name is not None:
        metadata["general.name"] = name
    metadata["general.license"] = "apache-2.0"
    metadata["general.size_label"] = "1K"
    metadata[f"{architecture}.context_length"] = context_length
    if file_type is not None:
        metadata["general.file_type"] = file_type
    metadata["tokenizer.ggml.tokens"] = ["<s>", "</s>", "a", "b", "c"]
    if chat_template:
        metadata["tokenizer.chat_template"] = "{% for m in messages %}{{ m.content }}{% endfor %}"
    pairs = list(metadata.items()) + list(dict(extra or {}).items() if isinstance(extra, dict)
                                          else extra or [])
    out = [b"GGUF", struct.pack("<IQQ", version, len(tensors), len(pairs))]
    for key, value in pairs:
        code, body = _value(value)
        out += [_string(key), struct.pack("<I", code), body]
    offset, sizes = 0, []
    for index, dims in enumerate(tensors):
        out += [_string(f"blk.{index}.weight"), struct.pack("<I", len(dims)),
                b"".join(struct.pack("<Q", d) for d in dims), struct.pack("<IQ", 0, offset)]
        size = 4 * _product(dims)
        sizes.append(size)
        offset += -(-size // alignment) * alignment
    header = b"".join(out)
    header += b"\0" * (-len(header) % alignment)
    data = b"".join(bytes([payload_byte]) * s + b"\0" * (-s % alignment) for s in sizes)
    return header + data


def _product(dims) -> int:
    total = 1
    for dim in dims:
        total *= dim
    return total


def write_gguf(path: Path, **options) -> Path:
    """Write `gguf_bytes(**options)` to `path` and return it."""
    path.write_bytes(gguf_bytes(**options))
    return path


def rewrite_one_byte(path: Path) -> None:
    """Change the last byte in place, keeping the size, as a later edit would."""
    data = bytearray(path.read_bytes())
    data[-1] ^= 0xFF
    path.write_bytes(bytes(data))
    # A later edit: coarse file-system clocks can give a same-tick write the old mtime.
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))
