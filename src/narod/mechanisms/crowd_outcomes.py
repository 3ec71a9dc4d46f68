"""What may happen to a crowd member at a site this tick, as chances that sum to at most one.

The phases before add up the hazards at each site (arrest, beating, charges, volleys, return
fire); here they are capped and made exclusive, and the crowd's flight from casualties it sees
(deterrence) is added to the dispersal. The civilians' pass draws each person's fate from them.
"""

from __future__ import annotations

import numpy as np

from narod.scenario.schema import Spec
from narod.world.state import P_ARM, P_ARREST, P_DISPERSE, P_KILL, P_WOUND, CityState

MAX_HURT = 0.5  # at most half a crowd killed or wounded in half an hour [assumption]
MAX_FLEE = 0.9  # at least a tenth of a crowd stands its ground [assumption]


def phase(s: CityState, spec: Spec) -> None:
    """Cap, combine and normalise the hazards into the site outcomes."""
    h, o = s.hazard, s.site_outcome
    deterrence = np.minimum(MAX_FLEE, spec.firing.deterrence * (h[:, P_KILL] + h[:, P_WOUND]))
    o[:, P_KILL] = np.minimum(h[:, P_KILL], MAX_HURT)
    o[:, P_WOUND] = np.minimum(h[:, P_WOUND], MAX_HURT)
    o[:, P_ARREST] = h[:, P_ARREST]
    o[:, P_DISPERSE] = np.minimum(MAX_FLEE, h[:, P_DISPERSE] + deterrence)
    o[:, P_ARM] = h[:, P_ARM]
    exclusive = o[:, :P_ARM].sum(axis=1)
    o[:, :P_ARM] /= np.maximum(exclusive, 1.0)[:, None]
