"""The command of the armed forces: obey the ruler, stand aside, or remove him.

In one revolution the command obeys and the ranks break; in another the command refuses and the
ranks hold. One rule gives both from each city's data. At its evening review (and when it is
ordered to deploy) the command weighs the case against going on obeying: the police it can no
longer lean on, ranks that waver or have gone over, and a mass in the streets and on strike,
counted in full at ``mass_share`` of the population (Chenoweth & Stephan 2011). Barany (2016)
and Makara (2013) list these side by side; against them stands how far the institution depends
on the ruler (``dependence``, episode data: an officer corps sworn to a dynasty is not an army
with its own economy). Past its dependence the command stands aside: it passes on no order to
fire. Having stood aside for ``remove_after`` evenings with the case still made, it removes the
ruler, and the authority has fallen. Below its dependence again, it obeys again.
"""

from __future__ import annotations

import numpy as np

from narod.mechanisms.deployment import stand_down
from narod.scenario.city_schema import Command
from narod.scenario.schema import Spec
from narod.world.people import LOYAL, MUTINIED, OFFICER, POLICE, SOLDIER, STRIKING, WAVERING
from narod.world.state import CROWD, CityState

OBEY, STAND_ASIDE, REMOVE = 0, 1, 2


def case(police_lost: float, ranks: float, mass: float, rules: Command) -> float:
    """The case against obeying, 0 to 1: the weighted mean of its three parts."""
    weights = rules.police_weight + rules.ranks_weight + rules.mass_weight
    if weights <= 0:
        return 0.0
    total = rules.police_weight * police_lost + rules.ranks_weight * ranks
    return (total + rules.mass_weight * mass) / weights


def decide(posture: int, evenings: int, made: bool, remove_after: int) -> tuple[int, int]:
    """The next posture and the evenings stood aside, given whether the case is made."""
    if posture == REMOVE:
        return REMOVE, evenings
    if not made:
        return OBEY, 0
    if posture == OBEY:
        return STAND_ASIDE, 0
    evenings += 1
    return (REMOVE, evenings) if evenings >= remove_after else (STAND_ASIDE, evenings)


def obeys(s: CityState, spec: Spec) -> bool:
    """Whether the command passes the authority's orders on to its troops."""
    return not spec.command.enabled or s.command == OBEY


def parts(s: CityState) -> tuple[float, float, float]:
    """The police lost, the ranks unreliable and the mass out, each 0 to 1, as of now."""
    f = s.forces
    police = f.kind == POLICE
    lost = 1.0 - np.sum(police & (f.state == LOYAL)) / max(int(np.sum(police)), 1)
    soldier = (f.kind == SOLDIER) | (f.kind == OFFICER)
    standing = soldier & ((f.state == LOYAL) | (f.state == WAVERING) | (f.state == MUTINIED))
    unreliable = soldier & ((f.state == WAVERING) | (f.state == MUTINIED))
    ranks = np.sum(unreliable) / max(int(np.sum(standing)), 1)
    on_strike_at_home = np.sum(s.people.state[: s.workers] == STRIKING)  # workers come first
    street = max(s.street_peak, float(s.counts[:, CROWD].sum()))  # the day's largest so far
    out = street + float(on_strike_at_home)
    return float(lost), float(ranks), out / max(s.n_civilians, 1)


def meet(s: CityState, spec: Spec) -> None:
    """The command weighs the case and takes its posture; a removal ends the authority."""
    rules = spec.command
    lost, ranks, out = parts(s)
    mass = min(1.0, out / rules.mass_share) if rules.mass_share > 0 else 1.0
    made = case(lost, ranks, mass, rules) > rules.dependence
    before = s.command
    s.command, s.evenings_aside = decide(s.command, s.evenings_aside, made, rules.remove_after)
    if s.command == before:
        return
    if s.command == STAND_ASIDE:
        s.report("command_stands_aside", "city", 0, "command")
    elif s.command == OBEY:
        s.report("command_obeys", "city", 0, "command")
    else:
        s.report("ruler_removed", "city", 0, "command")
        if s.standing:
            s.collapse_tick, s.fell_how = s.tick, "removed_by_command"
            stand_down(s)


def review(s: CityState, spec: Spec) -> None:
    """At the stand-down hour the command meets (before the city command's own review)."""
    if spec.command.enabled and s.standing and s.hour == s.calendar.stand_down:
        meet(s, spec)
