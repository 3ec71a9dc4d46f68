"""Strike decisions at the workplace, as thresholds on what the worker sees.

A worker walks out when grievance plus the pull of the own factory's striking share, the
district's, a delegates' call from a striking factory nearby, last night's agitation, a party's
call and yesterday's strike outweigh the threshold and the fear of what the city has seen.
Strikers stay out for the rest of the day (Granovetter's threshold model, local and in time).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from narod.scenario.city_schema import Strike
from narod.world.people import STRIKING, WORKER


def factory_shares(
    state: np.ndarray, kind: np.ndarray, factory: np.ndarray, n_factories: int
) -> np.ndarray:
    """Striking share of each factory's workforce."""
    workers = kind == WORKER
    out = np.bincount(factory[workers], minlength=n_factories).astype(np.float64)
    striking = np.bincount(factory[workers & (state == STRIKING)], minlength=n_factories)
    return np.divide(striking, out, out=np.zeros(n_factories), where=out > 0)


def delegate_calls(shares: np.ndarray, factory_xy: np.ndarray, rules: Strike) -> np.ndarray:
    """Factories called out by delegates of the nearest factories on strike."""
    called = np.zeros(shares.size, bool)
    if rules.delegate_reach == 0:
        return called
    for f in np.flatnonzero(shares >= rules.delegate_share):
        distance = np.hypot(*(factory_xy - factory_xy[f]).T)
        distance[f] = np.inf
        called[np.argsort(distance)[: rules.delegate_reach]] = True
    return called


@njit(cache=True)
def decide(
    state,
    kind,
    factory,
    home,
    party,
    struck,
    grievance,
    threshold,
    risk,
    marching,
    factory_share,
    district_share,
    called,
    agitation,
    party_pull,
    fear,
    w_grievance,
    w_own,
    w_district,
    w_delegate,
    memory,
    w_risk,
    street_share,
):
    """Workers not yet out decide; returns how many walked out."""
    joined = 0
    for i in range(state.size):
        if kind[i] != WORKER or state[i] != 0:
            continue
        f = factory[i]
        pull = (
            w_grievance * grievance[i]
            + w_own * factory_share[f]
            + w_district * district_share[home[i]]
            + w_delegate * called[f]
            + agitation[home[i]]
            + memory * struck[i]
        )
        if party[i] >= 0:
            pull += party_pull[party[i]]
        if pull - w_risk * risk[i] * fear > threshold[i]:
            state[i] = STRIKING
            marching[i] = np.random.random() < street_share
            joined += 1
    return joined
