"""pytest configuration: Hypothesis profiles."""

import pytest
from hypothesis import HealthCheck, settings

# Derandomized: CI sees the same examples every time (a failure reproduces exactly).
settings.register_profile(
    "narod",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    max_examples=25,
    derandomize=True,
)
settings.load_profile("narod")


@pytest.fixture(scope="session")
def mesa_defaults():
    """Mesa's example at its defaults, 20 seeds x 100 ticks, run once per test session."""
    from conformance_stats import SEEDS, TICKS
    from mesa_reference import run_mesa_many

    return run_mesa_many(range(SEEDS), TICKS, processes=2)
