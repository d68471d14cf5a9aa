"""The isolated child that reads one PDF: `python -m carebook.labs.child`.

It gets the PDF on stdin (after one JSON line of options) and writes one JSON line: the parse
result or the error. It runs under the limits isolation.py sets, never sees the vault, and
writes no files, so a hostile PDF can at worst make it fail.
"""

from __future__ import annotations

import json
import sys

from carebook.diagnostics import safe_traceback
from carebook.labs.errors import DamagedPdf, ReportTooLarge, UnreadableReport


def run(data: bytes, password: str | None) -> dict:
    """Parse PDF bytes in this process; the caller is the isolated child."""
    from carebook.labs.pdf_text import read_pdf_text
    from carebook.labs.report import parse_pages

    text = read_pdf_text(data, password)
    parsed = parse_pages(text.pages)
    return {"source": {"sha256": text.sha256, "pages": len(text.pages),
                       "producer": text.producer},
            "collected_at": parsed["collected_at"], "language": parsed["language"],
            "family": parsed["family"],
            "results": parsed["results"]}


def _error(error: UnreadableReport) -> dict:
    return {"error": {"kind": type(error).__name__, "message": str(error),
                      "wrong_password": getattr(error, "wrong_password", False),
                      "what": getattr(error, "what", "")}}


def _ran_out_of_memory(error: BaseException | None) -> bool:
    # Under the memory cap the MemoryError may surface wrapped, or as an ImportError when a
    # compiled module cannot be mapped into the capped address space.
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, MemoryError | ImportError):
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


def main() -> int:
    """Read options and PDF from stdin, write one JSON answer to stdout."""
    stdin = sys.stdin.buffer
    options = json.loads(stdin.readline() or b"{}")
    data = stdin.read()
    try:
        answer = {"ok": run(data, options.get("password"))}
    except UnreadableReport as error:
        answer = _error(error)
    except (MemoryError, RecursionError):
        answer = _error(ReportTooLarge("it needs too much memory"))
    except Exception as error:  # a hostile file must only fail; the parent logs where it broke
        if _ran_out_of_memory(error):
            sys.stderr.write(safe_traceback(error))
            answer = _error(ReportTooLarge("it needs too much memory"))
        else:
            sys.stderr.write(safe_traceback(error))
            answer = _error(DamagedPdf())
    sys.stdout.write(json.dumps(answer))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
