"""Police: a caste that is not won over. They block bridges, disperse, arrest and beat; when a
crowd outnumbers them they break and flee, and an abandoned station is wrecked.

Everything here is per site: the crowd and the police that stand at it this tick. A defection
rate exists for the counterfactual and defaults to never.
"""

from __future__ import annotations

import numpy as np

from narod.scenario.city_schema import Police


def effective_crowd(crowd: np.ndarray, armed: np.ndarray, rules: Police) -> np.ndarray:
    """A crowd's weight in a fight: armed members count ``armed_attack`` times more."""
    return crowd + rules.armed_attack * armed


def overwhelmed(crowd: np.ndarray, armed: np.ndarray, police: np.ndarray, rules: Police):
    """How far each post is outnumbered, 0 (holding) to 1 (swamped)."""
    ratio = effective_crowd(crowd, armed, rules) / np.maximum(police, 1)
    return np.clip(ratio / rules.rout_ratio - 1.0, 0.0, 1.0) * (police > 0)


def dispersal(crowd: np.ndarray, police: np.ndarray, swamped: np.ndarray, rules: Police):
    """Chances per crowd member of being arrested and of being beaten (wounded) this tick."""
    size = np.maximum(crowd, 1)
    holding = 1.0 - swamped
    p_arrest = np.minimum(0.5, police * rules.arrest_rate * holding / size) * (crowd > 0)
    p_beaten = np.minimum(0.5, police * rules.beat_rate * holding / size) * (crowd > 0)
    return p_arrest, p_beaten


def rout_chance(swamped: np.ndarray, rules: Police) -> np.ndarray:
    """Chance per officer of breaking and fleeing to the station this tick."""
    return rules.rout_rate * swamped


def casualties(
    police: np.ndarray, swamped: np.ndarray, crowd: np.ndarray, armed: np.ndarray, rules: Police
) -> np.ndarray:
    """Expected police casualties per site: officers caught by a crowd that outnumbers them."""
    fury = 1.0 + rules.armed_attack * armed / np.maximum(crowd, 1)
    return np.minimum(police, police * rules.attack_rate * swamped * fury)
