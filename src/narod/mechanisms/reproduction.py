"""Model II (Epstein 2002): agents clone onto an adjacent empty site with a fixed probability.

The offspring inherits the parent's group and hardship and draws a fresh risk aversion and death
age (MODELS.md 1.4).
"""

from numba import njit

from narod import rng
from narod.world.look import count, kth
from narod.world.population import EMPTY, QUIET, S_QUIET


@njit(cache=True)
def clone(w, parent, adjacent, free_slots, n_free, max_age, tick, st) -> int:
    """Place a child of ``parent`` on a random empty adjacent cell; return the new ``n_free``.

    ``free_slots[:n_free]`` is a stack of unused agent slots; nothing happens when it is empty
    or when no adjacent cell is free.
    """
    if n_free == 0:
        return n_free
    n_emp = count(w.code, w.position[parent], w.width, w.height, adjacent)[2]
    if n_emp == 0:
        return n_free
    cell = kth(
        w.code, w.position[parent], w.width, w.height, adjacent, EMPTY, rng.randint(st, n_emp)
    )
    n_free -= 1
    child = free_slots[n_free]
    w.kind[child] = w.kind[parent]
    w.group[child] = w.group[parent]
    w.hardship[child] = w.hardship[parent]
    w.risk_aversion[child] = rng.uniform(st)
    w.state[child] = S_QUIET
    w.jail[child] = 0
    w.age[child] = 0
    w.death_age[child] = 1 + rng.randint(st, max_age)
    w.born[child] = tick
    w.position[child] = cell
    w.code[cell] = QUIET
    w.occupant[cell] = child
    return n_free
