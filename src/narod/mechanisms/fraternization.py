"""Fraternization: the crowd asks soldiers "which side are you on?"; kin and women make it harder.

Each tick a soldier at a post with a crowd gains defection pressure in proportion to how much of
the post the crowd can reach, more when the crowd holds soldiers' kin and many women. Police get
none: they are the crowd's targets, not its brothers.
"""

from __future__ import annotations

import numpy as np

from narod.mechanisms.marching import women_in_front
from narod.scenario.city_schema import Fraternization
from narod.scenario.schema import Spec
from narod.world.people import LOYAL, POLICE, SOLDIER, WAVERING
from narod.world.state import CROWD, KIN, CityState


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


def approachable(kind: np.ndarray, spec: Spec) -> np.ndarray:
    """Who the crowd can win over: soldiers, and police too where ``police.defects`` is set."""
    return (kind == SOLDIER) | ((kind == POLICE) & spec.police.defects)


def overnight(s: CityState, spec: Spec) -> None:
    """Officers regain part of their hold in the barracks at night."""
    if s.new_day:
        s.forces.pressure[approachable(s.forces.kind, spec)] *= spec.fraternization.overnight


def phase(s: CityState, spec: Spec) -> None:
    """Soldiers at posts feel the crowd around them."""
    f, c = s.forces, s.counts
    soldier = approachable(f.kind, spec) & ((f.state == LOYAL) | (f.state == WAVERING))
    soldier &= f.loc != f.home  # on the street at a post, where the crowd can reach them
    women = women_in_front(c, spec.marching.women_front)
    gain = pressure_gain(c[:, CROWD], women, c[:, KIN], s.force_at["soldiers"], spec.fraternization)
    f.pressure[soldier] += gain[f.loc[soldier]].astype(np.float32)
