"""Agent rule A (Epstein 2002): turn active when grievance outweighs net risk by a threshold."""

from numba import njit


@njit(cache=True, _nrt=False)
def net_risk(risk_aversion: float, arrest_probability: float, jail_factor: float) -> float:
    """``N = R P J_max^alpha`` (``jail_factor`` is J_max^alpha, 1 in the paper's runs)."""
    if arrest_probability == 0.0:
        return 0.0  # also keeps 0 * inf (life terms with alpha > 0) out of the rule
    return risk_aversion * arrest_probability * jail_factor


@njit(cache=True, _nrt=False)
def is_active(grievance: float, net_risk: float, threshold: float) -> bool:
    """Strict: ``G - N = T`` stays quiet."""
    return grievance - net_risk > threshold
