"""Outburst statistics as Epstein (2002) defines them.

An outburst is a maximal run of ticks with more than ``level`` actives (50 in the paper). Its
*total activation* is the sum of actives over its ticks; the *waiting time* is the number of
quiet ticks between the end of one outburst and the start of the next. Outbursts cut off by the
start or the end of the run are counted but their waiting times are not.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Outbursts:
    """The outbursts of one run."""

    level: int
    starts: np.ndarray  # first tick of each outburst
    ends: np.ndarray  # last tick of each outburst
    activation: np.ndarray  # sum of actives over each outburst
    peaks: np.ndarray  # largest number of actives in each outburst
    waiting_times: np.ndarray  # quiet ticks between consecutive outbursts

    @property
    def count(self) -> int:
        return int(self.starts.size)

    def summary(self) -> dict[str, float]:
        """Counts, means and standard deviations (NaN where there is nothing to average)."""

        def stat(x: np.ndarray, f) -> float:
            return float(f(x)) if x.size else float("nan")

        return {
            "outbursts": self.count,
            "waiting_time_mean": stat(self.waiting_times, np.mean),
            "waiting_time_sd": stat(self.waiting_times, np.std),
            "activation_mean": stat(self.activation, np.mean),
            "activation_sd": stat(self.activation, np.std),
            "peak_max": stat(self.peaks, np.max),
        }


def outbursts(active: np.ndarray, level: int = 50) -> Outbursts:
    """Find the outbursts in a series of active counts."""
    active = np.asarray(active)
    above = active > level
    edges = np.diff(above.astype(np.int8), prepend=0, append=0)
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1) - 1
    sums = np.cumsum(np.concatenate([[0], active]))
    activation = sums[ends + 1] - sums[starts]
    peaks = np.array([active[s : e + 1].max() for s, e in zip(starts, ends, strict=True)], int)
    waits = starts[1:] - ends[:-1] - 1
    return Outbursts(level, starts, ends, activation, peaks, waits)
