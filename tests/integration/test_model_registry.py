"""The model registry on real files: the catalogue's default model, GGUF files built by the
tests, files changed or removed behind its back, and a damaged models.json."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from carebook.assistant.catalogue import default_model, sha256_of
from carebook.assistant.gguf import BadModelFile
from carebook.assistant.registry import ModelRegistry, hash_file
from carebook.errors import BadInput
from carebook.paths import models_dir
from tests.gguf_files import needs_real_model, rewrite_one_byte, write_gguf

CATALOGUE = models_dir() / "catalogue.toml"


@pytest.fixture
def registry_path(tmp_path) -> Path:
    """Where this test's models.json lives."""
    return tmp_path / "data" / "models.json"


@pytest.fixture
def registry(registry_path) -> ModelRegistry:
    """A registry over the real catalogue and models folder, with its own models.json."""
    return ModelRegistry(registry_path, CATALOGUE, models_dir())


@pytest.fixture
def empty_models_dir(tmp_path) -> Path:
    """A models folder where the catalogue's files have not been fetched."""
    folder = tmp_path / "no-models"
    folder.mkdir()
    return folder


def tiny(tmp_path: Path, filename: str = "tiny.gguf", **options) -> Path:
    """A small valid GGUF file in the test folder."""
    return write_gguf(tmp_path / filename, **options)




@needs_real_model
def test_the_default_model_is_listed_verified_and_active(registry):
    """The catalogue model is first; one hash makes it ready; it resolves as active."""
    first = registry.entries()[0]
    assert (first.id, first.origin, first.removable) == (registry.default_id, "catalogue",
                                                        False)
    assert first.info is not None and first.info.quantisation == "Q4_1"
    assert registry.status(first) == "unconfirmed"  # never hashed by this registry yet
    seen = []
    assert registry.verify(first, lambda done, total: seen.append((done, total))) == "ready"
    assert seen[-1] == (first.size, first.size)
    assert registry.status(first) == "ready"
    assert registry.active_id == first.id
    assert registry.resolve_active() == registry.get(first.id)


@needs_real_model
def test_resolve_active_verifies_an_unchecked_file_itself(registry):
    """A fresh registry hashes the active file before handing it out."""
    assert registry.resolve_active().id == default_model(CATALOGUE).id
    assert registry.status(registry.get(registry.default_id)) == "ready"


def test_adding_a_model_pins_its_hash_and_keeps_the_file_where_it_is(registry, registry_path,
                                                                    tmp_path):
    """id, name, absolute path, sha256, licence; listed again by a fresh registry."""
    path = tiny(tmp_path, name="Tiny Chat")
    progress = []
    entry = registry.add(path, lambda done, total: progress.append((done, total)))
    sha = sha256_of(path)
    assert (entry.id, entry.name, entry.path, entry.sha256) == (f"user-{sha[:12]}", "Tiny Chat",
                                                                path, sha)
    assert (entry.size, entry.licence, entry.origin) == (path.stat().st_size, "apache-2.0",
                                                         "user")
    assert progress[-1] == (entry.size, entry.size)
    assert entry.info is not None and entry.info.context_length == 256
    assert path.is_file() and list(tmp_path.glob("*.gguf")) == [path]  # not copied
    again = ModelRegistry(registry_path, CATALOGUE, models_dir())
    assert [e.id for e in again.entries()][-1] == entry.id
    assert again.status(again.get(entry.id)) == "ready"
    stored = json.loads(registry_path.read_text())
    assert stored["models"][0]["path"] == str(path)


def test_a_relative_path_is_stored_absolute(registry, tmp_path, monkeypatch):
    """The pinned path does not depend on the folder Carebook was started from."""
    tiny(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert registry.add(Path("tiny.gguf")).path == tmp_path / "tiny.gguf"


def test_duplicates_are_refused(registry, tmp_path):
    """The same contents under another name, or the same file twice."""
    first = registry.add(tiny(tmp_path, name="Tiny Chat"))
    copy = tmp_path / "copy.gguf"
    shutil.copyfile(first.path, copy)
    with pytest.raises(BadInput, match=r"copy\.gguf is already in your models as Tiny Chat"):
        registry.add(copy)
    with pytest.raises(BadInput, match="already in your models as Tiny Chat"):
        registry.add(first.path)
    assert len([e for e in registry.entries() if e.origin == "user"]) == 1


def test_a_bad_file_is_refused_and_nothing_is_written(registry, registry_path, tmp_path):
    """BadModelFile reaches the caller; models.json is not even created."""
    bad = tmp_path / "notes.gguf"
    bad.write_text("these are not model weights")
    with pytest.raises(BadModelFile, match=r"notes\.gguf is not a GGUF model file"):
        registry.add(bad)
    assert not registry_path.exists()
    assert all(e.origin == "catalogue" for e in registry.entries())


def test_a_changed_file_must_be_confirmed(registry, tmp_path):
    """Same size, new bytes: unconfirmed, then changed once hashed; refused until confirmed."""
    entry = registry.add(tiny(tmp_path))
    registry.set_active(entry.id)
    rewrite_one_byte(entry.path)
    assert registry.status(entry) == "unconfirmed"
    assert registry.verify(entry) == "changed"
    assert registry.status(entry) == "changed"  # remembered, no second hash needed
    with pytest.raises(BadInput, match=r"tiny\.gguf changed since you added it; confirm it "
                                       r"in Settings → Models"):
        registry.resolve_active()
    with pytest.raises(BadInput, match="changed since you added it"):
        registry.set_active(entry.id)
    confirmed = registry.confirm(entry.id)
    assert confirmed.sha256 == sha256_of(entry.path) != entry.sha256
    assert registry.status(confirmed) == "ready"
    assert registry.resolve_active().sha256 == confirmed.sha256


def test_a_resized_file_is_changed_without_hashing(registry, tmp_path):
    """A different size is a change on the quick check alone; resolve_active refuses it."""
    entry = registry.add(tiny(tmp_path))
    registry.set_active(entry.id)
    with entry.path.open("ab") as handle:
        handle.write(b"\0" * 32)
    assert registry.status(entry) == "changed"
    with pytest.raises(BadInput, match="changed since you added it"):
        registry.resolve_active()


def test_a_touched_but_unchanged_file_is_ready_after_hashing(registry, tmp_path):
    """A new mtime with the same bytes is no false alarm."""
    entry = registry.add(tiny(tmp_path))
    stat = entry.path.stat()
    os.utime(entry.path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    assert registry.status(entry) == "unconfirmed"
    assert registry.verify(entry) == "ready"


def test_confirming_a_file_that_became_unreadable_is_refused(registry, tmp_path):
    """Confirm checks the header again, so a file cut short stays refused."""
    entry = registry.add(tiny(tmp_path))
    data = entry.path.read_bytes()
    entry.path.write_bytes(data[: len(data) // 2])
    with pytest.raises(BadModelFile, match="is incomplete"):
        registry.confirm(entry.id)
    assert registry.get(entry.id).sha256 == entry.sha256


def test_remove_forgets_the_model_but_never_deletes_the_file(registry, tmp_path):
    """The active model removed: the default takes over. Catalogue models stay."""
    entry = registry.add(tiny(tmp_path))
    registry.set_active(entry.id)
    assert registry.active_id == entry.id
    registry.remove(entry.id)
    assert entry.path.is_file()
    assert registry.active_id == registry.default_id
    assert entry.id not in [e.id for e in registry.entries()]
    with pytest.raises(BadInput, match="comes with Carebook and cannot be removed"):
        registry.remove(registry.default_id)
    with pytest.raises(BadInput, match="no model"):
        registry.remove(entry.id)


def test_missing_files_are_explained(registry_path, empty_models_dir, tmp_path):
    """The default not fetched yet: `make run`. An added file deleted: it is gone."""
    registry = ModelRegistry(registry_path, CATALOGUE, empty_models_dir)
    default = registry.get(registry.default_id)
    assert registry.status(default) == "missing" and default.info is None
    with pytest.raises(BadInput, match="run `make run` to fetch it"):
        registry.resolve_active()
    entry = registry.add(tiny(tmp_path))
    registry.set_active(entry.id)
    entry.path.unlink()
    assert registry.status(entry) == "missing"
    with pytest.raises(BadInput, match=r"tiny\.gguf is gone"):
        registry.resolve_active()
    with pytest.raises(BadInput, match="is gone"):
        registry.set_active(entry.id)
    with pytest.raises(BadInput, match="no model"):
        registry.set_active("user-000000000000")


def test_a_catalogue_file_with_the_wrong_contents_is_changed(registry_path, tmp_path):
    """The right size but another hash than the catalogue pins; confirm cannot bless it."""
    folder = tmp_path / "models"
    model = write_gguf(folder.mkdir() or folder / "pretender.gguf")
    catalogue = tmp_path / "catalogue.toml"
    catalogue.write_text(
        'default = "pretender"\n[[model]]\nid = "pretender"\nname = "Pretender"\n'
        f'file = "pretender.gguf"\nsha256 = "{"0" * 64}"\nsize = {model.stat().st_size}\n'
        'licence = "MIT"\nsource = "a test"\n', encoding="utf-8")
    registry = ModelRegistry(registry_path, catalogue, folder)
    entry = registry.get("pretender")
    assert registry.verify(entry) == "changed"
    with pytest.raises(BadInput, match="not the one Carebook expects"):
        registry.resolve_active()
    with pytest.raises(BadInput, match="must match the catalogue"):
        registry.confirm("pretender")


@pytest.mark.parametrize("content", [
    b"{not json", b"\xff\xfe\x00garbage", b"[]", b'{"format": 1}',
    b'{"format": 1, "active": 5, "models": [], "checks": {}}',
    b'{"format": 1, "active": null, "models": [{"id": "user-1"}], "checks": {}}',
    b'{"format": 1, "active": null, "models": [], "checks": {"x": {"size": "big"}}}',
    b"[" * 100_000,
])
def test_a_damaged_models_file_is_set_aside(registry_path, tmp_path, content):
    """No crash: the catalogue models are listed, the damaged file is kept beside it."""
    registry_path.parent.mkdir(parents=True)
    registry_path.write_bytes(content)
    registry = ModelRegistry(registry_path, CATALOGUE, models_dir())
    assert [e.origin for e in registry.entries()] == ["catalogue"]
    assert registry.damaged_copy == registry_path.with_name("models.json.damaged")
    assert registry.damaged_copy.read_bytes() == content
    registry.add(tiny(tmp_path))
    assert len(json.loads(registry_path.read_text())["models"]) == 1


def test_a_file_changing_while_hashed_is_refused(tmp_path):
    """A copy still in progress is not pinned half-written."""
    path = tiny(tmp_path)

    def grow(_done: int, _total: int) -> None:
        with path.open("ab") as handle:
            handle.write(b"\0")

    with pytest.raises(BadInput, match="changed while Carebook was reading it"):
        hash_file(path, grow)
