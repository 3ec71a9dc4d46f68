"""Run a scenario: seed the random streams, advance the model tick by tick, record the series.

One seed fixes a run: every stream is spawned from ``numpy.random.SeedSequence(seed)``, and the
parallel scheme draws its numbers by counter, so the number of threads never changes a result.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

import numba
import numpy as np
import pyarrow as pa

from narod.models import granovetter
from narod.models.city import CityRun
from narod.models.epstein import EpsteinRun
from narod.results.result import Result
from narod.scenario.schema import Spec

Progress = Callable[[int, int], None]

# OpenMP's barrier cost 8 ms per parallel loop here whenever another process held a core
# (measured on the 2-core machine); the workqueue layer cost 0.07 ms. A user's choice wins.
if "NUMBA_THREADING_LAYER" not in os.environ:
    numba.config.THREADING_LAYER = "workqueue"


def simulate(
    spec: Spec,
    seed: int = 0,
    *,
    ticks: int | None = None,
    threads: int | None = None,
    progress: Progress | None = None,
) -> Result:
    """Run ``spec`` once.

    Parameters
    ----------
    spec : a validated scenario (see :func:`narod.load_scenario`).
    seed : fixes every random draw of the run.
    ticks : overrides ``scenario.ticks``.
    threads : threads for the synchronous scheme (default: all cores); never changes results.
    progress : called as ``progress(done, total)`` between chunks of ticks.
    """
    ticks = spec.scenario.ticks if ticks is None else ticks
    if ticks < 0 or seed < 0:
        raise ValueError("ticks and seed must be non-negative")
    if ticks != spec.scenario.ticks:  # the result records what ran
        spec = spec.model_copy(
            update={"scenario": spec.scenario.model_copy(update={"ticks": ticks})}
        )
    previous = numba.get_num_threads()
    if threads is not None:
        numba.set_num_threads(max(1, min(threads, numba.config.NUMBA_NUM_THREADS)))
    try:
        start = time.perf_counter()
        extra = {}
        if spec.scenario.model in ("threshold", "threshold_grid"):
            series, steps, agents = granovetter.run(spec, seed, ticks)
        elif spec.scenario.model == "city":
            city = CityRun(spec, seed)
            chunk = max(1, ticks // 50)
            for until in range(chunk, ticks + chunk, chunk):
                city.advance(min(until, ticks))
                if progress is not None:
                    progress(city.tick, ticks)
            series, steps, agents = city.series(), city.agent_steps, city.n_agents
            extra = {"outcome": city.record(), "events": city.chronicle.rows,
                     "districts": city.district_table(), "sites": city.site_table()}  # fmt: skip
        else:
            run = EpsteinRun(spec, seed, ticks)
            agents = run.world.citizens_alive() + run.world.cops_on_duty()
            chunk = max(1, ticks // 50)
            for until in range(chunk, ticks + chunk, chunk):
                run.advance(min(until, ticks))
                if progress is not None:
                    progress(run.tick, ticks)
            series, steps = run.series(), run.agent_steps
        wall = time.perf_counter() - start
    finally:
        numba.set_num_threads(previous)
    table = pa.table({name: np.asarray(values) for name, values in series.items()})
    return Result(spec, seed, table, wall, steps, agents, **extra)
