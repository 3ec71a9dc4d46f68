"""Epstein's rules, exactly (MODELS.md 1.1 and the acceptance tests of 1.3)."""

import math

import numpy as np
import pytest
from helpers import run

from narod.mechanisms.activation import is_active, net_risk
from narod.mechanisms.arrest_probability import (
    FLOOR,
    K_PAPER,
    LITERAL,
    ROUND,
    actives_seen,
    arrest_probability,
    round_half_even,
)
from narod.mechanisms.grievance import grievance
from narod.mechanisms.jail import (
    LIFE,
    ONE_TO_MAX,
    ZERO_TO_MAX,
    ZERO_TO_MAX_MINUS_ONE,
    term_from_uniform,
)


@pytest.mark.parametrize("rule", [FLOOR, ROUND, LITERAL])
def test_one_cop_one_active_gives_0_8997(rule):
    assert arrest_probability(1, 1, 2.3, rule) == pytest.approx(0.8997, abs=5e-5)


def test_paper_k_gives_exactly_0_9():
    assert K_PAPER == pytest.approx(2.302585, abs=1e-6)
    assert arrest_probability(1, 1, K_PAPER, FLOOR) == pytest.approx(0.9, abs=1e-12)


@pytest.mark.parametrize("rule", [FLOOR, ROUND, LITERAL])
@pytest.mark.parametrize("actives", [1, 2, 50])
def test_no_cops_no_risk(rule, actives):
    assert arrest_probability(0, actives, 2.3, rule) == 0.0


def test_ratio_rules_differ_as_documented():
    # C/A = 1/2: floor -> 0, round (half to even) -> 0, literal -> 0.5
    assert arrest_probability(1, 2, 2.3, FLOOR) == 0.0
    assert arrest_probability(1, 2, 2.3, ROUND) == 0.0
    assert arrest_probability(1, 2, 2.3, LITERAL) == pytest.approx(1 - math.exp(-1.15))
    # C/A = 3/2: floor -> 1, round -> 2 (Python's round(1.5) == 2)
    assert arrest_probability(3, 2, 2.3, FLOOR) == pytest.approx(1 - math.exp(-2.3))
    assert arrest_probability(3, 2, 2.3, ROUND) == pytest.approx(1 - math.exp(-4.6))


@pytest.mark.parametrize("x", [0.0, 0.4, 0.5, 1.5, 2.5, 3.5, 2.6, 7.0, 10.5])
def test_round_matches_python(x):
    assert round_half_even(x) == round(x)


def test_boundary_is_quiet():
    g, t = 0.3, 0.1
    n = g - t
    assert not is_active(g, n, t)
    assert is_active(g, n - 1e-12, t)


def test_grievance_and_net_risk():
    assert grievance(0.5, 0.8) == pytest.approx(0.1)
    assert net_risk(0.5, 0.9, 1.0) == pytest.approx(0.45)
    assert net_risk(0.5, 0.0, math.inf) == 0.0  # no 0 * inf with life terms


def test_self_counting():
    assert actives_seen(3, True, 0) == 4  # once: the paper and Mesa
    assert actives_seen(3, False, 0) == 4
    assert actives_seen(3, True, 1) == 5  # NetLogo counts an active agent's own patch too
    assert actives_seen(3, False, 1) == 4


def test_jail_draws_cover_their_ranges():
    u = np.linspace(0, 1, 10001, endpoint=False)
    assert {term_from_uniform(x, 30, ZERO_TO_MAX) for x in u} == set(range(31))
    assert {term_from_uniform(x, 30, ZERO_TO_MAX_MINUS_ONE) for x in u} == set(range(30))
    assert {term_from_uniform(x, 30, ONE_TO_MAX) for x in u} == set(range(1, 31))
    assert term_from_uniform(0.3, -1, ZERO_TO_MAX) == LIFE


@pytest.mark.parametrize("preset", ["paper", "netlogo", "mesa"])
@pytest.mark.parametrize("activation", ["sequential", "synchronous"])
@pytest.mark.parametrize("legitimacy", [0.9, 0.95])
def test_nobody_ever_rebels_at_high_legitimacy(preset, activation, legitimacy):
    result = run(
        "epstein-2",
        seed=3,
        ticks=150,
        **{
            "scenario.preset": preset,
            "scenario.activation": activation,
            "grievance.legitimacy": legitimacy,
            "population.cop_density": 0.0,
        },
    )
    assert result.column("active").max() == 0
    assert result.column("jailed").max() == 0


def test_without_cops_everyone_aggrieved_enough_is_active():
    for activation in ("sequential", "synchronous"):
        result = run("epstein-mesa", seed=1, ticks=2, **{"scenario.activation": activation,
                     "population.cop_density": 0.0})  # fmt: skip
        quiet, active = result.column("quiet"), result.column("active")
        # G = H (1 - 0.8) > 0.1 iff H > 0.5: about half, and exactly the same set each tick
        assert active[1] == active[2] > 0
        assert abs(active[1] / (active[1] + quiet[1]) - 0.5) < 0.06
