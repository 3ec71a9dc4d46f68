"""Model II (Epstein 2002): every agent has a random death age U(1, max_age) and dies at it."""

from numba import njit

from narod.mechanisms.killing import kill
from narod.world.population import CITIZEN, S_DEAD, S_RESERVE


@njit(cache=True)
def age_one_tick(w, free_slots, n_free):
    """Age every living citizen by one tick; those reaching their death age die.

    Returns ``(n_free, deaths)``; freed slots are pushed on ``free_slots``.
    """
    deaths = 0
    for a in range(w.kind.shape[0]):
        if w.kind[a] != CITIZEN or w.state[a] == S_DEAD or w.state[a] == S_RESERVE:
            continue
        w.age[a] += 1
        if w.age[a] >= w.death_age[a]:
            kill(w, a)
            free_slots[n_free] = a
            n_free += 1
            deaths += 1
    return n_free, deaths
