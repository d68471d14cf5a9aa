"""The GGUF header reader: the real default model reads right; broken, truncated and hostile
files (built here byte by byte) are refused with BadModelFile and plain words, nothing else.

The small files come from tests/gguf_files.py.
"""

from __future__ import annotations

import random
import shutil
import struct
from pathlib import Path

import pytest

from carebook.assistant.gguf import BadModelFile, read_gguf_info
from tests.gguf_files import (
    DAMAGED,
    INCOMPLETE,
    NOT_GGUF,
    REAL_MODEL,
    gguf_bytes,
    needs_real_model,
    write_gguf,
)


def refused(path: Path) -> str:
    """The message BadModelFile gives for `path` (fails if the file is accepted)."""
    with pytest.raises(BadModelFile) as caught:
        read_gguf_info(path)
    return caught.value.message


@needs_real_model
def test_reads_the_default_model():
    """Name, architecture, quantisation, context, licence and template of the real file."""
    info = read_gguf_info(REAL_MODEL)
    assert "smollm2" in info.name.lower()
    assert info.architecture == "llama"
    assert info.quantisation == "Q4_1"
    assert info.context_length == 8192
    assert info.licence == "apache-2.0"
    assert info.size_label == "135M"
    assert 130_000_000 < info.parameters < 140_000_000
    assert info.has_chat_template
    assert info.file_size == REAL_MODEL.stat().st_size
    assert info.metadata["tokenizer.ggml.tokens"].count == 49152


@needs_real_model
@pytest.mark.skipif(not Path("/proc/self/io").exists(), reason="needs Linux /proc I/O counters")
def test_reading_the_header_does_not_read_the_weights():
    """A few MB are read from the 98 MB model, not the whole file (kernel I/O counter)."""
    def bytes_read() -> int:
        text = Path("/proc/self/io").read_text()
        return int(next(line for line in text.splitlines() if line.startswith("rchar"))
                   .split()[1])
    before = bytes_read()
    read_gguf_info(REAL_MODEL)
    assert bytes_read() - before < 4 << 20


def test_reads_a_small_built_file(tmp_path):
    """The test writer's files pass, and every reported field comes from the header."""
    info = read_gguf_info(write_gguf(tmp_path / "tiny.gguf", file_type=15,
                                     tensors=((64,), (32, 2))))
    assert (info.name, info.architecture, info.context_length) == ("Tiny Test Model", "llama",
                                                                   256)
    assert (info.quantisation, info.licence, info.parameters) == ("Q4_K_M", "apache-2.0", 128)
    assert info.has_chat_template and info.tensor_count == 2


def test_name_and_quantisation_fall_back(tmp_path):
    """No name: the file's stem. Unknown file type: its number. None: the tensors' type."""
    info = read_gguf_info(write_gguf(tmp_path / "my-model.gguf", name=None, file_type=99,
                                     chat_template=False))
    assert (info.name, info.quantisation, info.has_chat_template) == ("my-model", "type 99",
                                                                      False)
    assert read_gguf_info(write_gguf(tmp_path / "b.gguf", file_type=None)).quantisation == "F32"


@pytest.mark.parametrize("content", [b"", b"GG", b"GGUF", b"PK\x03\x04" + b"\0" * 100,
                                     b"<html>not a model</html>" * 10])
def test_files_that_are_not_gguf(tmp_path, content):
    """Empty, too short, or another format entirely."""
    path = tmp_path / "thing.gguf"
    path.write_bytes(content)
    assert refused(path) == f"thing.gguf {NOT_GGUF}"


def test_a_folder_is_refused(tmp_path):
    """Choosing a folder gives a message, not IsADirectoryError."""
    (tmp_path / "models.gguf").mkdir()
    assert "folder" in refused(tmp_path / "models.gguf")


@pytest.mark.parametrize("version", [1, 4, 999])
def test_unsupported_versions(tmp_path, version):
    """Only GGUF versions 2 and 3 are read."""
    path = write_gguf(tmp_path / "old.gguf", version=version)
    assert refused(path) == f"old.gguf uses GGUF version {version}, which Carebook cannot read"


def test_version_2_is_read(tmp_path):
    """Version 2 has the same layout as 3 for our purposes."""
    assert read_gguf_info(write_gguf(tmp_path / "v2.gguf", version=2)).version == 2


def test_big_endian_files_are_named_as_such(tmp_path):
    """A big-endian GGUF shows its version byte-swapped; say what it is instead."""
    data = bytearray(gguf_bytes())
    data[4:8] = struct.pack(">I", 3)
    path = tmp_path / "be.gguf"
    path.write_bytes(bytes(data))
    assert "big-endian" in refused(path)


def test_no_architecture_is_refused(tmp_path):
    """A GGUF without general.architecture (e.g. a vision projector) cannot generate text."""
    path = write_gguf(tmp_path / "mmproj.gguf", architecture=None)
    assert refused(path) == "mmproj.gguf has no text-generation architecture"


def _patched(tmp_path, offset: int, fmt: str, value: int) -> Path:
    data = bytearray(gguf_bytes())
    struct.pack_into(fmt, data, offset, value)
    path = tmp_path / "hostile.gguf"
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize(("offset", "value", "expected"), [
    (8, 1 << 63, DAMAGED),           # tensor count
    (16, 1 << 40, DAMAGED),          # metadata count
    (16, 999_999, DAMAGED),          # plausible, but the tensor table is not metadata
    (24, 1 << 62, DAMAGED),          # the first key's length
    (24, 100_000, DAMAGED),          # keys are capped at 1 KB, whatever the file holds
    (24, 1000, INCOMPLETE),          # under the cap, but longer than the file
])
def test_absurd_counts_and_lengths(tmp_path, offset, value, expected):
    """Declared sizes are checked against caps and the bytes left, before any allocation."""
    assert len(gguf_bytes()) < 1000
    assert expected in refused(_patched(tmp_path, offset, "<Q", value))


def test_absurd_string_value_and_array_lengths(tmp_path):
    """A string value of 1 TB, an array of 2^60 items, an array longer than the file."""
    first_value = 24 + 8 + len("general.architecture") + 4
    assert DAMAGED in refused(_patched(tmp_path, first_value, "<Q", 1 << 40))
    assert INCOMPLETE in refused(_patched(tmp_path, first_value, "<Q", (16 << 20) - 1))
    data = gguf_bytes()
    tokens = data.index(b"tokenizer.ggml.tokens") + len("tokenizer.ggml.tokens") + 4
    assert struct.unpack_from("<IQ", data, tokens) == (8, 5)
    assert DAMAGED in refused(_patched(tmp_path, tokens + 4, "<Q", 1 << 60))
    assert INCOMPLETE in refused(_patched(tmp_path, tokens + 4, "<Q", 5_000_000))


@pytest.mark.parametrize(("extra", "tensors"), [
    ({"general.alignment": 3}, ((64,),)),                      # not a power of two
    ({"general.alignment": ("string", "32")}, ((64,),)),       # wrong type
    ([("general.name", "again")], ((64,),)),                   # duplicate key
    ({"x": ("array", ("array", [("array", [("uint8", [1])])]))}, ((64,),)),  # nested too deep
    ({}, ((2, 2, 2, 2, 2),)),                                  # five dimensions
])
def test_invalid_headers_are_damaged(tmp_path, extra, tensors):
    """Impossible values in an otherwise complete header."""
    path = write_gguf(tmp_path / "odd.gguf", extra=extra, tensors=tensors)
    assert refused(path) == f"odd.gguf {DAMAGED}"


def test_unknown_value_type_and_misaligned_tensor(tmp_path):
    """A value type past float64, and a tensor offset off its alignment."""
    data = bytearray(gguf_bytes())
    type_at = 24 + 8 + len("general.architecture")
    struct.pack_into("<I", data, type_at, 13)
    (tmp_path / "a.gguf").write_bytes(bytes(data))
    assert DAMAGED in refused(tmp_path / "a.gguf")
    data = bytearray(gguf_bytes())
    offset_at = data.index(b"blk.0.weight") + len("blk.0.weight") + 4 + 8 + 4
    struct.pack_into("<Q", data, offset_at, 4)
    (tmp_path / "b.gguf").write_bytes(bytes(data))
    assert DAMAGED in refused(tmp_path / "b.gguf")
    struct.pack_into("<Q", data, offset_at, 1 << 40)
    (tmp_path / "b.gguf").write_bytes(bytes(data))
    assert INCOMPLETE in refused(tmp_path / "b.gguf")


def test_every_truncation_of_a_built_file_is_refused(tmp_path):
    """Cut at every byte: not GGUF below the fixed header, incomplete after it."""
    data = gguf_bytes(tensors=((64,), (8, 4)))
    path = tmp_path / "cut.gguf"
    for cut in range(len(data)):
        path.write_bytes(data[:cut])
        message = refused(path)
        assert (NOT_GGUF if cut < 8 else INCOMPLETE) in message, cut
    path.write_bytes(data)
    assert read_gguf_info(path).tensor_count == 2


@needs_real_model
def test_cuts_through_the_real_header_are_refused(tmp_path):
    """Cut points across the real model's 1.8 MB header and into its first weights."""
    header_end = read_gguf_info(REAL_MODEL).data_offset
    with REAL_MODEL.open("rb") as handle:
        prefix = handle.read(header_end + (256 << 10))
    cuts = list(range(0, 40)) + list(range(40, len(prefix), len(prefix) // 60)) + [
        header_end - 1, header_end, header_end + 1, len(prefix)]
    path = tmp_path / "cut.gguf"
    for cut in cuts:
        path.write_bytes(prefix[:cut])
        assert (NOT_GGUF if cut < 8 else INCOMPLETE) in refused(path), cut


@needs_real_model
@pytest.mark.parametrize("keep", ["half", "all but one byte"])
def test_a_truncated_copy_of_the_real_model_is_incomplete(tmp_path, keep):
    """An interrupted download: refused before llama.cpp would read past the end."""
    size = REAL_MODEL.stat().st_size
    path = tmp_path / REAL_MODEL.name
    with REAL_MODEL.open("rb") as source, path.open("wb") as sink:
        shutil.copyfileobj(source, sink)
        sink.truncate(size // 2 if keep == "half" else size - 1)
    assert refused(path) == (f"{REAL_MODEL.name} is incomplete (it ends before its data "
                             "does); download it again")


def test_random_corruption_gives_only_bad_model_file(tmp_path):
    """Seeded byte flips across a built file: it either reads, or BadModelFile is raised."""
    original = gguf_bytes(tensors=((64,), (32, 2)))
    rng = random.Random(20240607)
    path = tmp_path / "fuzz.gguf"
    outcomes = {"read": 0, "refused": 0}
    for _ in range(400):
        data = bytearray(original)
        for _ in range(rng.randint(1, 4)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        path.write_bytes(bytes(data))
        try:
            read_gguf_info(path)
            outcomes["read"] += 1
        except BadModelFile:
            outcomes["refused"] += 1
    assert outcomes["refused"] > 50 and outcomes["read"] > 10
