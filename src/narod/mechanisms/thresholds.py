"""Granovetter (1978) threshold models of collective behavior.

Granovetter, M. (1978). "Threshold models of collective behavior."
*American Journal of Sociology* 83(6): 1420-1443.

Each person has a *threshold*: the number (or proportion) of others who must
already be taking part before they will join. The point of the paper is that
the aggregate outcome can depend discontinuously on the threshold
distribution: two crowds with nearly identical thresholds can end in a riot
and in a lone troublemaker. The functions here are pure and deterministic
(given their inputs / seeds) so that this sensitivity can be tested exactly.

Two versions are provided:

* a *global* (well-mixed) version in which everybody sees the total number
  of participants (:func:`cascade`, :func:`equilibrium`,
  :func:`cdf_equilibrium`, :func:`normal_sweep`);
* a *local* version on a torus grid in which each cell only sees the share of
  its Moore neighbours that are active (:func:`local_step`,
  :func:`local_cascade`).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

__all__ = [
    "cascade",
    "cdf_equilibrium",
    "equilibrium",
    "local_cascade",
    "local_step",
    "normal_cdf",
    "normal_sweep",
    "normal_thresholds",
]


# --------------------------------------------------------------------------
# Global (well-mixed) model
# --------------------------------------------------------------------------


def cascade(thresholds: np.ndarray, max_steps: int | None = None) -> np.ndarray:
    """Participation series of the synchronous threshold dynamics.

    Everybody observes how many people took part in the previous round, and
    joins if that number is at least their threshold::

        r(0) = 0,    r(t + 1) = #{i : x_i <= r(t)}.

    Because the right-hand side is a non-decreasing function of ``r(t)`` and
    ``r(1) >= r(0) = 0``, the series is non-decreasing and bounded by ``n``,
    so it reaches a fixed point after at most ``n`` updates. That fixed point
    is the *smallest* fixed point of the map, i.e. the equilibrium reached
    when the crowd starts with nobody acting.

    Parameters
    ----------
    thresholds : np.ndarray
        1-D array of thresholds ``x_i``, expressed as *counts* of other people
        already participating. Non-integer values are allowed (a person with
        threshold 2.5 needs 3 others); thresholds ``<= 0`` are instigators who
        act when nobody else does.
    max_steps : int or None, optional
        Maximum number of updates. ``None`` (default) runs to the fixed point,
        which always takes at most ``n`` updates.

    Returns
    -------
    np.ndarray
        Integer array ``[r(0), r(1), ..., r(T)]`` where ``r(T)`` is the first
        fixed point (``r(T + 1) == r(T)``; the repeated value is not
        appended), or the state after ``max_steps`` updates.

    Examples
    --------
    Granovetter's uniform crowd (thresholds 0, 1, ..., 99) riots completely,
    whereas moving the threshold-1 person to 2 stops it at the instigator:

    >>> int(cascade(np.arange(100))[-1])
    100
    >>> x = np.arange(100); x[1] = 2
    >>> cascade(x).tolist()
    [0, 1]
    """
    x = np.sort(np.asarray(thresholds, dtype=np.float64).ravel())
    if np.isnan(x).any():
        raise ValueError("thresholds must not contain NaN")
    limit = x.size + 1 if max_steps is None else max_steps
    series = [0]
    for _ in range(limit):
        # side="right" counts x_i <= r, i.e. ties join (threshold reached).
        nxt = int(np.searchsorted(x, series[-1], side="right"))
        if nxt == series[-1]:
            break
        series.append(nxt)
    return np.asarray(series, dtype=np.int64)


def equilibrium(thresholds: np.ndarray) -> int:
    """Final number of participants, i.e. the last value of :func:`cascade`.

    Parameters
    ----------
    thresholds : np.ndarray
        Thresholds in counts, as for :func:`cascade`.

    Returns
    -------
    int
        The smallest fixed point of ``r -> #{i : x_i <= r}``.
    """
    return int(cascade(thresholds)[-1])


def cdf_equilibrium(
    cdf: Callable[[float], float],
    start: float = 0.0,
    tol: float = 1e-12,
    max_iter: int = 100_000,
) -> float:
    """Equilibrium proportion of an infinite population with threshold CDF ``F``.

    With infinitely many people, the proportion acting next round is the
    proportion whose threshold is at most the current one, ``r <- F(r)``.
    Iterating from ``start = 0`` climbs monotonically to the smallest fixed
    point ``F(r) = r``. When the CDF is nearly tangent to the diagonal this
    fixed point can vanish under a tiny change in ``F``; the equilibrium then
    jumps to a much higher fixed point, which is Granovetter's central point.

    Parameters
    ----------
    cdf : Callable[[float], float]
        Cumulative distribution of thresholds expressed as *proportions*
        (must be non-decreasing with values in ``[0, 1]``).
    start : float, optional
        Initial proportion acting (default 0).
    tol : float, optional
        Stop once ``|F(r) - r| <= tol``.
    max_iter : int, optional
        Maximum number of iterations. Close to a tangency convergence is slow
        (``O(1/sqrt(distance))`` steps through the bottleneck); if the limit is
        hit the last iterate is returned.

    Returns
    -------
    float
        The first fixed point reached from ``start``.
    """
    r = float(start)
    for _ in range(max_iter):
        nxt = float(cdf(r))
        if abs(nxt - r) <= tol:
            return nxt
        r = nxt
    return r


def normal_cdf(mean: float, sd: float) -> Callable[[float], float]:
    """Return the Normal(mean, sd) CDF as a plain callable (uses ``math.erf``).

    Provided so :func:`cdf_equilibrium` can be used for Granovetter's normal
    example without making SciPy a runtime dependency.
    """
    scale = sd * math.sqrt(2.0)
    return lambda r: 0.5 * (1.0 + math.erf((r - mean) / scale))


def normal_thresholds(n: int, mean: float, sd: float, rng: np.random.Generator) -> np.ndarray:
    """Draw ``n`` thresholds from Normal(mean, sd), in counts.

    Values are kept as floats (no rounding or truncation): Granovetter treats
    negative draws as instigators, and :func:`cascade` already handles both
    fractional and negative thresholds correctly.

    Parameters
    ----------
    n : int
        Population size.
    mean, sd : float
        Mean and standard deviation of the thresholds, in counts of people.
    rng : np.random.Generator
        Source of randomness (passed in so callers control reproducibility).

    Returns
    -------
    np.ndarray
        Float array of shape ``(n,)``.
    """
    return rng.normal(mean, sd, size=n)


def normal_sweep(n: int, mean: float, sds: np.ndarray, replicates: int, seed: int) -> np.ndarray:
    """Mean final participation fraction for each threshold standard deviation.

    This is the finite-population version of Granovetter's Figure 2: as the
    spread of a normal threshold distribution grows past a critical value,
    the outcome flips from almost nobody to almost everybody.

    Parameters
    ----------
    n : int
        Population size.
    mean : float
        Mean threshold, in counts.
    sds : np.ndarray
        Standard deviations to evaluate.
    replicates : int
        Independent populations drawn per standard deviation.
    seed : int
        Root seed. Population ``(i, j)`` (the ``j``-th replicate for
        ``sds[i]``) uses ``SeedSequence(seed).spawn(...)[i].spawn(...)[j]``,
        so its stream depends only on ``(seed, i, j)`` and not on the order of
        evaluation or on how many replicates are requested.

    Returns
    -------
    np.ndarray
        Float array of the same length as ``sds``: mean of
        ``equilibrium / n`` over replicates.
    """
    sds = np.asarray(sds, dtype=np.float64).ravel()
    out = np.empty(sds.size)
    for i, (sd, seq) in enumerate(
        zip(sds, np.random.SeedSequence(seed).spawn(sds.size), strict=True)
    ):
        finals = [
            equilibrium(normal_thresholds(n, mean, sd, np.random.default_rng(s)))
            for s in seq.spawn(replicates)
        ]
        out[i] = np.mean(finals) / n
    return out


# --------------------------------------------------------------------------
# Local model on a torus grid
# --------------------------------------------------------------------------


def _neighbour_counts(active: np.ndarray, radius: int) -> np.ndarray:
    """Number of active Moore neighbours (centre excluded) on a torus.

    Uses a separable box sum: ``2 * (2r + 1)`` rolls instead of
    ``(2r + 1) ** 2``. Integer arithmetic keeps the result exact.
    """
    a = active.astype(np.int32)
    rows = sum(np.roll(a, d, axis=0) for d in range(-radius, radius + 1))
    box = sum(np.roll(rows, d, axis=1) for d in range(-radius, radius + 1))
    return box - a


def local_step(active: np.ndarray, threshold_fraction: np.ndarray, radius: int) -> np.ndarray:
    """One synchronous update of the local threshold model on a torus.

    Each inactive cell joins if the *fraction* of its ``(2r + 1)**2 - 1``
    Moore neighbours that are active is at least its threshold. Active cells
    stay active, as in Granovetter's model where joining is irreversible, so
    the dynamics are monotone and must reach a fixed point.

    Parameters
    ----------
    active : np.ndarray
        Boolean (or 0/1 integer) array of shape ``(H, W)``.
    threshold_fraction : np.ndarray
        Float array of shape ``(H, W)`` with thresholds as proportions of the
        neighbourhood. ``<= 0`` means the cell acts unconditionally; ``> 1``
        means it never joins through neighbours.
    radius : int
        Moore radius ``r >= 1``. Must satisfy ``2r + 1 <= min(H, W)`` so no
        cell is counted twice after wrapping.

    Returns
    -------
    np.ndarray
        New boolean array of shape ``(H, W)``.
    """
    a = np.asarray(active).astype(bool)
    thr = np.asarray(threshold_fraction)
    if a.ndim != 2 or thr.shape != a.shape:
        raise ValueError("active and threshold_fraction must be 2-D, same shape")
    if radius < 1 or 2 * radius + 1 > min(a.shape):
        raise ValueError("need 1 <= radius and 2 * radius + 1 <= min(H, W)")
    k = (2 * radius + 1) ** 2 - 1
    # Compare in float64: count / k is exact for ties like 4/8 == 0.5.
    frac = _neighbour_counts(a, radius) / k
    return a | (frac >= thr.astype(np.float64))


def local_cascade(
    active0: np.ndarray,
    threshold_fraction: np.ndarray,
    radius: int,
    max_steps: int | None = None,
) -> np.ndarray:
    """Number of active cells per step of the local model, to its fixed point.

    Parameters
    ----------
    active0 : np.ndarray
        Initial boolean (or 0/1) array of shape ``(H, W)``.
    threshold_fraction : np.ndarray
        Thresholds as neighbourhood proportions, shape ``(H, W)``.
    radius : int
        Moore radius, as in :func:`local_step`.
    max_steps : int or None, optional
        Maximum number of updates. ``None`` runs to the fixed point, which
        takes at most ``H * W`` updates because activity only grows.

    Returns
    -------
    np.ndarray
        Integer array ``[c(0), c(1), ..., c(T)]`` of active counts, ending at
        the first step with no change (the repeated value is not appended) or
        after ``max_steps`` updates.
    """
    a = np.asarray(active0).astype(bool)
    limit = a.size + 1 if max_steps is None else max_steps
    counts = [int(a.sum())]
    for _ in range(limit):
        nxt = local_step(a, threshold_fraction, radius)
        if int(nxt.sum()) == counts[-1]:  # monotone: same count => same set
            break
        a = nxt
        counts.append(int(a.sum()))
    return np.asarray(counts, dtype=np.int64)
