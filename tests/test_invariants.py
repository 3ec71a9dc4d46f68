"""Invariants that hold for every run (Hypothesis): conservation, one agent per cell, no negative
count, one seed fixes a run whatever the number of threads."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import narod
from narod.models.epstein import EpsteinRun

specs = st.fixed_dictionaries(
    {
        "grid.width": st.integers(8, 30),
        "grid.height": st.integers(8, 30),
        "population.citizen_density": st.floats(0.0, 0.8),
        "population.cop_density": st.floats(0.0, 0.15),
        "grievance.legitimacy": st.floats(0.0, 1.0),
        "vision.citizen": st.sampled_from([1.0, 1.7, 2.0, 3.0]),
        "vision.cop": st.sampled_from([1.0, 1.7, 2.0, 3.0]),
        "jail.max_term": st.sampled_from([0, 1, 5, 30, float("inf")]),
        "scenario.preset": st.sampled_from(["paper", "netlogo", "mesa"]),
        "scenario.activation": st.sampled_from(["sequential", "synchronous"]),
        "movement.enabled": st.booleans(),
    }
)


def _spec(overrides: dict, model: str = "epstein-2") -> narod.Spec:
    return narod.load_scenario(model, **overrides)


@pytest.mark.slow
@given(specs, st.integers(0, 2**32 - 1))
def test_world_stays_consistent_and_agents_are_conserved(overrides, seed):
    spec = _spec(overrides)
    run = EpsteinRun(spec, seed, 30)
    citizens = run.world.citizens_alive()
    cops = run.world.cops_on_duty()
    for until in (1, 2, 5, 30):
        run.advance(until)
        run.world.check()
    counts = run.counts
    assert (counts >= 0).all()
    assert (counts[:, 0] + counts[:, 1] + counts[:, 2] == citizens).all()  # active+quiet+jailed
    assert (counts[:, 3] == cops).all()
    assert run.world.citizens_alive() == citizens


@given(specs, st.integers(0, 2**32 - 1))
def test_same_seed_same_run_on_one_and_two_threads(overrides, seed):
    spec = _spec(overrides)
    one = narod.simulate(spec, seed=seed, ticks=25, threads=1)
    two = narod.simulate(spec, seed=seed, ticks=25, threads=2)
    again = narod.simulate(spec, seed=seed, ticks=25, threads=2)
    assert one.table.equals(two.table)
    assert two.table.equals(again.table)


def test_a_different_seed_gives_a_different_run():
    spec = _spec({})
    a = narod.simulate(spec, seed=1, ticks=100).column("active")
    b = narod.simulate(spec, seed=2, ticks=100).column("active")
    assert not np.array_equal(a, b)


@given(
    st.floats(0.0, 0.1),
    st.floats(0.5, 1.0),
    st.sampled_from(["epstein-6", "epstein-7", "epstein-8"]),
    st.integers(0, 2**32 - 1),
)
def test_communal_counts_balance(cop_density, legitimacy, name, seed):
    """Model II: living = previous living + births - killed - deaths, and cells stay consistent."""
    spec = _spec({"population.cop_density": cop_density, "grievance.legitimacy": legitimacy,
                  "grid.width": 20, "grid.height": 20}, name)  # fmt: skip
    run = EpsteinRun(spec, seed, 40)
    run.advance(40)
    run.world.check()
    c = run.counts
    living = c[:, 0] + c[:, 1]
    assert (c >= 0).all()
    assert np.array_equal(living[1:], living[:-1] + c[1:, 6] - c[1:, 5] - c[1:, 7])


def test_scheduled_cops_are_deployed_and_withdrawn():
    spec = narod.load_scenario("epstein-5", **{"grid.width": 30, "grid.height": 30})
    run = EpsteinRun(spec, 4, 600)
    run.advance(600)
    run.world.check()
    cops = run.counts[:, 3]
    assert cops[0] == round(0.074 * 900)
    assert cops[-1] == round(0.01 * 900)
    assert (np.diff(cops[50:551]) <= 0).all()  # never back up
    assert cops[0] > cops[300] > cops[-1]  # and under way half-way, not one drop at the end


def test_tall_grids_split_into_bands_give_the_same_run_on_one_and_two_threads():
    """Moves are settled band by band (64+ rows each); several bands must not race."""
    spec = _spec({"grid.width": 60, "grid.height": 300, "scenario.activation": "synchronous",
                  "scenario.preset": "mesa"})  # fmt: skip
    one = narod.simulate(spec, seed=3, ticks=15, threads=1)
    two = narod.simulate(spec, seed=3, ticks=15, threads=2)
    assert one.table.equals(two.table)
    run = EpsteinRun(spec, 3, 15)
    run.advance(15)
    run.world.check()
