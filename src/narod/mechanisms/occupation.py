"""Occupation: a crowd that holds a square at dusk may stay through the night and the curfew.

Some crowds go home at night; others sleep in the square they hold. Where the season and the
repertoire let a crowd spend the night outside (``nights_out``, episode data), a square is held
at dusk when at least ``min_crowd`` are there and no force that obeys the authority stands in
it: police, riders and hired men on duty, or troops whose command obeys (troops standing aside
do not contest it). Then ``stay_share`` of the crowd stays the night instead of going home, and
the curfew does not move them. Nobody occupies a square once the authority has fallen.
"""

from __future__ import annotations

import numpy as np

from narod.mechanisms.command import obeys
from narod.scenario.schema import Spec
from narod.world.state import CROWD, CityState


def held(crowd: np.ndarray, contest: np.ndarray, min_crowd: float) -> np.ndarray:
    """Sites where a crowd of ``min_crowd`` or more stands and nobody contests it."""
    return (crowd >= max(min_crowd, 1.0)) & (contest == 0)


def squares(s: CityState, spec: Spec) -> np.ndarray:
    """The sites a crowd can hold: the squares and the gathering places."""
    sites = {s.city.index(p.id) for p in s.city.of_kind("square")}
    sites |= {s.city.index(g) for g in spec.city.gathering}
    return np.asarray(sorted(sites), int)


def phase(s: CityState, spec: Spec) -> None:
    """At dusk: which squares the crowd holds for the night."""
    if s.hour != s.calendar.march_until:
        return
    was = s.occupied.copy()
    s.occupied[:] = False
    rules = spec.occupation
    if not (rules.enabled and rules.nights_out and s.standing):
        return
    at = s.force_at
    contest = at["police"] + at["cavalry"] + at["irregulars"]
    if obeys(s, spec):
        contest = contest + at["deployed"]
    where = squares(s, spec)
    crowd = s.counts[:, CROWD]
    s.occupied[where] = held(crowd[where], contest[where], rules.min_crowd * s.scale)
    for site in np.flatnonzero(s.occupied & ~was):
        s.report("square_occupied", s.city.sites[site], crowd[site] * rules.stay_share, "crowd")


def leaving(s: CityState, spec: Spec) -> np.ndarray:
    """Per site, the chance that a person in the street goes home this tick at day's end."""
    cal = s.calendar
    leave = np.zeros(s.n_sites)
    if s.hour < cal.march_until:
        return leave
    leave[:] = 1.0
    if s.hour == cal.march_until:
        leave[s.occupied] = 1.0 - spec.occupation.stay_share
    else:
        leave[s.occupied] = 0.0
    return leave
