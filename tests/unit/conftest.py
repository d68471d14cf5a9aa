"""The grounding most output-check tests run against: HbA1c and LDL high, TSH normal."""

from __future__ import annotations

import pytest

from carebook.assistant.grounding import Grounding
from tests.check_cases import HBA1C, LDL, TSH, _grounding


@pytest.fixture
def grounding() -> Grounding:
    """Facts and subjects for three results, two of them flagged high."""
    return _grounding(HBA1C, LDL, TSH)
