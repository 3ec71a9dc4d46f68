"""Jail terms (Epstein's rule C): how long an arrested agent stays off the street."""

from numba import njit

from narod import rng

LIFE = 2**31 - 1  # a term never served out (J_max = inf)

ZERO_TO_MAX = 0  # uniform integer 0..J_max inclusive (Mesa: random.randint(0, J_max))
ZERO_TO_MAX_MINUS_ONE = 1  # NetLogo: random max-jail-term
ONE_TO_MAX = 2  # uniform integer 1..J_max (0 when J_max = 0)

DRAWS = {"zero_to_max": ZERO_TO_MAX, "zero_to_max_minus_one": ZERO_TO_MAX_MINUS_ONE,
         "one_to_max": ONE_TO_MAX}  # fmt: skip


@njit(cache=True, _nrt=False)
def term_from_uniform(u: float, max_term: int, draw: int) -> int:
    """A term from a uniform draw ``u`` in [0, 1); ``max_term < 0`` means life."""
    if max_term < 0:
        return LIFE
    if draw == ZERO_TO_MAX:
        return int(u * (max_term + 1))
    if draw == ZERO_TO_MAX_MINUS_ONE:
        return int(u * max_term) if max_term > 0 else 0
    return 1 + int(u * max_term) if max_term > 0 else 0


@njit(cache=True, _nrt=False)
def jail_term(state, max_term: int, draw: int) -> int:
    """A term drawn from the sequential stream ``state``."""
    return term_from_uniform(rng.uniform(state), max_term, draw)


@njit(cache=True, _nrt=False)
def serve_one_tick(jail, agent):
    """Count one tick off a term; life terms never run out."""
    if 0 < jail[agent] < LIFE:
        jail[agent] -= 1
