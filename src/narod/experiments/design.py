"""Experimental designs: which parameter values each run gets, and which seed.

Every run has an index; its seed comes from ``SeedSequence([master_seed, index])``, so a run's
result depends only on the master seed and its index, never on the workers or their order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from narod.errors import ScenarioError

Design = Literal["grid", "lhs", "sobol", "morris"]


@dataclass(frozen=True)
class Param:
    """A swept parameter: ``key`` (``section.name``) from ``low`` to ``high``, ``n`` grid levels."""

    key: str
    low: float
    high: float
    n: int = 5

    @classmethod
    def parse(cls, text: str) -> Param:
        """Read ``KEY=LOW:HIGH[:N]`` as written on the command line."""
        key, sep, rest = text.partition("=")
        parts = rest.split(":")
        try:
            if not sep or len(parts) not in (2, 3):
                raise ValueError
            low, high = float(parts[0]), float(parts[1])
            n = int(parts[2]) if len(parts) == 3 else 5
        except ValueError:
            raise ScenarioError("--param", text, "expected KEY=LOW:HIGH[:N]") from None
        if not high > low or n < 1:
            raise ScenarioError("--param", key, f"expected LOW < HIGH and N >= 1 (got {rest})")
        return cls(key.strip(), low, high, n)


def run_seed(master_seed: int, index: int) -> int:
    """The seed of run ``index`` of an experiment."""
    return int(np.random.SeedSequence([master_seed, index]).generate_state(1, np.uint32)[0])


def points(params: list[Param], design: Design, samples: int, seed: int) -> list[dict[str, Any]]:
    """Parameter points of a design (before replicates).

    ``grid`` is the full factorial of each parameter's ``n`` levels; ``lhs`` draws ``samples``
    Latin-hypercube points; ``sobol`` uses SALib's Saltelli/Sobol' sample of base size
    ``samples`` (N (2D + 2) points) and ``morris`` SALib's ``samples`` Morris trajectories
    (N (D + 1) points), ready for their analyses.
    """
    if not params:
        return [{}]
    if design == "grid":
        axes = [np.linspace(p.low, p.high, p.n) for p in params]
        mesh = np.meshgrid(*axes, indexing="ij")
        table = np.stack([m.ravel() for m in mesh], axis=1)
    elif design == "lhs":
        from scipy.stats import qmc

        unit = qmc.LatinHypercube(d=len(params), seed=seed).random(samples)
        table = qmc.scale(unit, [p.low for p in params], [p.high for p in params])
    elif design == "sobol":
        from SALib.sample import sobol as sobol_sample

        table = sobol_sample.sample(problem(params), samples, calc_second_order=True, seed=seed)
    else:
        from SALib.sample import morris as morris_sample

        table = morris_sample.sample(problem(params), samples, num_levels=4, seed=seed)
    return [{p.key: float(v) for p, v in zip(params, row, strict=True)} for row in table]


def problem(params: list[Param]) -> dict[str, Any]:
    """The SALib problem description of the swept parameters."""
    return {
        "num_vars": len(params),
        "names": [p.key for p in params],
        "bounds": [[p.low, p.high] for p in params],
    }
