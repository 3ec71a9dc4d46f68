"""Cossacks and cavalry: ordered to charge, they comply or hold back, and may turn on the police.

Compliance falls with the share of women in the crowd and with every tick of contact (questions,
appeals, the "wink"); a rider who holds back becomes neutral, and a neutral rider who watches the
police beat the crowd may turn on them.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from narod.world.people import COSSACK, LOYAL, NEUTRAL, TURNED


@njit(cache=True)
def charge(
    kind,
    state,
    loc,
    comply,
    pressure,
    crowd,
    women,
    beating,
    police,
    ordered,
    women_effect,
    contact_effect,
    turn_rate,
    kill_police,
    charging,
    holding_back,
    police_killed,
    charged,
):
    """Riders at sites with a crowd decide; fills per-site counts of charging, holding back,
    police killed, and marks in ``charged`` each rider who charged."""
    charging[:] = 0
    holding_back[:] = 0
    police_killed[:] = 0
    for i in range(kind.size):
        if kind[i] != COSSACK:
            continue
        s = loc[i]
        if crowd[s] == 0:
            continue
        if state[i] == LOYAL and ordered:
            pressure[i] += contact_effect
            if comply[i] - women_effect * women[s] / crowd[s] - pressure[i] > 0:
                charging[s] += 1
                charged[i] = True
            else:
                state[i] = NEUTRAL
                holding_back[s] += 1
        elif state[i] == NEUTRAL and beating[s] and np.random.random() < turn_rate:
            state[i] = TURNED
        elif state[i] == TURNED and police[s] > police_killed[s]:
            if np.random.random() < kill_police:
                police_killed[s] += 1


def dispersal(charging: np.ndarray, crowd: np.ndarray, per_rider: float) -> np.ndarray:
    """Chance per crowd member of being driven off by the riders who charge."""
    return np.minimum(0.9, per_rider * charging * 100.0 / np.maximum(crowd, 1)) * (crowd > 0)
