"""Reference runs of Mesa's Epstein civil-violence example (mesa 3.3.1).

Helpers used by the conformance tests and the benchmark script: they run the
unmodified Mesa model and return its model-level time series as numpy arrays.
"""

from __future__ import annotations

import multiprocessing as mp
import time
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from functools import partial

import mesa
import numpy as np
from mesa.discrete_space.cell import Cell
from mesa.examples.advanced.epstein_civil_violence.agents import Citizen, Cop
from mesa.examples.advanced.epstein_civil_violence.model import EpsteinCivilViolence

SERIES = ("active", "quiet", "jailed")


def _clear_neighbourhood_cache() -> None:
    """Drop Mesa's class-level neighbourhood cache.

    ``Cell.get_neighborhood`` is wrapped in ``functools.cache`` at class level, so it
    keeps every cell (and, through the cells, every agent and model) alive after a
    run. Clearing it between runs keeps memory flat; it never changes results.
    """
    Cell.get_neighborhood.cache_clear()
    Cell._neighborhood.cache_clear()


def build_mesa(
    width: int, height: int, seed: int, agent_records: bool = False, **params
) -> EpsteinCivilViolence:
    """Build Mesa's model, optionally with a model-level-only DataCollector.

    Parameters
    ----------
    width, height : int
        Grid size.
    seed : int
        Mesa model seed.
    agent_records : bool, default False
        If False, replace ``model.datacollector`` by one holding only the model
        reporters (active/quiet/arrested) and re-collect tick 0. The model-level
        series are identical; only the slow per-agent records are skipped.
    **params
        Other keyword arguments of ``EpsteinCivilViolence``.

    Returns
    -------
    EpsteinCivilViolence
        The model at tick 0.
    """
    model = EpsteinCivilViolence(width=width, height=height, seed=seed, **params)
    if not agent_records:
        reporters = dict(model.datacollector.model_reporters)
        model.datacollector = mesa.DataCollector(model_reporters=reporters)
        model.datacollector.collect(model)
    return model


def run_mesa(
    width: int, height: int, seed: int, ticks: int, agent_records: bool = False, **params
) -> dict[str, np.ndarray]:
    """Run Mesa's Epstein model and return its model-level series.

    Parameters
    ----------
    width, height : int
        Grid size.
    seed : int
        Mesa model seed.
    ticks : int
        Number of steps to run.
    agent_records : bool, default False
        Keep Mesa's agent-level reporters (slow, memory-hungry); see `build_mesa`.
    **params
        Other keyword arguments of ``EpsteinCivilViolence`` (``legitimacy``, ...).

    Returns
    -------
    dict
        ``tick`` (0..ticks), ``active``, ``quiet``, ``jailed`` (Mesa's "arrested"),
        int64 arrays of length ``ticks + 1`` with tick 0 the state at construction;
        ``n_citizens`` and ``n_cops`` as ints.
    """
    try:
        model = build_mesa(width, height, seed, agent_records, **params)
        for _ in range(ticks):
            model.step()
        df = model.datacollector.get_model_vars_dataframe()
        out = {
            "tick": np.arange(ticks + 1, dtype=np.int64),
            "active": df["active"].to_numpy(np.int64),
            "quiet": df["quiet"].to_numpy(np.int64),
            "jailed": df["arrested"].to_numpy(np.int64),
            "n_citizens": len(model.agents_by_type[Citizen]),
            "n_cops": len(model.agents_by_type[Cop]),
        }
    finally:
        _clear_neighbourhood_cache()
    assert len(out["active"]) == ticks + 1
    return out


def run_mesa_many(
    seeds: Iterable[int],
    ticks: int,
    width: int = 40,
    height: int = 40,
    processes: int | None = None,
    **params,
) -> dict[str, np.ndarray]:
    """Run `run_mesa` over several seeds, optionally in worker processes.

    Parameters
    ----------
    seeds : iterable of int
        One run per seed.
    ticks : int
        Steps per run.
    width, height : int, default 40
        Grid size.
    processes : int or None
        Worker processes; ``None`` or 1 runs serially in this process.
    **params
        Other keyword arguments of ``EpsteinCivilViolence``.

    Returns
    -------
    dict
        ``active``, ``quiet``, ``jailed`` as (runs, ticks + 1) arrays; ``n_citizens``,
        ``n_cops`` and ``seed`` as (runs,) arrays.
    """
    seeds = list(seeds)
    job = partial(_run_seed, width, height, ticks, params)
    if processes is None or processes <= 1:
        runs = [job(s) for s in seeds]
    else:
        # importing mesa switches the default start method to "spawn"; fork is
        # faster and does not need an ``if __name__ == "__main__"`` guard.
        fork = "fork" in mp.get_all_start_methods()
        ctx = mp.get_context("fork" if fork else None)
        with ProcessPoolExecutor(processes, mp_context=ctx) as pool:
            runs = list(pool.map(job, seeds))
    out = {k: np.stack([r[k] for r in runs]) for k in SERIES}
    for k in ("n_citizens", "n_cops"):
        out[k] = np.array([r[k] for r in runs], dtype=np.int64)
    out["seed"] = np.array(seeds, dtype=np.int64)
    return out


def _run_seed(width: int, height: int, ticks: int, params: dict, seed: int) -> dict:
    return run_mesa(width, height, seed, ticks, **params)


def mesa_agent_steps_per_second(
    width: int,
    height: int,
    ticks: int,
    seed: int = 0,
    warmup_ticks: int = 2,
    agent_records: bool = False,
    **params,
) -> float:
    """Throughput of Mesa's model in agent-steps per second.

    Construction and ``warmup_ticks`` warm-up steps (which fill Mesa's
    neighbourhood cache) are excluded from the timing.

    Parameters
    ----------
    width, height : int
        Grid size.
    ticks : int
        Number of timed steps.
    seed : int, default 0
        Mesa model seed.
    warmup_ticks : int, default 2
        Untimed steps run first.
    agent_records : bool, default False
        Keep Mesa's agent-level reporters (see `build_mesa`).
    **params
        Other keyword arguments of ``EpsteinCivilViolence``.

    Returns
    -------
    float
        ``(citizens + cops) * ticks / seconds``.
    """
    try:
        model = build_mesa(width, height, seed, agent_records, **params)
        for _ in range(warmup_ticks):
            model.step()
        n_agents = len(model.agents)
        start = time.perf_counter()
        for _ in range(ticks):
            model.step()
        seconds = time.perf_counter() - start
    finally:
        _clear_neighbourhood_cache()
    return n_agents * ticks / seconds
