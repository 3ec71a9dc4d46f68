"""Tests for Granovetter (1978) threshold models (narod.mechanisms.thresholds)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy.optimize import brentq
from scipy.stats import norm

from narod.mechanisms.thresholds import (
    cascade,
    cdf_equilibrium,
    equilibrium,
    local_cascade,
    local_step,
    normal_cdf,
    normal_sweep,
    normal_thresholds,
)

# ---------------------------------------------------------------- strategies

# Thresholds in counts: mix integers (to create ties with r) and floats,
# including negatives (instigators) and values above n (never join).
threshold_values = st.one_of(
    st.integers(-3, 40).map(float),
    st.floats(-3.0, 40.0, allow_nan=False),
)
threshold_arrays = hnp.arrays(np.float64, st.integers(0, 40), elements=threshold_values)


def brute_force_series(x: np.ndarray) -> list[int]:
    """Naive O(n^2) simulation of r(t+1) = #{i : x_i <= r(t)}, no sorting."""
    series = [0]
    while True:
        nxt = sum(1 for xi in x if xi <= series[-1])
        if nxt == series[-1]:
            return series
        series.append(nxt)


def least_fixed_point(x: np.ndarray) -> int:
    """Smallest r in 0..n with #{i : x_i <= r} == r, by exhaustive search."""
    for r in range(len(x) + 1):
        if sum(1 for xi in x if xi <= r) == r:
            return r
    raise AssertionError("r = n is always a fixed point or below one")


# ------------------------------------------------------- Granovetter examples


def test_uniform_example_riots_completely():
    series = cascade(np.arange(100))
    assert series.tolist() == list(range(101))
    assert equilibrium(np.arange(100)) == 100


def test_perturbed_uniform_example_stops_at_instigator():
    x = np.arange(100)
    x[1] = 2  # the threshold-1 person now needs two others
    assert cascade(x).tolist() == [0, 1]
    assert equilibrium(x) == 1


def test_no_instigator_means_nothing_happens():
    assert cascade(np.array([1.0, 1.0, 2.0])).tolist() == [0]


def test_fractional_and_negative_thresholds():
    # -0.5 acts alone; 0.5 needs one other; 1.5 needs two; 3.5 needs four
    # others, but only three exist, so it never joins.
    assert cascade(np.array([-0.5, 0.5, 1.5, 3.5])).tolist() == [0, 1, 2, 3]
    # 3.0 is reached exactly when the other three act (ties join).
    assert cascade(np.array([-0.5, 0.5, 1.5, 3.0])).tolist() == [0, 1, 2, 3, 4]


def test_max_steps_truncates_to_prefix():
    full = cascade(np.arange(100))
    assert cascade(np.arange(100), max_steps=10).tolist() == full[:11].tolist()
    assert cascade(np.arange(100), max_steps=0).tolist() == [0]


# ------------------------------------------------------- properties (global)


@given(threshold_arrays)
def test_cascade_monotone_and_bounded(x):
    series = cascade(x)
    assert series[0] == 0
    assert np.all(np.diff(series) > 0)  # strictly increasing until it stops
    assert np.all(series <= x.size)


@given(threshold_arrays)
def test_cascade_matches_naive_simulation(x):
    assert cascade(x).tolist() == brute_force_series(x)


@given(threshold_arrays)
def test_equilibrium_is_least_fixed_point(x):
    r = equilibrium(x)
    assert r == least_fixed_point(x)
    assert np.sum(x <= r) == r


@given(threshold_arrays, st.randoms(use_true_random=False))
def test_equilibrium_ignores_order_of_people(x, rnd):
    perm = x.copy()
    rnd.shuffle(perm)
    assert cascade(perm).tolist() == cascade(x).tolist()


# ----------------------------------------------------- infinite population


MEAN = 0.25


def analytic_critical_sd(mean: float) -> float:
    """Tangency of the normal CDF with the diagonal.

    At the critical sd the lower fixed point r = Phi(z), z = (r - mean) / sd,
    is also a tangency, phi(z) / sd = 1. Eliminating r and sd gives
    Phi(z) - z * phi(z) = mean, and then sd = phi(z).
    """
    z = brentq(lambda z: norm.cdf(z) - z * norm.pdf(z) - mean, -10.0, 0.0)
    return float(norm.pdf(z))


def measured_critical_sd(mean: float) -> float:
    """Bisect the jump of cdf_equilibrium (uses the package's erf-based CDF)."""
    lo, hi = 0.05, 0.2
    assert cdf_equilibrium(normal_cdf(mean, lo)) < 0.5
    assert cdf_equilibrium(normal_cdf(mean, hi)) > 0.5
    for _ in range(40):
        mid = 0.5 * (lo + hi)
        if cdf_equilibrium(normal_cdf(mean, mid)) > 0.5:
            hi = mid
        else:
            lo = mid
    return 0.5 * (lo + hi)


def test_normal_cdf_matches_scipy():
    for sd in (0.05, 0.122, 0.3):
        for r in np.linspace(-0.5, 1.5, 21):
            assert normal_cdf(MEAN, sd)(r) == pytest.approx(norm.cdf(r, MEAN, sd), abs=1e-12)


def test_cdf_equilibrium_is_a_fixed_point():
    for sd in (0.05, 0.1, 0.2, 0.5):
        f = normal_cdf(MEAN, sd)
        r = cdf_equilibrium(f)
        assert f(r) == pytest.approx(r, abs=1e-9)
        below = np.linspace(0.0, r, 200, endpoint=False)[1:]
        assert all(f(x) > x for x in below)  # the first crossing from below: nothing stops earlier


def test_cdf_equilibrium_accepts_scipy_callable():
    r_scipy = cdf_equilibrium(lambda r: norm.cdf(r, MEAN, 0.2))
    r_erf = cdf_equilibrium(normal_cdf(MEAN, 0.2))
    assert r_scipy == pytest.approx(r_erf, abs=1e-9)


def test_cdf_equilibrium_discontinuity_near_granovetter_sigma():
    # Measured: 0.12222086837 (bisection of cdf_equilibrium);
    # analytic tangency: 0.12222086827. Granovetter (1978) reports ~0.122.
    crit = measured_critical_sd(MEAN)
    assert 0.10 <= crit <= 0.13
    assert crit == pytest.approx(analytic_critical_sd(MEAN), abs=1e-6)
    below = cdf_equilibrium(normal_cdf(MEAN, crit - 1e-3))
    above = cdf_equilibrium(normal_cdf(MEAN, crit + 1e-3))
    assert below < 0.1  # ~0.05: a handful of instigators
    assert above > 0.9  # ~1.0: essentially everybody


# ------------------------------------------------------- finite population


def test_normal_thresholds_shape_and_moments():
    x = normal_thresholds(100_000, 25.0, 10.0, np.random.default_rng(0))
    assert x.shape == (100_000,)
    assert x.dtype == np.float64
    assert x.mean() == pytest.approx(25.0, abs=0.2)
    assert x.std() == pytest.approx(10.0, abs=0.2)
    assert (x < 0).any()  # negatives (instigators) are kept, not clipped


def test_normal_sweep_jump_between_sd_8_and_16():
    # Measured with 200 replicates, seed 0 (seed 1 in brackets):
    # sd 8 -> 0.001 (0.001), sd 12 -> 0.18 (0.15), sd 13 -> 0.39 (0.44),
    # sd 14 -> 0.66 (0.61), sd 16 -> 0.90 (0.91), sd 20 -> 0.995 (1.0).
    # The finite-n crossover (mean 0.5) sits near sd 13.5, a little above
    # the infinite-population 12.2 because n=100 has few instigators.
    low, high = normal_sweep(100, 25.0, np.array([8.0, 16.0]), 100, seed=0)
    assert low < 0.3
    assert high > 0.7


def test_normal_sweep_reproducible_and_prefix_stable():
    sds = np.array([6.0, 12.0, 18.0])
    a = normal_sweep(100, 25.0, sds, 20, seed=42)
    assert np.array_equal(a, normal_sweep(100, 25.0, sds, 20, seed=42))
    # Stream for (sd index i, replicate j) depends only on (seed, i, j).
    assert np.array_equal(a[:2], normal_sweep(100, 25.0, sds[:2], 20, seed=42))
    assert not np.array_equal(a, normal_sweep(100, 25.0, sds, 20, seed=43))


# ------------------------------------------------------------- local model


def brute_force_local_step(active, thr, radius):
    h, w = active.shape
    k = (2 * radius + 1) ** 2 - 1
    out = active.astype(bool).copy()
    for i in range(h):
        for j in range(w):
            c = sum(
                bool(active[(i + dy) % h, (j + dx) % w])
                for dy in range(-radius, radius + 1)
                for dx in range(-radius, radius + 1)
                if (dy, dx) != (0, 0)
            )
            out[i, j] |= c / k >= float(thr[i, j])
    return out


@st.composite
def local_problems(draw):
    h = draw(st.integers(3, 9))
    w = draw(st.integers(3, 9))
    radius = draw(st.integers(1, (min(h, w) - 1) // 2))
    active = draw(hnp.arrays(np.bool_, (h, w)))
    k = (2 * radius + 1) ** 2 - 1
    thr_el = st.one_of(
        st.integers(0, k).map(lambda c: c / k),  # exact ties with count / k
        st.floats(-0.25, 1.25, width=32),
    )
    thr = draw(hnp.arrays(np.float32, (h, w), elements=thr_el))
    return active, thr, radius


def seed_grid(h=11, w=13):
    a = np.zeros((h, w), dtype=bool)
    a[h // 2, w // 2] = True
    return a


def test_single_seed_zero_thresholds_fills_grid():
    a = seed_grid()
    counts = local_cascade(a, np.zeros(a.shape, np.float32), radius=1)
    assert counts.tolist() == [1, a.size]


def test_single_seed_spreads_as_growing_square():
    # Threshold 1/8: one active neighbour suffices, so the active set after t
    # steps is the (2t+1) x (2t+1) square until it wraps around the torus.
    a = seed_grid(11, 13)
    thr = np.full(a.shape, 1 / 8, np.float32)
    counts = local_cascade(a, thr, radius=1)
    assert counts.tolist() == [1, 9, 25, 49, 81, 121, 143]


def test_thresholds_above_one_never_spread():
    a = seed_grid()
    thr = np.full(a.shape, 1.01, np.float32)
    assert local_cascade(a, thr, radius=2).tolist() == [1]
    assert np.array_equal(local_step(a, thr, 2), a)


@settings(max_examples=200)
@given(local_problems())
def test_local_step_matches_brute_force(problem):
    active, thr, radius = problem
    out = local_step(active, thr, radius)
    assert out.shape == active.shape and out.dtype == np.bool_
    assert np.array_equal(out, brute_force_local_step(active, thr, radius))


@given(local_problems())
def test_local_cascade_conserves_cells_and_is_monotone(problem):
    active, thr, radius = problem
    counts = local_cascade(active, thr, radius)
    assert counts[0] == active.sum()
    assert np.all(np.diff(counts) > 0)
    assert np.all((0 <= counts) & (counts <= active.size))
    out = local_step(active, thr, radius)
    assert np.all(out[active])  # nobody drops out


@given(local_problems(), st.integers(-5, 5), st.integers(-5, 5))
def test_local_step_deterministic_and_translation_equivariant(problem, dy, dx):
    active, thr, radius = problem
    out = local_step(active, thr, radius)
    assert np.array_equal(out, local_step(active.copy(), thr.copy(), radius))
    rolled = local_step(np.roll(active, (dy, dx), (0, 1)), np.roll(thr, (dy, dx), (0, 1)), radius)
    assert np.array_equal(rolled, np.roll(out, (dy, dx), (0, 1)))


def test_local_step_accepts_uint8_and_rejects_bad_radius():
    a = seed_grid(5, 5)
    thr = np.zeros((5, 5), np.float32)
    assert np.array_equal(local_step(a.astype(np.uint8), thr, 1), local_step(a, thr, 1))
    with pytest.raises(ValueError):
        local_step(a, thr, 3)  # 7 > 5: neighbours would be double counted
