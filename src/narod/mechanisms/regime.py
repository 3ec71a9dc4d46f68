"""The regime: escalating orders, arrests of activists, and collapse.

The plan (police, then cavalry, then troops) is followed when the street outgrows the force at
the current level, not on a fixed day. Live fire needs the Tsar's order, an input whose timing is
a parameter. The regime has fallen when its loyal armed force is below ``collapse_share`` of what
it started with; nothing else decides it.
"""

from __future__ import annotations

from narod.scenario.city_schema import Regime

POLICE_ONLY, CAVALRY, TROOPS = 1, 2, 3


def escalate(level: int, street: float, police: float, cavalry: float, rules: Regime) -> int:
    """The next level of force, given the crowd on the street and the loyal force on duty."""
    if not rules.enabled:
        return level
    if level == POLICE_ONLY and street > rules.cavalry_ratio * max(police, 1.0):
        return CAVALRY
    if level == CAVALRY and street > rules.troops_ratio * max(police + cavalry, 1.0):
        return TROOPS
    return level


def live_fire(day: int, hour: float, level: int, rules: Regime) -> bool:
    """Whether troops may fire on crowds: after the Tsar's order, once troops are out."""
    ordered = (day, hour) >= (rules.live_fire_day, rules.live_fire_hour)
    return rules.enabled and level >= TROOPS and ordered


def collapsed(loyal: float, initial: float, rules: Regime) -> bool:
    """Whether the loyal armed force has fallen below the collapse share."""
    return loyal < rules.collapse_share * initial
