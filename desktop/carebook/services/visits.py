"""Visits: what is coming and what happened, with the questions and follow-up tasks of each.

A visit is "upcoming" while it is planned for today or later; once it is marked done (or
cancelled), or a planned one lies before today, it is listed with the past ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from carebook.domain.records import Record
from carebook.errors import BadInput
from carebook.services.questions import next_sort_order
from carebook.services.records import add_record
from carebook.vault.vault import Vault

VISIT, QUESTION, FOLLOW_UP = "visit", "question", "follow_up"
LINKED = (QUESTION, FOLLOW_UP, "note")  # record types that can point at a visit


@dataclass
class VisitDetail:
    """One visit with what belongs to it."""

    visit: Record
    questions: list[Record] = field(default_factory=list)  # in the person's order
    follow_ups: list[Record] = field(default_factory=list)  # open first, soonest due first
    previous: Record | None = None  # the last visit that took place before this one

    @property
    def asked(self) -> list[Record]:
        """Questions marked asked at this visit."""
        return [q for q in self.questions if q.values.get("status") == "asked"]

    @property
    def open_questions(self) -> list[Record]:
        """Questions still to ask."""
        return [q for q in self.questions if q.values.get("status") != "asked"]


@dataclass
class VisitLists:
    """A person's visits split for the visit screen."""

    upcoming: list[Record]  # soonest first
    past: list[Record]  # most recent first


def is_upcoming(visit: Record, today: date) -> bool:
    """Planned for today or later. A visit this morning is still today's; a planned one from
    yesterday, never marked done, is listed with the past ones."""
    return (visit.values.get("status") == "planned"
            and (visit.values.get("starts_at") or "")[:10] >= today.isoformat())


def visit_lists(vault: Vault, profile_id: int, today: date | None = None) -> VisitLists:
    """A person's upcoming and past visits."""
    today = today or date.today()
    visits = vault.records.list(VISIT, profile_id)
    upcoming = sorted((v for v in visits if is_upcoming(v, today)),
                      key=lambda v: v.values["starts_at"])
    past = sorted((v for v in visits if not is_upcoming(v, today)),
                  key=lambda v: v.values["starts_at"], reverse=True)
    return VisitLists(upcoming, past)


def next_visit(vault: Vault, profile_id: int, today: date | None = None) -> Record | None:
    """The soonest upcoming visit, if any: the one the Overview, Visits, the pack and
    `carebook prep` all mean by "the next visit"."""
    upcoming = visit_lists(vault, profile_id, today).upcoming
    return upcoming[0] if upcoming else None


def previous_visit(vault: Vault, profile_id: int, before: str) -> Record | None:
    """The last visit that took place (not cancelled) before the moment `before`."""
    taken = [v for v in vault.records.list(VISIT, profile_id)
             if v.values.get("status") == "done" and v.values["starts_at"] < before]
    return max(taken, key=lambda v: v.values["starts_at"], default=None)


def visit_detail(vault: Vault, profile_id: int, visit_id: int) -> VisitDetail:
    """One visit of this person, with its questions, follow-up tasks and the visit before."""
    visit = vault.records.get(VISIT, visit_id)
    if visit.profile_id != profile_id:
        raise BadInput("That visit belongs to someone else.")
    questions = [q for q in vault.records.list(QUESTION, profile_id)
                 if q.values.get("visit_id") == visit_id]
    tasks = [t for t in vault.records.list(FOLLOW_UP, profile_id)
             if t.values.get("visit_id") == visit_id]
    return VisitDetail(visit, questions, tasks,
                       previous_visit(vault, profile_id, visit.values["starts_at"]))


def add_question(vault: Vault, profile_id: int, visit_id: int, text: str) -> Record:
    """A question typed for this visit, added at the end of the person's list."""
    return add_record(vault, QUESTION, profile_id, {
        "text": text, "visit_id": visit_id, "status": "open",
        "sort_order": next_sort_order(vault, profile_id)})


def add_follow_up(vault: Vault, profile_id: int, raw: dict[str, Any]) -> Record:
    """A follow-up task (text, due date, and the visit it came from); validated."""
    return add_record(vault, FOLLOW_UP, profile_id, raw)


def set_follow_up_done(vault: Vault, task: Record, done: bool,
                       today: date | None = None) -> Record:
    """Tick a task off (today) or open it again."""
    done_on = (today or date.today()).isoformat() if done else None
    return vault.records.update(task.with_values(done_on=done_on))


def open_follow_ups(vault: Vault, profile_id: int) -> list[Record]:
    """Tasks not yet done: dated ones soonest (or most overdue) first, undated last (the
    follow-up record type's own order, which the store applies)."""
    return [t for t in vault.records.list(FOLLOW_UP, profile_id) if not t.values.get("done_on")]


def is_overdue(task: Record, today: date) -> bool:
    """An open task whose due date has passed."""
    due = task.values.get("due_date")
    return not task.values.get("done_on") and due is not None and due < today.isoformat()


def delete_visit(vault: Vault, visit: Record) -> tuple[Record, list[Record]]:
    """Delete a visit; return it and the records that pointed at it.

    The database unlinks those (ON DELETE SET NULL), so an undo needs them to link again.
    """
    with vault.db.transaction():
        linked = [record for kind in LINKED
                  for record in vault.records.list(kind, visit.profile_id)
                  if record.values.get("visit_id") == visit.id]
        return vault.records.delete(VISIT, visit.id), linked


def restore_visit(vault: Vault, visit: Record, linked: list[Record]) -> Record:
    """Put a deleted visit back and link its questions, tasks and notes to it again."""
    with vault.db.transaction():
        restored = vault.records.restore(visit)
        for record in linked:
            vault.records.update(record)
        return restored
