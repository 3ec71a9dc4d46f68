"""Police holding a post against rifles shoot back at the armed men among the crowd.

Casualties fall on armed workers and mutinous soldiers in proportion to their numbers there;
a share of those hit die.
"""

from __future__ import annotations

import numpy as np

from narod.mechanisms.casualties import hit_mutineers
from narod.scenario.schema import Spec
from narod.world.state import ARMED, CROWD, P_KILL, P_WOUND, CityState


def phase(s: CityState, spec: Spec) -> None:
    """Police return fire where armed men attack their post."""
    police, rebels = s.force_at["police"], s.force_at["mutineers"]
    armed = s.counts[:, ARMED]
    shooters = police * (armed + rebels > 0)
    hit = np.minimum(armed + rebels, shooters * spec.police.return_fire)
    soldiers = rebels / np.maximum(armed + rebels, 1)
    hit_mutineers(s, s.rng.poisson(hit * soldiers), spec.firing.kill_share)
    size = np.maximum(s.counts[:, CROWD], 1)
    s.hazard[:, P_WOUND] += hit * (1 - soldiers) / size * (1 - spec.firing.kill_share)
    s.hazard[:, P_KILL] += hit * (1 - soldiers) / size * spec.firing.kill_share
