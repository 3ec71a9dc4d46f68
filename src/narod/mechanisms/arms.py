"""Mutineers arm the crowd: rifles pass to the unarmed people around them.

The rifles come from the mutineers at a site and from a seized store lying there (see
:mod:`narod.mechanisms.objectives`).
"""

from __future__ import annotations

import numpy as np

from narod.scenario.city_schema import Arms
from narod.scenario.schema import Spec
from narod.world.state import ARMED, CROWD, P_ARM, CityState


def arming_chance(
    mutineers: np.ndarray, crowd: np.ndarray, armed: np.ndarray, stock: np.ndarray, rules: Arms
) -> np.ndarray:
    """Chance per unarmed crowd member of being handed a rifle this tick."""
    if not rules.enabled:
        return np.zeros(crowd.size)
    unarmed = np.maximum(crowd - armed, 1)
    rifles = rules.rifles_per_mutineer * mutineers + stock
    return np.minimum(1.0, rifles / unarmed) * (crowd > armed)


def phase(s: CityState, spec: Spec) -> None:
    """Rifles from mutineers and seized stores reach the unarmed crowd."""
    c = s.counts
    s.hazard[:, P_ARM] = arming_chance(
        s.force_at["mutineers"], c[:, CROWD], c[:, ARMED], s.stock, spec.arms
    )
