"""How many threads generation should use: one per physical core.

Hyper-threads share a core's arithmetic units; llama.cpp runs slower, not faster, when it
is given them, so the logical CPU count is the wrong answer on most desktops.
"""

from __future__ import annotations

import os
from pathlib import Path

_CPU_ROOT = Path("/sys/devices/system/cpu")


def physical_cores() -> int:
    """The number of physical cores this process may run on (at least 1)."""
    counted = _linux_physical_cores()
    if counted:
        return counted
    logical = os.cpu_count() or 1
    return max(1, logical // 2) if logical >= 4 else logical


def _linux_physical_cores() -> int:
    """Distinct (package, core) pairs among the CPUs this process is allowed to use."""
    try:
        allowed = os.sched_getaffinity(0)
    except (AttributeError, OSError):
        return 0
    cores = set()
    for cpu in allowed:
        topology = _CPU_ROOT / f"cpu{cpu}" / "topology"
        try:
            package = (topology / "physical_package_id").read_text().strip()
            core = (topology / "core_id").read_text().strip()
        except OSError:
            return 0
        cores.add((package, core))
    return len(cores)
