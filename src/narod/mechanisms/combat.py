"""Combat where the insurgents' armed men meet the authority's: assault, siege, flight, surrender.

Wherever men on an insurgents' operation (:mod:`narod.mechanisms.operations`) stand at a site
with the authority's armed men holding it (police, riders and troops at their posts, and the
defenders of a place), each tick:

* each holder who is a soldier or a defender weighs giving up, by the same weighing as a mutiny
  (:func:`narod.mechanisms.defection.soldier_net`): the insurgents' share of the armed men there
  is the victorious mass that pulls him, and the punishment he expects falls as it grows; a man
  who gives up lays down his arms. Police, a caste, do not give up: they break by their own rule
  (:func:`narod.mechanisms.police.overwhelmed`), each insurgent counting as an armed man;
* if the insurgents outnumber the holders left ``assault_ratio`` to one they storm the site: the
  holders fire in self-defence, and the insurgents fire if their operation's orders let them.
  Short of that, the holders' troops fire only where the authority's order to fire is in force
  and their command passes it on; and where the holders outnumber the insurgents
  ``assault_ratio`` to one under such an order they storm them, and the insurgents fire back;
* each shooter hits ``police.return_fire`` armed men a tick (the rate of the police's return fire
  against rifles, as fitted); ``firing.kill_share`` of those hit die;
* under fire, insurgents flee in proportion to their losses (``firing.deterrence``), and each
  weighs giving himself up, as the holders do; those who give up are taken prisoner while the
  authority stands.

A place the insurgents were sent to take falls when no defender of it is left; its effect follows
(:func:`narod.mechanisms.objectives.fall`). Insurgents do not march on past a site the authority
still holds.
"""

from __future__ import annotations

import numpy as np

from narod.mechanisms import police
from narod.mechanisms.command import obeys
from narod.mechanisms.crowd_outcomes import MAX_FLEE
from narod.mechanisms.defection import punishment, soldier_net
from narod.mechanisms.inputs import fire_authorised
from narod.mechanisms.objectives import fall
from narod.scenario.schema import Spec
from narod.world.people import (
    CAVALRY,
    DEFENDER,
    F_ARRESTED,
    F_KILLED,
    F_WOUNDED,
    LOYAL,
    NEUTRAL,
    OFFICER,
    POLICE,
    ROUTED,
    SOLDIER,
    WAVERING,
    Forces,
    insurgent,
)
from narod.world.state import TROOPS, CityState


def storming(attackers: int, defenders: int, assault_ratio: float) -> bool:
    """Whether one side storms the other rather than besieging it."""
    return attackers > 0 and attackers >= assault_ratio * max(defenders, 1)


def hits(shooters: int, rate: float, kill_share: float, rng) -> tuple[int, int]:
    """Killed and wounded among the other side, from ``shooters`` men's fire this tick."""
    hit = int(rng.poisson(shooters * rate))
    killed = int(rng.binomial(hit, kill_share))
    return killed, hit - killed


def holders(f: Forces) -> np.ndarray:
    """The authority's armed men holding ground: at their posts, or defending their place."""
    soldier = (f.kind == SOLDIER) | (f.kind == OFFICER)
    obeying = (f.state == LOYAL) | (soldier & (f.state == WAVERING))
    posted = ((f.kind == POLICE) | (f.kind == CAVALRY) | soldier) & (f.loc != f.home)
    return obeying & (posted | (f.kind == DEFENDER))


def phase(s: CityState, spec: Spec) -> None:
    """Every site where insurgents and the authority's armed men meet; then the places taken."""
    if not spec.combat.enabled:
        return
    f = s.forces
    ins = insurgent(f)
    if not ins.any():
        return
    held = holders(f)
    both = (np.bincount(f.loc[ins], minlength=s.n_sites) > 0) & (
        np.bincount(f.loc[held], minlength=s.n_sites) > 0
    )
    for site in np.flatnonzero(both):
        _fight(s, spec, int(site))
    _places_fall(s)


def _fight(s: CityState, spec: Spec, site: int) -> None:
    f, rules = s.forces, spec.combat
    name = s.city.sites[site]
    here = f.loc == site
    attackers = np.flatnonzero(insurgent(f) & here)
    guards = np.flatnonzero(holders(f) & here)
    guards = _give_up(s, spec, guards, attackers.size, NEUTRAL, "defenders_give_up")
    _police_break(s, spec, guards, attackers.size)
    guards = guards[f.state[guards] == LOYAL] if guards.size else guards
    ordered = (
        spec.regime.enabled and s.level >= TROOPS and fire_authorised(s, spec) and obeys(s, spec)
    )
    troops = guards[(f.kind[guards] == SOLDIER) | (f.kind[guards] == DEFENDER)]
    if storming(attackers.size, guards.size, rules.assault_ratio):
        shots_in, shots_out = guards.size, int(np.sum(f.fires[attackers]))
        s.report("assault", name, attackers.size, "insurgents", once=True)
    elif ordered and storming(troops.size, attackers.size, rules.assault_ratio):
        shots_in, shots_out = troops.size, attackers.size
        s.report("insurgents_stormed", name, troops.size, "regime", once=True)
    else:
        shots_in, shots_out = (troops.size if ordered else 0), 0
    rate, share = spec.police.return_fire, spec.firing.kill_share
    lost = _hit(s, attackers, hits(shots_in, rate, share, s.rng))
    _hit(s, guards, hits(shots_out, rate, share, s.rng))
    if lost:
        _flee(s, spec, attackers, lost, name)
        attackers = attackers[insurgent(f)[attackers]]
        taken = F_ARRESTED if s.standing else NEUTRAL
        _give_up(s, spec, attackers, guards.size, taken, "insurgents_give_up")


def _give_up(
    s: CityState, spec: Spec, men: np.ndarray, others: int, to: int, event: str
) -> np.ndarray:
    """Men (not police) who weigh it this tick and give up: their state becomes ``to``.

    Returns the men who did not."""
    f, d = s.forces, spec.defection
    able = men[f.kind[men] != POLICE]
    weighing = able[s.rng.random(able.size) < d.reconsider]
    share = others / max(others + men.size, 1)
    punish = punishment(1.0 - share, share, d.punish_k)
    net = soldier_net(
        f.hardship[weighing], s.legit_troops, f.pressure[weighing], 0.0,
        d.unit_weight * share, f.risk[weighing], punish, d.grievance_weight, d.risk_aversion,
    )  # fmt: skip
    gone = weighing[net > f.threshold[weighing]]
    f.state[gone] = to
    f.target[gone] = np.where(f.kind[gone] == DEFENDER, f.target[gone], -1)
    if gone.size:
        s.report(event, s.city.sites[int(f.loc[gone[0]])], gone.size, "armed men", once=True)
    return men[np.isin(men, gone, invert=True)]


def _police_break(s: CityState, spec: Spec, guards: np.ndarray, attackers: int) -> None:
    """Police holding the site break by their own rule, each insurgent an armed man."""
    f = s.forces
    cops = guards[f.kind[guards] == POLICE]
    if not cops.size:
        return
    swamped = police.overwhelmed(
        np.array([float(attackers)]), np.array([float(attackers)]), np.array([cops.size]),
        spec.police,
    )  # fmt: skip
    fled = cops[s.rng.random(cops.size) < police.rout_chance(swamped, spec.police)[0]]
    f.state[fled] = ROUTED
    f.loc[fled] = f.home[fled]


def _hit(s: CityState, men: np.ndarray, toll: tuple[int, int]) -> int:
    """``toll`` (killed, wounded) falls on random men of ``men``; returns how many were hit."""
    killed, wounded = toll
    if not killed + wounded or not men.size:
        return 0
    f, cas = s.forces, s.casualties
    hit = s.rng.permutation(men)[: killed + wounded]
    dead, hurt = hit[:killed], hit[killed:]
    side = insurgent(f)  # before they fall
    cops = f.kind == POLICE
    f.state[dead], f.state[hurt] = F_KILLED, F_WOUNDED
    cas.killed_insurgents += int(side[dead].sum())
    cas.wounded_insurgents += int(side[hurt].sum())
    cas.killed_police += int(cops[dead].sum())
    cas.wounded_police += int(cops[hurt].sum())
    cas.killed_soldiers += int((~side & ~cops)[dead].sum())
    cas.wounded_soldiers += int((~side & ~cops)[hurt].sum())
    return hit.size


def _flee(s: CityState, spec: Spec, attackers: np.ndarray, lost: int, name: str) -> None:
    """Insurgents under fire flee home in proportion to their losses."""
    f = s.forces
    standing = attackers[insurgent(f)[attackers]]
    chance = min(MAX_FLEE, spec.firing.deterrence * lost / max(attackers.size, 1))
    fled = standing[s.rng.random(standing.size) < chance]
    f.state[fled], f.target[fled], f.loc[fled] = NEUTRAL, -1, f.home[fled]
    if fled.size:
        s.report("insurgents_flee", name, fled.size, "insurgents", once=True)


def _places_fall(s: CityState) -> None:
    """A defended place the insurgents stand at, sent to take it, falls when no defender is left."""
    f = s.forces
    ins = insurgent(f)
    for i in np.flatnonzero(s.defended & ~s.taken):
        there = ins & (f.target == i) & (f.loc == s.objective_site[i])
        if there.any() and not np.any((f.kind == DEFENDER) & (f.target == i) & (f.state == LOYAL)):
            fall(s, int(i), int(there.sum()))
