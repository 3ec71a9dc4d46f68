"""Orders to fire, answered by firing, firing in the air, or refusing; guilt afterwards.

Officers order fire where a crowd outnumbers the post ``order_ratio`` to one and live fire has
been authorised. Each soldier answers with the same weighing as a mutiny, plus the pressure of
the women in front of him: past his threshold he refuses (and wavers); otherwise he aims or fires
in the air. Deaths follow from the aimed shots; they frighten the crowd and lay guilt on the unit
that fired, which its men feel from the next morning, after a night of talk in the barracks.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from narod.mechanisms.casualties import hit_mutineers
from narod.mechanisms.command import obeys
from narod.mechanisms.defection import company_shares, punishment, soldier_net
from narod.mechanisms.inputs import fire_authorised
from narod.mechanisms.marching import women_in_front
from narod.scenario.schema import Spec
from narod.world.people import LOYAL, SOLDIER, WAVERING
from narod.world.state import CROWD, P_KILL, P_WOUND, TROOPS, CityState


@njit(cache=True)
def answer(
    rng,
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
        net = soldier_net(
            hardship[i],
            legitimacy,
            pressure[i],
            guilt[unit[i]],
            women_effect * women_share[s],
            risk[i],
            punishment(company_loyal[company[i]], 0.0, k),
            w_grievance,
            w_risk,
        )
        if net > threshold[i]:
            refused[s] += 1
            state[i] = WAVERING
        elif rng.random() < air_share * max(0.0, net / threshold[i]):
            in_air[s] += 1
        else:
            aimed[s] += 1
            aimed_by_unit[unit[i]] += 1


def casualties(aimed: np.ndarray, crowd: np.ndarray, lethality: float, wounded_per: float):
    """Chances per crowd member of being killed and wounded by the aimed shots."""
    size = np.maximum(crowd, 1)
    killed = np.minimum(0.5, aimed * lethality / size)
    return killed, np.minimum(0.5, killed * wounded_per)


def reveille(s: CityState, spec: Spec) -> None:
    """Yesterday's firing weighs on the men after a night of talk in the barracks."""
    if s.hour == s.calendar.reveille:
        s.guilt = np.maximum(s.guilt, s.pending_guilt)


def ordered_sites(s: CityState, spec: Spec) -> np.ndarray:
    """Posts where officers order fire: troops there, and a crowd that outnumbers the post."""
    at, crowd = s.force_at, s.counts[:, CROWD]
    guard = at["police"] + at["cavalry"] + at["deployed"]
    return (at["deployed"] > 0) & (crowd > spec.firing.order_ratio * np.maximum(guard, 1))


def phase(s: CityState, spec: Spec) -> None:
    """Where fire is authorised and ordered, the soldiers answer; the volleys' toll."""
    live = spec.regime.enabled and s.level >= TROOPS and fire_authorised(s, spec) and s.standing
    live = live and obeys(s, spec)  # a command standing aside passes no order to fire on
    if not (live and spec.firing.enabled and s.hour == int(s.hour)):
        return
    ordered = ordered_sites(s, spec)
    if not ordered.any():
        return
    f, d, fr = s.forces, spec.defection, spec.firing
    crowd, women = s.counts[:, CROWD], women_in_front(s.counts, spec.marching.women_front)
    n = s.n_sites
    _, loyal, _ = company_shares(f.kind, f.state, f.company, max(len(s.layout.company_unit), 1))
    aimed, in_air, refused = (np.zeros(n, np.int64) for _ in range(3))
    by_unit = np.zeros(s.guilt.size, np.int64)
    if (f.loc != f.home).any():
        answer(
            s.rng,
            f.kind,
            f.state,
            f.loc,
            np.maximum(f.company, 0),
            f.unit,
            f.hardship,
            f.risk,
            f.threshold,
            f.pressure,
            s.guilt,
            loyal,
            s.legit_troops,
            women / np.maximum(crowd, 1),
            ordered,
            d.grievance_weight,
            d.risk_aversion,
            d.punish_k,
            fr.women_effect,
            fr.air_share,
            aimed,
            in_air,
            refused,
            by_unit,
        )
    # Volleys strike whoever stands there: civilians and mutinous soldiers alike.
    rebels = s.force_at["mutineers"]
    p_kill, p_wound = casualties(aimed, crowd + rebels, fr.lethality, fr.wounded_per_killed)
    hit_mutineers(
        s,
        s.rng.binomial(rebels, np.minimum(p_kill + p_wound, 1.0)),
        p_kill / np.maximum(p_kill + p_wound, 1e-12),
    )
    s.pending_guilt[by_unit > 0] = fr.guilt  # felt after a night of talk in barracks
    _report(s, ordered, aimed, in_air, refused, crowd, p_kill, p_wound)
    s.hazard[:, P_KILL] += p_kill
    s.hazard[:, P_WOUND] += p_wound


def _report(s, ordered, aimed, in_air, refused, crowd, p_kill, p_wound) -> None:
    f = s.forces
    for site in np.flatnonzero(ordered):
        here = (f.loc == site) & (f.kind == SOLDIER)
        units = np.bincount(f.unit[here], minlength=1)
        who = s.layout.unit_names[int(np.argmax(units))] if here.any() else ""
        data = {"unit": who, "crowd": crowd[site] / s.scale}
        if aimed[site]:
            data["wounded"] = p_wound[site] * crowd[site] / s.scale
            s.report("troops_fire", int(site), p_kill[site] * crowd[site], "soldiers", data=data)
        elif in_air[site]:
            s.report(
                "troops_fire_in_air", int(site), in_air[site], "soldiers", data=data, once=True
            )
        if refused[site]:
            s.report("troops_refuse", int(site), refused[site], "soldiers", data=data, once=True)
