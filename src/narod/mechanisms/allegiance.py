"""Allegiance: units that recognise a rival authority, or declare themselves neutral; and units
that are not in the city until they arrive as reinforcements.

What a unit recognises comes from the record (a garrison's vote, a regiment's resolution),
as an ``allegiance`` input; what its men then do comes from the behaviour. Its men who still
obey (loyal or wavering) go over with it: over to the insurgents' side, they leave the
authority's loyal force and are at the disposal of the insurgents' operations, which each man
joins only if he is willing (:mod:`narod.mechanisms.operations`); neutral, they stay in
barracks and fire on nobody.
"""

from __future__ import annotations

import numpy as np

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
    for item in spec.inputs.values():
        if (
            item.type != "reinforcements"
            or not item.enabled
            or (item.day, item.hour) != (s.day, s.hour)
        ):
            continue
        coming = units_mask(s, item.units) & (f.state == ABSENT)
        f.state[coming] = LOYAL
        s.report("reinforcements_arrive", "city", int(coming.sum()), "regime",
                 data={"unit": ", ".join(item.units)})  # fmt: skip


def resolutions(s: CityState, spec: Spec) -> None:
    """Resolutions due now: the units' obeying men take the side their unit voted for."""
    f = s.forces
    for item in spec.inputs.values():
        if (
            item.type != "allegiance"
            or not item.enabled
            or (item.day, item.hour) != (s.day, s.hour)
        ):
            continue
        obeying = units_mask(s, item.units) & ((f.state == LOYAL) | (f.state == WAVERING))
        f.state[obeying] = SIDES[item.side]
        event = "units_recognise_insurgents" if item.side == "insurgents" else "units_neutral"
        s.report(
            event, "city", int(obeying.sum()), "soldiers", data={"unit": ", ".join(item.units)}
        )
