"""Named outputs of a run, which ensembles, sweeps and sensitivity analyses refer to by name."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from narod.results.result import Result

Metric = Callable[[Result], float]


def _outbursts(r: Result) -> float:
    return float(r.outbursts().count)


def _col(name: str, reduce: Callable[[np.ndarray], float]) -> Metric:
    return lambda r: float(reduce(r.column(name)))


def _first_extinction(r: Result) -> float:
    a, b = r.column("group_a"), r.column("group_b")
    gone = np.flatnonzero((a == 0) | (b == 0))
    return float(gone[0]) if gone.size else float("nan")


METRICS: dict[str, dict[str, Metric]] = {
    "civil_violence": {
        "outbursts": _outbursts,
        "mean_active": _col("active", np.mean),
        "peak_active": _col("active", np.max),
        "final_jailed": _col("jailed", lambda x: x[-1]),
        "peak_turned_active": _col("turned_active", np.max),
    },
    "communal_violence": {
        "genocide_tick": _first_extinction,
        "killed": _col("killed", np.sum),
        "final_group_a": _col("group_a", lambda x: x[-1]),
        "final_group_b": _col("group_b", lambda x: x[-1]),
    },
    "threshold": {"final_participation": _col("fraction", lambda x: x[-1])},
    "threshold_grid": {"final_participation": _col("fraction", lambda x: x[-1])},
}


def measure(result: Result) -> dict[str, float]:
    """Every metric of the run's model."""
    return {name: f(result) for name, f in METRICS[result.spec.scenario.model].items()}
