"""Lab-report parser accuracy and speed, printed as JSON.

Scores `carebook.labs.parse_pdf_file` on two sets: the real reports in the corpus folder
against hand-written truth files, and the synthetic fixtures that tests/lab_fixtures/build.py
writes with their truth. Timing compares carebook's seconds per page with `pdftotext -layout`
on the same files (pdftotext runs as a process, so its figure includes process start-up) and
times one 15-page report end to end. Nothing here asserts; `--details` adds every miss.

    .venv/bin/python bench/labs.py [--corpus DIR --truth DIR] [--details]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for `tests.lab_fixtures`; carebook itself comes from the venv

from tests.lab_fixtures.scoring import ReportScore, combine, score_report  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "real" / "in-lab"
BLIND = ROOT / "tests" / "data" / "blind_layouts"  # layouts written without seeing the parser
DEFAULT_TRUTH = ROOT / "bench" / "truth" / "in-lab"
WORST = 5
LONG_PAGES = 15


def _args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path,
                        default=Path(os.environ.get("CAREBOOK_LAB_CORPUS", DEFAULT_CORPUS)),
                        help="folder of real report PDFs (env CAREBOOK_LAB_CORPUS)")
    parser.add_argument("--truth", type=Path, default=DEFAULT_TRUTH,
                        help="folder of <stem>.json truth files for --corpus")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per file (median)")
    parser.add_argument("--details", action="store_true", help="print every miss and false hit")
    return parser.parse_args(argv)


def _timed(action, repeats: int):
    """Run action `repeats` times; return (last result, median seconds)."""
    times, result = [], None
    for _ in range(max(1, repeats)):
        started = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - started)
    return result, statistics.median(times)


def _pdftotext_seconds(pdf: Path, repeats: int) -> float | None:
    if shutil.which("pdftotext") is None:
        return None
    command = ["pdftotext", "-layout", str(pdf), "-"]
    _, seconds = _timed(lambda: subprocess.run(command, capture_output=True, check=False),
                        repeats)
    return seconds


def _run_set(name: str, cases: list[tuple[Path, dict]], parse, repeats: int,
             details: bool) -> dict:
    """Parse and score every (pdf, truth) case of one set, with per-page timings."""
    scores: list[ReportScore] = []
    errors, ours, theirs = [], [], []
    for pdf, truth in cases:
        try:
            predicted, seconds = _timed(lambda pdf=pdf: parse(pdf), repeats)
        except Exception as exc:  # one broken report must not hide the others' figures
            errors.append({"file": pdf.name, "error": f"{type(exc).__name__}: {exc}"})
            predicted, seconds = {"results": [], "collected_at": None}, None
        scores.append(score_report(predicted, {"file": pdf.name, **truth}))
        pages = (predicted.get("source") or {}).get("pages") or 0
        if seconds is not None and pages:
            ours.append(seconds / pages)
            other = _pdftotext_seconds(pdf, repeats)
            if other is not None:
                theirs.append(other / pages)

    summary = combine(scores)
    worst = sorted(scores, key=lambda s: (s.f1, s.file))[:WORST]
    summary["worst_reports"] = [
        {"file": s.file, "f1": round(s.f1, 3), "truth_rows": s.truth_rows,
         "predicted_rows": s.predicted_rows, "matched": s.matched} for s in worst]
    summary["timing"] = _timing(ours, theirs)
    if errors:
        summary["errors"] = errors
    if details:
        summary["details"] = [
            {"file": s.file, "misses": s.misses, "false_positives": s.false_positives,
             "wrong_fields": s.wrong_fields, "date_correct": s.date_correct}
            for s in scores if s.misses or s.false_positives or s.wrong_fields
            or not s.date_correct]
    return {"set": name, **_rounded(summary)}


def _timing(ours: list[float], theirs: list[float]) -> dict:
    carebook = statistics.median(ours) if ours else None
    pdftotext = statistics.median(theirs) if theirs else None
    return {"carebook_s_per_page": carebook, "pdftotext_s_per_page": pdftotext,
            "ratio": carebook / pdftotext if carebook and pdftotext else None,
            "files_timed": len(ours)}


def _rounded(data):
    if isinstance(data, float):
        return round(data, 4)
    if isinstance(data, dict):
        return {k: _rounded(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_rounded(v) for v in data]
    return data


def _corpus_cases(corpus: Path, truth_dir: Path) -> tuple[list[tuple[Path, dict]], list[str]]:
    cases, untruthed = [], []
    for pdf in sorted(corpus.glob("*.pdf"), key=lambda p: (len(p.stem), p.stem)):
        truth_file = truth_dir / f"{pdf.stem}.json"
        if truth_file.exists():
            cases.append((pdf, json.loads(truth_file.read_text(encoding="utf-8"))))
        else:
            untruthed.append(pdf.name)
    return cases, untruthed


def _fixture_module():
    try:
        from tests.lab_fixtures import build
    except ImportError as exc:
        return None, f"tests.lab_fixtures.build not importable: {exc}"
    return build, None


def _long_report(build, parse, scratch: Path) -> dict:
    maker = getattr(build, "build_long_report", None)
    if maker is None:
        return {"skipped": "tests.lab_fixtures.build has no build_long_report"}
    pdf = scratch / "long.pdf"
    try:
        maker(pdf, pages=LONG_PAGES)
        result, seconds = _timed(lambda: parse(pdf), 1)
    except Exception as exc:  # report it beside the other figures rather than crash
        return {"error": f"{type(exc).__name__}: {exc}"}
    return {"pages": (result.get("source") or {}).get("pages"), "seconds": round(seconds, 3),
            "rows": len(result.get("results") or [])}


def main(argv: list[str] | None = None) -> int:
    """Score both sets, time them, print the JSON."""
    args = _args(argv)
    try:
        from carebook.labs import parse_pdf_file
    except ImportError as exc:
        print(json.dumps({"error": f"carebook.labs.parse_pdf_file not importable: {exc}"},
                         indent=2))
        return 1

    sets, notes = [], []
    if args.corpus.is_dir():
        cases, untruthed = _corpus_cases(args.corpus, args.truth)
        sets.append(_run_set(f"corpus:{args.corpus}", cases, parse_pdf_file, args.repeats,
                             args.details))
        if untruthed:
            notes.append(f"no truth file for {len(untruthed)} corpus PDFs: {untruthed}")
    else:
        notes.append(f"corpus folder missing: {args.corpus}")

    blind_cases, _none = _corpus_cases(BLIND, BLIND)
    sets.append(_run_set("blind layouts", blind_cases, parse_pdf_file, args.repeats,
                         args.details))

    build, problem = _fixture_module()
    scratch = Path(tempfile.mkdtemp(prefix="carebook-labs-bench-"))
    long_report: dict = {"skipped": problem} if problem else {}
    try:
        if build is None:
            notes.append(f"fixture set skipped: {problem}")
        else:
            try:
                built = build.build_all(scratch / "fixtures")
            except Exception as exc:  # the corpus figures are still worth printing
                built = None
                notes.append(f"fixture set skipped: build_all failed: {exc!r}")
            if built is not None:
                cases = [(Path(pdf), truth) for pdf, truth in built]
                sets.append(_run_set("fixtures", cases, parse_pdf_file, args.repeats,
                                     args.details))
            long_report = _long_report(build, parse_pdf_file, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    print(json.dumps({
        "sets": sets,
        "long_report": long_report,
        "notes": notes,
        "context": {"repeats": args.repeats, "python": platform.python_version(),
                    "machine": platform.machine(), "cpus": os.cpu_count()},
    }, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
