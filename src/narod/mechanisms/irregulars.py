"""Irregulars: hired men sent against a crowd by the authority or its party.

An input sends a unit of role ``irregulars`` to a square at a day and hour, until an end or
until they break. Where they stand they beat and kill (``beat_rate``, ``kill_share``) and
frighten part of the crowd away (``scare``), less as the crowd swamps them; they break and go
home by the police's own rule (:func:`narod.mechanisms.police.overwhelmed`, ``rout_ratio``),
and the crowd hits back as it does at police. Nobody else is told to stop them: troops stand
by unless some other mechanism moves them.
"""

from __future__ import annotations

import numpy as np

from narod.mechanisms import police
from narod.scenario.city_schema import Irregulars
from narod.scenario.schema import Spec
from narod.world.people import F_KILLED, F_WOUNDED, IRREGULAR, LOYAL, ROUTED
from narod.world.state import ARMED, CROWD, P_DISPERSE, P_KILL, P_WOUND, CityState


def attack(crowd: np.ndarray, hired: np.ndarray, swamped: np.ndarray, rules: Irregulars):
    """Chances per crowd member this tick: killed, wounded, fleeing."""
    holding = (1.0 - swamped) * (crowd > 0) * (hired > 0)
    hurt = np.minimum(0.5, hired * rules.beat_rate * holding / np.maximum(crowd, 1))
    return hurt * rules.kill_share, hurt * (1.0 - rules.kill_share), rules.scare * holding


def _unit(s: CityState, item) -> np.ndarray:
    f = s.forces
    index = s.layout.irregular_units.index(item.unit)
    return (f.kind == IRREGULAR) & (f.unit == index)


def orders(s: CityState, spec: Spec) -> None:
    """Send each unit in at its input's start; those still standing go home at its end."""
    f = s.forces
    now = (s.day, s.hour)
    for item in spec.inputs.values():
        if item.type != "irregulars" or not item.enabled:
            continue
        mine = _unit(s, item) & (f.state == LOYAL)
        if now == (item.day, item.hour) and s.standing and mine.any():
            f.loc[mine] = s.city.index(item.target)
            s.report("irregulars_attack", item.target, int(mine.sum()), "irregulars")
        elif now == item.ends:
            f.loc[mine] = f.home[mine]


def phase(s: CityState, spec: Spec) -> None:
    """Where hired men stand: they attack, the crowd hits back, they may break."""
    rules = spec.irregulars
    hired = s.force_at["irregulars"]
    if not (rules.enabled and hired.any()):
        return
    c = s.counts
    crowd, armed = c[:, CROWD], c[:, ARMED]
    swamped = police.overwhelmed(crowd, armed, hired, spec.police)
    p_kill, p_wound, p_flee = attack(crowd, hired, swamped, rules)
    s.hazard[:, P_KILL] += p_kill
    s.hazard[:, P_WOUND] += p_wound
    s.hazard[:, P_DISPERSE] += p_flee
    hits = s.rng.poisson(police.casualties(hired, swamped, crowd, armed, spec.police))
    _hit_back(s, hits, spec.police.kill_share)
    _rout(s, police.rout_chance(swamped, spec.police))


def _hit_back(s: CityState, per_site: np.ndarray, kill_share: float) -> None:
    """The crowd hits back as it does at police; ``kill_share`` of those hit die."""
    f = s.forces
    for site in np.flatnonzero(per_site):
        here = np.flatnonzero((f.kind == IRREGULAR) & (f.loc == site) & (f.state == LOYAL))
        hit = s.rng.permutation(here)[: per_site[site]]
        dead = s.rng.random(hit.size) < kill_share
        f.state[hit[dead]] = F_KILLED
        f.state[hit[~dead]] = F_WOUNDED
        s.casualties.killed_irregulars += int(dead.sum())
        s.casualties.wounded_irregulars += int((~dead).sum())


def _rout(s: CityState, chance: np.ndarray) -> None:
    f = s.forces
    out = np.flatnonzero((f.kind == IRREGULAR) & (f.state == LOYAL) & (f.loc != f.home))
    fled = out[s.rng.random(out.size) < chance[f.loc[out]]]
    for site in np.flatnonzero(np.bincount(f.loc[fled], minlength=s.n_sites)):
        s.report("irregulars_routed", s.city.sites[site], s.counts[site, CROWD], "crowd", once=True)
    f.state[fled] = ROUTED
    f.loc[fled] = f.home[fled]
