"""Read a GGUF model file's header in pure Python, before llama.cpp ever sees the file.

The header is untrusted input: every declared length is checked against the bytes left in
the file before anything is read or allocated, counts are capped, and only a bounded window
of the file is held in memory (models are several GB). The tensor table is checked too, so a
truncated download is refused here instead of crashing the inference worker.
Format: https://github.com/ggml-org/ggml/blob/master/docs/gguf.md (little-endian only).
"""

from __future__ import annotations

import struct
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, BinaryIO

from carebook.errors import BadInput

MAGIC = b"GGUF"
SUPPORTED_VERSIONS = (2, 3)
MAX_ENTRIES = 1_000_000          # metadata pairs or tensors; real models have a few thousand
MAX_ARRAY_ITEMS = 1 << 24        # vocabularies reach ~260k tokens; merges a little more
MAX_STRING = 16 << 20            # chat templates are kilobytes; nothing legitimate nears this
MAX_NAME = 1024                  # metadata keys and tensor names (llama.cpp allows 64 for names)
MAX_DIMS = 4
MAX_NESTING = 2                  # an array of arrays at most
KEPT_ARRAY_ITEMS = 64            # longer arrays (vocabularies) are checked and skipped, not kept
CHUNK = 1 << 20

_SCALARS: dict[int, struct.Struct] = {
    0: struct.Struct("<B"), 1: struct.Struct("<b"), 2: struct.Struct("<H"),
    3: struct.Struct("<h"), 4: struct.Struct("<I"), 5: struct.Struct("<i"),
    6: struct.Struct("<f"), 7: struct.Struct("<?"), 10: struct.Struct("<Q"),
    11: struct.Struct("<q"), 12: struct.Struct("<d"),
}
STRING, ARRAY = 8, 9
TYPE_NAMES = {0: "uint8", 1: "int8", 2: "uint16", 3: "int16", 4: "uint32", 5: "int32",
              6: "float32", 7: "bool", 8: "string", 9: "array", 10: "uint64", 11: "int64",
              12: "float64"}
_U32, _U64 = struct.Struct("<I"), struct.Struct("<Q")

# llama.cpp's enum llama_ftype (general.file_type): what most tensors are quantised to.
FILE_TYPES = {
    0: "F32", 1: "F16", 2: "Q4_0", 3: "Q4_1", 4: "Q4_1_SOME_F16", 7: "Q8_0", 8: "Q5_0",
    9: "Q5_1", 10: "Q2_K", 11: "Q3_K_S", 12: "Q3_K_M", 13: "Q3_K_L", 14: "Q4_K_S",
    15: "Q4_K_M", 16: "Q5_K_S", 17: "Q5_K_M", 18: "Q6_K", 19: "IQ2_XXS", 20: "IQ2_XS",
    21: "Q2_K_S", 22: "IQ3_XS", 23: "IQ3_XXS", 24: "IQ1_S", 25: "IQ4_NL", 26: "IQ3_S",
    27: "IQ3_M", 28: "IQ2_S", 29: "IQ2_M", 30: "IQ4_XS", 31: "IQ1_M", 32: "BF16",
    36: "TQ1_0", 37: "TQ2_0", 38: "MXFP4_MOE", 39: "NVFP4", 40: "Q1_0", 41: "Q2_0",
}

# ggml tensor types: name, elements per block, bytes per block (gguf-py GGML_QUANT_SIZES).
TENSOR_TYPES: dict[int, tuple[str, int, int]] = {
    0: ("F32", 1, 4), 1: ("F16", 1, 2), 2: ("Q4_0", 32, 18), 3: ("Q4_1", 32, 20),
    6: ("Q5_0", 32, 22), 7: ("Q5_1", 32, 24), 8: ("Q8_0", 32, 34), 9: ("Q8_1", 32, 40),
    10: ("Q2_K", 256, 84), 11: ("Q3_K", 256, 110), 12: ("Q4_K", 256, 144),
    13: ("Q5_K", 256, 176), 14: ("Q6_K", 256, 210), 15: ("Q8_K", 256, 292),
    16: ("IQ2_XXS", 256, 66), 17: ("IQ2_XS", 256, 74), 18: ("IQ3_XXS", 256, 98),
    19: ("IQ1_S", 256, 50), 20: ("IQ4_NL", 32, 18), 21: ("IQ3_S", 256, 110),
    22: ("IQ2_S", 256, 82), 23: ("IQ4_XS", 256, 136), 24: ("I8", 1, 1), 25: ("I16", 1, 2),
    26: ("I32", 1, 4), 27: ("I64", 1, 8), 28: ("F64", 1, 8), 29: ("IQ1_M", 256, 56),
    30: ("BF16", 1, 2), 34: ("TQ1_0", 256, 54), 35: ("TQ2_0", 256, 66),
    39: ("MXFP4", 32, 17), 40: ("NVFP4", 64, 36), 41: ("Q1_0", 128, 18), 42: ("Q2_0", 64, 18),
}


class BadModelFile(BadInput):
    """A file that is not a usable GGUF model: wrong format, damaged, or incomplete."""

    code = "bad_model_file"
    title = "Cannot use this model file"


@dataclass(frozen=True)
class GgufArray:
    """A metadata array: its item type and length; the items only when the array is short."""

    item_type: str
    count: int
    items: tuple | None = None


@dataclass(frozen=True)
class GgufInfo:
    """What Carebook shows and checks about a model file, read from its header."""

    name: str
    architecture: str
    context_length: int | None
    quantisation: str
    licence: str
    size_label: str
    parameters: int
    has_chat_template: bool
    file_size: int
    version: int
    tensor_count: int
    data_offset: int
    metadata: MappingProxyType = field(compare=False, repr=False,
                                       default_factory=lambda: MappingProxyType({}))


class _Truncated(Exception):
    """The file ends before a declared structure does."""


class _Invalid(Exception):
    """A declared value is impossible (absurd count, bad type, duplicate key...)."""


class _Reader:
    """Sequential reads through a bounded window of the file; never past its end."""

    def __init__(self, handle: BinaryIO, size: int) -> None:
        self._handle, self.size = handle, size
        self.pos = 0
        self._buf, self._buf_start = b"", 0

    @property
    def left(self) -> int:
        """Bytes between the read position and the end of the file."""
        return self.size - self.pos

    def take(self, n: int) -> bytes:
        """The next `n` bytes, checked against the file's size before anything is read."""
        if n > self.left:
            raise _Truncated
        start = self.pos - self._buf_start
        if start < 0 or start + n > len(self._buf):
            self._fill(n)
            start = 0
        self.pos += n
        return self._buf[start:start + n]

    def skip(self, n: int) -> None:
        """Move past `n` bytes without reading them."""
        if n > self.left:
            raise _Truncated
        self.pos += n

    def u32(self) -> int:
        """A little-endian uint32."""
        return _U32.unpack(self.take(4))[0]

    def u64(self) -> int:
        """A little-endian uint64."""
        return _U64.unpack(self.take(8))[0]

    def string(self, limit: int = MAX_STRING) -> str:
        """A length-prefixed UTF-8 string of at most `limit` bytes."""
        length = self.u64()
        if length > limit:
            raise _Invalid(f"string of {length} bytes")
        return self.take(length).decode("utf-8", errors="replace")

    def skip_strings(self, count: int) -> None:
        """Check and pass over `count` length-prefixed strings (a vocabulary) quickly."""
        if count * 8 > self.left:
            raise _Truncated
        unpack, pos, size = _U64.unpack_from, self.pos, self.size
        buf, buf_start = self._buf, self._buf_start
        for _ in range(count):  # the hot loop of a header read: plain locals, no calls
            start = pos - buf_start
            if start < 0 or start + 8 > len(buf):
                self.pos = pos
                self._fill(8)
                buf, buf_start, start = self._buf, self._buf_start, 0
            length = unpack(buf, start)[0]
            pos += 8 + length
            if length > MAX_STRING:
                raise _Invalid(f"string of {length} bytes")
            if pos > size:
                raise _Truncated
        self.pos = pos

    def _fill(self, n: int) -> None:
        self._handle.seek(self.pos)
        self._buf = self._handle.read(max(n, CHUNK))
        self._buf_start = self.pos
        if len(self._buf) < n:  # the file shrank while being read
            raise _Truncated


def read_gguf_info(path: Path) -> GgufInfo:
    """Read and check a GGUF file's header and tensor table; raise BadModelFile if unusable."""
    path = Path(path)
    shown = path.name
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            return _parse(_Reader(handle, size), path)
    except _Truncated:
        raise BadModelFile(f"{shown} is incomplete (it ends before its data does); "
                           "download it again") from None
    except _Invalid as problem:
        raise BadModelFile(f"{shown} is damaged (its header is not valid)",
                           detail=str(problem)) from None
    except IsADirectoryError:
        raise BadModelFile(f"{shown} is a folder, not a GGUF model file") from None
    except OSError as error:
        raise BadModelFile(f"Cannot read {shown}: {error.strerror or error}") from None


def _parse(reader: _Reader, path: Path) -> GgufInfo:
    shown = path.name
    if reader.size < 8 or reader.take(4) != MAGIC:
        raise BadModelFile(f"{shown} is not a GGUF model file")
    version = reader.u32()
    if version not in SUPPORTED_VERSIONS:
        raise BadModelFile(_version_message(shown, version))
    tensor_count, kv_count = reader.u64(), reader.u64()
    if tensor_count > MAX_ENTRIES or kv_count > MAX_ENTRIES:
        raise _Invalid(f"{tensor_count} tensors, {kv_count} metadata pairs")
    metadata = _read_metadata(reader, kv_count)
    architecture = metadata.get("general.architecture")
    if not isinstance(architecture, str) or not architecture.strip():
        raise BadModelFile(f"{shown} has no text-generation architecture")
    alignment = _alignment(metadata)
    tensors = _read_tensor_table(reader, tensor_count, alignment)
    if not tensors:
        raise BadModelFile(f"{shown} holds no model weights")
    data_offset = -(-reader.pos // alignment) * alignment
    _check_data_fits(tensors, data_offset, reader.size)
    return _info(path, metadata, tensors, version, data_offset, reader.size)


def _version_message(shown: str, version: int) -> str:
    if version & 0xFFFF == 0 and (version >> 24) in SUPPORTED_VERSIONS:
        return f"{shown} is a big-endian GGUF file, which Carebook cannot read"
    return f"{shown} uses GGUF version {version}, which Carebook cannot read"


def _read_metadata(reader: _Reader, count: int) -> dict[str, Any]:
    metadata: dict[str, Any] = {}
    for _ in range(count):
        key = reader.string(MAX_NAME)
        if key in metadata:
            raise _Invalid(f"duplicate key {key!r}")
        metadata[key] = _read_value(reader, reader.u32(), depth=0)
    return metadata


def _read_value(reader: _Reader, value_type: int, depth: int) -> Any:
    if value_type in _SCALARS:
        scalar = _SCALARS[value_type]
        return scalar.unpack(reader.take(scalar.size))[0]
    if value_type == STRING:
        return reader.string()
    if value_type == ARRAY and depth < MAX_NESTING:
        return _read_array(reader, depth)
    raise _Invalid(f"value type {value_type}")


def _read_array(reader: _Reader, depth: int) -> GgufArray:
    item_type, count = reader.u32(), reader.u64()
    if count > MAX_ARRAY_ITEMS:
        raise _Invalid(f"array of {count} items")
    type_name = TYPE_NAMES.get(item_type)
    if type_name is None:
        raise _Invalid(f"array item type {item_type}")
    if count > KEPT_ARRAY_ITEMS and item_type in _SCALARS:
        reader.skip(count * _SCALARS[item_type].size)
        return GgufArray(type_name, count)
    if count > KEPT_ARRAY_ITEMS and item_type == STRING:
        reader.skip_strings(count)
        return GgufArray(type_name, count)
    if count > KEPT_ARRAY_ITEMS:  # arrays of arrays: each is read (and checked), none kept
        for _ in range(count):
            _read_value(reader, item_type, depth + 1)
        return GgufArray(type_name, count)
    items = tuple(_read_value(reader, item_type, depth + 1) for _ in range(count))
    return GgufArray(type_name, count, items)


def _alignment(metadata: dict[str, Any]) -> int:
    alignment = metadata.get("general.alignment", 32)
    if (not isinstance(alignment, int) or isinstance(alignment, bool) or alignment <= 0
            or alignment & (alignment - 1)):
        raise _Invalid(f"alignment {alignment!r}")
    return alignment


@dataclass(frozen=True)
class _Tensor:
    elements: int
    ggml_type: int
    offset: int
    nbytes: int | None  # None for a tensor type this table does not know


def _read_tensor_table(reader: _Reader, count: int, alignment: int) -> list[_Tensor]:
    tensors = []
    for _ in range(count):
        reader.string(MAX_NAME)
        n_dims = reader.u32()
        if n_dims > MAX_DIMS:
            raise _Invalid(f"tensor with {n_dims} dimensions")
        dims = [reader.u64() for _ in range(n_dims)]
        ggml_type, offset = reader.u32(), reader.u64()
        tensors.append(_tensor(dims, ggml_type, offset, alignment))
    return tensors


def _tensor(dims: list[int], ggml_type: int, offset: int, alignment: int) -> _Tensor:
    elements = 1
    for dim in dims:
        elements *= dim
    if elements >= 1 << 62:
        raise _Invalid(f"tensor of {elements} elements")
    if offset % alignment:
        raise _Invalid(f"tensor offset {offset} is not aligned to {alignment}")
    known = TENSOR_TYPES.get(ggml_type)
    if known is None:
        return _Tensor(elements, ggml_type, offset, None)
    _name, block, block_bytes = known
    if dims and dims[0] % block:
        raise _Invalid(f"tensor row of {dims[0]} is not a whole number of blocks")
    return _Tensor(elements, ggml_type, offset, elements // block * block_bytes)


def _check_data_fits(tensors: list[_Tensor], data_offset: int, size: int) -> None:
    # A tensor of a type unknown here is only checked to start inside the file.
    end = max(data_offset + t.offset + (t.nbytes or 0) for t in tensors)
    if end > size:
        raise _Truncated


def _info(path: Path, metadata: dict[str, Any], tensors: list[_Tensor], version: int,
          data_offset: int, size: int) -> GgufInfo:
    architecture = metadata["general.architecture"]
    return GgufInfo(
        name=_text(metadata.get("general.name")) or path.stem,
        architecture=architecture,
        context_length=_number(metadata.get(f"{architecture}.context_length")),
        quantisation=_quantisation(metadata.get("general.file_type"), tensors),
        licence=_text(metadata.get("general.license")),
        size_label=_text(metadata.get("general.size_label")),
        parameters=sum(t.elements for t in tensors),
        has_chat_template=isinstance(metadata.get("tokenizer.chat_template"), str),
        file_size=size,
        version=version,
        tensor_count=len(tensors),
        data_offset=data_offset,
        metadata=MappingProxyType(metadata),
    )


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _number(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _quantisation(file_type: Any, tensors: list[_Tensor]) -> str:
    code = _number(file_type)
    if code is not None:
        return FILE_TYPES.get(code, f"type {code}")
    # No file type recorded: name the type most tensors use, as llama.cpp guesses it.
    commonest = Counter(t.ggml_type for t in tensors).most_common(1)[0][0]
    return TENSOR_TYPES.get(commonest, (f"type {commonest}",))[0]
