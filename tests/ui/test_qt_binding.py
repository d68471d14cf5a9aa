"""The Qt binding itself: a guard against a PySide6 that leaks references to None.

PySide6 6.12.0 on Python 3.11 dropped one reference to None on every call of a method that
returns nothing. None is not immortal before Python 3.12, so a long session (or a test run,
or a printout with many table cells) ended in "Fatal Python error: none_dealloc". This runs a
few thousand such calls in a fresh interpreter and checks None's count and the exit.
"""

from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = """
import sys
from PySide6.QtCore import QObject
from PySide6.QtGui import QFont, QGuiApplication
app = QGuiApplication([])
font, thing = QFont(), QObject()
before = sys.getrefcount(None)
for _ in range(20_000):
    font.setBold(True)
    thing.setObjectName("x")
print(before - sys.getrefcount(None))
"""


def test_calls_returning_nothing_keep_none_alive():
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                            timeout=120, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr[-500:]
    assert abs(int(result.stdout.strip())) < 100  # 40,000 calls: no steady loss
