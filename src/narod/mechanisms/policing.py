"""How many cops are on duty: a schedule may add or withdraw cops during a run (Epstein Run 5)."""

from numba import njit

from narod import rng
from narod.world.population import COP, COP_KIND, EMPTY, NO_AGENT, S_QUIET, S_RESERVE


@njit(cache=True, _nrt=False)
def random_empty_cell(code, state_rng) -> int:
    """A uniformly random empty cell of the whole grid, or -1 if the grid is full."""
    cells = code.shape[0]
    for _ in range(1000):  # rejection: exact, and quick unless the grid is nearly full
        c = rng.randint(state_rng, cells)
        if code[c] == EMPTY:
            return c
    n_empty = 0
    for c in range(cells):
        n_empty += code[c] == EMPTY
    if n_empty == 0:
        return -1
    k = rng.randint(state_rng, n_empty)
    for c in range(cells):
        if code[c] == EMPTY:
            if k == 0:
                return c
            k -= 1
    return -1


@njit(cache=True, _nrt=False)
def set_cops_on_duty(code, occupant, position, kind, state, target, on_duty, state_rng):
    """Deploy reserve cops on random empty cells, or withdraw random cops, until ``target``.

    A negative ``target`` leaves the force as it is. Returns the new number on duty (lower
    than ``target`` only if the grid is full or the reserve is exhausted). Withdrawn cops leave
    the grid and go back to the reserve.
    """
    if target < 0:
        return on_duty
    n = kind.shape[0]
    while on_duty > target:
        agent = rng.randint(state_rng, n)
        if kind[agent] == COP_KIND and state[agent] == S_QUIET:
            cell = position[agent]
            code[cell] = EMPTY
            occupant[cell] = NO_AGENT
            state[agent] = S_RESERVE
            on_duty -= 1
    while on_duty < target:
        agent = -1
        for i in range(n):
            if kind[i] == COP_KIND and state[i] == S_RESERVE:
                agent = i
                break
        if agent < 0:
            break
        cell = random_empty_cell(code, state_rng)
        if cell < 0:
            break
        code[cell] = COP
        occupant[cell] = agent
        position[agent] = cell
        state[agent] = S_QUIET
        on_duty += 1
    return on_duty
