"""Street movement: who goes out, the march to the gathering places, bridges held, ice crossed.

Strikers who chose to march, and students and residents whose grievance and the crowd in their
district outweigh their threshold and their fear, go out in the day's marching hours and walk one
site per tick along the shortest route to their square. A bridge held by a loyal force stops them;
where the river is frozen, each tick some of those held cross the ice beside it. At the end
of the day they go home.
The same pass applies what happened at each site this tick (killed, wounded, arrested,
dispersed, armed) and counts the crowds with their composition. A crowd that holds a square at
dusk may stay the night there (see :mod:`narod.mechanisms.occupation`).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from narod.mechanisms.inputs import curfew_now
from narod.mechanisms.occupation import leaving
from narod.scenario.schema import Spec
from narod.world.people import (
    ARRESTED,
    HOME,
    KILLED,
    RESIDENT,
    STREET,
    STRIKING,
    STUDENT,
    WORKER,
    WOUNDED,
)
from narod.world.state import (
    ARMED,
    CROWD,
    KIN,
    OLD,
    P_ARM,
    P_ARREST,
    P_DISPERSE,
    P_KILL,
    P_WOUND,
    WOMEN,
    CityState,
)


@njit(cache=True)
def step(
    rng,
    kind,
    female,
    stays_home,
    old,
    kin,
    home,
    state,
    loc,
    target,
    armed,
    marching,
    grievance,
    risk,
    threshold,
    outcome,
    blocked,
    next_hop,
    district_street,
    fear,
    join_now,
    leave,
    crowd_pull,
    student_bonus,
    ice_rate,
    counts,
    tally,
    crossed,
):
    """One tick for every civilian; fills ``counts`` (site x column) and ``tally``."""
    counts[:] = 0
    tally[:] = 0
    crossed[:] = 0
    for i in range(state.size):
        s = state[i]
        if s == STREET:
            here = loc[i]
            u = rng.random()
            p = outcome[here]
            if u < p[P_KILL]:
                state[i] = KILLED
                tally[here, P_KILL] += 1
                continue
            u -= p[P_KILL]
            if u < p[P_WOUND]:
                state[i] = WOUNDED
                tally[here, P_WOUND] += 1
                continue
            u -= p[P_WOUND]
            if u < p[P_ARREST]:
                state[i] = ARRESTED
                tally[here, P_ARREST] += 1
                continue
            u -= p[P_ARREST]
            going = leave[here] >= 1.0 or (leave[here] > 0.0 and rng.random() < leave[here])
            if u < p[P_DISPERSE] or going:
                state[i] = STRIKING if kind[i] == WORKER or marching[i] else HOME
                marching[i] = False
                loc[i] = home[i]
                tally[here, P_DISPERSE] += 1
                continue
            if not armed[i] and rng.random() < p[P_ARM]:
                armed[i] = True
                tally[here, P_ARM] += 1
            goal = target[i]
            if here != goal:
                step_to = next_hop[goal, here]
                if step_to >= 0:
                    if blocked[here]:
                        if rng.random() < ice_rate:
                            loc[i] = step_to
                            crossed[here] += 1
                    else:
                        loc[i] = step_to
        elif stays_home[i]:
            pass
        elif join_now and s == STRIKING and marching[i]:
            state[i] = STREET
        elif join_now and s == HOME and (kind[i] == RESIDENT or kind[i] == STUDENT):
            pull = grievance[i] + crowd_pull * district_street[home[i]] - risk[i] * fear
            if kind[i] == STUDENT:
                pull += student_bonus
            if pull > threshold[i]:
                state[i] = STREET
                marching[i] = True
        if state[i] == STREET:
            c = counts[loc[i]]
            c[CROWD] += 1
            c[WOMEN] += female[i]
            c[ARMED] += armed[i]
            c[KIN] += kin[i]
            c[OLD] += old[i]


def women_in_front(counts: np.ndarray, front: float) -> np.ndarray:
    """Per site, the women among those the troops and riders meet, counted as if the whole
    crowd stood in front: a woman is ``front`` times as likely as a man to stand in the front
    ranks. At ``front = 1`` it is the crowd's own count of women.

    The share in front is ``front w / (front w + c - w)`` for ``w`` women in a crowd of ``c``.
    """
    crowd, women = counts[:, CROWD].astype(np.float64), counts[:, WOMEN].astype(np.float64)
    weighted = front * women + (crowd - women)
    return np.divide(front * women * crowd, weighted, out=np.zeros(crowd.size), where=weighted > 0)


def phase(s: CityState, spec: Spec) -> None:
    """The civilians' pass; then the tick's casualties and arrests are counted."""
    cal, p, m = s.calendar, s.people, spec.marching
    hour = s.hour
    first = cal.rest_day_march_from if s.day in cal.rest_days else cal.march_from
    join = m.enabled and hour == int(hour) and first <= hour < cal.march_until
    join = join and not (spec.curfew.enabled and curfew_now(s, spec))
    street = s.counts[:, CROWD].astype(np.float64)
    district_street = np.zeros(s.n_sites)
    district_pop = np.bincount(p.home, minlength=s.n_sites)
    np.add.at(district_street, s.city.site_district, street)
    district_street = np.divide(
        district_street, district_pop, out=np.zeros(s.n_sites), where=district_pop > 0
    )
    step(
        s.rng,
        p.kind,
        p.female,
        p.stays_home,
        p.old,
        p.kin,
        p.home,
        p.state,
        p.loc,
        p.target,
        p.armed,
        p.marching,
        s.grievance,
        p.risk,
        p.threshold,
        s.site_outcome,
        s.blocked,
        s.city.next_hop,
        district_street,
        s.fear,
        join,
        leaving(s, spec),
        m.crowd_pull,
        m.student_bonus,
        m.ice_rate if spec.city.frozen_river else 0.0,
        s.counts,
        s.tally,
        s.crossed,
    )
    cas, tally = s.casualties, s.tally
    cas.killed_civilians += int(tally[:, P_KILL].sum())
    cas.wounded_civilians += int(tally[:, P_WOUND].sum())
    cas.arrested += int(tally[:, P_ARREST].sum())
    for site in np.flatnonzero(s.crossed):
        s.report("ice_crossing", int(site), s.crossed[site], "crowd", once=True)
