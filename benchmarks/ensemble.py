"""Ensembles on Dask: 1,000 runs of epstein-2 (1,000 ticks each) on 1 and 2 local workers, the
scheduling overhead per run, the client's memory for 1,000 and 10,000 short runs, and Mesa's
``batch_run`` on the same model for comparison. Usage::

    python benchmarks/ensemble.py [--runs 1000]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import tempfile
import time

import narod
from narod.experiments.runner import run_experiment
from narod.experiments.store import connect


def ensemble(runs: int, ticks: int, workers: int, store: str, name: str) -> tuple[float, float]:
    """Wall time of the ensemble and the summed time of its runs."""
    spec = narod.load_scenario("epstein-2", **{"scenario.ticks": ticks})
    start = time.perf_counter()
    run_experiment(spec, [{}], store, name=name, replicates=runs, workers=workers,
                   batch_size=10, keep_series=False)  # fmt: skip
    wall = time.perf_counter() - start
    busy = (
        connect(store)
        .sql(f"SELECT sum(wall_time) FROM runs WHERE experiment = '{name}'")
        .fetchall()[0][0]
    )
    return wall, busy


def client_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def mesa_batch(runs: int, ticks: int) -> float:
    """Wall time of Mesa's batch_run of its example at Run 2's parameters on 2 processes."""
    import mesa
    from mesa.examples.advanced.epstein_civil_violence.model import EpsteinCivilViolence

    start = time.perf_counter()
    mesa.batch_run(
        EpsteinCivilViolence,
        parameters={
            "cop_density": 0.04,
            "legitimacy": 0.82,
            "max_jail_term": 30,
            "max_iters": ticks,
        },  # fmt: skip
        iterations=runs,
        max_steps=ticks,
        number_processes=2,
        data_collection_period=-1,
        display_progress=False,
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as store:
        print(f"# {time.strftime('%Y-%m-%d')}, epstein-2, {args.runs} runs x 1000 ticks\n")
        print("| workers | wall time (s) | runs/s | speed-up | overhead per run (ms) |")
        print("|---|---|---|---|---|")
        base = None
        for workers in (1, 2):
            wall, busy = ensemble(args.runs, 1000, workers, store, f"w{workers}")
            base = base or wall
            overhead = (wall * workers - busy) / args.runs * 1000
            print(f"| {workers} | {wall:.1f} | {args.runs / wall:.1f} | {base / wall:.2f}x | "
                  f"{overhead:.1f} |", flush=True)  # fmt: skip
        print("\n| short runs (10 ticks) | wall time (s) | client peak memory (MB) |")
        print("|---|---|---|")
        for n in (1000, 10000):
            wall, _ = ensemble(n, 10, 2, store, f"short{n}")
            print(f"| {n} | {wall:.1f} | {client_memory_mb():.0f} |", flush=True)
    mesa_runs = 4
    wall = mesa_batch(mesa_runs, 1000)
    print(f"\nMesa batch_run, {mesa_runs} runs x 1000 ticks on 2 processes: {wall:.1f} s "
          f"({wall / mesa_runs:.1f} s per run; {args.runs} runs would take about "
          f"{wall / mesa_runs * args.runs / 3600:.1f} h)")  # fmt: skip


if __name__ == "__main__":
    mp.set_start_method("spawn", force=True)
    main()
