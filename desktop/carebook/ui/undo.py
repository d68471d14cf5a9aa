"""Undoable record changes: add, edit and delete go through QUndoStack (Ctrl+Z / Ctrl+Shift+Z).

Each command calls a service through the task runner. If a service fails, the runner shows
the message and the command marks itself obsolete, so the stack never holds a change that
did not happen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand

from carebook.domain.records import Record
from carebook.services import records as record_service
from carebook.services.visits import set_follow_up_done
from carebook.ui.workspace_state import WorkspaceState


class _RecordCommand(QUndoCommand):
    def __init__(self, state: WorkspaceState, text: str, type_key: str) -> None:
        super().__init__(text)
        self.state = state
        self.type_key = type_key

    def _call(self, fn: Callable[..., Any], *args: Any) -> Any:
        result = self.state.runner.task(fn, self.state.vault, *args).run_now()
        if result is None:
            self.setObsolete(True)
        self.state.records_changed(self.type_key)
        return result


class AddRecordCommand(_RecordCommand):
    """Add a validated record; undo deletes it, redo puts the same record back."""

    def __init__(self, state: WorkspaceState, record: Record) -> None:
        super().__init__(state, f"Add {record.rtype.label.lower()} “{record.title()}”",
                         record.type_key)
        self.record = record

    def redo(self) -> None:
        stored = self._call(record_service.restore_record if self.record.id else
                            record_service.store_record, self.record)
        if stored is not None:
            self.record = stored
            self.state.sig_status.emit(f"Added {stored.rtype.label.lower()} “{stored.title()}”.")

    def undo(self) -> None:
        self._call(record_service.delete_record, self.record)


class EditRecordCommand(_RecordCommand):
    """Replace a record's values; undo writes the old values back."""

    def __init__(self, state: WorkspaceState, before: Record, after: Record) -> None:
        super().__init__(state, f"Edit {before.rtype.label.lower()} “{before.title()}”",
                         before.type_key)
        self.before, self.after = before, after

    def redo(self) -> None:
        if self._call(record_service.save_record, self.after) is not None:
            self.state.sig_status.emit(f"Saved “{self.after.title()}”.")

    def undo(self) -> None:
        self._call(record_service.save_record, self.before)


class DeleteRecordCommand(_RecordCommand):
    """Delete a record; undo restores it with the same id."""

    def __init__(self, state: WorkspaceState, record: Record) -> None:
        super().__init__(state, f"Delete {record.rtype.label.lower()} “{record.title()}”",
                         record.type_key)
        self.record = record

    def redo(self) -> None:
        if self._call(record_service.delete_record, self.record) is not None:
            self.state.sig_status.emit(
                f"Deleted “{self.record.title()}”. Press Ctrl+Z to undo.")

    def undo(self) -> None:
        if self._call(record_service.restore_record, self.record) is not None:
            self.state.sig_status.emit(f"Restored “{self.record.title()}”.")


class CallCommand(QUndoCommand):
    """An undoable pair of service calls; obsolete (never stacked) when the first one fails."""

    def __init__(self, state: WorkspaceState, text: str, kind: str, do: Callable[[], Any],
                 undo: Callable[[], Any], done: str = "") -> None:
        super().__init__(text)
        self.state, self.kind, self._do, self._undo, self._done = state, kind, do, undo, done

    def _call(self, fn: Callable[[], Any]) -> Any:
        result = self.state.runner.task(fn).run_now()
        if result is None:
            self.setObsolete(True)
        self.state.records_changed(self.kind)
        return result

    def redo(self) -> None:
        if self._call(self._do) is not None and self._done:
            self.state.sig_status.emit(self._done)

    def undo(self) -> None:
        self._call(self._undo)


class CreateCommand(CallCommand):
    """Store a new record through a service; undo deletes it, redo puts the same one back."""

    def __init__(self, state: WorkspaceState, text: str, kind: str, create: Callable[[], Record],
                 done: str = "") -> None:
        self.stored: Record | None = None

        def do() -> Record | None:
            if self.stored is not None:
                return record_service.restore_record(state.vault, self.stored)
            self.stored = create()
            return self.stored

        super().__init__(state, text, kind, do,
                         lambda: record_service.delete_record(state.vault, self.stored), done)


def follow_up_done_command(state: WorkspaceState, task: Record, done: bool) -> CallCommand:
    """Tick a follow-up task done today (or open it again); undo puts it back as it was.

    The Overview and the Visits screen tick tasks off through this one command.
    """
    vault = state.vault
    return CallCommand(
        state, f"Mark task “{task.title()}” {'done' if done else 'open'}", "follow_up",
        lambda: set_follow_up_done(vault, task, done),
        lambda: record_service.save_record(vault, task),
        f"“{task.title()}” {'done' if done else 'open again'}. Press Ctrl+Z to undo.")
