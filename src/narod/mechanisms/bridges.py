"""Bridges held: a loyal force at a bridge that the crowd does not swamp stops the march.

A crowd held at a bridge may still cross a frozen river beside it (see the civilians' pass).
"""

from __future__ import annotations

import numpy as np

from narod.mechanisms.police import overwhelmed
from narod.scenario.schema import Spec
from narod.world.state import ARMED, CROWD, CityState


def phase(s: CityState, spec: Spec) -> None:
    """Which bridges are held this tick."""
    at = s.force_at
    post = at["police"] + at["cavalry"] + at["deployed"]
    s.blocked[:] = False
    held = np.asarray([s.city.index(b.id) for b in s.city.of_kind("bridge")], int)
    if held.size:
        swamped = overwhelmed(s.counts[:, CROWD], s.counts[:, ARMED], post, spec.police)
        s.blocked[held] = (post[held] > 0) & (swamped[held] < 1.0) & s.standing
