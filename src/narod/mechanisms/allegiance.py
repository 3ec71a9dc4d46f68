"""Allegiance: units that recognise a rival authority, or declare themselves neutral; and units
that are not in the city until they arrive as reinforcements.

What a unit recognises comes from the record (a garrison's vote, a regiment's resolution),
as an ``allegiance`` input; what its men then do comes from the behaviour. Its men who still
obey (loyal or wavering) go over with it: over to the insurgents' side, they leave the
authority's loyal force and are at the disposal of the insurgents' operations, which each man
joins only if he is willing (:mod:`narod.mechanisms.operations`); neutral, they stay in
barracks and fire on nobody. A resolution dated at the very start (day 1, 00:00) is where the
run starts from: the authority's loyal force is counted after it.
"""

from __future__ import annotations

import numpy as np

from narod.mechanisms.inputs import due
from narod.scenario.schema import Spec
from narod.world.people import ABSENT, LOYAL, NEUTRAL, TURNED, WAVERING
from narod.world.state import CityState

SIDES = {"insurgents": TURNED, "neutral": NEUTRAL}


def units_mask(s: CityState, units: list[str]) -> np.ndarray:
    """The men of the named units of ``forces.csv``."""
    ids = [s.layout.unit_ids.index(u) for u in units if u in s.layout.unit_ids]
    return np.isin(s.forces.uid, np.asarray(ids, np.int16))


def absent_until_called(s: CityState, spec: Spec) -> None:
    """At the start: the men of units that come as reinforcements are not yet in the city."""
    for item in spec.inputs.values():
        if item.type == "reinforcements" and item.enabled:
            s.forces.state[units_mask(s, item.units)] = ABSENT


def reinforcements(s: CityState, spec: Spec) -> None:
    """Reinforcements due now arrive at their quarters, obeying the authority."""
    f = s.forces
    for _, item in due(spec, "reinforcements", s):
        coming = units_mask(s, item.units) & (f.state == ABSENT)
        f.state[coming] = LOYAL
        s.report("reinforcements_arrive", "city", int(coming.sum()), "regime",
                 data={"unit": ", ".join(item.units)})  # fmt: skip


def at_start(s: CityState, spec: Spec) -> None:
    """The resolutions dated day 1, 00:00: the allegiance the run starts with."""
    for _, item in due(spec, "allegiance", s):
        _resolve(s, item)


def resolutions(s: CityState, spec: Spec) -> None:
    """Resolutions due now (those of the start were taken when the run was built)."""
    if s.tick == 0:
        return
    for _, item in due(spec, "allegiance", s):
        _resolve(s, item)


def _resolve(s: CityState, item) -> None:
    """The unit's obeying men take the side their unit voted for."""
    f = s.forces
    obeying = units_mask(s, item.units) & ((f.state == LOYAL) | (f.state == WAVERING))
    f.state[obeying] = SIDES[item.side]
    event = "units_recognise_insurgents" if item.side == "insurgents" else "units_neutral"
    s.report(event, "city", int(obeying.sum()), "soldiers", data={"unit": ", ".join(item.units)})
