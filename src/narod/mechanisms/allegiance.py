"""Allegiance: units that recognise a rival authority, or declare themselves neutral.

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
from narod.world.people import LOYAL, NEUTRAL, TURNED, WAVERING
from narod.world.state import CityState

SIDES = {"insurgents": TURNED, "neutral": NEUTRAL}


def units_mask(s: CityState, units: list[str]) -> np.ndarray:
    """The men of the named units of ``forces.csv``."""
    ids = [s.layout.unit_ids.index(u) for u in units if u in s.layout.unit_ids]
    return np.isin(s.forces.uid, np.asarray(ids, np.int16))


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
