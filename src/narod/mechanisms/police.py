"""Police: a caste that is not won over. They block bridges, disperse, arrest and beat; when a
crowd outnumbers them they break and flee, and an abandoned station is wrecked.

Everything here is per site: the crowd and the police that stand at it this tick. Police who
may be won over (``police.defects``, a counterfactual) are weighed in
:mod:`narod.mechanisms.defection`.
"""

from __future__ import annotations

import numpy as np

from narod.mechanisms.casualties import hit_police
from narod.scenario.city_schema import Police
from narod.scenario.schema import Spec
from narod.world.people import LOYAL, POLICE, ROUTED, force_counts
from narod.world.state import ARMED, CROWD, N_OUTCOMES, P_ARREST, P_WOUND, CityState


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


def phase(s: CityState, spec: Spec) -> None:
    """Police at each site arrest and beat, or break and flee; the crowd strikes back."""
    rules = spec.police
    s.force_at = force_counts(s.forces, s.n_sites)
    s.hazard = np.zeros((s.n_sites, N_OUTCOMES))
    c = s.counts
    crowd, armed = c[:, CROWD], c[:, ARMED]
    pol = s.force_at["police"]
    swamped = overwhelmed(crowd, armed, pol, rules)
    p_arrest, p_beaten = dispersal(crowd, pol, swamped, rules)
    if not s.standing:
        p_arrest = p_arrest * 0.0
    s.hazard[:, P_ARREST] = p_arrest
    s.hazard[:, P_WOUND] += p_beaten
    _rout(s, swamped, rules)
    hits = casualties(pol, swamped, crowd, armed, rules)
    hits = hits + np.minimum(pol, spec.arms.hunt_rate * s.force_at["mutineers"])
    hit_police(s, s.rng.poisson(hits), rules.kill_share)


def _rout(s: CityState, swamped: np.ndarray, rules: Police) -> None:
    f = s.forces
    cops = np.flatnonzero((f.kind == POLICE) & (f.state == LOYAL))
    if not cops.size:
        return
    chance = rout_chance(swamped, rules)[f.loc[cops]]
    fled = cops[s.rng.random(cops.size) < chance]
    for site in np.flatnonzero(np.bincount(f.loc[fled], minlength=s.n_sites)):
        s.report("police_routed", int(site), s.counts[site, CROWD], "police", once=True)
    f.state[fled] = ROUTED
    f.loc[fled] = f.home[fled]


def recovery(s: CityState, spec: Spec) -> None:
    """Each morning some routed police are back on duty, unless their station was wrecked."""
    if not s.new_day:
        return
    f = s.forces
    routed = np.flatnonzero((f.kind == POLICE) & (f.state == ROUTED))
    back = routed[~s.wrecked[f.unit[routed]]]
    back = back[s.rng.random(back.size) < spec.police.recover]
    f.state[back] = LOYAL
