"""Combat over a held place: assault, siege, desertion and surrender.

Where insurgents sent to take a place (:mod:`narod.mechanisms.operations`) stand at it with its
defenders (role ``defenders``), three things happen each tick. Each defender weighs giving up,
by the same weighing as a mutiny (:func:`narod.mechanisms.defection.soldier_net`): the attackers'
share of the armed men there is the victorious mass that pulls him, and the expected punishment
falls as it grows; a man who gives up lays down his arms. If the attackers outnumber those left
``assault_ratio`` to one, they storm it, and both sides fire with the lethality of the troops'
aimed fire (``firing.lethality``); short of that they besiege it, and nobody fires. The place
falls when no defender is left; its effect follows (:func:`narod.mechanisms.objectives.fall`).
"""

from __future__ import annotations

import numpy as np

from narod.mechanisms.defection import punishment, soldier_net
from narod.mechanisms.objectives import fall
from narod.scenario.schema import Spec
from narod.world.people import (
    DEFENDER,
    F_KILLED,
    F_WOUNDED,
    LOYAL,
    MUTINIED,
    NEUTRAL,
    ORGANISED,
    insurgent,
)
from narod.world.state import CityState


def storming(attackers: int, defenders: int, assault_ratio: float) -> bool:
    """Whether the attackers storm the place rather than besiege it."""
    return attackers > 0 and attackers >= assault_ratio * max(defenders, 1)


def hits(firing: int, lethality: float, wounded_per_killed: float, rng) -> tuple[int, int]:
    """Killed and wounded among the other side, from ``firing`` men's aimed fire this tick."""
    killed = int(rng.poisson(firing * lethality))
    return killed, int(rng.poisson(killed * wounded_per_killed))


def phase(s: CityState, spec: Spec) -> None:
    """Every place still held by defenders and faced by attackers: desertion, fire, its fall."""
    if not spec.combat.enabled:
        return
    f = s.forces
    for i in np.flatnonzero(s.defended & ~s.taken):
        site = s.objective_site[i]
        guards = np.flatnonzero((f.kind == DEFENDER) & (f.target == i) & (f.state == LOYAL))
        here = f.loc == site
        attackers = np.flatnonzero(
            here & ((insurgent(f) & (f.target == i)) | (f.state == MUTINIED))
        )
        if not attackers.size:
            continue
        place = s.objectives[i]
        guards = _give_up(s, spec, guards, attackers.size, place)
        if storming(attackers.size, guards.size, spec.combat.assault_ratio):
            _exchange(s, spec, guards, attackers, place)
        if not np.any((f.kind == DEFENDER) & (f.target == i) & (f.state == LOYAL)):
            fall(s, int(i), attackers.size)


def _give_up(
    s: CityState, spec: Spec, guards: np.ndarray, n_attackers: int, place: str
) -> np.ndarray:
    """Defenders who weigh it this tick and give up lay down their arms; the rest stay."""
    f, d = s.forces, spec.defection
    weighing = guards[s.rng.random(guards.size) < d.reconsider]
    share = n_attackers / (n_attackers + guards.size)
    punish = punishment(1.0 - share, share, d.punish_k)
    net = soldier_net(
        f.hardship[weighing], s.legit_troops, f.pressure[weighing], 0.0,
        d.unit_weight * share, f.risk[weighing], punish, d.grievance_weight, d.risk_aversion,
    )  # fmt: skip
    gone = weighing[net > f.threshold[weighing]]
    f.state[gone] = NEUTRAL
    if gone.size:
        s.report("defenders_give_up", place, gone.size, "defenders", once=True)
    return guards[f.state[guards] == LOYAL]


def _exchange(
    s: CityState, spec: Spec, guards: np.ndarray, attackers: np.ndarray, place: str
) -> None:
    """Both sides fire: each side's aimed fire falls on random men of the other."""
    fr, cas, f = spec.firing, s.casualties, s.forces
    down = hits(guards.size, fr.lethality, fr.wounded_per_killed, s.rng)
    up = hits(attackers.size, fr.lethality, fr.wounded_per_killed, s.rng)
    for men, (killed, wounded) in ((attackers, down), (guards, up)):
        hit = s.rng.permutation(men)[: killed + wounded]
        dead, hurt = hit[:killed], hit[killed:]
        f.state[dead], f.state[hurt] = F_KILLED, F_WOUNDED
        organised = f.kind == ORGANISED
        cas.killed_insurgents += int(organised[dead].sum())
        cas.wounded_insurgents += int(organised[hurt].sum())
        cas.killed_soldiers += int((~organised[dead]).sum())
        cas.wounded_soldiers += int((~organised[hurt]).sum())
    if sum(down) + sum(up):
        s.report("assault", place, attackers.size, "insurgents", once=True)
