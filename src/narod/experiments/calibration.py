"""Calibration: fit parameters to observed targets by approximate Bayesian computation.

pyABC's ABC-SMC (Klinger, Rickert & Hasenauer 2018) draws parameters from a uniform prior over
each ``Param`` range, runs the scenario, and keeps the particles whose metrics land close to the
targets, over generations with shrinking tolerances. The distance is pyABC's adaptive p-norm,
which rescales each metric by its spread so that no metric dominates by its units. Simulations
run in this process or on the same Dask cluster as the experiments.
"""

from __future__ import annotations

import csv
import logging
import zlib
from pathlib import Path
from typing import Any

import numpy as np

from narod.engine import simulate
from narod.errors import NarodError
from narod.experiments.design import Param, run_seed
from narod.experiments.metrics import measure, metrics_for
from narod.experiments.runner import coerce
from narod.results.files import write_atomic
from narod.scenario.loading import load_scenario
from narod.scenario.schema import Spec


def read_targets(path: str | Path, spec: Spec) -> dict[str, float]:
    """Targets from a CSV file with columns ``metric,value`` (one row per metric)."""
    path = Path(path)
    try:
        with path.open(newline="") as f:
            rows = list(csv.DictReader(f))
    except OSError as exc:
        raise NarodError(f"{path}: cannot read the targets ({exc})") from None
    known = metrics_for(spec)
    targets = {}
    for i, row in enumerate(rows, start=2):
        name, value = (row.get("metric") or "").strip(), (row.get("value") or "").strip()
        if name not in known:
            raise NarodError(
                f"{path}: line {i}: metric {name!r} unknown; expected one of {', '.join(known)}"
            )
        try:
            targets[name] = float(value)
        except ValueError:
            raise NarodError(f"{path}: line {i}: value {value!r} is not a number") from None
    if not targets:
        raise NarodError(f"{path}: no targets; expected a CSV with columns metric,value")
    return targets


class _Model:
    """The simulator as pyABC sees it: parameters in, the target metrics out (picklable)."""

    def __init__(self, spec: Spec, names: list[str], replicates: int, seed: int) -> None:
        self.spec, self.names, self.replicates, self.seed = spec, names, replicates, seed

    def __call__(self, parameters: dict[str, float]) -> dict[str, float]:
        point = {k: coerce(self.spec, k, float(v)) for k, v in parameters.items()}
        spec = load_scenario(self.spec, **point)
        # A particle's seed follows from its parameter values: the same values, the same runs.
        index = zlib.crc32(repr(sorted(point.items())).encode())
        values = [measure(simulate(spec, seed=run_seed(self.seed, index + r), threads=1))
                  for r in range(self.replicates)]  # fmt: skip
        return {m: float(np.mean([v[m] for v in values])) for m in self.names}


def calibrate(
    spec: Spec,
    params: list[Param],
    targets: dict[str, float],
    out_dir: str | Path,
    *,
    population: int = 100,
    generations: int = 5,
    replicates: int = 1,
    seed: int = 0,
    client: Any = None,
) -> dict[str, Any]:
    """Run ABC-SMC; write ``posterior.csv``, ``abc.db`` and ``posterior.png`` to ``out_dir``.

    Returns the posterior mean, standard deviation and 5-95 % interval of each parameter.
    """
    import pyabc

    logging.getLogger("ABC").setLevel(logging.WARNING)  # pyABC logs every generation at INFO
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    prior = pyabc.Distribution(
        **{p.key: pyabc.RV("uniform", p.low, p.high - p.low) for p in params}
    )
    sampler = (
        pyabc.sampler.SingleCoreSampler()
        if client is None
        else pyabc.sampler.DaskDistributedSampler(dask_client=client, batch_size=5)
    )
    np.random.seed(seed)  # noqa: NPY002 - pyABC draws its particles from the global generator
    model = _Model(spec, list(targets), replicates, seed)
    abc = pyabc.ABCSMC(model, prior, pyabc.AdaptivePNormDistance(p=2),
                       population_size=population, sampler=sampler)  # fmt: skip
    abc.new("sqlite:///" + str((out / "abc.db").resolve()), targets)
    history = abc.run(max_nr_populations=generations, minimum_epsilon=0.0)
    frame, weights = history.get_distribution(m=0, t=history.max_t)
    summary = {}
    rows = {p.key: frame[p.key].to_numpy() for p in params}
    for p in params:
        x = rows[p.key]
        order = np.argsort(x)
        cdf = np.cumsum(weights[order])
        mean = float(np.sum(weights * x))
        summary[p.key] = {
            "mean": mean,
            "sd": float(np.sqrt(np.sum(weights * (x - mean) ** 2))),
            "q05": float(x[order][np.searchsorted(cdf, 0.05)]),
            "q95": float(x[order][min(np.searchsorted(cdf, 0.95), len(x) - 1)]),
        }

    def write_posterior(tmp: str) -> None:
        with open(tmp, "w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow([*rows, "weight"])
            writer.writerows(zip(*rows.values(), weights, strict=True))

    write_atomic(out / "posterior.csv", write_posterior)
    _plot(params, rows, weights, summary, out / "posterior.png")
    return summary


def _plot(params, rows, weights, summary, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(params), figsize=(4 * len(params), 3), dpi=120, squeeze=False)
    for ax, p in zip(axes[0], params, strict=True):
        ax.hist(rows[p.key], bins=20, range=(p.low, p.high), weights=weights, color="tab:blue")
        ax.axvline(summary[p.key]["mean"], color="black", linewidth=1)
        ax.set_xlabel(p.key)
        ax.set_ylabel("posterior weight")
    fig.tight_layout()
    write_atomic(path, lambda tmp: fig.savefig(tmp, format="png"))
    plt.close(fig)
