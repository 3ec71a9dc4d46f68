"""Bread shortage and hardship, and the grievance they feed.

Hardship rises with the bread shortage, more for women, who stood in the queues; grievance is
Epstein's ``H (1 - L)`` with the civilians' or the troops' legitimacy.
"""

from __future__ import annotations

import numpy as np

from narod.scenario.city_schema import Bread
from narod.scenario.schema import Spec
from narod.world.state import CityState


def daily_hardship(base: np.ndarray, female: np.ndarray, bread: Bread) -> np.ndarray:
    """Hardship for the day: base plus the shortage's effect (nothing when switched off)."""
    if not bread.enabled:
        return base
    rise = bread.shortage * (bread.hardship_effect + bread.women_extra * female)
    return np.clip(base + rise, 0.0, 1.0).astype(np.float32)


def grievance(hardship: np.ndarray, legitimacy: float) -> np.ndarray:
    """Epstein's G = H (1 - L)."""
    return (hardship * (1.0 - legitimacy)).astype(np.float32)


def morning(s: CityState, spec: Spec) -> None:
    """The day's hardship and grievance, under the civilians' legitimacy of the morning."""
    if not s.new_day:
        return
    hard = daily_hardship(s.base_hardship, s.people.female, spec.bread)
    s.people.hardship[:] = hard
    s.grievance[:] = grievance(hard, s.legit_civil)
