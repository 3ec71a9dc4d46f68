"""Cop rule C (Epstein 2002): arrest one random active agent in vision."""

from numba import njit

from narod.world.population import EMPTY, JAILED, NO_AGENT, S_JAILED


@njit(cache=True, _nrt=False)
def arrest(code, occupant, state, jail, cell, term, keeps_cell):
    """Jail the agent on ``cell`` for ``term`` ticks; return its index.

    With ``keeps_cell`` (Mesa) the jailed agent keeps blocking its cell; otherwise (the paper,
    NetLogo) it leaves the lattice and its cell becomes free.
    """
    agent = occupant[cell]
    state[agent] = S_JAILED
    jail[agent] = term
    if keeps_cell:
        code[cell] = JAILED
    else:
        code[cell] = EMPTY
        occupant[cell] = NO_AGENT
    return agent
