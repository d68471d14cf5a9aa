"""Lab-report import: read a PDF in an isolated child, rebuild its rows, match the catalogue.

`parse_pdf_file` and `parse_pdf_bytes` give the `labs parse` contract's dict plus, per result,
"doubts" (why its confidence is lowered) for the review dialog; `contract_view` keeps exactly
the contract's keys for the CLI.
"""

from __future__ import annotations

from pathlib import Path

from carebook.labs.errors import NotAPdf, ReportTooLarge, UnreadableReport

MAX_FILE_BYTES = 64 * 1024 * 1024  # the vault stores documents up to this size

RESULT_KEYS = ("loinc", "analyte", "name", "value", "value_text", "unit", "ref_low",
               "ref_high", "ref_text", "flag", "page", "confidence")


def parse_pdf_bytes(data: bytes, password: str | None = None) -> dict:
    """Parse a lab PDF given as bytes, in a limited child process."""
    from carebook.labs.isolation import parse_isolated

    _check_size(len(data))
    return parse_isolated(data, password)


def parse_pdf_file(path: str | Path, password: str | None = None) -> dict:
    """Parse a lab PDF file; raises UnreadableReport with a message for the person."""
    return parse_pdf_bytes(read_pdf_file(path), password)


def read_pdf_file(path: str | Path) -> bytes:
    """A lab PDF's bytes from disk (nothing is parsed); UnreadableReport says what is wrong."""
    path = Path(path)
    try:
        _check_size(path.stat().st_size)
        return path.read_bytes()
    except IsADirectoryError as error:
        raise NotAPdf() from error
    except FileNotFoundError as error:
        raise UnreadableReport(f"There is no file at {path}.") from error
    except OSError as error:
        raise UnreadableReport(f"Carebook could not read {path.name}: {error.strerror}.") \
            from error


def _check_size(size: int) -> None:
    if size > MAX_FILE_BYTES:
        raise ReportTooLarge(f"{size // (1024 * 1024)} MB; the limit is 64 MB")


def contract_view(parsed: dict) -> dict:
    """Exactly the keys the `labs parse --json` contract promises."""
    return {"source": parsed["source"], "collected_at": parsed["collected_at"],
            "results": [{key: row[key] for key in RESULT_KEYS} for row in parsed["results"]]}
