"""Side-by-side speed of Mesa's Epstein example and narod's ``mesa`` preset, in one process.

Prints agent-steps per second for each grid and the ratio, then narod alone at 1000x1000 and
2000x2000 in both activation schemes, with memory per agent. Usage::

    python benchmarks/epstein_vs_mesa.py [--quick]

Mesa is timed after warm-up steps (its neighbourhood cache fills during the first steps), with
only model-level data collection (agent-level records cost it a further 5-10 %).
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
import tracemalloc
from pathlib import Path

import numba

import narod
from narod.models.epstein import EpsteinRun

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from mesa_reference import mesa_agent_steps_per_second  # noqa: E402

# grid side: (Mesa warm-up ticks, Mesa timed ticks, narod timed ticks)
GRIDS = {40: (10, 100, 2000), 100: (10, 20, 300), 200: (5, 5, 100), 400: (2, 2, 30)}
QUICK = {40: (5, 20, 500), 100: (3, 5, 100), 200: (2, 2, 30), 400: (1, 1, 10)}


def narod_rate(side: int, ticks: int, activation: str, threads: int | None = None) -> float:
    """Agent-steps per second of narod's ticks, after 2 warm-up ticks (compilation is cached).

    Like Mesa's figure, it times the ticks only, not building the world (0.6 s at 2000x2000).
    """
    spec = narod.load_scenario(
        "epstein-mesa",
        **{"grid.width": side, "grid.height": side, "scenario.activation": activation},
    )
    previous = numba.get_num_threads()
    numba.set_num_threads(threads or numba.config.NUMBA_NUM_THREADS)
    try:
        run = EpsteinRun(spec, 1, ticks + 2)
        run.advance(2)
        done = run.agent_steps
        start = time.perf_counter()
        run.advance(ticks + 2)
        return (run.agent_steps - done) / (time.perf_counter() - start)
    finally:
        numba.set_num_threads(previous)


def bytes_per_agent(side: int, activation: str) -> tuple[float, int]:
    """Peak bytes allocated by a run (world, scratch, series) per agent, measured by tracemalloc."""
    spec = narod.load_scenario(
        "epstein-mesa",
        **{"grid.width": side, "grid.height": side, "scenario.activation": activation},
    )
    tracemalloc.start()
    run = EpsteinRun(spec, 1, 3)
    run.advance(3)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / run.world.capacity, run.world.capacity


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer ticks (a smoke run)")
    args = parser.parse_args()
    grids = QUICK if args.quick else GRIDS
    print(f"# {time.strftime('%Y-%m-%d')} {platform.processor() or platform.machine()}, "
          f"{numba.config.NUMBA_NUM_THREADS} threads, Python {platform.python_version()}, "
          f"numba {numba.__version__}, narod {narod.__version__}")  # fmt: skip
    print("\n| grid | agents | Mesa agent-steps/s | narod sequential | ratio |")
    print("|---|---|---|---|---|")
    for side, (warm, mesa_ticks, narod_ticks) in grids.items():
        mesa = mesa_agent_steps_per_second(side, side, mesa_ticks, seed=1, warmup_ticks=warm)
        ours = narod_rate(side, narod_ticks, "sequential")
        agents = EpsteinRun(narod.load_scenario("epstein-mesa", **{"grid.width": side,
                            "grid.height": side}), 1, 0).world.capacity  # fmt: skip
        print(f"| {side}x{side} | {agents:,} | {mesa:,.0f} | {ours:,.0f} | {ours / mesa:,.0f}x |",
              flush=True)  # fmt: skip
    print("\n| grid | agents | scheme | threads | agent-steps/s | bytes/agent (peak) |")
    print("|---|---|---|---|---|---|")
    for side in (1000, 2000):
        for activation, threads in (("sequential", 1), ("synchronous", 1), ("synchronous", 2)):
            ticks = 5 if args.quick else 20
            rate = narod_rate(side, ticks, activation, threads)
            per_agent, agents = bytes_per_agent(side, activation)
            print(f"| {side}x{side} | {agents:,} | {activation} | {threads} | {rate:,.0f} | "
                  f"{per_agent:.1f} |", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
