"""`carebook explain --results FILE.json`: explain a `labs parse` output, no vault involved."""

from __future__ import annotations

import json
from pathlib import Path

from carebook.assistant import explain as explaining
from carebook.assistant.catalogue import default_model, sha256_of
from carebook.assistant.catalogue import load_catalogue as load_catalogue_models
from carebook.assistant.engine import InferenceEngine
from carebook.assistant.facts import FactWriter, LabValue, with_code_flag
from carebook.assistant.gguf import read_gguf_info
from carebook.errors import BadInput
from carebook.knowledge import load_catalogue
from carebook.services.assistant import ModelIdentity

MAX_RESULTS_BYTES = 5 * 1024 * 1024


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
    collected = data.get("collected_at")
    digest = (data.get("source") or {}).get("sha256") if isinstance(data.get("source"),
                                                                     dict) else None
    ref = str(digest)[:16] if digest else path.name
    return [_value(row, collected, path.name, ref) for row in rows if isinstance(row, dict)]


def _value(row: dict, collected: str | None, source: str, ref: str) -> LabValue:
    number = row.get("value")
    page = row.get("page")
    return with_code_flag(LabValue(
        name=str(row.get("name") or row.get("analyte") or "Unnamed test"),
        value=float(number) if isinstance(number, int | float) else None,
        value_text=str(row.get("value_text") or ""), unit=row.get("unit"),
        ref_low=_number(row.get("ref_low")), ref_high=_number(row.get("ref_high")),
        ref_text=row.get("ref_text"), flag=row.get("flag"), collected_at=collected,
        loinc=row.get("loinc"), page=page if isinstance(page, int) else None,
        source_label=f"{source}, page {page}" if isinstance(page, int) else source,
        report_ref=ref))


def _number(value) -> float | None:
    return float(value) if isinstance(value, int | float) else None


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
    engine = InferenceEngine(model_file)
    try:
        load_s = engine.load()
        explaining.run_model(explanation, engine, max_tokens=max_tokens)
    finally:
        engine.close()
    generation = explanation.generation
    summary = explanation.model_text if explanation.rewrite_shown else explanation.summary
    return {
        "summary": summary,
        "items": explanation.items,
        "questions": [q.as_json() for q in explanation.questions],
        "critical": [{"loinc": c.loinc, "message": c.message} for c in explanation.critical],
        "model": model.as_json(),
        "checks": explanation.report.contract(),
        "timing": {"load_s": round(load_s, 3), "ttft_s": round(generation.ttft_s, 3),
                   "tokens": generation.tokens,
                   "tokens_per_s": round(generation.tokens_per_s, 1)},
    }
