"""Mutineers arm the workers, seize the Arsenal and open the prisons.

Rifles pass from mutineers to the unarmed crowd around them; an objective (the Arsenal, a prison)
falls when mutineers and armed workers at its site outnumber its guard, and the Arsenal's stock
then arms the crowd there.
"""

from __future__ import annotations

import numpy as np

from narod.scenario.city_schema import Arms


def arming_chance(
    mutineers: np.ndarray, crowd: np.ndarray, armed: np.ndarray, stock: np.ndarray, rules: Arms
) -> np.ndarray:
    """Chance per unarmed crowd member of being handed a rifle this tick."""
    if not rules.enabled:
        return np.zeros(crowd.size)
    unarmed = np.maximum(crowd - armed, 1)
    rifles = rules.rifles_per_mutineer * mutineers + stock
    return np.minimum(1.0, rifles / unarmed) * (crowd > armed)


def falls(attackers: np.ndarray, guard: float) -> np.ndarray:
    """Which sites' objectives fall this tick."""
    return attackers > guard
