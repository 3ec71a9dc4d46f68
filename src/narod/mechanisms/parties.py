"""Parties as organisations whose stance follows observed mobilisation with a lag.

Each party reads the strike level of ``lag`` days ago and closes part of the gap to it; once its
stance passes ``call_at`` it calls for the strike, and the workers who heed it feel a pull. The
parties follow the crowd; whether their calls matter is the ``call_effect`` a user can vary.
"""

from __future__ import annotations

import numpy as np

from narod.scenario.city_schema import Parties
from narod.scenario.schema import Spec
from narod.world.state import CityState


def update_stances(stances: np.ndarray, mobilisation: list[float], rules: Parties) -> np.ndarray:
    """Stances after a night: each moves toward the mobilisation it has seen."""
    out = stances.copy()
    for p, party in enumerate(rules.parties):
        day = len(mobilisation) - 1 - party.lag
        seen = mobilisation[day] if day >= 0 else 0.0
        out[p] += rules.adapt * (seen - out[p])
    return out


def call_pull(stances: np.ndarray, rules: Parties) -> np.ndarray:
    """The pull of each party's call on the workers who heed it (zero before it calls)."""
    if not rules.enabled or not rules.parties:
        return np.zeros(max(1, len(rules.parties)))
    calling = stances >= np.asarray([p.call_at for p in rules.parties])
    return np.where(calling, rules.call_effect * stances, 0.0)


def overnight(s: CityState, spec: Spec) -> None:
    """Each morning the parties read the mood of the days they look back on; those whose stance
    passes their mark call for the strike."""
    if not s.day_start:
        return
    s.mobilisation.append(s.day_peak)
    if not spec.parties.enabled:
        return
    before = s.stances.copy()
    s.stances = update_stances(s.stances, s.mobilisation, spec.parties)
    for i, party in enumerate(spec.parties.parties):
        if before[i] < party.call_at <= s.stances[i]:
            s.report("party_call", "city", 0, party.name, data={"party": party.name})
