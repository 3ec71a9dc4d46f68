"""Granovetter's threshold model: well-mixed (``threshold``) or on a torus (``threshold_grid``).

In the well-mixed model thresholds are counts of other participants; on the grid they are
fractions of the Moore neighbours (``thresholds.mean`` and ``.sd`` are then fractions too).
"""

from __future__ import annotations

import numpy as np

from narod.mechanisms import thresholds as th
from narod.scenario.schema import Spec


def draw_thresholds(spec: Spec, gen: np.random.Generator, n: int) -> np.ndarray:
    """The thresholds of ``n`` people from the scenario's distribution."""
    t = spec.thresholds
    if t.distribution == "list":
        return np.asarray(t.values, dtype=float)
    if t.distribution == "uniform":
        if spec.scenario.model == "threshold":
            return np.arange(n, dtype=float)  # Granovetter's 0, 1, ..., n-1
        return gen.random(n)
    return th.normal_thresholds(n, t.mean, t.sd, gen)


def _padded(series: np.ndarray, ticks: int) -> np.ndarray:
    """The cascade held at its fixed point up to ``ticks``."""
    out = np.full(ticks + 1, series[-1] if series.size else 0, dtype=np.int64)
    out[: min(series.size, ticks + 1)] = series[: ticks + 1]
    return out


def run(spec: Spec, seed: int, ticks: int) -> tuple[dict[str, np.ndarray], int, int]:
    """The participation series; returns (series, person-steps, people)."""
    gen = np.random.default_rng(np.random.SeedSequence(seed))
    if spec.scenario.model == "threshold":
        n = (
            len(spec.thresholds.values)
            if spec.thresholds.distribution == "list"
            else spec.thresholds.n
        )
        series = th.cascade(draw_thresholds(spec, gen, n), max_steps=ticks)
    else:
        h, w = spec.grid.height, spec.grid.width
        n = h * w
        fractions = draw_thresholds(spec, gen, n).reshape(h, w)
        active = np.zeros((h, w), dtype=bool)
        instigators = gen.choice(n, size=min(spec.thresholds.seeds, n), replace=False)
        active.ravel()[instigators] = True
        series = th.local_cascade(active, fractions, spec.thresholds.radius, max_steps=ticks)
    participating = _padded(np.asarray(series), ticks)
    out = {
        "tick": np.arange(ticks + 1),
        "participating": participating,
        "fraction": participating / max(n, 1),
    }
    return out, n * ticks, n
