"""Night-time agitation by grassroots activists raising the next day's turnout.

Activists who are not under arrest and whose district struck today spend the night in the
barracks yards, queues and tenements; the next morning every worker of the district feels a pull
in proportion to the activists' share of its workforce and to how much of it was out.
"""

from __future__ import annotations

import numpy as np

from narod.scenario.city_schema import Agitation
from narod.scenario.schema import Spec
from narod.world.people import ARRESTED, WORKER, Civilians
from narod.world.state import CityState


def overnight_pull(
    people: Civilians, district_strike_share: np.ndarray, n_sites: int, rules: Agitation
) -> np.ndarray:
    """Pull on tomorrow's strike decisions, per site of a home district."""
    if not rules.enabled:
        return np.zeros(n_sites)
    workers = np.bincount(people.home[people.kind == WORKER], minlength=n_sites)
    free = people.activist & (people.state != ARRESTED)
    active = np.bincount(people.home[free], minlength=n_sites)
    share = np.divide(active, workers, out=np.zeros(n_sites), where=workers > 0)
    return np.minimum(rules.cap, rules.effect * share * district_strike_share)


def overnight(s: CityState, spec: Spec) -> None:
    """The night's agitation, felt the next morning."""
    if s.day_start:
        s.pull = overnight_pull(s.people, s.district_day, s.n_sites, spec.agitation)
