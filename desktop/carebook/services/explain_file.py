"""`carebook explain --results FILE.json`: explain a `labs parse` output, no vault involved."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

from carebook.assistant import explain as explaining
from carebook.assistant.catalogue import default_model, sha256_of
from carebook.assistant.catalogue import load_catalogue as load_catalogue_models
from carebook.assistant.checks import check_output
from carebook.assistant.engine import Generation, InferenceEngine
from carebook.assistant.facts import FactWriter, LabValue, with_code_flag
from carebook.assistant.gguf import read_gguf_info
from carebook.errors import BadInput
from carebook.knowledge import load_catalogue
from carebook.services.assistant import ModelIdentity

MAX_RESULTS_BYTES = 5 * 1024 * 1024
MAX_RESULTS = 1000  # a 15-page report holds about 350
FLAGS = ("H", "L", "N", "A", None)
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def read_results(path: Path) -> list[LabValue]:
    """The results of a `labs parse --json` file, as lab values with code-decided flags."""
    try:
        if path.stat().st_size > MAX_RESULTS_BYTES:
            raise BadInput(f"{path.name} is too large to be a lab-results file.")
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise BadInput(f"Cannot read {path.name}: it is not a `carebook labs parse --json` "
                       f"file ({type(error).__name__}).") from error
    rows = data.get("results") if isinstance(data, dict) else None
    if not isinstance(rows, list):
        raise BadInput(f"{path.name} has no \"results\" list; expected `labs parse --json`.")
    if len(rows) > MAX_RESULTS:
        raise BadInput(f"{path.name} holds {len(rows)} results; Carebook explains at most "
                       f"{MAX_RESULTS} at a time.")
    collected = _text(data.get("collected_at"), "collected_at", path)
    if collected is not None and not ISO_DATE.fullmatch(collected):
        raise BadInput(f"{path.name}: collected_at must be a date like 2026-03-03.")
    source = data.get("source")
    digest = source.get("sha256") if isinstance(source, dict) else None
    ref = str(digest)[:16] if isinstance(digest, str) and digest else path.name
    return [_value(row, number, collected, path, ref)
            for number, row in enumerate(rows, start=1)]


def _value(row: object, number: int, collected: str | None, path: Path, ref: str) -> LabValue:
    if not isinstance(row, dict):
        raise BadInput(f"{path.name}: result {number} is not an object.")
    where = f"result {number}"
    page = row.get("page")
    if page is not None and (not isinstance(page, int) or isinstance(page, bool) or page < 1):
        raise BadInput(f"{path.name}: {where} has a page that is not a page number.")
    flag = row.get("flag")
    if flag not in FLAGS:
        raise BadInput(f"{path.name}: {where} has the flag {flag!r}; expected H, L, N, A "
                       "or null.")
    name = _text(row.get("name"), f"{where} name", path) or _text(
        row.get("analyte"), f"{where} analyte", path) or "Unnamed test"
    return with_code_flag(LabValue(
        name=name, value=_number(row.get("value"), f"{where} value", path),
        value_text=_text(row.get("value_text"), f"{where} value_text", path) or "",
        unit=_text(row.get("unit"), f"{where} unit", path),
        ref_low=_number(row.get("ref_low"), f"{where} ref_low", path),
        ref_high=_number(row.get("ref_high"), f"{where} ref_high", path),
        ref_text=_text(row.get("ref_text"), f"{where} ref_text", path), flag=flag,
        collected_at=collected, loinc=_text(row.get("loinc"), f"{where} loinc", path),
        page=page, source_label=f"{path.name}, page {page}" if page else path.name,
        report_ref=ref))


def _number(value: object, what: str, path: Path) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(
            value):
        raise BadInput(f"{path.name}: {what} must be a finite number or null.")
    return float(value)


def _text(value: object, what: str, path: Path) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise BadInput(f"{path.name}: {what} must be text or null.")


def model_for(path: Path | None) -> tuple[Path, ModelIdentity]:
    """The GGUF to use (the default unless --model) after checking its header and hash."""
    if path is None:
        entry = default_model()
        path = entry.path()
        if not path.is_file():
            raise BadInput(f"The default model {entry.file} is missing; run `make run` or "
                           "`python -m carebook.assistant.model_fetch --default`.")
    info = read_gguf_info(path)
    digest = sha256_of(path)
    _, known = load_catalogue_models()
    name = next((m.name for m in known if m.sha256 == digest), info.name)
    return path, ModelIdentity(name=name, file=path.name, sha256=digest)


def explain_results_file(path: Path, model_path: Path | None = None,
                         max_tokens: int = 300) -> dict:
    """The explain contract's JSON for one results file."""
    values = read_results(path)
    model_file, model = model_for(model_path)
    writer = FactWriter(load_catalogue())
    explanation = explaining.prepare(writer, values)
    load_s = 0.0
    if explanation.grounding.facts:  # with no results there is nothing to put in words
        engine = InferenceEngine(model_file)
        try:
            load_s = engine.load()
            explaining.run_model(explanation, engine, max_tokens=max_tokens)
        finally:
            engine.close()
    generation = explanation.generation or Generation()
    report = explanation.report or check_output("", explanation.grounding)
    summary = explanation.model_text if explanation.rewrite_shown else explanation.summary
    return {
        "summary": summary,
        "items": explanation.items,
        "questions": [q.as_json() for q in explanation.questions],
        "critical": [{"loinc": c.loinc, "message": c.message} for c in explanation.critical],
        "model": model.as_json(),
        "checks": report.contract(),
        "timing": {"load_s": round(load_s, 3), "ttft_s": round(generation.ttft_s, 3),
                   "tokens": generation.tokens,
                   "tokens_per_s": round(generation.tokens_per_s, 1)},
    }
