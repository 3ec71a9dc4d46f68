"""Conformance with Mesa: narod's ``mesa`` preset against Mesa 3.3.1's Epstein example.

Both run Mesa's defaults (40x40, citizen density 0.7, cop density 0.074, von Neumann vision 7,
L = 0.8, J_max = 1000) for 100 ticks over 20 seeds each. The random streams differ, so runs are
compared as distributions: each run is reduced to summary statistics of its active, quiet and
jailed series (see ``conformance_stats``), each statistic is compared with a two-sided
Mann-Whitney U test, Holm-corrected at a family-wise alpha of 0.01, and a statistic fails only
if the effect is also more than small (|Cliff's delta| > 0.33).
"""

import numpy as np
import pytest
from conformance_stats import SEEDS, TICKS, all_passed, compare, format_table

import narod

pytestmark = pytest.mark.slow  # Mesa runs 20 seeds first (about a minute)


def _narod(first_seed: int, **overrides) -> dict[str, np.ndarray]:
    spec = narod.load_scenario("epstein-mesa", **overrides)
    runs = [
        narod.simulate(spec, seed=s, ticks=TICKS) for s in range(first_seed, first_seed + SEEDS)
    ]
    out = {name: np.stack([r.column(name) for r in runs]) for name in ("active", "quiet", "jailed")}
    out["n_cops"] = np.array([r.column("cops")[0] for r in runs])
    return out


@pytest.fixture(scope="module")
def mesa(mesa_defaults) -> dict[str, np.ndarray]:
    return mesa_defaults


def test_mesa_preset_agrees_with_mesa(mesa):
    table = compare(mesa, _narod(1000))
    print("\n" + format_table(table))
    assert all_passed(table), format_table(table)


def test_the_comparison_would_catch_a_different_rule(mesa):
    """The same test, run against a deliberately different rule (floor instead of round and
    Euclidean vision), must fail: the agreement above is not for lack of power."""
    table = compare(
        mesa, _narod(1000, **{"arrest_probability.ratio": "floor", "vision.metric": "euclidean"})
    )
    assert not all_passed(table), format_table(table)
