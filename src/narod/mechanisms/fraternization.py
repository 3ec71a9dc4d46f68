"""Fraternization: the crowd asks soldiers "which side are you on?"; kin and women make it harder.

Each tick a soldier at a post with a crowd gains defection pressure in proportion to how much of
the post the crowd can reach, more when the crowd holds soldiers' kin and many women. Police get
none: they are the crowd's targets, not its brothers.
"""

from __future__ import annotations

import numpy as np

from narod.scenario.city_schema import Fraternization


def pressure_gain(
    crowd: np.ndarray,
    women: np.ndarray,
    kin: np.ndarray,
    soldiers: np.ndarray,
    rules: Fraternization,
) -> np.ndarray:
    """Pressure added this tick to each soldier at each site."""
    if not rules.enabled:
        return np.zeros(crowd.size)
    size = np.maximum(crowd, 1)
    contact = np.minimum(1.0, crowd / np.maximum(soldiers * rules.contact_ratio, 1))
    appeal = 1.0 + rules.kin_weight * kin / size + rules.women_weight * women / size
    return rules.rate * contact * appeal * (crowd > 0)
