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


def _february(read: Callable) -> Metric:
    def metric(r: Result) -> float:
        value = read(r.outcome)
        return float("nan") if value is None else float(value)

    return metric


FEBRUARY: dict[str, Metric] = {
    "collapsed": _february(lambda o: float(o.collapse_day is not None)),  # its mean: P(collapse)
    "collapse_day": _february(lambda o: o.collapse_day),
    "killed": _february(lambda o: o.end_of_day("killed", o.days)),
    "killed_and_wounded": _february(
        lambda o: o.end_of_day("killed", o.days) + o.end_of_day("wounded", o.days)
    ),
    "peak_strikers": _february(lambda o: o.series["strikers"].max()),
    **{
        f"strike_fraction_day{d}": _february(lambda o, d=d: o.peak("strike_fraction", d))
        for d in (1, 2, 3)
    },
    "mutinous_fraction_day5_evening": _february(
        lambda o: o.at("garrison_mutinous_fraction", 5, 21.0)
    ),
    "mutinous_fraction_day7": _february(lambda o: o.end_of_day("garrison_mutinous_fraction", 7)),
}

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
    "city": FEBRUARY,
}


def measure(result: Result) -> dict[str, float]:
    """Every metric of the run's model."""
    return {name: f(result) for name, f in METRICS[result.spec.scenario.model].items()}
