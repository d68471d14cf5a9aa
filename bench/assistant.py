"""The on-device assistant's speed and the model rewrite's pass rate, printed as JSON.

Speed: model load time, time to first token cold (a fresh worker) and warm (same system
prompt, different question: the cached prefix), tokens per second; the same prompt through
raw llama-cpp-python in this process as the baseline, with the ratios. UI: the longest gap
of a 5 ms QTimer on the Qt event loop while a generation streams into a text view.
Quality: over lab-result sets (the synthetic blind layouts' truth files), how often the
model's rewrite passes every check, and which checks fail. Nothing here asserts.

Goals from the issue: throughput ≥ 0.95 of raw, warm TTFT ≤ 0.5 of cold, UI stall ≤ 50 ms.

    .venv/bin/python bench/assistant.py [--model PATH] [--sets N] [--max-tokens N]
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import platform
import statistics
import sys
import threading
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
SETS = ROOT / "tests" / "data" / "blind_layouts"

from carebook.assistant import explain as explaining  # noqa: E402
from carebook.assistant.catalogue import default_model  # noqa: E402
from carebook.assistant.engine import InferenceEngine  # noqa: E402
from carebook.assistant.facts import FactWriter  # noqa: E402
from carebook.assistant.hardware import physical_cores  # noqa: E402
from carebook.assistant.prompts import messages_for  # noqa: E402
from carebook.knowledge import load_catalogue  # noqa: E402
from carebook.services.explain_file import read_results  # noqa: E402

QUESTION = ("Rewrite these facts for the patient:\n- HbA1c: 6.4% on 3 Mar 2026.\n- The range "
            "printed on the report is 4 to 5.6%.\n- This is above the range, so it is flagged "
            "high.")
OTHER = ("Rewrite these facts for the patient:\n- TSH: 2.1 mIU/L on 3 Mar 2026.\n- The range "
         "printed on the report is 0.4 to 4 mIU/L.\n- This is inside the range.")
RUNS = 3


def _args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=None)
    parser.add_argument("--sets", type=int, default=24, help="result sets for the pass rate")
    parser.add_argument("--max-tokens", type=int, default=160)
    return parser.parse_args(argv)


def worker_speed(model: Path, max_tokens: int) -> dict:
    """Load, cold and warm time to first token, and speed, through the worker process."""
    engine = InferenceEngine(model)
    try:
        started = time.perf_counter()
        engine.load()
        load_s = time.perf_counter() - started
        cold = engine.generate(messages_for(QUESTION), max_tokens=max_tokens, seed=1)
        warm = [engine.generate(messages_for(OTHER if i % 2 == 0 else QUESTION),
                                max_tokens=max_tokens, seed=1) for i in range(RUNS)]
    finally:
        engine.close()
    return {"load_s": load_s, "ttft_cold_s": cold.ttft_s,
            "ttft_warm_s": statistics.median(g.ttft_s for g in warm),
            "tokens_per_s": statistics.median(g.tokens_per_s for g in [cold, *warm])}


def stop_latency(model: Path) -> dict:
    """Seconds from Stop to the end of the answer: while tokens flow, and during a long
    prompt (where the worker is killed and restarted), with the next request's success."""
    engine = InferenceEngine(model)
    try:
        engine.load()
        flowing = [_stopped_after(engine, "Write a long story about a lighthouse.", 0.3)
                   for _ in range(RUNS)]
        long_prompt = "Facts:\n" + "\n".join(f"- Glucose was {90 + i} mg/dL on day {i}."
                                              for i in range(150))
        reading = [_stopped_after(engine, long_prompt, 0.02) for _ in range(RUNS)]
        next_ok = engine.generate(messages_for(QUESTION), max_tokens=8).tokens > 0
    finally:
        engine.close()
    return {"stop_while_writing_s": round(max(flowing), 3),
            "stop_while_reading_prompt_s": round(max(reading), 3),
            "next_request_after_stop_works": next_ok}


def _stopped_after(engine: InferenceEngine, task: str, delay: float) -> float:
    asked: list[float] = []

    def press_stop() -> None:
        asked.append(time.perf_counter())
        engine.stop()

    stream = engine.stream(messages_for(task), max_tokens=2000)
    threading.Timer(delay, press_stop).start()  # the UI's Stop comes from another thread
    for _piece in stream:
        pass
    return time.perf_counter() - asked[0]


def raw_speed(model: Path, max_tokens: int) -> dict:
    """The same requests through llama-cpp-python in this process: the baseline."""
    from llama_cpp import Llama

    started = time.perf_counter()
    llm = Llama(model_path=str(model), n_ctx=4096, n_threads=physical_cores(),
                n_threads_batch=physical_cores(), verbose=False,
                chat_format="chat_template.default")
    load_s = time.perf_counter() - started
    runs = [_raw_run(llm, QUESTION if i % 2 == 0 else OTHER, max_tokens) for i in range(RUNS + 1)]
    del llm
    return {"load_s": load_s, "ttft_cold_s": runs[0][0],
            "ttft_warm_s": statistics.median(r[0] for r in runs[1:]),
            "tokens_per_s": statistics.median(r[1] for r in runs)}


def _raw_run(llm, question: str, max_tokens: int) -> tuple[float, float]:
    started = time.perf_counter()
    first, count = None, 0
    for chunk in llm.create_chat_completion(messages_for(question), stream=True,
                                            max_tokens=max_tokens, temperature=0.2, seed=1,
                                            repeat_penalty=1.15):
        if chunk["choices"][0]["delta"].get("content"):
            count += 1
            first = first or time.perf_counter()
    ended = time.perf_counter()
    return (first or ended) - started, count / (ended - first) if first and ended > first else 0


def ui_stall(model: Path, max_tokens: int) -> dict:
    """The longest gap between 5 ms timer ticks while a generation streams into a view."""
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication, QTextBrowser

    from carebook.ui.interaction import Interaction
    from carebook.ui.tasks import TaskRunner

    app = QApplication.instance() or QApplication([])
    engine = InferenceEngine(model)
    engine.load()
    runner, view, loop = TaskRunner(Interaction()), QTextBrowser(), QEventLoop()
    clock, gaps, last = QElapsedTimer(), [], [0]
    clock.start()

    def tick() -> None:
        now = clock.elapsed()
        gaps.append(now - last[0])
        last[0] = now

    def stream(*, report):
        return engine.generate(messages_for(QUESTION), max_tokens=max_tokens, on_text=report)

    probe = QTimer()
    probe.setInterval(5)
    probe.timeout.connect(tick)
    probe.start()
    last[0] = clock.elapsed()
    runner.task(stream).progress(view.insertPlainText).off_database().success(
        lambda _r: loop.quit()).failure(lambda _e: loop.quit()).run_in_background()
    loop.exec()
    probe.stop()
    engine.close()
    del app
    return {"ui_longest_stall_ms": max(gaps) if gaps else None, "ui_ticks": len(gaps)}


def pass_rate(model: Path, sets: int, max_tokens: int) -> dict:
    """How often the model's rewrite passes every check: for whole reports (Explain this
    day's report) and for one out-of-range result alone (Explain this result)."""
    writer = FactWriter(load_catalogue())
    reports = [read_results(path) for path in sorted(SETS.glob("*.json"))[:sets]]
    singles = [[flagged[0]] for values in reports
               if (flagged := [v for v in values if v.flag in ("H", "L")])]
    engine = InferenceEngine(model)
    try:
        return {"whole_reports": _rate(engine, writer, reports, max_tokens),
                "one_flagged_result": _rate(engine, writer, singles, max_tokens)}
    finally:
        engine.close()


def _rate(engine: InferenceEngine, writer: FactWriter, sets: list, max_tokens: int) -> dict:
    failures: collections.Counter = collections.Counter()
    passed, grades = 0, []
    for values in sets:
        explanation = explaining.prepare(writer, values)
        explaining.run_model(explanation, engine, max_tokens=max_tokens, add_questions=False)
        passed += explanation.rewrite_shown
        grades.append(explanation.report.grade)
        failures.update(result.name for result in explanation.report.failures)
    return {"sets": len(sets), "rewrite_pass_rate": round(passed / max(1, len(sets)), 3),
            "failed_checks": dict(failures.most_common()),
            "median_grade": round(statistics.median(grades), 1) if grades else None}


def main(argv: list[str] | None = None) -> int:
    """Run every measure and print one JSON object."""
    args = _args(argv)
    model = args.model or default_model().path()
    worker = worker_speed(model, args.max_tokens)
    raw = raw_speed(model, args.max_tokens)
    figures = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                    "threads": physical_cores()},
        "model": model.name,
        "worker": {k: round(v, 3) for k, v in worker.items()},
        "raw_llama_cpp": {k: round(v, 3) for k, v in raw.items()},
        "ratios": {
            "throughput_vs_raw": round(worker["tokens_per_s"] / raw["tokens_per_s"], 3),
            "warm_ttft_vs_cold": round(worker["ttft_warm_s"] / worker["ttft_cold_s"], 3),
            "worker_warm_ttft_vs_raw_warm": round(worker["ttft_warm_s"] / raw["ttft_warm_s"],
                                                  3),
        },
        **ui_stall(model, args.max_tokens),
        "stop": stop_latency(model),
        "quality": pass_rate(model, args.sets, args.max_tokens),
        "goals": {"throughput_vs_raw": ">= 0.95", "warm_ttft_vs_cold": "<= 0.5",
                  "ui_longest_stall_ms": "<= 50", "stop_s": "<= 0.5"},
    }
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
