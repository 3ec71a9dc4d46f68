"""Global sensitivity analysis of a metric over swept parameters, with SALib.

The runs come from a ``sobol`` or ``morris`` design (see :mod:`narod.experiments.design`);
replicates of a point are averaged before the analysis, so stochastic noise shows up in the
confidence intervals rather than as a spurious effect of a parameter.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from narod.experiments.design import Param, problem


def analyze(
    params: list[Param], x: np.ndarray, y: np.ndarray, method: str, seed: int = 0
) -> list[dict[str, float | str]]:
    """Indices per parameter, with 95 % confidence half-widths.

    ``sobol``: first-order ``S1`` and total ``ST`` indices (Saltelli 2010 estimators, bootstrap
    intervals). ``morris``: ``mu_star`` (mean absolute elementary effect) and ``sigma``.
    """
    prob = problem(params)
    if method == "sobol":
        from SALib.analyze import sobol

        res = sobol.analyze(prob, y, calc_second_order=True, conf_level=0.95, seed=seed)
        keys = ("S1", "S1_conf", "ST", "ST_conf")
    else:
        from SALib.analyze import morris

        res = morris.analyze(prob, x, y, conf_level=0.95, num_levels=4, seed=seed)
        keys = ("mu_star", "mu_star_conf", "sigma")
    return [
        {"parameter": p.key, **{k: float(res[k][i]) for k in keys}} for i, p in enumerate(params)
    ]


def plot(rows: list[dict[str, float | str]], path: str | Path, title: str) -> Path:
    """A bar chart of the indices with their confidence intervals."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = [str(r["parameter"]) for r in rows]
    pairs = (
        [("S1", "S1_conf"), ("ST", "ST_conf")] if "S1" in rows[0] else [("mu_star", "mu_star_conf")]
    )
    fig, ax = plt.subplots(figsize=(1.5 + 1.4 * len(rows), 3.5), dpi=120)
    width = 0.8 / len(pairs)
    for j, (key, conf) in enumerate(pairs):
        xs = np.arange(len(rows)) + (j - (len(pairs) - 1) / 2) * width
        ax.bar(xs, [r[key] for r in rows], width, yerr=[r[conf] for r in rows], capsize=3,
               label=key)  # fmt: skip
    ax.set_xticks(np.arange(len(rows)), names, rotation=15)
    ax.set_title(title)
    ax.legend()
    fig.tight_layout()
    path = Path(path)
    fig.savefig(path, format="png")
    plt.close(fig)
    return path
