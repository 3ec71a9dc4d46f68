"""Officers of a company that has gone over: they stand aside, and some are killed.

An officer killed makes a company's mutiny irreversible: its men can no longer go back to the
ranks, and it can no longer be disarmed. The news that a mutiny cannot be undone is what lets it
spread (see :mod:`narod.mechanisms.defection`).
"""

from __future__ import annotations

import numpy as np

from narod.mechanisms.defection import company_shares
from narod.scenario.schema import Spec
from narod.world.people import F_KILLED, LOYAL, OFFICER, WAVERING
from narod.world.state import CityState


def phase(s: CityState, spec: Spec) -> None:
    """Officers of companies over the threshold stand aside; a mutinous company may kill one."""
    if not spec.defection.enabled or len(s.layout.company_unit) == 0:
        return
    f, d = s.forces, spec.defection
    mutiny, _, _ = company_shares(f.kind, f.state, f.company, len(s.layout.company_unit))
    over = mutiny >= d.unit_threshold
    aside = (f.kind == OFFICER) & (f.state == LOYAL) & over[np.maximum(f.company, 0)]
    f.state[aside] = WAVERING  # they command no one
    for company in np.flatnonzero(over & ~s.irreversible):
        if s.rng.random() < d.officer_kill:
            officers = np.flatnonzero(
                (f.company == company) & (f.kind == OFFICER) & (f.state == LOYAL)
            )
            # One officer dies; at a reduced scale an agent stands for 1/scale persons.
            if officers.size and s.rng.random() < s.scale:
                f.state[officers[0]] = F_KILLED
                s.casualties.killed_soldiers += 1
            s.irreversible[company] = True
            unit = int(s.layout.company_unit[company])
            s.report(
                "officer_killed",
                int(s.layout.unit_site[unit]),
                s.scale,
                "soldiers",
                data={"unit": s.layout.unit_names[unit]},
                once=True,
            )
