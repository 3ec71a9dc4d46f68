"""Self-check of the conformance statistics on Mesa-vs-Mesa samples.

Kept short (20 ticks instead of the 100-200 of the real conformance test) so the
whole module runs in well under a minute; the initial crackdown (ticks 1-10)
already separates legitimacy 0.75 from 0.8 by about 1.7 pooled SDs.
"""

import os

import numpy as np
import pytest
from conformance_stats import all_passed, compare, format_table, holm
from mesa_reference import run_mesa_many

pytestmark = pytest.mark.slow  # Mesa runs 20 seeds first (about a minute)

TICKS = 20
SEEDS = 20
PROCESSES = min(2, os.cpu_count() or 1)


def _mesa(first_seed: int, **params) -> dict[str, np.ndarray]:
    seeds = range(first_seed, first_seed + SEEDS)
    return run_mesa_many(seeds, TICKS, processes=PROCESSES, **params)


@pytest.fixture(scope="module")
def reference(mesa_defaults) -> dict[str, np.ndarray]:
    """Seeds 0..19 cut to the first TICKS ticks (Mesa runs are fixed by their seed)."""
    return {k: v[:, : TICKS + 1] if v.ndim == 2 else v for k, v in mesa_defaults.items()}


def test_holm_adjustment():
    np.testing.assert_allclose(holm([0.01, 0.04, 0.03, 0.5]), [0.04, 0.09, 0.09, 0.5])


def test_same_parameters_pass(reference):
    table = compare(reference, _mesa(100))
    assert all_passed(table), format_table(table)


def test_different_legitimacy_fails(reference):
    table = compare(reference, _mesa(100, legitimacy=0.75))
    failed = {row["statistic"] for row in table if not row["passed"]}
    assert "jailed_early" in failed, format_table(table)
