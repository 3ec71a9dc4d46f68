"""Movement rule M (Epstein 2002): go to a random empty site within vision (see ``look.kth``)."""

from numba import njit

from narod import rng
from narod.world.look import count, kth
from narod.world.population import EMPTY, NO_AGENT


@njit(cache=True, _nrt=False)
def move_to(code, occupant, position, agent, target):
    """Carry ``agent`` (and what its cell shows) to the empty cell ``target``."""
    old = position[agent]
    code[target] = code[old]
    occupant[target] = agent
    code[old] = EMPTY
    occupant[old] = NO_AGENT
    position[agent] = target


@njit(cache=True, _nrt=False)
def random_empty_near(code, cell, width, height, vis, st) -> int:
    """A uniformly random empty cell in the vision shape around ``cell``, or -1 if none.

    Rejection sampling (draw cells of the shape until one is empty) is exactly uniform over the
    empty cells and needs no look at the whole shape; after 64 misses the empties are counted.
    """
    x = cell % width
    y = cell // width
    n = vis.offsets.shape[0]
    for _ in range(64):
        j = rng.randint(st, n)
        other = ((y + vis.offsets[j, 1]) % height) * width + (x + vis.offsets[j, 0]) % width
        if code[other] == EMPTY:
            return other
    n_emp = count(code, cell, width, height, vis)[2]
    if n_emp == 0:
        return -1
    return kth(code, cell, width, height, vis, EMPTY, rng.randint(st, n_emp))
