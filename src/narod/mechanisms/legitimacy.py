"""Legitimacy feedback: a state seen beating women and old people loses its right to rule.

Civilians' and troops' legitimacy are separate numbers; the troops feel a share of the fall.
Casualties are counted per 100,000 inhabitants and weighted by the share of women and old people
in the crowd that was struck, so the effect does not depend on the model's scale.
"""

from __future__ import annotations

import numpy as np

from narod.mechanisms.marching import women_in_front
from narod.scenario.city_schema import Legitimacy
from narod.scenario.schema import Spec
from narod.world.state import CROWD, OLD, P_KILL, P_WOUND, CityState


def violence_fall(
    casualties: np.ndarray,
    crowd: np.ndarray,
    women: np.ndarray,
    old: np.ndarray,
    population: float,
    rules: Legitimacy,
) -> float:
    """The fall in civilians' legitimacy from the regime's violence at each site this tick."""
    if not rules.enabled:
        return 0.0
    hit = casualties > 0
    if not hit.any():
        return 0.0
    size = np.maximum(crowd[hit], 1)
    weight = 1.0 + rules.women_weight * women[hit] / size + rules.old_weight * old[hit] / size
    per_100k = np.sum(casualties[hit] * weight) / max(population / 100_000, 1e-9)
    return float(rules.violence_effect * per_100k)


def update(civil: float, troops: float, fall: float, rules: Legitimacy) -> tuple[float, float]:
    """New (civil, troops) legitimacy after a fall."""
    return max(0.0, civil - fall), max(0.0, troops - rules.troops_share * fall)


def phase(s: CityState, spec: Spec) -> None:
    """The casualties of this tick cost the authority legitimacy."""
    tally, c = s.tally, s.counts
    hurt = (tally[:, P_KILL] + tally[:, P_WOUND]).astype(float)
    women = women_in_front(c, spec.marching.women_front)  # the front is where the blows fall
    fall = violence_fall(
        hurt, c[:, CROWD] + hurt, women, c[:, OLD], float(s.n_civilians), spec.legitimacy
    )
    s.legit_civil, s.legit_troops = update(s.legit_civil, s.legit_troops, fall, spec.legitimacy)
