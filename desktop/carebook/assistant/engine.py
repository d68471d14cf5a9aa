"""The app's side of the inference worker: start it, load a model, stream, stop, recover.

One request runs at a time; a second caller waits its turn (a lock, so requests queue in
order of arrival). Stop asks the worker to end between two tokens; if it has not answered
within STOP_GRACE seconds (it may be deep in a long prompt), the worker is killed and is
started again for the next request. A worker that dies by itself becomes ModelStopped.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import selectors
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from carebook.assistant.hardware import physical_cores
from carebook.errors import BadInput, CarebookError

STOP_GRACE = 0.35  # seconds; the issue asks for Stop within 0.5 s, kill and restart included
LOAD_TIMEOUT = 300.0  # a 4B model from a slow disk
TOKEN_TIMEOUT = 120.0  # a long prompt on a big model on two cores
# Nothing secret may reach the worker, not even by inheritance.
_PRIVATE_ENV = ("CAREBOOK_PASSPHRASE", "CAREBOOK_PDF_PASSWORD")


def worker_environment() -> dict[str, str]:
    """This process's environment without its secrets, and with the package importable."""
    env = {key: value for key, value in os.environ.items() if key not in _PRIVATE_ENV}
    package_root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")]))
    return env


class ModelStopped(CarebookError):
    """The worker process died (llama.cpp aborted, out of memory, killed)."""

    title = "The model stopped unexpectedly"


class ModelLoadFailed(BadInput):
    """llama.cpp refused the model file."""

    title = "Cannot use this model"


@dataclass
class Generation:
    """What one request produced, and how fast."""

    text: str = ""
    stopped: bool = False
    tokens: int = 0
    ttft_s: float = 0.0
    generate_s: float = 0.0

    @property
    def tokens_per_s(self) -> float:
        """Generation speed after the first token."""
        return self.tokens / self.generate_s if self.generate_s > 0 else 0.0


class InferenceEngine:
    """A worker process holding one model; safe to call from any one thread at a time,
    with stop() callable from any other."""

    def __init__(self, model_path: Path, *, n_ctx: int = 4096, threads: int | None = None):
        self.model_path = Path(model_path)
        self.n_ctx = n_ctx
        self.threads = threads or physical_cores()
        self.load_s: float | None = None
        self._process: subprocess.Popen | None = None
        self._selector: selectors.BaseSelector | None = None
        self._buffer = b""
        self._turn = threading.Lock()  # one request at a time, the others queue here
        self._write = threading.Lock()
        self._ids = itertools.count(1)
        self._current: int | None = None
        self._current_cancel: threading.Event | None = None
        self._loading = False
        self._starting: threading.Event | bool | None = None  # a request waiting for its load
        self._stop_pending = False
        self._killed_by_stop = False

    # --- lifecycle -------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        """True while a worker process with a loaded model is alive."""
        return self._process is not None and self._process.poll() is None

    def load(self) -> float:
        """Start the worker and load the model, if not done yet; returns the load time."""
        with self._turn:
            return self._ensure_loaded()

    def close(self) -> None:
        """End the worker (at app exit, lock, or a model change)."""
        process, self._process = self._process, None
        if process is None:
            return
        try:
            if self._current is not None or self._loading:
                raise OSError("busy")  # mid-load or mid-answer: nothing there is wanted now
            self._send_to(process, {"op": "quit"})
            process.wait(timeout=2)
        except (OSError, subprocess.TimeoutExpired):
            process.kill()
            process.wait()
        finally:
            self._close_pipes(process)

    def _ensure_loaded(self) -> float:
        if self.running:
            return 0.0
        self._start()
        self._send({"op": "load", "path": str(self.model_path), "n_ctx": self.n_ctx,
                    "n_threads": self.threads})
        self._loading = True
        try:
            event = self._next_event(LOAD_TIMEOUT)
        finally:
            self._loading = False
        if event.get("event") != "loaded":
            self.close()
            raise ModelLoadFailed(
                f"llama.cpp could not load {self.model_path.name}. The file may be damaged or "
                "made for a newer version of llama.cpp.", detail=str(event.get("message", "")))
        self.load_s = event["load_s"]
        return self.load_s

    def _start(self) -> None:
        if self._process is not None:  # a worker that died while idle: release its pipes
            self._process.wait()
            self._close_pipes(self._process)
        self._process = subprocess.Popen(
            [sys.executable, "-m", "carebook.assistant.worker"], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=worker_environment(),
            close_fds=True)
        self._selector = selectors.DefaultSelector()
        self._selector.register(self._process.stdout, selectors.EVENT_READ)
        self._buffer = b""
        self._killed_by_stop = False

    # --- generation ------------------------------------------------------------------------

    def stream(self, messages: list[dict], *, max_tokens: int = 400,
               temperature: float = 0.2, seed: int = 0,
               cancel: threading.Event | None = None) -> Iterator[str]:
        """Yield text as it arrives; the final Generation is the generator's return value.
        `cancel` is the caller's own Stop: set before its turn comes, the request never runs;
        stop(cancel) ends it, and no other caller's request."""
        with self._turn:
            if cancel is not None and cancel.is_set():
                return Generation(stopped=True)
            self._starting, self._stop_pending = cancel or True, False
            try:
                self._ensure_loaded()
            except ModelStopped:
                if self._stop_pending:  # Stop during the load ended the worker on purpose
                    return Generation(stopped=True)
                raise
            finally:
                self._starting = None
            if self._stop_pending or (cancel is not None and cancel.is_set()):
                return Generation(stopped=True)
            ident = next(self._ids)
            self._current, self._current_cancel = ident, cancel
            try:
                self._send({"op": "generate", "id": ident, "messages": messages,
                            "max_tokens": max_tokens, "temperature": temperature,
                            "seed": seed})
                return (yield from self._collect(ident))
            finally:
                self._current, self._current_cancel = None, None

    def generate(self, messages: list[dict], *, on_text: Callable[[str], None] | None = None,
                 **options) -> Generation:
        """Run one request to the end and return everything it produced, handing each piece
        of text to `on_text` as it arrives."""
        stream = self.stream(messages, **options)
        while True:
            try:
                piece = next(stream)
            except StopIteration as finished:
                return finished.value
            if on_text is not None:
                on_text(piece)

    def _collect(self, ident: int) -> Iterator[str]:
        result = Generation()
        while True:
            try:
                event = self._next_event(TOKEN_TIMEOUT)
            except ModelStopped:
                if self._killed_by_stop:  # our own kill after an unanswered stop
                    result.stopped = True
                    self.close()
                    return result
                raise
            kind = event.get("event")
            if kind == "tokens" and event.get("id") == ident:
                result.text += event["text"]
                yield event["text"]
            elif kind == "done" and event.get("id") == ident:
                result.stopped = bool(event["stopped"])
                result.tokens = int(event["tokens"])
                result.ttft_s, result.generate_s = event["ttft_s"], event["generate_s"]
                return result
            elif kind == "error" and event.get("id") in (ident, None):
                raise ModelStopped("The model could not answer this request.",
                                   detail=str(event.get("message", "")))

    def stop(self, cancel: threading.Event | None = None) -> None:
        """End the current generation within half a second; harmless when idle. With
        `cancel`, only the request started with that token is stopped."""
        ident, process, starting = self._current, self._process, self._starting
        if ident is None and starting is not None and (cancel is None or cancel is starting):
            self._stop_pending = True  # still loading the model: end the load at once
            if process is not None and self._loading:
                process.kill()
            return
        if ident is None or process is None:
            return
        if cancel is not None and cancel is not self._current_cancel:
            return  # another caller's request: theirs to stop
        try:
            self._send_to(process, {"op": "stop", "id": ident})
        except (OSError, ValueError):  # the worker just ended; nothing left to stop
            return
        timer = threading.Timer(STOP_GRACE, self._kill_if_still, args=(ident, process))
        timer.daemon = True
        timer.start()

    def _kill_if_still(self, ident: int, process: subprocess.Popen) -> None:
        if self._current == ident and process.poll() is None:
            self._killed_by_stop = True
            process.kill()

    # --- pipe plumbing ---------------------------------------------------------------------

    def _send(self, message: dict) -> None:
        if self._process is None:
            raise ModelStopped("The model is not running.")
        try:
            self._send_to(self._process, message)
        except (OSError, ValueError) as error:
            raise self._died() from error

    def _send_to(self, process: subprocess.Popen, message: dict) -> None:
        with self._write:
            process.stdin.write((json.dumps(message) + "\n").encode("utf-8"))
            process.stdin.flush()

    def _next_event(self, timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        process, selector = self._process, self._selector
        if process is None or selector is None:
            raise ModelStopped("The model was stopped.")
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            try:
                ready = selector.select(remaining) if remaining > 0 else []
                if not ready:
                    self.close()
                    raise ModelStopped("The model took too long to answer and was stopped.")
                chunk = os.read(process.stdout.fileno(), 65536)
            except (OSError, ValueError) as error:  # close() from another thread
                raise ModelStopped("The model was stopped.") from error
            if not chunk:
                raise self._died()
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return json.loads(line)

    def _died(self) -> ModelStopped:
        process = self._process
        code = process.wait() if process is not None else None
        self._process = None
        if process is not None:
            self._close_pipes(process)
        return ModelStopped(
            "The model stopped unexpectedly. Carebook is still running; try again, or choose "
            "another model in Settings → Models.", detail=f"worker exit status {code}")

    def _close_pipes(self, process: subprocess.Popen) -> None:
        if self._selector is not None:
            self._selector.close()
            self._selector = None
        for pipe in (process.stdin, process.stdout):
            with contextlib.suppress(OSError):
                pipe.close()
