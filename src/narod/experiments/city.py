"""Ensembles of the city model: validation against the record and the counterfactual table.

Each run is reduced in its worker to a small summary (the value of every record row, the day of
each milestone, the counterfactual outcomes), so a 20-seed validation at one agent per person
moves kilobytes, not series. Runs go to Dask (a local cluster by default) or run in this process
with ``workers=0``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from narod.engine import simulate
from narod.models.city import CityRecord
from narod.results.city import (
    Reading,
    load_milestones,
    load_observables,
    load_record,
    milestone_rows,
    validation_rows,
    verdict,
)
from narod.results.outcome import outcome as outcome_record
from narod.scenario.episode import episode_folder
from narod.scenario.schema import Spec


@dataclass
class Summary:
    """What one run of the city model says."""

    seed: int
    values: dict[tuple[str, int | None], float]
    milestones: dict[str, int | None]
    collapse_day: int | None
    killed: float
    peak_strikers: float
    outcome: dict  # the run's outcome.json (narod.results.outcome)


def summarise(spec: Spec, seed: int) -> Summary:
    """Run one seed and keep only its summary."""
    outcome: CityRecord = simulate(spec, seed).outcome  # type: ignore[assignment]
    values = {(r["quantity"], r["day"]): float(r["model"]) for r in validation_rows(outcome)}
    return Summary(
        seed=seed,
        values=values,
        milestones={m["milestone"]: m["model_day"] for m in milestone_rows(outcome)},
        collapse_day=Reading(outcome).collapse_day,
        killed=float(outcome.series["killed"][-1]),
        peak_strikers=float(outcome.series["strikers"].max()),
        outcome=outcome_record(outcome, spec.scenario.name, seed, spec.city.scale),
    )


def run_seeds(
    spec: Spec,
    seeds: list[int],
    workers: int | None = None,
    scheduler: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[Summary]:
    """Summaries of ``spec`` over ``seeds``, on Dask unless ``workers == 0``."""
    if workers == 0 and scheduler is None:
        out = []
        for i, seed in enumerate(seeds):
            out.append(summarise(spec, seed))
            if progress:
                progress(i + 1, len(seeds))
        return out
    from distributed import as_completed

    from narod.experiments.runner import dask_client

    with dask_client(workers, scheduler) as client:
        futures = [client.submit(summarise, spec, s, pure=False) for s in seeds]
        done: dict[int, Summary] = {}
        for i, future in enumerate(as_completed(futures)):
            summary = future.result()
            done[summary.seed] = summary
            if progress:
                progress(i + 1, len(seeds))
    return [done[s] for s in seeds]


def interval(values: list[float]) -> tuple[float, float, float]:
    """Median and 90% interval (5th and 95th percentiles)."""
    if not values:
        return (float("nan"),) * 3
    a = np.asarray(values, float)
    return float(np.median(a)), float(np.percentile(a, 5)), float(np.percentile(a, 95))


def validation_table(spec: Spec, summaries: list[Summary]) -> list[dict[str, object]]:
    """Per record row: median and 90% interval of the runs, the range, and in/out (median)."""
    rows = []
    folder = episode_folder(spec.scenario.episode)
    observables = load_observables(folder)
    for r in load_record(folder):
        key = (r.quantity, r.day)
        runs = [s.values[key] for s in summaries if key in s.values]
        if not runs or r.low is None or r.high is None:
            continue
        median, low, high = interval(runs)
        share = float(np.mean([r.low <= v <= r.high for v in runs]))
        rows.append(
            {
                "quantity": r.quantity,
                "day": r.day,
                "median": median,
                "p5": low,
                "p95": high,
                "low": r.low,
                "high": r.high,
                "inside": verdict(observables.get(r.quantity), r.low, r.high, median),
                "runs_inside": share,
                "source": r.source,
            }
        )
    return rows


def milestone_table(spec: Spec, summaries: list[Summary]) -> list[dict[str, object]]:
    """Per milestone: the median day it came, and the share of runs where it fits the record."""
    rows = []
    for m in load_milestones(episode_folder(spec.scenario.episode)):
        days, words = m.days, m.words
        came = [s.milestones[words] for s in summaries]
        seen = [d for d in came if d is not None]
        rows.append(
            {
                "milestone": words,
                "median_day": float(np.median(seen)) if seen else None,
                "share_fitting": float(np.mean([d in days for d in came])),
                "share_happening": len(seen) / len(came),
            }
        )
    return rows


def counterfactual_row(variant: str, summaries: list[Summary]) -> dict[str, object]:
    """The counterfactual table's row for one variant: did the authority fall within the run."""
    fell = [s.collapse_day for s in summaries if s.collapse_day]
    day, day_lo, day_hi = interval([float(d) for d in fell])
    killed, k_lo, k_hi = interval([s.killed for s in summaries])
    peak, p_lo, p_hi = interval([s.peak_strikers for s in summaries])
    return {
        "variant": variant,
        "runs": len(summaries),
        "collapse_probability": len(fell) / len(summaries),
        "collapse_day_median": day,
        "collapse_day_low": day_lo,
        "collapse_day_high": day_hi,
        "killed_median": killed,
        "killed_low": k_lo,
        "killed_high": k_hi,
        "peak_strikers_median": peak,
        "peak_low": p_lo,
        "peak_high": p_hi,
    }
