"""Named outputs of a run, which ensembles, sweeps and sensitivity analyses refer to by name."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from narod.results.city import Reading, load_observables, load_record
from narod.results.result import Result
from narod.scenario.episode import episode_folder
from narod.scenario.schema import Spec

Metric = Callable[[Result], float]


def _outbursts(r: Result) -> float:
    return float(r.outbursts().count)


def _col(name: str, reduce: Callable[[np.ndarray], float]) -> Metric:
    return lambda r: float(reduce(r.column(name)))


def _first_extinction(r: Result) -> float:
    a, b = r.column("group_a"), r.column("group_b")
    gone = np.flatnonzero((a == 0) | (b == 0))
    return float(gone[0]) if gone.size else float("nan")


def _city(read: Callable[[Reading], float | None]) -> Metric:
    def metric(r: Result) -> float:
        value = read(Reading(r.outcome))
        return float("nan") if value is None else float(value)

    return metric


CITY: dict[str, Metric] = {
    "collapsed": _city(lambda o: float(o.collapse_day is not None)),  # its mean: P(collapse)
    "collapse_day": _city(lambda o: o.collapse_day),
    "killed": _city(lambda o: o.end_of_day("killed", o.days)),
    "killed_and_wounded": _city(
        lambda o: o.end_of_day("killed", o.days) + o.end_of_day("wounded", o.days)
    ),
    "peak_strikers": _city(lambda o: o.series["strikers"].max()),
    "peak_on_streets": _city(lambda o: o.series["on_streets"].max()),
}


def record_metrics(spec: Spec) -> dict[str, Metric]:
    """One metric per record row the episode's model speaks to: ``QUANTITY_dayN`` (or
    ``QUANTITY`` for a whole-episode total), read as its observable says."""
    folder = episode_folder(spec.scenario.episode)
    observables = load_observables(folder)
    out: dict[str, Metric] = {}
    for row in load_record(folder):
        obs = observables.get(row.quantity)
        if obs is None:
            continue
        name = row.quantity if row.day is None else f"{row.quantity}_day{row.day}"
        name = name.replace(":", "_")
        out[name] = _city(lambda o, obs=obs, day=row.day: o.value(obs, day))
    return out


def metrics_for(spec: Spec) -> dict[str, Metric]:
    """The named metrics of a scenario's model (for a city episode, also its record's rows)."""
    if spec.scenario.model == "city":
        return {**CITY, **record_metrics(spec)}
    return METRICS[spec.scenario.model]


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
    return {name: f(result) for name, f in metrics_for(result.spec).items()}
