"""Soldiers' mutiny as a coordination threshold on the expected size of the mutiny.

A soldier breaks discipline only when "certain that he will become part of a victorious mass
able to protect him": the mirror of Epstein's rule (MODELS.md 5.4). Pressure (grievance under the
troops' legitimacy, fraternization, guilt after firing on a crowd, and the pull of the expected
mutiny itself) must beat the threshold plus the expected punishment, which falls as the expected
mutiny grows. The expected mutiny is a weighted sum of the own company's mutinous share, the
neighbouring barracks' and the news from the city. Once a company has killed an
officer its mutiny cannot be undone; before that a soldier can go back to the ranks, and a
mutiny can be disarmed by loyal troops who outnumber it.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from narod.mechanisms.inputs import news_reach
from narod.scenario.schema import Spec
from narod.world.people import (
    F_ARRESTED,
    LOYAL,
    MUTINIED,
    POLICE,
    ROUTED,
    SOLDIER,
    TURNED,
    WAVERING,
    force_counts,
)
from narod.world.state import ARMED, CityState

SAFETY = 0.02  # expected mutiny share that still leaves a loyal majority feared [assumption]


@njit(cache=True)
def punishment(loyal_share, expected_mutiny, k):
    """Expected punishment: 1 - exp(-k * loyal / (expected mutiny + SAFETY)), Epstein's form."""
    return 1.0 - math.exp(-k * loyal_share / (expected_mutiny + SAFETY))


@njit(cache=True)
def soldier_net(hardship, legitimacy, pressure, guilt, pull, risk, punish, w_grievance, w_risk):
    r"""A soldier's case for breaking discipline, less the punishment he expects.

    The one weighing behind both refusing an order to fire and joining a mutiny: grievance under
    the troops' legitimacy, fraternization pressure, the unit's guilt and a ``pull`` of the
    moment (the expected mutiny, or the women in front of him), against his risk aversion times
    the expected ``punish``\ ment.
    """
    drive = w_grievance * hardship * (1.0 - legitimacy) + pressure + guilt + pull
    return drive - w_risk * risk * punish


@njit(cache=True)
def decide(
    rng,
    kind,
    state,
    company,
    unit,
    hardship,
    risk,
    threshold,
    pressure,
    guilt,
    company_mutiny,
    company_loyal,
    neighbour_mutiny,
    irreversible,
    legitimacy,
    w_grievance,
    w_risk,
    k,
    w_unit,
    w_neighbour,
    w_city,
    city_mutiny,
    wavering_margin,
    return_margin,
    reconsider,
    alarm,
    standing,
):
    """Soldiers who weigh the question this tick decide; returns how many changed side.

    ``standing`` is 1 while the regime holds and 0 once it has fallen: a fallen regime punishes
    nobody.
    """
    changed = 0
    for i in range(kind.size):
        if kind[i] != SOLDIER:
            continue
        s = state[i]
        if s != LOYAL and s != WAVERING and s != MUTINIED:
            continue
        c = company[i]
        expected = (
            w_unit * company_mutiny[c]
            + w_neighbour * neighbour_mutiny[unit[i]]
            + w_city * city_mutiny
        )
        # Quiet barracks weigh the question rarely; a mutiny next door makes every man decide.
        if rng.random() >= reconsider + alarm * expected:
            continue
        punish = standing * punishment(company_loyal[c], expected, k)
        net = soldier_net(
            hardship[i],
            legitimacy,
            pressure[i],
            guilt[unit[i]],
            expected,
            risk[i],
            punish,
            w_grievance,
            w_risk,
        )
        if s == MUTINIED:
            if not irreversible[c] and net < threshold[i] - return_margin:
                state[i] = LOYAL
                changed += 1
        elif net > threshold[i]:
            state[i] = MUTINIED
            changed += 1
        elif net > threshold[i] - wavering_margin:
            state[i] = WAVERING
        else:
            state[i] = LOYAL
    return changed


@njit(cache=True)
def police_decide(
    rng,
    kind,
    state,
    station,
    hardship,
    risk,
    threshold,
    pressure,
    station_turned,
    station_loyal,
    legitimacy,
    rules,
    city_expected,
    reconsider,
    standing,
):
    """Police on duty or routed weigh leaving the authority by the soldiers' rule, their station
    standing for a company; returns how many left. Only read when ``police.defects`` is set."""
    w_grievance, w_risk, k, w_unit, alarm = rules
    changed = 0
    for i in range(kind.size):
        if kind[i] != POLICE or (state[i] != LOYAL and state[i] != ROUTED):
            continue
        u = station[i]
        expected = w_unit * station_turned[u] + city_expected
        if rng.random() >= reconsider + alarm * expected:
            continue
        punish = standing * punishment(station_loyal[u], expected, k)
        net = soldier_net(hardship[i], legitimacy, pressure[i], 0.0, expected, risk[i], punish,
                          w_grievance, w_risk)  # fmt: skip
        if net > threshold[i]:
            state[i] = TURNED
            changed += 1
    return changed


def company_shares(
    kind: np.ndarray, state: np.ndarray, company: np.ndarray, n_companies: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per company: mutinous share, loyal share (officers included), and head count."""
    member = company >= 0
    comp = company[member]
    st = state[member]
    n = np.bincount(comp, minlength=n_companies).astype(np.float64)
    mutinous = np.bincount(comp[st == MUTINIED], minlength=n_companies)
    loyal = np.bincount(comp[(st == LOYAL) | (st == WAVERING)], minlength=n_companies)
    safe = np.maximum(n, 1)
    return mutinous / safe, loyal / safe, n


def suppress(
    state: np.ndarray,
    kind: np.ndarray,
    loc: np.ndarray,
    company: np.ndarray,
    irreversible: np.ndarray,
    loyal_here: np.ndarray,
    mutineers_here: np.ndarray,
    ratio: float,
    chance: float,
    rng: np.random.Generator,
) -> np.ndarray:
    """Disarm mutineers where loyal men outnumber them ``ratio`` to one and the command acts
    (``chance`` per tick); returns who."""
    crushed = loyal_here >= ratio * np.maximum(mutineers_here, 1)
    crushed &= rng.random(crushed.size) < chance
    who = (
        (kind == SOLDIER)
        & (state == MUTINIED)
        & crushed[loc]
        & ~irreversible[np.maximum(company, 0)]
    )
    state[who] = F_ARRESTED
    return np.flatnonzero(who)


def phase(s: CityState, spec: Spec) -> None:
    """Soldiers weigh mutiny; companies past the threshold go over, and the news is told."""
    if not spec.defection.enabled:
        return
    f, d = s.forces, spec.defection
    n_c = len(s.layout.company_unit)
    if n_c == 0:
        return
    mutiny, loyal, heads = company_shares(f.kind, f.state, f.company, n_c)
    n_units = len(s.layout.units)
    unit_n = np.bincount(s.layout.company_unit, heads, n_units)
    unit_m = np.bincount(s.layout.company_unit, heads * mutiny, n_units)
    near_n = s.unit_neighbours @ unit_n
    near_m = s.unit_neighbours @ unit_m
    neighbour = np.divide(near_m, near_n, out=np.zeros_like(near_n), where=near_n > 0)
    city = float(unit_m.sum() / max(unit_n.sum(), 1))
    at_dawn = s.hour == s.calendar.reveille  # every man decides after the night's talk
    decide(
        s.rng,
        f.kind,
        f.state,
        np.maximum(f.company, 0),
        f.unit,
        f.hardship,
        f.risk,
        f.threshold,
        f.pressure,
        s.guilt,
        mutiny,
        loyal,
        neighbour,
        s.irreversible,
        s.legit_troops,
        d.grievance_weight,
        d.risk_aversion,
        d.punish_k,
        d.unit_weight,
        d.neighbour_weight,
        d.city_weight * news_reach(s, spec),
        city,
        d.wavering_margin,
        d.return_margin,
        1.0 if at_dawn else d.reconsider,
        d.alarm,
        float(s.standing),
    )
    mutiny, _, _ = company_shares(f.kind, f.state, f.company, n_c)
    _report_companies(s, mutiny, d.unit_threshold)
    if spec.police.defects:
        _police(s, spec, city * d.city_weight * news_reach(s, spec), at_dawn)


def _police(s: CityState, spec: Spec, city_expected: float, at_dawn: bool) -> None:
    """Police weigh leaving as soldiers weigh mutiny (the counterfactual of ``police.defects``)."""
    f, d = s.forces, spec.defection
    police = f.kind == POLICE
    n = len(s.layout.stations)
    heads = np.maximum(np.bincount(f.unit[police], minlength=n), 1)
    turned = np.bincount(f.unit[police & (f.state == TURNED)], minlength=n) / heads
    loyal = np.bincount(f.unit[police & (f.state == LOYAL)], minlength=n) / heads
    left = police_decide(s.rng, f.kind, f.state, f.unit, f.hardship, f.risk, f.threshold,
                         f.pressure, turned, loyal, s.legit_troops,
                         (d.grievance_weight, d.risk_aversion, d.punish_k, d.unit_weight, d.alarm),
                         city_expected, 1.0 if at_dawn else d.reconsider,
                         float(s.standing))  # fmt: skip
    if left:
        s.report("police_defect", "city", left, "police")


def _report_companies(s: CityState, company_share: np.ndarray, threshold: float) -> None:
    """A company over the threshold for the first time: the first unit, the spread, or another."""
    layout = s.layout
    for company in np.flatnonzero(company_share >= threshold):
        if s.companies_out[company]:
            continue
        s.companies_out[company] = True
        unit = int(layout.company_unit[company])
        if s.units_out[unit]:
            continue
        first = not s.units_out.any()
        s.units_out[unit] = True
        # It spreads once a mutiny can no longer be undone (an officer killed).
        event = (
            "first_unit_mutiny"
            if first
            else "mutiny_spreads"
            if s.irreversible.any()
            else ("unit_mutiny")
        )
        heads = np.sum(s.forces.company == company)
        s.report(
            event,
            int(layout.unit_site[unit]),
            heads,
            "soldiers",
            data={"unit": layout.unit_names[unit]},
        )


def suppression(s: CityState, spec: Spec) -> None:
    """Loyal men who outnumber an unprotected mutiny disarm it."""
    if not spec.defection.enabled:
        return
    f, d = s.forces, spec.defection
    force = force_counts(f, s.n_sites)
    loyal_here = force["loyal"] + force["police"]
    crushed = suppress(
        f.state,
        f.kind,
        f.loc,
        f.company,
        s.irreversible,
        loyal_here,
        force["mutineers"] + s.counts[:, ARMED],
        d.suppress_ratio,
        d.suppress_chance,
        s.rng,
    )
    if crushed.size:
        site = int(np.bincount(f.loc[crushed]).argmax())
        s.report("mutiny_suppressed", site, crushed.size, "regime", once=True)
