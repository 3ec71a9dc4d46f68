"""The authority: escalating orders, and collapse when its loyal armed force is gone.

The plan (police, then riders, then troops) is followed when the street outgrows the force at
the current level, not on a fixed day; the command reviews the day at the calendar's
stand-down hour. The authority has melted away when its loyal armed force is below
``collapse_share`` of what it started with; it also falls when its armed forces' command removes
the ruler (:mod:`narod.mechanisms.command`) or its seat is taken
(:mod:`narod.mechanisms.objectives`). No day or date decides it.
"""

from __future__ import annotations

import numpy as np

from narod.mechanisms.deployment import stand_down
from narod.scenario.city_schema import Regime
from narod.scenario.schema import Spec
from narod.world.people import CAVALRY, LOYAL, POLICE, loyal_force
from narod.world.state import CAVALRY as CAVALRY_LEVEL
from narod.world.state import CROWD, POLICE_ONLY, TROOPS, CityState


def escalate(level: int, street: float, police: float, cavalry: float, rules: Regime) -> int:
    """The next level of force, given the crowd on the street and the loyal force on duty."""
    if not rules.enabled:
        return level
    if level == POLICE_ONLY and street > rules.cavalry_ratio * max(police, 1.0):
        return CAVALRY_LEVEL
    if level == CAVALRY_LEVEL and street > rules.troops_ratio * max(police + cavalry, 1.0):
        return TROOPS
    return level


def collapsed(loyal: float, initial: float, rules: Regime) -> bool:
    """Whether the loyal armed force has fallen below the collapse share."""
    return loyal < rules.collapse_share * initial


def review(s: CityState, spec: Spec) -> None:
    """At the end of the day the command weighs the day's largest crowd against its force."""
    f = s.forces
    s.street_peak = max(s.street_peak, float(s.counts[:, CROWD].sum()))
    if s.hour != s.calendar.stand_down:
        return
    police = float(np.sum((f.kind == POLICE) & (f.state == LOYAL)))
    riders = float(np.sum((f.kind == CAVALRY) & (f.state == LOYAL)))
    before = s.level
    s.level = escalate(s.level, s.street_peak, police, riders, spec.regime)
    s.street_peak = 0.0
    if s.level != before:
        s.report(f"escalation_{s.level}", "city", 0, "regime")


def collapse(s: CityState, spec: Spec) -> None:
    """The last loyal detachments melt away; the authority falls when its force is gone."""
    f = s.forces
    loyal_soldiers = np.sum((f.company >= 0) & (f.state == LOYAL))
    if loyal_soldiers < spec.regime.last_loyal_share * s.garrison and not s.last_loyal_gone:
        s.last_loyal_gone = True
        s.report("last_loyal_detachment_gone", "city", loyal_soldiers, "soldiers")
    if s.standing and collapsed(loyal_force(f), s.initial_loyal, spec.regime):
        s.collapse_tick = s.tick
        s.report("regime_collapse", "city", loyal_force(f), "regime")
        stand_down(s)
