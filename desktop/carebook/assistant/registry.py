"""The models Carebook can use: the catalogue's, plus GGUF files the person added.

models.json (in the data folder; file paths, hashes and names, never health data) pins each
added file's sha256. A quick check (size, mtime, inode) says whether a file may have changed
since it was last hashed; `verify` hashes it to be sure. A file whose contents changed must be
confirmed again before it is used. Hashing a multi-GB file is slow: callers run `add`,
`verify`, `confirm` and `resolve_active` off the UI thread.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from carebook.assistant.catalogue import CatalogueModel, load_catalogue
from carebook.assistant.gguf import BadModelFile, GgufInfo, read_gguf_info
from carebook.atomic import write_atomically
from carebook.errors import BadInput
from carebook.paths import data_dir
from carebook.paths import models_dir as default_models_dir

Status = Literal["ready", "missing", "changed", "unconfirmed"]
Progress = Callable[[int, int], None]
FORMAT = 1
HASH_CHUNK = 4 << 20
SETTINGS_PLACE = "Settings → Models"


@dataclass(frozen=True)
class ModelEntry:
    """One usable model: where its file is and the sha256 it must have."""

    id: str
    name: str
    path: Path
    sha256: str
    size: int
    licence: str
    origin: Literal["catalogue", "user"]
    source: str = ""
    added_at: str = ""
    info: GgufInfo | None = None

    @property
    def removable(self) -> bool:
        """Only models the person added can be removed (their file is never deleted)."""
        return self.origin == "user"


@dataclass(frozen=True)
class _Stamp:
    """What the file looked like when it was last hashed, and the hash then."""

    size: int
    mtime_ns: int
    ino: int
    sha256: str

    def matches(self, stat: os.stat_result) -> bool:
        return (self.size, self.mtime_ns, self.ino) == (stat.st_size, stat.st_mtime_ns,
                                                        stat.st_ino)


def hash_file(path: Path, progress: Progress | None = None) -> tuple[str, os.stat_result]:
    """sha256 of a file in chunks, and its stat; refuses a file that changes while read."""
    before = path.stat()
    digest, done = hashlib.sha256(), 0
    buffer = bytearray(HASH_CHUNK)
    view = memoryview(buffer)
    with path.open("rb", buffering=0) as handle:
        # Read only the size seen at the start: a file still being written cannot keep this
        # loop going; the stat comparison below refuses it instead.
        while done < before.st_size:
            count = handle.readinto(view[:min(HASH_CHUNK, before.st_size - done)])
            if not count:
                break
            digest.update(view[:count])  # hashlib drops the GIL here: the UI stays live
            done += count
            if progress is not None:
                progress(done, before.st_size)
    after = path.stat()
    if done != before.st_size or (after.st_size, after.st_mtime_ns) != (before.st_size,
                                                                        before.st_mtime_ns):
        raise BadInput(f"{path.name} changed while Carebook was reading it; try again "
                       "when it has finished copying.")
    return digest.hexdigest(), after


class ModelRegistry:
    """Catalogue models and added models, the active choice, and their file checks."""

    def __init__(self, path: Path | None = None, catalogue_path: Path | None = None,
                 models_dir: Path | None = None) -> None:
        self.path = path or data_dir() / "models.json"
        self.models_dir = models_dir or default_models_dir()
        self.default_id, self._catalogue = load_catalogue(catalogue_path)
        self.damaged_copy: Path | None = None  # set when a damaged models.json was set aside
        self._lock = threading.RLock()
        self._info_cache: dict[tuple, GgufInfo | None] = {}
        self._state = self._load()

    # --- reading --------------------------------------------------------------------------

    def entries(self) -> list[ModelEntry]:
        """Catalogue models first, then the ones the person added, in the order added."""
        return [_with_info(entry, self.info(entry)) for entry in self._listed()]

    def get(self, model_id: str) -> ModelEntry:
        """The entry with this id; BadInput if there is none."""
        for entry in self._listed():
            if entry.id == model_id:
                return _with_info(entry, self.info(entry))
        raise BadInput(f"There is no model {model_id!r} in your models.")

    @property
    def active_id(self) -> str:
        """The chosen model's id; the catalogue default unless another was chosen."""
        with self._lock:
            chosen = self._state["active"]
            known = {m.id for m in self._catalogue} | {r["id"] for r in self._state["models"]}
            return chosen if chosen in known else self.default_id

    def status(self, entry: ModelEntry) -> Status:
        """Quick check without hashing: ready, missing, changed, or unconfirmed (hash needed)."""
        try:
            stat = entry.path.stat()
        except OSError:
            return "missing"
        if not entry.path.is_file():
            return "missing"
        if stat.st_size != entry.size:
            return "changed"
        with self._lock:
            stamp = self._stamp(entry.id)
        if stamp is None or not stamp.matches(stat):
            return "unconfirmed"
        return "ready" if stamp.sha256 == entry.sha256 else "changed"

    def info(self, entry: ModelEntry) -> GgufInfo | None:
        """The file's GGUF header (cached per file version); None if missing or unreadable."""
        try:
            stat = entry.path.stat()
        except OSError:
            return None
        key = (str(entry.path), stat.st_size, stat.st_mtime_ns, stat.st_ino)
        with self._lock:
            if key in self._info_cache:
                return self._info_cache[key]
        try:
            info: GgufInfo | None = read_gguf_info(entry.path)
        except BadModelFile:
            info = None
        with self._lock:
            self._info_cache[key] = info
        return info

    # --- checking -------------------------------------------------------------------------

    def verify(self, entry: ModelEntry, progress: Progress | None = None) -> Status:
        """Hash the file (slow for big models), remember the result, and return the status."""
        if not entry.path.is_file():
            return "missing"
        sha256, stat = hash_file(entry.path, progress)
        with self._lock:
            self._state["checks"][entry.id] = _stamp_record(stat, sha256)
            self._save()
        return self.status(entry)

    def resolve_active(self, progress: Progress | None = None) -> ModelEntry:
        """The active model if its file is present and unchanged; else BadInput saying why."""
        entry = self.get(self.active_id)
        status = self.status(entry)
        if status == "unconfirmed":
            status = self.verify(entry, progress)
        if status != "ready":
            raise BadInput(self.explain_status(entry, status))
        return entry

    # --- changing -------------------------------------------------------------------------

    def add(self, path: Path, progress: Progress | None = None) -> ModelEntry:
        """Check a GGUF file, pin its sha256 and list it; the file stays where it is."""
        path = Path(path).expanduser().absolute()
        info = read_gguf_info(path)
        self._refuse_listed_path(path)
        sha256, stat = hash_file(path, progress)
        with self._lock:
            for entry in self._listed():
                if entry.sha256 == sha256:
                    raise BadInput(f"{path.name} is already in your models as {entry.name}.")
            record = {"id": f"user-{sha256[:12]}", "name": info.name, "path": str(path),
                      "sha256": sha256, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns,
                      "licence": info.licence, "added_at": _now()}
            self._state["models"].append(record)
            self._state["checks"][record["id"]] = _stamp_record(stat, sha256)
            self._save()
            entry = self._user_entry(record)
        return _with_info(entry, info)

    def confirm(self, model_id: str, progress: Progress | None = None) -> ModelEntry:
        """Accept an added file's new contents: check its header again and re-pin its hash."""
        entry = self.get(model_id)
        if not entry.removable:
            raise BadInput(f"{entry.name} comes with Carebook, so its file must match the "
                           "catalogue; run `make run` to fetch it again.")
        if not entry.path.is_file():
            raise BadInput(self.explain_status(entry, "missing"))
        info = read_gguf_info(entry.path)
        sha256, stat = hash_file(entry.path, progress)
        with self._lock:
            record = self._record(model_id)
            record.update(name=info.name, sha256=sha256, size=stat.st_size,
                          mtime_ns=stat.st_mtime_ns, licence=info.licence)
            self._state["checks"][model_id] = _stamp_record(stat, sha256)
            self._save()
            entry = self._user_entry(record)
        return _with_info(entry, info)

    def set_active(self, model_id: str) -> None:
        """Choose the model explanations use; refused while its file is missing or changed."""
        entry = self.get(model_id)
        status = self.status(entry)
        if status in ("missing", "changed"):
            raise BadInput(self.explain_status(entry, status))
        with self._lock:
            self._state["active"] = None if model_id == self.default_id else model_id
            self._save()

    def remove(self, model_id: str) -> None:
        """Forget an added model (its file is left alone); the default takes over if active."""
        entry = self.get(model_id)
        if not entry.removable:
            raise BadInput(f"{entry.name} comes with Carebook and cannot be removed.")
        with self._lock:
            self._state["models"] = [r for r in self._state["models"] if r["id"] != model_id]
            self._state["checks"].pop(model_id, None)
            if self._state["active"] == model_id:
                self._state["active"] = None
            self._save()

    # --- internals ------------------------------------------------------------------------

    def _listed(self) -> list[ModelEntry]:
        """Every entry without its header info (no file reads, so safe under the lock)."""
        with self._lock:
            return ([self._catalogue_entry(m) for m in self._catalogue]
                    + [self._user_entry(record) for record in self._state["models"]])

    def _catalogue_entry(self, model: CatalogueModel) -> ModelEntry:
        return ModelEntry(id=model.id, name=model.name, path=model.path(self.models_dir),
                          sha256=model.sha256, size=model.size, licence=model.licence,
                          origin="catalogue", source=model.source)

    def _user_entry(self, record: dict[str, Any]) -> ModelEntry:
        return ModelEntry(id=record["id"], name=record["name"], path=Path(record["path"]),
                          sha256=record["sha256"], size=record["size"],
                          licence=record["licence"], origin="user",
                          source=f"Added by you on {record['added_at'][:10]}",
                          added_at=record["added_at"])

    def _record(self, model_id: str) -> dict[str, Any]:
        for record in self._state["models"]:
            if record["id"] == model_id:
                return record
        raise BadInput(f"There is no model {model_id!r} in your models.")

    def _stamp(self, model_id: str) -> _Stamp | None:
        raw = self._state["checks"].get(model_id)
        return _Stamp(**raw) if raw else None

    def _refuse_listed_path(self, path: Path) -> None:
        for entry in self._listed():
            if entry.path == path:
                hint = "; it changed since, so confirm it there" if self.status(
                    entry) in ("changed", "unconfirmed") else ""
                raise BadInput(f"{path.name} is already in your models as {entry.name}{hint}.")

    def explain_status(self, entry: ModelEntry, status: Status) -> str:
        """Why an entry cannot be used now, in plain words ("" when it can)."""
        if status in ("ready", "unconfirmed"):
            return ""
        file = entry.path.name
        if status == "missing" and entry.id == self.default_id:
            return f"The model file {file} is missing; run `make run` to fetch it."
        if status == "missing" and not entry.removable:
            return (f"The model file {file} is not in {entry.path.parent}; put it there or "
                    f"choose another model in {SETTINGS_PLACE}.")
        if status == "missing":
            return (f"The file {entry.path} is gone; put it back, or choose another model in "
                    f"{SETTINGS_PLACE}.")
        if not entry.removable:
            return (f"The model file {file} is not the one Carebook expects (its contents "
                    "differ); run `make run` to fetch it again.")
        return (f"The model file {file} changed since you added it; confirm it in "
                f"{SETTINGS_PLACE}.")

    def _load(self) -> dict[str, Any]:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return _empty_state()
        try:
            return _validated(json.loads(raw))
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
            # Keep the damaged file for a person to look at; start afresh with the catalogue.
            self.damaged_copy = self.path.with_name(self.path.name + ".damaged")
            shutil.copyfile(self.path, self.damaged_copy)
            return _empty_state()

    def _save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = json.dumps(self._state, indent=2, sort_keys=True).encode("utf-8")
        write_atomically(self.path, data)


def _with_info(entry: ModelEntry, info: GgufInfo | None) -> ModelEntry:
    return replace(entry, info=info)


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _stamp_record(stat: os.stat_result, sha256: str) -> dict[str, Any]:
    return {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "ino": stat.st_ino,
            "sha256": sha256}


def _empty_state() -> dict[str, Any]:
    return {"format": FORMAT, "active": None, "models": [], "checks": {}}


_MODEL_FIELDS = {"id": str, "name": str, "path": str, "sha256": str, "size": int,
                 "mtime_ns": int, "licence": str, "added_at": str}
_STAMP_FIELDS = {"size": int, "mtime_ns": int, "ino": int, "sha256": str}


def _validated(data: Any) -> dict[str, Any]:
    """The state read from models.json, or ValueError/TypeError if it is not well formed."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError("not a models list")
    if data["active"] is not None and not isinstance(data["active"], str):
        raise TypeError("active")
    ids = set()
    for record in data["models"]:
        _check_fields(record, _MODEL_FIELDS)
        if not record["id"].startswith("user-") or record["id"] in ids:
            raise ValueError("model id")
        ids.add(record["id"])
    if not isinstance(data["checks"], dict):
        raise TypeError("checks")
    for stamp in data["checks"].values():
        _check_fields(stamp, _STAMP_FIELDS)
    return {"format": FORMAT, "active": data["active"], "models": list(data["models"]),
            "checks": dict(data["checks"])}


def _check_fields(record: Any, fields: dict[str, type]) -> None:
    if not isinstance(record, dict) or set(record) != set(fields):
        raise ValueError("fields")
    for name, kind in fields.items():
        if not isinstance(record[name], kind) or isinstance(record[name], bool):
            raise TypeError(name)
