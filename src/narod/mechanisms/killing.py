"""Model II (Epstein 2002): an active agent kills one random member of the other group in vision.

"Indiscriminate": the victim is drawn uniformly from the other group's free members in vision.
"""

from numba import njit

from narod import rng
from narod.world.population import CITIZEN, EMPTY, NO_AGENT, S_ACTIVE, S_DEAD, S_QUIET


@njit(cache=True)
def other_group_in_vision(w, a, vis, out) -> int:
    """Write the free members of the other group that ``a`` sees into ``out``; return how many."""
    x = w.position[a] % w.width
    y = w.position[a] // w.width
    n = 0
    for k in range(vis.offsets.shape[0]):
        cell = ((y + vis.offsets[k, 1]) % w.height) * w.width + (x + vis.offsets[k, 0]) % w.width
        b = w.occupant[cell]
        if b == NO_AGENT or w.kind[b] != CITIZEN or w.group[b] == w.group[a]:
            continue
        if w.state[b] == S_QUIET or w.state[b] == S_ACTIVE:
            out[n] = b
            n += 1
    return n


@njit(cache=True)
def kill(w, victim):
    """Remove ``victim`` from the world; its slot becomes free for a birth."""
    cell = w.position[victim]
    if w.occupant[cell] == victim:
        w.code[cell] = EMPTY
        w.occupant[cell] = NO_AGENT
    w.state[victim] = S_DEAD


@njit(cache=True)
def kill_one(w, a, vis, buf, st) -> int:
    """Agent ``a`` kills a random other-group agent in vision; returns the victim or -1."""
    n = other_group_in_vision(w, a, vis, buf)
    if n == 0:
        return -1
    victim = buf[rng.randint(st, n)]
    kill(w, victim)
    return victim
