"""The one task runner: quick work inline, slow work on a worker thread, results back on
the UI thread — and only if the widget that asked still exists.

    runner.task(unlock_vault, folder, passphrase).busy("Unlocking…") \
          .success(self._unlocked).failure(self._show_error).bound_to(self).run_in_background()
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from carebook.diagnostics import log_unexpected
from carebook.errors import CarebookError
from carebook.ui.interaction import Interaction


class Task:
    """One piece of work and what to do with its outcome."""

    def __init__(self, runner: TaskRunner, fn: Callable[..., Any], args: tuple, kwargs: dict):
        self._runner = runner
        self.fn, self.args, self.kwargs = fn, args, kwargs
        self.on_success: Callable[[Any], None] | None = None
        self.on_failure: Callable[[BaseException], None] | None = None
        self.owner: QObject | None = None
        self.message = ""
        self.generation = runner.generation
        self.lane = "database"
        self.on_progress: Callable[[Any], None] | None = None

    def success(self, callback: Callable[[Any], None]) -> Task:
        """Call `callback(result)` on the UI thread when the work succeeds."""
        self.on_success = callback
        return self

    def failure(self, callback: Callable[[BaseException], None]) -> Task:
        """Call `callback(error)` instead of the default error message."""
        self.on_failure = callback
        return self

    def bound_to(self, owner: QObject) -> Task:
        """Drop the outcome silently if `owner` has been deleted meanwhile."""
        self.owner = owner
        return self

    def busy(self, message: str) -> Task:
        """Show `message` with a progress indicator while the work runs."""
        self.message = message
        return self

    def progress(self, callback: Callable[[Any], None]) -> Task:
        """Give the work a `report` keyword: each report(item) reaches `callback` on the UI
        thread, in order (used to stream a model's answer)."""
        self.on_progress = callback
        return self

    def off_database(self) -> Task:
        """Run in the second lane, for long work that never touches the vault (generation),
        so database work does not wait behind it."""
        self.lane = "model"
        return self

    def run_in_background(self) -> None:
        """Run on a worker thread."""
        self._runner._start(self)

    def run_now(self) -> Any:
        """Run inline (quick work); the outcome goes to the same callbacks. Returns the result."""
        try:
            result = self.fn(*self.args, **self.kwargs)
        except Exception as error:
            self._runner._deliver(self, False, error)
            return None
        self._runner._deliver(self, True, result)
        return result


class _Job(QRunnable):
    def __init__(self, relay: _Relay, key: int, task: Task) -> None:
        super().__init__()
        self._relay, self._key, self._task = relay, key, task

    def run(self) -> None:
        task = self._task
        kwargs = dict(task.kwargs)
        if task.on_progress is not None:
            kwargs["report"] = lambda item: self._relay.sig_progress.emit(self._key, item)
        try:
            result = task.fn(*task.args, **kwargs)
        except BaseException as error:
            self._relay.sig_finished.emit(self._key, False, error)
            return
        self._relay.sig_finished.emit(self._key, True, result)


class _Relay(QObject):
    sig_finished = Signal(int, bool, object)
    """Emitted on the worker thread; delivered queued on the UI thread."""
    sig_progress = Signal(int, object)
    """A task's report(item), emitted on the worker thread; delivered queued, in order."""


class TaskRunner(QObject):
    """Runs services for widgets and reports failures in plain words."""

    sig_busy_changed = Signal(bool, str)
    """True with a message while background work runs; False when all of it is done."""

    def __init__(self, interaction: Interaction, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.interaction = interaction
        self.generation = 0
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # one background job at a time: one database owner
        self._model_pool = QThreadPool(self)
        self._model_pool.setMaxThreadCount(1)  # one generation at a time; never the database
        self._relay = _Relay(self)
        self._relay.sig_finished.connect(self._finished)
        self._relay.sig_progress.connect(self._progressed)
        self._running: dict[int, Task] = {}
        self._keys = itertools.count(1)

    def task(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Task:
        """Describe work to run; call .run_in_background() or .run_now() on the result."""
        return Task(self, fn, args, kwargs)

    @property
    def busy(self) -> bool:
        """True while background work runs."""
        return bool(self._running)

    def forget_pending(self) -> None:
        """Drop the outcomes of work started before now (used when the vault locks). Model
        work still queued then runs, finds its session closed, and ends without starting."""
        self.generation += 1

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until background work is done (used at shutdown)."""
        database_done = self._pool.waitForDone(msecs)
        return self._model_pool.waitForDone(msecs) and database_done

    def _start(self, task: Task) -> None:
        key = next(self._keys)
        self._running[key] = task
        self.sig_busy_changed.emit(True, task.message or "Working…")
        pool = self._model_pool if task.lane == "model" else self._pool
        pool.start(_Job(self._relay, key, task))

    def _progressed(self, key: int, item: Any) -> None:
        task = self._running.get(key)
        if task is None or task.on_progress is None or not self._current(task):
            return
        task.on_progress(item)

    def _current(self, task: Task) -> bool:
        """False when the vault locked since, or the widget that asked is gone."""
        if task.generation != self.generation:
            return False
        return task.owner is None or shiboken6.isValid(task.owner)

    def _finished(self, key: int, ok: bool, outcome: Any) -> None:
        task = self._running.pop(key)
        if not self._running:
            self.sig_busy_changed.emit(False, "")
        self._deliver(task, ok, outcome)

    def _deliver(self, task: Task, ok: bool, outcome: Any) -> None:
        if not self._current(task):
            return  # the vault locked meanwhile, or the widget that asked was closed
        if ok:
            if task.on_success is not None:
                task.on_success(outcome)
        elif task.on_failure is not None:
            task.on_failure(outcome)
        else:
            self.report(outcome, task.owner if isinstance(task.owner, QObject) else None)

    def report(self, error: BaseException, parent: QObject | None = None) -> None:
        """Show an error in plain words; unexpected ones are logged without health data."""
        widget = parent if parent is not None and hasattr(parent, "window") else None
        if isinstance(error, CarebookError):
            self.interaction.warn(widget, error.title, error.message)
            return
        log = log_unexpected(error, "ui task")
        where = f"\n\nA diagnostic without health data was written to {log}." if log else ""
        self.interaction.warn(widget, "Something went wrong",
                              "Carebook hit an unexpected problem and stopped that action. "
                              f"Your records are unchanged.{where}")
