"""Vault speed figures, printed as JSON.

unlock (Argon2id with the default parameters + integrity checks + migrations), inserting
10,000 lab results in one transaction, fetching one analyte's history among 100,000
results (the trend read, served by a covering index), and opening a second keyed
connection. Goals from the foundation issue are printed beside each figure; nothing here
asserts, so a slow machine still gets numbers.
"""

from __future__ import annotations

import json
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from carebook.domain.records import Profile, Provenance, Record
from carebook.vault.database import Database
from carebook.vault.kdf import DEFAULT_KDF
from carebook.vault.vault import DB_FILE, Vault

PASSPHRASE = "bench harbor lantern violet"
ANALYTES = [(f"Analyte {n:02d}", f"{1000 + n}-{n % 10}") for n in range(50)]
GOALS = {"unlock_s": 1.0, "insert_10k_s": 0.5, "history_query_ms": 20.0,
         "second_connection_ms": 50.0}


def _results(profile_id: int, count: int, seed: int) -> list[Record]:
    rng = random.Random(seed)
    start = date(2010, 1, 1)
    origin = Provenance(source_kind="demo")
    return [Record("lab_result", profile_id, {
        "collected_at": (start + timedelta(days=rng.randrange(6000))).isoformat(),
        "name": name, "analyte": name, "loinc": loinc, "value": round(rng.uniform(1, 200), 2),
        "value_text": None, "unit": "mg/dL", "ref_low": 10.0, "ref_high": 150.0,
        "ref_text": None, "flag": None}, provenance=origin)
        for name, loinc in (ANALYTES[i % len(ANALYTES)] for i in range(count))]


def _median_time(action, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    """Measure and print the figures."""
    scratch = Path(tempfile.mkdtemp(prefix="carebook-bench-"))
    try:
        folder = scratch / "vault"
        vault, _code = Vault.create(folder, PASSPHRASE, DEFAULT_KDF)
        profile = vault.profiles.add(Profile("Bench person"))

        started = time.perf_counter()
        vault.records.add_many(_results(profile.id, 10_000, seed=1), "bench 10k")
        insert_10k = time.perf_counter() - started

        vault.records.add_many(_results(profile.id, 90_000, seed=2), "bench 90k")
        total = vault.records.count("lab_result", profile.id)
        target = ANALYTES[7][0]
        history_len = len(vault.records.lab_trend(profile.id, target))
        history = _median_time(lambda: vault.records.lab_trend(profile.id, target), 21)
        full_records = _median_time(lambda: vault.records.lab_history(profile.id, target), 5)

        key = bytes(vault._key)  # the bench opens a raw second connection with the vault's key

        def second_connection() -> None:
            extra = Database(folder / DB_FILE, key)
            extra.query_one("SELECT count(*) FROM profiles")
            extra.close()

        second = _median_time(second_connection, 11)
        vault.close()

        def unlock_and_close() -> None:
            Vault.unlock(folder, PASSPHRASE).close()

        unlock = _median_time(unlock_and_close, 5)
        size_mb = (folder / DB_FILE).stat().st_size / 1e6
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    figures = {"unlock_s": round(unlock, 3), "insert_10k_s": round(insert_10k, 3),
               "history_query_ms": round(history * 1000, 2),
               "second_connection_ms": round(second * 1000, 2)}
    print(json.dumps({
        "figures": figures,
        "goals": GOALS,
        "meets_goals": {name: figures[name] <= GOALS[name] for name in GOALS},
        "context": {"results_in_vault": total, "history_rows": history_len,
                    "history_as_full_records_ms": round(full_records * 1000, 2),
                    "database_mb": round(size_mb, 1), "kdf": DEFAULT_KDF.to_dict(),
                    "python": platform.python_version(), "machine": platform.machine(),
                    "cpus": __import__("os").cpu_count()},
    }, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
