"""Objectives: places with a guard and an effect, each taken or held on its own.

An episode's ``places.csv`` gives each objective its guard (persons) and its effect: ``arms:N``
(its rifles arm the crowd there), ``free_prisoners:N`` (its prisoners, and the run's detainees,
walk free), ``seat`` (the authority's seat: when it falls, the authority has surrendered) or
``wreck`` (a police station; wrecked when its police are gone and a crowd comes). A place an
operation targets or defenders hold is an objective too.
Mutineers march on the objectives still held; each falls on its own, when the mutineers,
insurgents and armed men at its site outnumber its guard.
"""

from __future__ import annotations

import numpy as np

from narod.mechanisms.deployment import stand_down
from narod.scenario.schema import Spec
from narod.world.people import ARRESTED, F_ARRESTED, HOME, MUTINIED, force_counts
from narod.world.state import ARMED, CROWD, P_ARM, CityState


def goals(s: CityState, spec: Spec) -> np.ndarray:
    """Sites mutineers march on: objectives still held, standing stations, gathering places."""
    held = [int(site) for site, done in zip(s.objective_site, s.taken, strict=True) if not done]
    stations = s.layout.station_site[~s.wrecked]
    out = held + [int(site) for site in stations[: spec.arms.stations_marched_on]]
    out += [s.city.index(t) for t in spec.city.gathering]
    return np.asarray(out, np.int16)


def march(s: CityState, spec: Spec) -> None:
    """Mutineers step toward their company's objective; the forces are counted again."""
    f = s.forces
    rebels = np.flatnonzero(f.state == MUTINIED)
    if rebels.size:
        targets = goals(s, spec)
        target = targets[f.company[rebels] % targets.size]
        step = s.city.next_hop[target, f.loc[rebels]]
        f.loc[rebels] = np.where(step >= 0, step, f.loc[rebels])
    s.force_at = force_counts(f, s.n_sites)


def take(s: CityState, spec: Spec) -> None:
    """Objectives whose guard is outnumbered fall; the rifles handed out run down the stock.

    A place held by defenders (role ``defenders``) falls only by combat
    (:mod:`narod.mechanisms.combat`); the others fall to numbers, against their ``guard``.
    """
    attackers = s.force_at["mutineers"] + s.counts[:, ARMED] + s.force_at["insurgents"]
    for effect, switch in (("arms", spec.arms), ("free_prisoners", spec.arms),
                           ("seat", spec.combat), ("", spec.combat)):  # fmt: skip
        if not switch.enabled:
            continue
        for i in _objectives_of(s, effect):
            site = int(s.objective_site[i])
            guard = s.city.place(s.objectives[i]).guard * s.scale
            if not (s.taken[i] or s.defended[i]) and attackers[site] > guard:
                fall(s, i, attackers[site])
    s.stock = np.maximum(0.0, s.stock - s.tally[:, P_ARM])
    _wreck_stations(s, spec)


def _objectives_of(s: CityState, effect: str) -> list[int]:
    return [i for i, pid in enumerate(s.objectives) if s.city.place(pid).effect_kind == effect]


def fall(s: CityState, i: int, attackers: float) -> None:
    """Objective ``i`` falls to ``attackers`` (agents); its effect follows."""
    place = s.city.place(s.objectives[i])
    site = int(s.objective_site[i])
    effect = place.effect_kind
    if effect == "free_prisoners":
        _open_prison(s, i, place)
        return
    s.taken[i] = True
    if effect == "arms":
        s.stock[site] += place.effect_amount * s.scale
        s.report("arms_seized", place.id, attackers, "crowd")
        return
    s.report("objective_taken", place.id, attackers, "insurgents", data={"place": place.name})
    if effect == "seat" and s.standing:
        s.collapse_tick, s.fell_how = s.tick, "surrendered"
        s.report("authority_surrenders", place.id, attackers, "regime")
        stand_down(s)


def _open_prison(s: CityState, i: int, place) -> None:
    """Each prison falls on its own. The run's detainees are held in the prisons still standing,
    spread evenly: a prison that falls frees its share of them, and its own prisoners."""
    p, f = s.people, s.forces
    standing = sum(not s.taken[j] for j in _objectives_of(s, "free_prisoners"))
    s.taken[i] = True
    civilians = np.flatnonzero(p.state == ARRESTED)
    civilians = civilians[s.rng.random(civilians.size) < 1 / standing]
    soldiers = np.flatnonzero(f.state == F_ARRESTED)
    soldiers = soldiers[s.rng.random(soldiers.size) < 1 / standing]
    p.state[civilians] = HOME
    f.state[soldiers] = MUTINIED
    freed = civilians.size + soldiers.size + round(place.effect_amount * s.scale)
    s.report("prisoners_freed", place.id, freed, "crowd")


def _wreck_stations(s: CityState, spec: Spec) -> None:
    crowd = s.counts[:, CROWD]
    for i, site in enumerate(s.layout.station_site):
        if s.wrecked[i]:
            continue
        empty = s.force_at["police"][site] == 0
        if empty and crowd[site] >= spec.police.wreck_crowd * s.scale and s.tick > 0:
            s.wrecked[i] = True
            s.report("station_wrecked", int(site), crowd[site], "crowd")
