"""Paired comparisons: the effect of a change measured on the same seeds with and without it.

Run ``i`` of a variant and run ``i`` of its baseline share a seed (and, in a sample over
parameters, the same point), so their difference removes most of the noise the two runs have in
common. The effect is the mean paired difference; its 90 % interval is a percentile bootstrap
over the pairs (Efron & Tibshirani 1993, ch. 13).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

BOOTSTRAP = 2000  # resamples; enough for the 5th and 95th percentiles to settle
MIN_PAIRS = 3  # fewer pairs give an effect but no interval


class Effect(NamedTuple):
    """A paired effect: the baseline's mean, the mean difference and its 90 % interval."""

    baseline: float
    effect: float
    low: float
    high: float
    pairs: int


def pairs(baseline: dict[int, float], variant: dict[int, float]) -> np.ndarray:
    """(baseline, variant) per run index both have, with a finite value, in index order."""
    both = sorted(
        i for i in baseline.keys() & variant.keys()
        if np.isfinite(baseline[i]) and np.isfinite(variant[i])
    )  # fmt: skip
    return np.asarray([(baseline[i], variant[i]) for i in both], float).reshape(-1, 2)


def paired_effect(baseline: dict[int, float], variant: dict[int, float]) -> Effect:
    """The mean of ``variant - baseline`` over shared runs, with a bootstrap 90 % interval
    (none from fewer than ``MIN_PAIRS`` pairs)."""
    both = pairs(baseline, variant)
    n = len(both)
    if n == 0:
        return Effect(float("nan"), float("nan"), float("nan"), float("nan"), 0)
    diff = both[:, 1] - both[:, 0]
    if n < MIN_PAIRS:
        return Effect(float(both[:, 0].mean()), float(diff.mean()), float("nan"), float("nan"), n)
    rng = np.random.default_rng(0)  # a fixed stream: the same runs give the same interval
    means = diff[rng.integers(0, n, (BOOTSTRAP, n))].mean(axis=1)
    low, high = np.percentile(means, [5, 95])
    return Effect(float(both[:, 0].mean()), float(diff.mean()), float(low), float(high), n)


def point_effects(
    baseline: dict[int, float], variant: dict[int, float], replicates: int
) -> np.ndarray:
    """The mean paired difference at each point of a sample (runs ``p * replicates + r``);
    NaN where a point has no valid pair."""
    points = {i // replicates for i in baseline.keys() | variant.keys()}
    out = np.full(max(points, default=-1) + 1, np.nan)
    for p in points:
        runs = range(p * replicates, (p + 1) * replicates)
        both = pairs({i: baseline[i] for i in runs if i in baseline},
                     {i: variant[i] for i in runs if i in variant})  # fmt: skip
        if len(both):
            out[p] = float(np.mean(both[:, 1] - both[:, 0]))
    return out


def same_sign_share(effect: float, at_points: np.ndarray) -> float:
    """Share of the sample's points whose effect has the sign of ``effect`` (zero is a sign)."""
    valid = at_points[np.isfinite(at_points)]
    if not np.isfinite(effect) or valid.size == 0:
        return float("nan")
    return float(np.mean(np.sign(valid) == np.sign(effect)))


def detected(e: Effect) -> int:
    """+1 or -1 when the 90 % interval lies on one side of zero, else 0."""
    if not e.pairs or not (np.isfinite(e.low) and np.isfinite(e.high)):
        return 0
    return 1 if e.low > 0 else -1 if e.high < 0 else 0
