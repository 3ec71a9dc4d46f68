"""An agent's estimate of being arrested if it turns active (Epstein 2002, eq. for P).

``P = 1 - exp(-k * ratio(C / A))`` with C the cops and A the actives in vision, the agent itself
included in A. The rounding of C/A is the implementation choice that decides whether punctuated
equilibrium appears at all (MODELS.md 1.1.1), so each reading is a named rule.
"""

import math

import numpy as np
from numba import njit

FLOOR = 0  # NetLogo Rebellion: "without this change, the model does not exhibit punctuated ..."
ROUND = 1  # Mesa's example: Python's round(), half to even
LITERAL = 2  # the paper as printed

RULES = {"floor": FLOOR, "round": ROUND, "literal": LITERAL}
K_PAPER = -math.log(0.1)  # P = 0.9 when C = A = 1


@njit(cache=True, _nrt=False)
def round_half_even(x: float) -> float:
    """Python's ``round`` for a non-negative float: halves go to the even neighbour."""
    low = math.floor(x)
    rest = x - low
    if rest > 0.5:
        return low + 1.0
    if rest < 0.5:
        return low
    return low if low % 2.0 == 0.0 else low + 1.0


@njit(cache=True, _nrt=False)
def cop_to_active_ratio(cops: int, actives: int, rule: int) -> float:
    """C / A read under ``rule``; A is at least 1 because the agent counts itself."""
    ratio = cops / actives
    if rule == FLOOR:
        return math.floor(ratio)
    if rule == ROUND:
        return round_half_even(ratio)
    return ratio


@njit(cache=True, _nrt=False)
def arrest_probability(cops: int, actives: int, k: float, rule: int) -> float:
    """``1 - exp(-k ratio(C/A))``: 0 with no cops, 0.8997 for C = A = 1 at k = 2.3."""
    return 1.0 - math.exp(-k * cop_to_active_ratio(cops, actives, rule))


@njit(cache=True, _nrt=False)
def actives_seen(active_others: int, self_active: bool, self_count: int) -> int:
    """A: the actives in vision plus the agent itself.

    ``self_count`` 0 ("once", paper and Mesa) always adds one; 1 ("twice_when_active",
    NetLogo, whose radius includes the agent's own patch) adds one more when already active.
    """
    return 1 + active_others + (1 if (self_count == 1 and self_active) else 0)


@njit(cache=True)
def whole_ratio_table(k: float, n_max: int) -> np.ndarray:
    """``P`` for the whole ratios 0..n_max, computed as :func:`arrest_probability` does.

    The floor and round rules only ever ask for whole ratios, and C/A cannot exceed the cells
    in vision, so a parallel kernel looks ``P`` up instead of calling ``exp`` per agent.
    """
    table = np.empty(n_max + 1)
    for i in range(n_max + 1):
        table[i] = 1.0 - math.exp(-k * float(i))
    return table


@njit(cache=True, _nrt=False)
def whole_ratio(cops: int, actives: int, rule: int) -> int:
    """:func:`cop_to_active_ratio` for the floor and round rules, in exact integer arithmetic.

    One division and no data-dependent branch: the float path's half-way tests mispredicted.
    """
    q = cops // actives
    twice_rest = 2 * (cops - q * actives)
    up = (twice_rest > actives) | ((twice_rest == actives) & (q % 2 == 1))  # half to even
    return q + (1 if rule == ROUND and up else 0)


@njit(cache=True, _nrt=False)
def arrest_probability_looked_up(cops: int, actives: int, k: float, rule: int, table) -> float:
    """:func:`arrest_probability`, with ``table`` from :func:`whole_ratio_table` (n_max >= cops)."""
    if rule == LITERAL:
        return arrest_probability(cops, actives, k, rule)
    return table[whole_ratio(cops, actives, rule)]
