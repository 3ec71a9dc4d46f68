"""Fear: casualties seen anywhere in the city keep people off the street and out of the strike.

It rises with each casualty per 100,000 inhabitants, so it does not depend on the model's scale,
and fades overnight.
"""

from __future__ import annotations

from narod.scenario.schema import Spec
from narod.world.state import P_KILL, P_WOUND, CityState


def phase(s: CityState, spec: Spec) -> None:
    """This tick's casualties frighten the city."""
    hurt = float((s.tally[:, P_KILL] + s.tally[:, P_WOUND]).sum())
    s.fear += spec.firing.fear * hurt / max(s.n_civilians / 100_000, 1e-9)


def overnight(s: CityState, spec: Spec) -> None:
    """A night's calm."""
    if s.new_day:
        s.fear *= spec.firing.fear_decay
