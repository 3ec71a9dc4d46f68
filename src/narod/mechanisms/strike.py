"""Strike decisions at the workplace, as thresholds on what the worker sees.

A worker walks out when grievance plus the pull of the own factory's striking share, the
district's, a delegates' call from a striking factory nearby, last night's agitation, a party's
call and yesterday's strike outweigh the threshold and the fear of what the city has seen.
Strikers stay out for the rest of the day (Granovetter's threshold model, local and in time).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from narod.mechanisms.inputs import news_reach
from narod.mechanisms.parties import call_pull
from narod.scenario.city_schema import Strike
from narod.scenario.schema import Spec
from narod.world.people import HOME, STREET, STRIKING, VANGUARD, WORKER
from narod.world.state import CityState


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
    rng,
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
            marching[i] = rng.random() < street_share
            joined += 1
    return joined


MARKS = (0.1, 0.25)  # strike shares told in the chronicle, below the general strike


def striking(s: CityState) -> np.ndarray:
    """Which workers are out (on strike, at home or in the street)."""
    state = s.people.state[: s.workers]  # workers come first in the arrays
    return (state == STRIKING) | (state == STREET)


def morning(s: CityState, spec: Spec) -> None:
    """A new day: yesterday's strikers remember it and are home; the day's peaks start again."""
    if not s.new_day:
        return
    p = s.people
    s.day_peak = 0.0
    s.district_day[:] = 0.0
    worker = p.kind == WORKER
    out = (p.state == STRIKING) | (p.state == STREET)
    p.struck[:] = worker & out
    p.state[out & (p.kind != VANGUARD)] = HOME
    p.loc[:] = np.where(p.state == HOME, p.home, p.loc)
    p.marching[:] = p.kind == VANGUARD


def phase(s: CityState, spec: Spec) -> None:
    """On the hour in working hours, the workers who are in decide whether to walk out."""
    cal, st = s.calendar, spec.strike
    hour = s.hour
    if not (st.enabled and hour == int(hour) and cal.work_from <= hour <= cal.work_until):
        return
    p, layout, n = s.people, s.layout, s.n_sites
    shares = factory_shares(p.state, p.kind, p.factory, len(layout.factories))
    called = delegate_calls(shares, s.factory_xy, st)
    workers = np.bincount(layout.factory_site, layout.factory_workers, n)
    out = np.bincount(layout.factory_site, layout.factory_workers * shares, n)
    district = np.divide(out, workers, out=np.zeros(n), where=workers > 0)
    decide(
        s.rng,
        p.state,
        p.kind,
        p.factory,
        p.home,
        p.party,
        p.struck,
        s.grievance,
        p.threshold,
        p.risk,
        p.marching,
        shares,
        district,
        called,
        s.pull,
        call_pull(s.stances, spec.parties) * news_reach(s, spec),
        s.fear,
        st.grievance_weight,
        st.own_weight,
        st.district_weight,
        st.delegate_weight,
        st.memory,
        st.risk_weight,
        spec.marching.striker_share,
    )


def level(s: CityState, spec: Spec) -> None:
    """The strike's level: the day's peaks, per district and city-wide, and the marks passed."""
    out = striking(s)
    share = float(out.sum()) / max(s.workers, 1)
    s.day_peak = max(s.day_peak, share)
    home = s.people.home[: s.workers]
    s.home_strikers = np.bincount(home, out, s.n_sites)
    everyone = np.bincount(home, minlength=s.n_sites)
    shares = np.divide(s.home_strikers, everyone, out=np.zeros(s.n_sites), where=everyone > 0)
    s.district_day = np.maximum(s.district_day, shares)
    marks = (*MARKS, spec.strike.general_share)
    while s.marks_passed < len(marks) and share >= marks[s.marks_passed]:
        mark = marks[s.marks_passed]
        s.marks_passed += 1
        event = "general_strike" if mark == marks[-1] else f"strike_{round(mark * 100)}pct"
        s.report(event, "city", share * s.workers, "workers")
