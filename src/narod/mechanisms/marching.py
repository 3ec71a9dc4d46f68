"""Street movement: who goes out, the march toward the centre, bridges held, the ice crossed.

Strikers who chose to march, and students and residents whose grievance and the crowd in their
district outweigh their threshold and their fear, go out in the day's marching hours and walk one
site per tick along the shortest route to their square. A bridge held by a loyal force stops them;
each tick some of those held cross the frozen Neva beside it. At the end of the day they go home.
The same pass applies what happened at each site this tick (killed, wounded, arrested,
dispersed, armed) and counts the crowds with their composition.
"""

from __future__ import annotations

import numpy as np
from numba import njit

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

# Columns of the per-site crowd counts.
CROWD, WOMEN, ARMED, KIN, OLD = 0, 1, 2, 3, 4
# Columns of the per-site outcome probabilities and tallies.
P_KILL, P_WOUND, P_ARREST, P_DISPERSE, P_ARM = 0, 1, 2, 3, 4
N_OUTCOMES = 5


@njit(cache=True)
def step(
    kind,
    female,
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
    go_home,
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
            u = np.random.random()
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
            if u < p[P_DISPERSE] or go_home:
                state[i] = STRIKING if kind[i] == WORKER or marching[i] else HOME
                marching[i] = False
                loc[i] = home[i]
                tally[here, P_DISPERSE] += 1
                continue
            if not armed[i] and np.random.random() < p[P_ARM]:
                armed[i] = True
                tally[here, P_ARM] += 1
            goal = target[i]
            if here != goal:
                step_to = next_hop[goal, here]
                if step_to >= 0:
                    if blocked[here]:
                        if np.random.random() < ice_rate:
                            loc[i] = step_to
                            crossed[here] += 1
                    else:
                        loc[i] = step_to
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
