"""The women textile workers' walkout of 23 February: an input whose size and timing are set.

Nothing in the model makes them walk out; the scenario says who, where and when, and the rest of
the day's strike has to follow from the other mechanisms.
"""

from __future__ import annotations

import numpy as np

from narod.world.people import HOME, STRIKING, WORKER, Civilians


def walk_out(
    people: Civilians,
    factory_industry: list[str],
    district_site: int,
    industry: str,
    size: int,
    rng: np.random.Generator,
) -> int:
    """Put ``size`` women of the district's ``industry`` factories on strike; returns how many."""
    mills = np.flatnonzero(np.asarray(factory_industry) == industry)
    pool = np.flatnonzero(
        (people.kind == WORKER)
        & people.female
        & (people.home == district_site)
        & (people.state == HOME)
        & np.isin(people.factory, mills)
    )
    chosen = rng.permutation(pool)[:size]
    people.state[chosen] = STRIKING
    people.marching[chosen] = True
    return int(chosen.size)
