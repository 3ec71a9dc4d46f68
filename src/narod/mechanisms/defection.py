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

from narod.world.people import F_ARRESTED, LOYAL, MUTINIED, SOLDIER, WAVERING

SAFETY = 0.02  # expected mutiny share that still leaves a loyal majority feared [assumption]


@njit(cache=True)
def punishment(loyal_share, expected_mutiny, k):
    """Expected punishment: 1 - exp(-k * loyal / expected mutiny), Epstein's form."""
    return 1.0 - math.exp(-k * loyal_share / (expected_mutiny + SAFETY))


@njit(cache=True)
def decide(
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
        if np.random.random() >= reconsider + alarm * expected:
            continue
        drive = (
            w_grievance * hardship[i] * (1.0 - legitimacy) + pressure[i] + guilt[unit[i]] + expected
        )
        net = drive - w_risk * risk[i] * standing * punishment(company_loyal[c], expected, k)
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
