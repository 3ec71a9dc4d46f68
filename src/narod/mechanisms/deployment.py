"""The authority's plan for the day: forces to posts in the morning, back in the evening.

Police hold the bridges and the gathering places; riders and troops join them once the command
has called them out (see :mod:`narod.mechanisms.regime`), troops going first where insurgents
stand. Training detachments go first.
"""

from __future__ import annotations

import numpy as np

from narod.scenario.schema import Spec
from narod.world.people import (
    ABSENT,
    CAVALRY,
    IRREGULAR,
    LOYAL,
    NEUTRAL,
    OFFICER,
    ORGANISED,
    POLICE,
    SOLDIER,
    WAVERING,
    insurgent,
)
from narod.world.state import CAVALRY as CAVALRY_LEVEL
from narod.world.state import TROOPS, CityState


def posts(s: CityState, spec: Spec) -> np.ndarray:
    """The posts: the gathering places, then the bridges."""
    bridges = [s.city.index(p.id) for p in s.city.of_kind("bridge")]
    targets = [s.city.index(t) for t in spec.city.gathering]
    return np.asarray(targets + bridges, np.int16)


def insurgent_sites(s: CityState) -> np.ndarray:
    """Sites where insurgents on an operation stand: troops are posted there first."""
    f = s.forces
    return np.unique(f.loc[insurgent(f)]).astype(np.int16)


def deploy(s: CityState, spec: Spec) -> None:
    """Send the force of the current level to its posts (each morning, and when an input calls
    troops out)."""
    if not s.standing or not spec.regime.enabled:
        return
    f, rng = s.forces, s.rng
    where = posts(s, spec)
    n_targets = len(spec.city.gathering)
    bridges, targets = where[n_targets:], where[:n_targets]
    on_duty = (f.kind == POLICE) & (f.state == LOYAL)
    draw = rng.random(f.state.size)
    to_bridge = on_duty & (draw < spec.police.bridge_share) & (bridges.size > 0)
    to_centre = on_duty & ~to_bridge & (draw < spec.police.bridge_share + spec.police.centre_share)
    f.loc[on_duty] = f.home[on_duty]
    if bridges.size:
        f.loc[to_bridge] = bridges[rng.integers(0, bridges.size, int(to_bridge.sum()))]
    f.loc[to_centre] = targets[rng.integers(0, targets.size, int(to_centre.sum()))]
    if s.level >= CAVALRY_LEVEL:
        riders = (f.kind == CAVALRY) & (f.state == LOYAL)
        f.loc[riders] = where[rng.integers(0, where.size, int(riders.sum()))]
    if s.level >= TROOPS:
        soldier = ((f.kind == SOLDIER) | (f.kind == OFFICER)) & (
            (f.state == LOYAL) | (f.state == WAVERING)
        )
        order = np.lexsort((f.company, ~f.training))  # training detachments first
        order = order[soldier[order]]
        present = int(np.sum((f.company >= 0) & (f.state != ABSENT)))  # not reinforcements to come
        chosen = order[: int(round(spec.regime.deploy_share * present))]
        fronts = insurgent_sites(s)
        where = np.concatenate([fronts, where]) if fronts.size else where
        f.loc[chosen] = where[f.company[chosen] % where.size]


def stand_down(s: CityState) -> None:
    """Every force still obeying goes back to barracks or station (hired men keep to their
    own hours, see :mod:`narod.mechanisms.irregulars`, and insurgents their plan)."""
    f = s.forces
    loyal = (f.state == LOYAL) | (f.state == WAVERING) | (f.state == NEUTRAL)
    loyal &= (f.kind != IRREGULAR) & (f.kind != ORGANISED)
    f.loc[loyal] = f.home[loyal]


def phase(s: CityState, spec: Spec) -> None:
    """To posts at the calendar's hour, back at the end of the day."""
    if s.hour == s.calendar.posts:
        deploy(s, spec)
    if s.hour == s.calendar.stand_down:
        stand_down(s)
