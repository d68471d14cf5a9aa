"""Storage for the people whose records the vault holds."""

from __future__ import annotations

import sqlcipher3

from carebook.domain.record_types import RECORD_TYPES
from carebook.domain.records import Profile
from carebook.errors import BadInput
from carebook.vault.audit import AuditLog, utc_now
from carebook.vault.database import Database


class DuplicateProfile(BadInput):
    """Two people cannot share one name in the switcher."""

    code = "duplicate_profile"
    title = "Name already used"

    def __init__(self, name: str) -> None:
        super().__init__(f"There is already someone called “{name}”. Please choose another name.")


class ProfileNotFound(BadInput):
    """The profile was deleted or never existed."""

    code = "profile_not_found"

    def __init__(self, key: object) -> None:
        super().__init__(f"There is no person called {key} in this vault.")


class ProfileStore:
    """Add, rename, delete and list profiles."""

    _COLUMNS = "id, name, full_name, birth_date, sex, colour, blood_type, emergency_contacts"
    DETAIL_COLUMNS = ("full_name", "birth_date", "sex", "colour", "blood_type",
                      "emergency_contacts")

    def __init__(self, db: Database, audit: AuditLog) -> None:
        self._db = db
        self._audit = audit

    def add(self, profile: Profile) -> Profile:
        """Store a new person."""
        with self._db.transaction():
            self._refuse_taken_name(profile.name)
            try:
                cursor = self._db.execute(
                    "INSERT INTO profiles (name, full_name, birth_date, sex, colour, blood_type,"
                    " emergency_contacts, sort_order, created_at) VALUES (?, ?, ?, ?, ?, ?, ?,"
                    " (SELECT coalesce(max(sort_order), 0) + 1 FROM profiles), ?)",
                    (profile.name, profile.full_name, profile.birth_date, profile.sex,
                     profile.colour, profile.blood_type, profile.emergency_contacts,
                     utc_now()))
            except sqlcipher3.IntegrityError:
                raise DuplicateProfile(profile.name) from None
            self._audit.write("profile_added", f"Person added: {profile.name}",
                              profile_id=cursor.lastrowid)
        return self.get(cursor.lastrowid)

    def rename(self, profile_id: int, new_name: str) -> Profile:
        """Give a person a new display name."""
        old = self.get(profile_id)
        with self._db.transaction():
            self._refuse_taken_name(new_name, except_id=profile_id)
            try:
                self._db.execute("UPDATE profiles SET name = ? WHERE id = ?",
                                 (new_name, profile_id))
            except sqlcipher3.IntegrityError:
                raise DuplicateProfile(new_name) from None
            self._audit.write("profile_renamed", f"Person renamed: {old.name} → {new_name}",
                              profile_id=profile_id)
        return self.get(profile_id)

    def update_details(self, profile_id: int, details: dict[str, object]) -> Profile:
        """Save a person's details (the DETAIL_COLUMNS given); the name is changed by rename."""
        old = self.get(profile_id)
        changed = {name: value for name, value in details.items()
                   if name in self.DETAIL_COLUMNS and value != getattr(old, name)}
        if not changed:
            return old
        assignments = ", ".join(f"{name} = ?" for name in changed)
        values = ["" if value is None and name in ("full_name", "emergency_contacts")
                  else value for name, value in changed.items()]
        with self._db.transaction():
            self._db.execute(f"UPDATE profiles SET {assignments} WHERE id = ?",
                             (*values, profile_id))
            # Which fields changed, never their values: the log is for reading, not health data.
            self._audit.write("profile_edited", f"Details changed: {old.name}",
                              profile_id=profile_id, detail={"fields": sorted(changed)})
        return self.get(profile_id)

    def delete(self, profile_id: int) -> dict[str, int]:
        """Delete a person and every record of theirs; return how many of each went."""
        profile = self.get(profile_id)
        counts = self.record_counts(profile_id)
        with self._db.transaction():
            self._db.execute("DELETE FROM profiles WHERE id = ?", (profile_id,))
            self._audit.write("profile_deleted",
                              f"Person deleted: {profile.name} ({sum(counts.values())} records)",
                              profile_id=profile_id, detail=counts)
        return counts

    def _refuse_taken_name(self, name: str, except_id: int | None = None) -> None:
        # SQLite's NOCASE folds ASCII only; "Léa" and "LÉA" must clash too.
        wanted = name.casefold()
        for other_id, other_name in self._db.query("SELECT id, name FROM profiles"):
            if other_id != except_id and other_name.casefold() == wanted:
                raise DuplicateProfile(name)

    def record_counts(self, profile_id: int) -> dict[str, int]:
        """How many records of each type a person has (documents included)."""
        counts = {key: self._db.query_one(
            f"SELECT count(*) FROM {rtype.table} WHERE profile_id = ?", (profile_id,))[0]
            for key, rtype in RECORD_TYPES.items()}
        counts["document"] = self._db.query_one(
            "SELECT count(*) FROM documents WHERE profile_id = ?", (profile_id,))[0]
        return counts

    def get(self, profile_id: int) -> Profile:
        """One person by id."""
        row = self._db.query_one(f"SELECT {self._COLUMNS} FROM profiles WHERE id = ?",
                                 (profile_id,))
        if row is None:
            raise ProfileNotFound(profile_id)
        return _to_profile(row)

    def find(self, name: str) -> Profile:
        """One person by name (case-insensitive)."""
        row = self._db.query_one(f"SELECT {self._COLUMNS} FROM profiles WHERE name = ?",
                                 (name,))
        if row is None:
            raise ProfileNotFound(f"“{name}”")
        return _to_profile(row)

    def list(self) -> list[Profile]:
        """Everyone, in the order they were added."""
        rows = self._db.query(f"SELECT {self._COLUMNS} FROM profiles ORDER BY sort_order, id")
        return [_to_profile(row) for row in rows]


def _to_profile(row: tuple) -> Profile:
    return Profile(id=row[0], name=row[1], full_name=row[2], birth_date=row[3], sex=row[4],
                   colour=row[5], blood_type=row[6], emergency_contacts=row[7] or "")
