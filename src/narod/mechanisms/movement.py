"""Movement rule M (Epstein 2002): go to a random empty site within vision (see ``look.kth``)."""

from numba import njit

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
