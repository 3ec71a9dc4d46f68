"""The insurgents' operations: organised units sent to take places, one after another.

An ``operation`` input sends units (organised groups, or units that went over to the insurgents'
side by a resolution) to a list of places. Organised men go; a soldier who went over goes only
if he is willing, by the same weighing as a mutiny (:func:`narod.mechanisms.defection.soldier_net`):
his case and the pull of the share of his unit that goes, against the punishment he expects
while the authority still holds armed men.
They march one site per tick to the first place of the list not yet taken, and on to the next
as each falls; the fighting is :mod:`narod.mechanisms.combat`.
"""

from __future__ import annotations

import numpy as np

from narod.mechanisms.allegiance import units_mask
from narod.mechanisms.combat import holders
from narod.mechanisms.defection import punishment, soldier_net
from narod.mechanisms.inputs import due
from narod.scenario.schema import Spec
from narod.world.people import LOYAL, ORGANISED, TURNED, insurgent, loyal_force
from narod.world.state import CityState


def willing(s: CityState, spec: Spec, men: np.ndarray) -> np.ndarray:
    """Which of these men (indices) will march for the insurgents now.

    A soldier weighs it as he weighs a mutiny, pulled by the share of his own unit that goes:
    the shares are found by letting each man see who else goes until nobody changes his mind
    (a threshold cascade within each unit, from nobody going).
    """
    f, d = s.forces, spec.defection
    organised = f.kind[men] == ORGANISED
    armed = max(loyal_force(f) + int(np.sum(f.state == TURNED)), 1)
    loyal_share = loyal_force(f) / armed
    punish = punishment(loyal_share, 1.0 - loyal_share, d.punish_k) if s.standing else 0.0
    unit = f.uid[men]
    heads = np.bincount(unit, minlength=len(s.layout.unit_ids)).clip(min=1)
    going = np.zeros(men.size, bool)
    for _ in range(len(men) + 1):
        share = np.bincount(unit, going, minlength=heads.size) / heads
        net = soldier_net(
            f.hardship[men], s.legit_troops, f.pressure[men], 0.0, d.unit_weight * share[unit],
            f.risk[men], punish, d.grievance_weight, d.risk_aversion,
        )  # fmt: skip
        now = net > f.threshold[men]
        if np.array_equal(now, going):
            break
        going = now
    return organised | going


def orders(s: CityState, spec: Spec) -> None:
    """Operations due now: each willing man is given the plan's targets."""
    f = s.forces
    for _, item in due(spec, "operation", s):
        ready = units_mask(s, item.units) & (
            ((f.kind == ORGANISED) & (f.state == LOYAL)) | (f.state == TURNED)
        )
        men = np.flatnonzero(ready)
        men = men[willing(s, spec, men)]
        plan = np.asarray([s.objectives.index(t) for t in item.targets], np.int16)
        s.plans = [(old[np.isin(old, men, invert=True)], p) for old, p in s.plans]  # new orders
        s.plans.append((men, plan))
        f.target[men] = plan[0]
        f.fires[men] = item.fire
        first = s.city.place(item.targets[0])
        s.report("operation", first.id, men.size, "insurgents", data={"place": first.name})


def march(s: CityState, spec: Spec) -> None:
    """Each plan's men head for its first place not yet taken, one site per tick; they do not
    march on past a site the authority's armed men hold (see :mod:`narod.mechanisms.combat`)."""
    if not s.plans:
        return
    f = s.forces
    held = np.bincount(f.loc[holders(f)], minlength=s.n_sites) > 0
    for men, plan in s.plans:
        open_ = plan[~s.taken[plan]]
        going = men[insurgent(f)[men]]
        if open_.size:
            f.target[going] = open_[0]
        going = going[~held[f.loc[going]]]
        step = s.city.next_hop[s.objective_site[f.target[going]], f.loc[going]]
        f.loc[going] = np.where(step >= 0, step, f.loc[going])
