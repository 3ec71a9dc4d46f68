"""Time-varying inputs: a scenario's ``[[schedule]]`` entries turned into one value per tick."""

from __future__ import annotations

import numpy as np

from narod.scenario.schema import Spec


def curve(spec: Spec, key: str, ticks: int) -> np.ndarray:
    """Value of ``key`` (``section.name``) at ticks 0..ticks.

    Before an entry's first tick the file's own value holds; after its last tick the last value
    holds. ``linear`` interpolates between points, ``step`` holds each value until the next.
    """
    section, name = key.split(".")
    values = np.full(ticks + 1, float(getattr(getattr(spec, section), name)))
    t = np.arange(ticks + 1)
    for entry in spec.schedule:
        if entry.key != key:
            continue
        points = np.asarray(entry.ticks)
        levels = np.asarray(entry.values, dtype=float)
        later = t >= points[0]
        if entry.interpolation == "linear":
            values[later] = np.interp(t[later], points, levels)
        else:
            values[later] = levels[np.searchsorted(points, t[later], side="right") - 1]
    return values
