"""Orders to fire, answered by firing, firing in the air, or refusing; guilt afterwards.

Officers order fire where a crowd outnumbers the post ``order_ratio`` to one and live fire has
been authorised. Each soldier answers with the same weighing as a mutiny, plus the pressure of
the women in front of him: past his threshold he refuses (and wavers); otherwise he aims or fires
in the air. Deaths follow from the aimed shots; they frighten the crowd and lay guilt on the unit
that fired, which its men feel from the next morning, after a night of talk in the barracks (the
Volynsky training detachment decided overnight on 26-27 February).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from narod.mechanisms.defection import punishment
from narod.world.people import LOYAL, SOLDIER, WAVERING


@njit(cache=True)
def answer(
    kind,
    state,
    loc,
    company,
    unit,
    hardship,
    risk,
    threshold,
    pressure,
    guilt,
    company_loyal,
    legitimacy,
    women_share,
    ordered,
    w_grievance,
    w_risk,
    k,
    women_effect,
    air_share,
    aimed,
    in_air,
    refused,
    aimed_by_unit,
):
    """Soldiers at sites under an order to fire answer it; fills per-site tallies."""
    aimed[:] = 0
    in_air[:] = 0
    refused[:] = 0
    aimed_by_unit[:] = 0
    for i in range(kind.size):
        if kind[i] != SOLDIER:
            continue
        s = loc[i]
        if not ordered[s] or (state[i] != LOYAL and state[i] != WAVERING):
            continue
        drive = (
            w_grievance * hardship[i] * (1.0 - legitimacy)
            + pressure[i]
            + guilt[unit[i]]
            + women_effect * women_share[s]
        )
        net = drive - w_risk * risk[i] * punishment(company_loyal[company[i]], 0.0, k)
        if net > threshold[i]:
            refused[s] += 1
            state[i] = WAVERING
        elif np.random.random() < air_share * max(0.0, net / threshold[i]):
            in_air[s] += 1
        else:
            aimed[s] += 1
            aimed_by_unit[unit[i]] += 1


def casualties(aimed: np.ndarray, crowd: np.ndarray, lethality: float, wounded_per: float):
    """Chances per crowd member of being killed and wounded by the aimed shots."""
    size = np.maximum(crowd, 1)
    killed = np.minimum(0.5, aimed * lethality / size)
    return killed, np.minimum(0.5, killed * wounded_per)
