"""An episode of the city model at city scale: its whole calendar at one agent per person and at
smaller scales, each in a fresh process so that its peak memory is its own. Usage::

    python benchmarks/city_scale.py [--episode petrograd-1917] [--scales 1.0 0.1 0.01] [--seed 0]

There is no peer to run beside it: no public implementation of a city-scale model of these
episodes exists (Mesa's examples stop at Epstein's grid, see epstein_vs_mesa.py). The figures to
beat are the issues' targets on this 2-core machine: Petrograd's week under 60 s and 4 GB at 1:1,
Cairo's 18 days under 3 minutes and 4 GB.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import platform
import resource
import time


def one_run(episode: str, scale: float, seed: int, queue) -> None:
    import narod

    spec = narod.load_scenario(episode, **{"city.scale": scale})
    start = time.perf_counter()
    result = narod.simulate(spec, seed=seed)
    total = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # MiB on Linux
    queue.put((result.agents, result.wall_time, total, peak, result.steps_per_second))


def measure(episode: str, scale: float, seed: int) -> tuple:
    queue = mp.get_context("spawn").Queue()
    process = mp.get_context("spawn").Process(target=one_run, args=(episode, scale, seed, queue))
    process.start()
    out = queue.get()
    process.join()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episode", default="petrograd-1917")
    parser.add_argument("--scales", type=float, nargs="+", default=[1.0, 0.1, 0.01])
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(f"machine: {platform.processor() or platform.machine()}, {mp.cpu_count()} cores")
    print(f"episode: {args.episode}")
    measure(args.episode, 0.001, args.seed)  # compile the kernels into the cache first
    print(f"{'scale':>6} {'agents':>10} {'run (s)':>11} {'incl. set-up':>13} "
          f"{'agent-steps/s':>14} {'peak MiB':>9}")  # fmt: skip
    for scale in args.scales:
        agents, wall, total, peak, rate = measure(args.episode, scale, args.seed)
        print(f"{scale:>6} {agents:>10,} {wall:>11.1f} {total:>13.1f} {rate:>14,.0f} "
              f"{peak:>9,.0f}")  # fmt: skip


if __name__ == "__main__":
    main()
