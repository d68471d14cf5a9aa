"""Storage for every record type, driven by the record type's field list."""

from __future__ import annotations

from collections.abc import Iterable

from carebook.domain.record_types import RecordType, record_type
from carebook.domain.records import Provenance, Record, TrendPoint
from carebook.errors import BadInput
from carebook.vault.audit import AuditLog, utc_now
from carebook.vault.database import Database

PROVENANCE_COLUMNS = ("source_kind", "document_id", "page", "confirmed")
STAMP_COLUMNS = ("created_at", "updated_at")


class RecordNotFound(BadInput):
    """The record was deleted or never existed."""

    code = "record_not_found"

    def __init__(self, rtype: RecordType, record_id: int) -> None:
        super().__init__(f"That {rtype.label.lower()} no longer exists (it may have been deleted).")


class RecordStore:
    """Add, change, delete, restore and list records of any type; each change is audited."""

    def __init__(self, db: Database, audit: AuditLog) -> None:
        self._db = db
        self._audit = audit

    def add(self, record: Record, *, audit_action: str = "record_added") -> Record:
        """Insert a record (keeping its id when it has one, as undo does); return it stored."""
        rtype = record.rtype
        now = utc_now()
        columns = ["profile_id", *rtype.field_names, *PROVENANCE_COLUMNS, *STAMP_COLUMNS]
        values = [record.profile_id, *_field_values(rtype, record), *_provenance(record),
                  record.created_at or now, now]
        if record.id is not None:
            columns.insert(0, "id")
            values.insert(0, record.id)
        with self._db.transaction():
            cursor = self._db.execute(
                f"INSERT INTO {rtype.table} ({', '.join(columns)})"
                f" VALUES ({', '.join('?' * len(columns))})", values)
            stored = self.get(rtype.key, cursor.lastrowid)
            self._audit.write(audit_action, f"{rtype.label}: {stored.title()}",
                              record_type=rtype.key, record_id=stored.id,
                              profile_id=stored.profile_id)
        return stored

    def add_many(self, records: Iterable[Record], summary: str,
                 profile_id: int | None = None, *, audit_action: str = "records_added",
                 detail: dict | None = None) -> int:
        """Insert many records in one transaction with one audit entry (about `profile_id`,
        when they all concern one person); return the count."""
        count = 0
        now = utc_now()
        by_type: dict[str, list[list]] = {}
        for record in records:
            row = [record.profile_id, *_field_values(record.rtype, record), *_provenance(record),
                   record.created_at or now, now]
            by_type.setdefault(record.type_key, []).append(row)
            count += 1
        with self._db.transaction():
            for key, rows in by_type.items():
                rtype = record_type(key)
                columns = ["profile_id", *rtype.field_names, *PROVENANCE_COLUMNS, *STAMP_COLUMNS]
                self._db.executemany(
                    f"INSERT INTO {rtype.table} ({', '.join(columns)})"
                    f" VALUES ({', '.join('?' * len(columns))})", rows)
            self._audit.write(audit_action, summary, profile_id=profile_id,
                              detail={"count": count, **(detail or {})})
        return count

    def update(self, record: Record) -> Record:
        """Save a changed record."""
        rtype = record.rtype
        assignments = ", ".join(f"{name} = ?" for name in (*rtype.field_names, "updated_at"))
        with self._db.transaction():
            cursor = self._db.execute(
                f"UPDATE {rtype.table} SET {assignments} WHERE id = ?",
                [*_field_values(rtype, record), utc_now(), record.id])
            if cursor.rowcount == 0:
                raise RecordNotFound(rtype, record.id)
            stored = self.get(rtype.key, record.id)
            self._audit.write("record_changed", f"{rtype.label}: {stored.title()}",
                              record_type=rtype.key, record_id=stored.id,
                              profile_id=stored.profile_id)
        return stored

    def delete(self, type_key: str, record_id: int) -> Record:
        """Delete a record and return what it was, so it can be restored."""
        rtype = record_type(type_key)
        with self._db.transaction():
            gone = self.get(type_key, record_id)
            self._db.execute(f"DELETE FROM {rtype.table} WHERE id = ?", (record_id,))
            self._audit.write("record_deleted", f"{rtype.label}: {gone.title()}",
                              record_type=type_key, record_id=record_id,
                              profile_id=gone.profile_id)
        return gone

    def restore(self, record: Record) -> Record:
        """Put a deleted record back with its original id (undo of a deletion)."""
        return self.add(record, audit_action="record_restored")

    def get(self, type_key: str, record_id: int) -> Record:
        """One record by id, or RecordNotFound."""
        rtype = record_type(type_key)
        row = self._db.query_one(f"SELECT {_select_list(rtype)} FROM {rtype.table} WHERE id = ?",
                                 (record_id,))
        if row is None:
            raise RecordNotFound(rtype, record_id)
        return _to_record(rtype, row)

    def list(self, type_key: str, profile_id: int) -> list[Record]:
        """All records of one type for one person, in the type's natural order."""
        rtype = record_type(type_key)
        rows = self._db.query(
            f"SELECT {_select_list(rtype)} FROM {rtype.table} WHERE profile_id = ?"
            f" ORDER BY {rtype.order_by}", (profile_id,))
        return [_to_record(rtype, row) for row in rows]

    def count(self, type_key: str, profile_id: int | None = None) -> int:
        """How many records of a type (for one person, or in the whole vault)."""
        rtype = record_type(type_key)
        if profile_id is None:
            return self._db.query_one(f"SELECT count(*) FROM {rtype.table}")[0]
        return self._db.query_one(
            f"SELECT count(*) FROM {rtype.table} WHERE profile_id = ?", (profile_id,))[0]

    def lab_trend(self, profile_id: int, analyte: str) -> list[TrendPoint]:
        """One analyte's results for one person, oldest first, read from the covering index."""
        rows = self._db.query(
            "SELECT id, collected_at, value, value_text, unit, ref_low, ref_high, flag"
            " FROM lab_results WHERE profile_id = ? AND analyte = ? ORDER BY collected_at",
            (profile_id, analyte))
        return [TrendPoint(*row) for row in rows]

    def lab_history(self, profile_id: int, analyte: str) -> list[Record]:
        """Every result of one analyte for one person as full records, oldest first."""
        rtype = record_type("lab_result")
        rows = self._db.query(
            f"SELECT {_select_list(rtype)} FROM lab_results"
            " WHERE profile_id = ? AND analyte = ? ORDER BY collected_at", (profile_id, analyte))
        return [_to_record(rtype, row) for row in rows]


def _field_values(rtype: RecordType, record: Record) -> list:
    return [record.values.get(name) for name in rtype.field_names]


def _provenance(record: Record) -> list:
    origin = record.provenance
    return [origin.source_kind, origin.document_id, origin.page, int(origin.confirmed)]


def _select_list(rtype: RecordType) -> str:
    return ", ".join(("id", "profile_id", *rtype.field_names, *PROVENANCE_COLUMNS,
                      *STAMP_COLUMNS))


def _to_record(rtype: RecordType, row: tuple) -> Record:
    names = rtype.field_names
    fields_end = 2 + len(names)
    source_kind, document_id, page, confirmed = row[fields_end:fields_end + 4]
    return Record(
        type_key=rtype.key,
        id=row[0],
        profile_id=row[1],
        values=dict(zip(names, row[2:fields_end], strict=True)),
        provenance=Provenance(source_kind, document_id, page, bool(confirmed)),
        created_at=row[fields_end + 4],
        updated_at=row[fields_end + 5],
    )
