"""Running the PDF reader in a child process with a time limit and a memory cap.

pypdf has had many denial-of-service bugs, and a lab PDF may come from anywhere. The child
gets the bytes on stdin and answers on stdout; it is killed after the time limit, and its
address space is capped so a decompression bomb fails with MemoryError instead of taking the
machine down. The vault, its key and the app's memory are never inside it.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys

from carebook import labs
from carebook.diagnostics import log_diagnostic
from carebook.labs import errors

TIME_LIMIT_S = 30.0
MEMORY_LIMIT_BYTES = 512 * 1024 * 1024

_ERRORS = {cls.__name__: cls for cls in (errors.NotAPdf, errors.DamagedPdf, errors.ScannedPdf,
                                         errors.ReportTooLarge)}


def parse_isolated(data: bytes, password: str | None = None, *,
                   time_limit: float = TIME_LIMIT_S,
                   memory_limit: int = MEMORY_LIMIT_BYTES) -> dict:
    """Parse PDF bytes in a limited child process; raises an UnreadableReport on failure."""
    options = json.dumps({"password": password}).encode() + b"\n"
    try:
        child = subprocess.run(
            [sys.executable, "-m", "carebook.labs.child"], input=options + data,
            capture_output=True, timeout=time_limit, env=_child_environment(),
            preexec_fn=_limits(memory_limit, time_limit), check=False)
    except subprocess.TimeoutExpired as error:
        raise errors.ReportTooLarge(f"reading it took over {time_limit:.0f} seconds") from error
    if child.returncode != 0 or not child.stdout:
        # Killed by the memory or CPU limit, or Python itself could not start under them.
        raise errors.ReportTooLarge("it needs too much memory or time")
    answer = json.loads(child.stdout)
    if "ok" in answer:
        return answer["ok"]
    problem = answer["error"]
    if child.stderr:
        log_diagnostic("lab PDF reader", child.stderr.decode("utf-8", "replace")[-4000:])
    if problem["kind"] == "EncryptedPdf":
        raise errors.EncryptedPdf(wrong_password=problem["wrong_password"])
    if problem["kind"] == "ReportTooLarge":
        raise errors.ReportTooLarge(problem["what"])
    raise _ERRORS.get(problem["kind"], errors.DamagedPdf)()


def _child_environment() -> dict:
    # Only what Python needs to find the carebook package; nothing of the parent's state.
    package_root = os.path.dirname(os.path.dirname(os.path.dirname(labs.__file__)))
    keep = {name: os.environ[name] for name in ("PATH", "LANG", "LC_ALL", "SYSTEMROOT")
            if name in os.environ}
    keep["PYTHONPATH"] = package_root
    keep["PYTHONDONTWRITEBYTECODE"] = "1"
    return keep


def _limits(memory_limit: int, time_limit: float):
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
        cpu = int(time_limit) + 1
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))  # the child writes no files
    return apply
