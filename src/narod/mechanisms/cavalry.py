"""Riders (mounted police, irregular horsemen, cavalry): ordered to charge, they comply or
hold back, and may turn on the police.

Compliance falls with the share of women in the crowd and with every tick of contact (questions,
appeals, the "wink"); a rider who holds back becomes neutral, and a neutral rider who watches the
police beat the crowd may turn on them.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from narod.mechanisms.casualties import hit_police
from narod.mechanisms.marching import women_in_front
from narod.scenario.schema import Spec
from narod.world.people import CAVALRY, LOYAL, NEUTRAL, TURNED
from narod.world.state import CAVALRY as CAVALRY_LEVEL
from narod.world.state import CROWD, P_ARREST, P_DISPERSE, P_WOUND, CityState


@njit(cache=True)
def charge(
    rng,
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
        if kind[i] != CAVALRY:
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
        elif state[i] == NEUTRAL and beating[s] and rng.random() < turn_rate:
            state[i] = TURNED
        elif state[i] == TURNED and police[s] > police_killed[s]:
            if rng.random() < kill_police:
                police_killed[s] += 1


def dispersal(charging: np.ndarray, crowd: np.ndarray, per_rider: float) -> np.ndarray:
    """Chance per crowd member of being driven off by the riders who charge."""
    return np.minimum(0.9, per_rider * charging * 100.0 / np.maximum(crowd, 1)) * (crowd > 0)


def phase(s: CityState, spec: Spec) -> None:
    """Riders ordered out face the crowds; those who charge drive part of the crowd off."""
    rules = spec.cavalry
    c, f = s.counts, s.forces
    crowd, women = c[:, CROWD], women_in_front(c, spec.marching.women_front)
    charging = np.zeros(s.n_sites, np.int64)
    if rules.enabled:
        beating = (s.hazard[:, P_ARREST] + s.hazard[:, P_WOUND]) > 0
        holding = np.zeros(s.n_sites, np.int64)
        kills = np.zeros(s.n_sites, np.int64)
        charge(
            s.rng,
            f.kind,
            f.state,
            f.loc,
            f.comply,
            f.pressure,
            crowd,
            women,
            beating,
            s.force_at["police"],
            s.standing and s.level >= CAVALRY_LEVEL,
            rules.women_effect,
            rules.contact_effect,
            rules.turn_rate,
            rules.kill_police,
            charging,
            holding,
            kills,
            s.charged,
        )
        hit_police(s, kills, 1.0)
        _report(s, charging, holding, crowd, kills)
    p_charge = dispersal(charging, crowd, rules.charge_disperse)
    s.hazard[:, P_WOUND] += p_charge * rules.charge_wound
    s.hazard[:, P_DISPERSE] = p_charge


def _report(s, charging, holding, crowd, kills) -> None:
    for site in np.flatnonzero(charging + holding):
        persons = {"crowd": crowd[site] / s.scale}
        if holding[site] > charging[site]:
            ordered = charging[site] + holding[site]
            s.report("cavalry_hold_back", int(site), ordered, "cavalry", data=persons, once=True)
        else:
            s.report(
                "cavalry_charge", int(site), charging[site], "cavalry", data=persons, once=True
            )
    for site in np.flatnonzero(kills):
        s.report("rider_kills_police", int(site), kills[site], "cavalry")


def day_tally(s: CityState, day: int) -> None:
    """Whether more riders held back (went neutral) on ``day`` than charged at least once."""
    f = s.forces
    riders = f.kind == CAVALRY
    held = int(np.sum(riders & (f.state == NEUTRAL) & ~s.neutral_before))
    charged = int(np.sum(s.charged & riders))
    if held > charged:  # most riders ordered out that day held back
        s.report(
            "cavalry_held_back", "city", held, "cavalry", tick=day * s.calendar.ticks_per_day - 1
        )
    s.neutral_before = riders & (f.state == NEUTRAL)
    s.charged[:] = False


def overnight(s: CityState, spec: Spec) -> None:
    """The riders' day is counted the next morning."""
    if s.day_start:
        day_tally(s, s.day - 1)
