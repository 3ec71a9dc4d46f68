"""Grievance: hardship discounted by the legitimacy the agent grants the regime (Epstein 2002)."""

from numba import njit


@njit(cache=True, _nrt=False)
def grievance(hardship: float, legitimacy: float) -> float:
    """``G = H (1 - L)``. Legitimacy is read every tick, so a schedule can move it."""
    return hardship * (1.0 - legitimacy)
