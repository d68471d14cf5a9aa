"""The inference worker: a separate process that loads one GGUF model and generates.

Started by assistant/engine.py as `python -m carebook.assistant.worker`. It never sees the
vault or its key: it receives chat messages on stdin and sends events on stdout, one JSON
object per line. If llama.cpp aborts on a bad model, only this process dies.

Requests:  {"op": "load", "path", "n_ctx", "n_threads"}
           {"op": "generate", "id", "messages", "max_tokens", "temperature", "seed"}
           {"op": "stop", "id"}    (read at once by a listener thread, even mid-generation)
Events:    {"event": "loaded", "load_s", "n_ctx", "template"}
           {"event": "tokens", "id", "text"}   (small batches, about every 40 ms)
           {"event": "done", "id", "stopped", "tokens", "ttft_s", "generate_s"}
           {"event": "error", "id", "message"}
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import queue
import resource
import sys
import threading
import time
from typing import Any, TextIO

# Used only for a model that carries no chat template of its own; still rendered by
# llama-cpp-python's sandboxed Jinja formatter like every other template.
CHATML_TEMPLATE = (
    "{% for message in messages %}<|im_start|>{{ message['role'] }}\n"
    "{{ message['content'] }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)
BATCH_SECONDS = 0.04


class Worker:
    """Owns the model and answers one request at a time."""

    def __init__(self, out: TextIO) -> None:
        self._out = out
        self._llm: Any = None
        self.requests: queue.Queue[dict] = queue.Queue()
        self.stopped_ids: set[int] = set()  # written by the listener, read between tokens

    def send(self, event: dict) -> None:
        """Write one event line and flush it so the app sees it at once."""
        self._out.write(json.dumps(event) + "\n")
        self._out.flush()

    def serve(self) -> None:
        """Handle requests until stdin closes or a quit arrives."""
        while (request := self.requests.get())["op"] != "quit":
            try:
                if request["op"] == "load":
                    self.load(request)
                elif request["op"] == "generate":
                    self.generate(request)
            except Exception as error:  # every failure becomes a message, not a crash
                self.send({"event": "error", "id": request.get("id"),
                           "message": f"{type(error).__name__}: {error}"})

    def load(self, request: dict) -> None:
        """Load the model; chat templates go only through the sandboxed Jinja formatter."""
        from llama_cpp import Llama
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        started = time.perf_counter()
        llm = Llama(model_path=request["path"], n_ctx=request["n_ctx"],
                    n_threads=request["n_threads"], n_threads_batch=request["n_threads"],
                    verbose=False)
        template = llm.metadata.get("tokenizer.chat_template")
        eos = llm.token_eos()
        llm.chat_handler = Jinja2ChatFormatter(
            template=template or CHATML_TEMPLATE,
            eos_token=llm._model.token_get_text(eos) if eos >= 0 else "",
            bos_token=llm._model.token_get_text(llm.token_bos()) if llm.token_bos() >= 0 else "",
            stop_token_ids=[eos],
        ).to_chat_handler()
        self._llm = llm
        self.send({"event": "loaded", "load_s": time.perf_counter() - started,
                   "n_ctx": llm.n_ctx(), "template": "model" if template else "chatml"})

    def generate(self, request: dict) -> None:
        """Stream a chat completion in small batches until done, stopped or out of tokens."""
        if self._llm is None:
            raise RuntimeError("no model loaded")
        ident = request["id"]
        started = time.perf_counter()
        first = None
        count, pending, flushed = 0, [], started
        stream = self._llm.create_chat_completion(
            request["messages"], stream=True, max_tokens=request["max_tokens"],
            temperature=request.get("temperature", 0.2), seed=request.get("seed", 0),
            repeat_penalty=request.get("repeat_penalty", 1.15))
        try:
            for chunk in stream:
                if ident in self.stopped_ids:
                    break
                text = chunk["choices"][0]["delta"].get("content")
                if not text:
                    continue
                count += 1
                first = first or time.perf_counter()
                pending.append(text)
                if time.perf_counter() - flushed >= BATCH_SECONDS:
                    self.send({"event": "tokens", "id": ident, "text": "".join(pending)})
                    pending, flushed = [], time.perf_counter()
        finally:
            stream.close()
        if pending:
            self.send({"event": "tokens", "id": ident, "text": "".join(pending)})
        ended = time.perf_counter()
        self.send({"event": "done", "id": ident, "stopped": ident in self.stopped_ids,
                   "tokens": count, "ttft_s": (first or ended) - started,
                   "generate_s": ended - (first or ended)})


def _listen(stdin: TextIO, worker: Worker) -> None:
    """Read requests; a stop acts at once, everything else waits its turn."""
    for line in stdin:
        try:
            request = json.loads(line)
        except ValueError:
            continue
        if request.get("op") == "stop":
            worker.stopped_ids.add(request.get("id"))
        else:
            worker.requests.put(request)
    worker.requests.put({"op": "quit"})


def _no_crash_dumps() -> None:
    """The prompt is health data: a crash must not write it to a core file."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if sys.platform.startswith("linux"):
        PR_SET_DUMPABLE = 4  # also keeps other processes of the user from reading our memory
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)


def main() -> None:
    """Entry point: keep stdout for the protocol, send whatever llama.cpp prints elsewhere."""
    _no_crash_dumps()
    protocol = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    worker = Worker(protocol)
    threading.Thread(target=_listen, args=(sys.stdin, worker), daemon=True).start()
    worker.serve()


if __name__ == "__main__":
    main()
