"""Objectives: places with a guard and an effect, each taken or held on its own.

An episode's ``places.csv`` gives each objective its guard (persons) and its effect: ``arms:N``
(its rifles arm the crowd there), ``free_prisoners:N`` (its prisoners, and the run's detainees,
walk free) or ``wreck`` (a police station; wrecked when its police are gone and a crowd comes).
Mutineers march on the objectives still held; each falls on its own, when the mutineers and
armed men at its site outnumber its guard.
"""

from __future__ import annotations

import numpy as np

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
    """Objectives whose guard is outnumbered fall; the rifles handed out run down the stock."""
    attackers = s.force_at["mutineers"] + s.counts[:, ARMED]
    if spec.arms.enabled:
        _seize_arms(s, attackers)
        _open_prisons(s, attackers, spec)
    s.stock = np.maximum(0.0, s.stock - s.tally[:, P_ARM])
    _wreck_stations(s, spec)


def _objectives_of(s: CityState, effect: str) -> list[int]:
    return [i for i, pid in enumerate(s.objectives) if s.city.place(pid).effect_kind == effect]


def _seize_arms(s: CityState, attackers: np.ndarray) -> None:
    for i in _objectives_of(s, "arms"):
        place = s.city.place(s.objectives[i])
        site = int(s.objective_site[i])
        if s.taken[i] or not attackers[site] > place.guard * s.scale:
            continue
        s.taken[i] = True
        s.stock[site] += place.effect_amount * s.scale
        s.report("arms_seized", place.id, attackers[site], "crowd")


def _open_prisons(s: CityState, attackers: np.ndarray, spec: Spec) -> None:
    """Each prison falls on its own. The run's detainees are held in the prisons still standing,
    spread evenly: a prison that falls frees its share of them, and its own prisoners."""
    p, f = s.people, s.forces
    for i in _objectives_of(s, "free_prisoners"):
        place = s.city.place(s.objectives[i])
        if s.taken[i] or not attackers[s.objective_site[i]] > place.guard * s.scale:
            continue
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
