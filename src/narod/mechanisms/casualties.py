"""Who is hit when the crowd strikes at the police, or volleys strike mutinous soldiers.

Per site, a number of casualties is drawn elsewhere; here they fall on random members of the
force standing there, and are counted and reported.
"""

from __future__ import annotations

import numpy as np

from narod.world.people import F_KILLED, F_WOUNDED, LOYAL, MUTINIED, POLICE, SOLDIER
from narod.world.state import CityState


def hit_police(s: CityState, per_site: np.ndarray, kill_share: float) -> None:
    """``per_site`` police on duty are hurt at each site; ``kill_share`` of them die."""
    f = s.forces
    if not per_site.any():
        return
    for site in np.flatnonzero(per_site):
        here = np.flatnonzero((f.kind == POLICE) & (f.loc == site) & (f.state == LOYAL))
        hit = s.rng.permutation(here)[: per_site[site]]
        dead = (kill_share >= 1.0) | (s.rng.random(hit.size) < kill_share)
        f.state[hit[dead]] = F_KILLED
        f.state[hit[~dead]] = F_WOUNDED
        killed, wounded = int(np.sum(dead)), int(np.sum(~dead))
        s.casualties.killed_police += killed
        s.casualties.wounded_police += wounded
        if killed:
            s.report("police_killed", int(site), killed, "crowd")
        elif wounded:
            s.report("police_beaten", int(site), wounded, "crowd", once=True)


def hit_mutineers(s: CityState, per_site: np.ndarray, kill_share: np.ndarray | float) -> None:
    """``per_site`` mutinous soldiers are hit at each site; ``kill_share`` (per site) die."""
    f = s.forces
    share = np.broadcast_to(kill_share, per_site.shape)
    for site in np.flatnonzero(per_site):
        here = np.flatnonzero((f.kind == SOLDIER) & (f.loc == site) & (f.state == MUTINIED))
        hit = s.rng.permutation(here)[: per_site[site]]
        dead = s.rng.random(hit.size) < share[site]
        f.state[hit[dead]] = F_KILLED
        f.state[hit[~dead]] = F_WOUNDED
        s.casualties.killed_soldiers += int(np.sum(dead))
        s.casualties.wounded_soldiers += int(np.sum(~dead))
