"""Appointment pack and emergency card figures, printed as JSON.

For the demo family's Dad and for a heavy person (every catalogue-style test measured monthly
for ten years, 40 medications, 30 open questions): the time to build the pack from the vault,
the time Qt's PDF writer takes, pages and file size, at each text size; the same for the
emergency card. The goal is the one a person notices: the preview follows a change of choice
within a second. Nothing asserts; a slow machine still gets numbers.
"""

from __future__ import annotations

import json
import platform
import random
import shutil
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from carebook.app import pdf_writer
from carebook.domain.records import Profile, Provenance, Record
from carebook.interop.printable import CARD_SETUP, TEXT_SIZES, PageSetup
from carebook.services.demo import create_demo_family
from carebook.services.emergency_card import build_card
from carebook.services.visit_pack import build_pack
from carebook.vault.kdf import KdfParams
from carebook.vault.vault import Vault

PASSPHRASE = "bench harbor lantern violet"
FAST_KDF = KdfParams(time_cost=1, memory_kib=8 * 1024, parallelism=1)
GOALS = {"build_plus_render_s": 1.0}
TODAY = date.today()


def _heavy_person(vault: Vault) -> int:
    profile = vault.profiles.add(Profile(name="Heavy", full_name="Synthetic Heavy Person",
                                         birth_date="1950-01-01", blood_type="B+"))
    rng = random.Random(7)
    origin = Provenance(source_kind="demo")
    records = []
    for month in range(120):
        day = (TODAY - timedelta(days=30 * month)).isoformat()
        for number in range(60):
            records.append(Record("lab_result", profile.id, {
                "collected_at": day, "name": f"Test {number:02d}", "analyte": None,
                "loinc": None, "value": round(rng.uniform(50, 150), 1), "value_text": None,
                "unit": "mg/dL", "ref_low": 60.0, "ref_high": 140.0, "ref_text": None,
                "flag": None}, provenance=origin))
    for number in range(40):
        records.append(Record("medication", profile.id, {
            "name": f"Medicine {number}", "dose": "10 mg", "schedule": "once a day",
            "reason": "Synthetic reason"}, provenance=origin))
    for number in range(30):
        records.append(Record("question", profile.id, {
            "text": f"Synthetic question number {number} about a result?", "status": "open",
            "sort_order": number}, provenance=origin))
    vault.records.add_many(records, "Bench records", profile.id)
    return profile.id


def _timed(action, *args):
    started = time.perf_counter()
    value = action(*args)
    return value, time.perf_counter() - started


def _measure(vault: Vault, profile_id: int, folder: Path, write) -> dict:
    figures = {}
    for size in TEXT_SIZES:
        document, build_s = _timed(build_pack, vault, profile_id, None, None, TODAY)
        setup = PageSetup(paper="A4", text_size=size)
        result, render_s = _timed(write, document, folder / f"pack-{profile_id}-{size}.pdf",
                                  setup)
        figures[size] = {"build_s": round(build_s, 3), "render_s": round(render_s, 3),
                         "pages": result.pages, "kib": round(result.size_bytes / 1024, 1)}
    card, build_s = _timed(build_card, vault, profile_id, TODAY)
    result, render_s = _timed(write, card, folder / f"card-{profile_id}.pdf", CARD_SETUP)
    figures["card"] = {"build_s": round(build_s, 3), "render_s": round(render_s, 3),
                       "sides": result.pages, "kib": round(result.size_bytes / 1024, 1)}
    return figures


def main() -> None:
    """Print the figures as one JSON object."""
    write = pdf_writer()
    folder = Path(tempfile.mkdtemp(prefix="carebook-bench-"))
    try:
        vault, _code = Vault.create(folder / "vault", PASSPHRASE, FAST_KDF)
        try:
            dad = next(p for p in create_demo_family(vault, TODAY) if p.name == "Dad")
            heavy = _heavy_person(vault)
            figures = {"demo_dad": _measure(vault, dad.id, folder, write),
                       "heavy_7200_results": _measure(vault, heavy, folder, write)}
        finally:
            vault.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(json.dumps({"machine": platform.processor() or platform.machine(),
                      "goals": GOALS, **figures}, indent=2))


if __name__ == "__main__":
    main()
