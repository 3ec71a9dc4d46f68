"""Time each phase of a synchronous tick of the `mesa` preset, in nanoseconds per agent.

The phases are called one by one, as ``run_synchronous`` calls them, and each phase's figure is
its fastest tick of ``--ticks``: on a shared machine the fastest tick is the one least disturbed.
The sum is therefore a little faster than a whole run. Usage::

    .venv/bin/python benchmarks/synchronous_phases.py --side 2000 --threads 2
"""

from __future__ import annotations

import argparse
import time

import numba
import numpy as np

import narod
from narod.mechanisms.arrest_probability import whole_ratio_table
from narod.models import synchronous as sync
from narod.models.civil_violence import count_states
from narod.models.epstein import EpsteinRun
from narod.world.population import S_RESERVE


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--side", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=numba.config.NUMBA_NUM_THREADS)
    parser.add_argument("--ticks", type=int, default=10)
    args = parser.parse_args()
    numba.set_num_threads(args.threads)
    spec = narod.load_scenario(
        "epstein-mesa",
        **{"grid.width": args.side, "grid.height": args.side, "scenario.activation": "synchronous"},
    )
    run = EpsteinRun(spec, 1, args.ticks + 4)
    run.advance(3)  # compiled, and past the first tick's burst
    w, r = run.world.arrays(), run.rules
    vc, vp = run.vision_citizen, run.vision_cop
    p_table = whole_ratio_table(r.k, vc.offsets.shape[0])
    best: dict[str, float] = {}
    for t in range(4, 4 + args.ticks):
        tick: dict[str, float] = {}
        phases = [
            ("serve terms", sync._serve_terms, w.state, w.jail, w.code, w.position, r.keeps_cell),
            ("prefix", sync.build_prefix, w.code, w.width, w.height, run.prefix),
            ("decide", sync._decide_all, w.state, w.code, w.occupant, w.hardship,
             w.risk_aversion, run.prefix, w.width, w.height, vc.spans, vc.reach, r,
             run.legitimacy[t], p_table),
            ("counts", count_states, w.kind, w.state, run.counts[t]),
            ("arrests", sync._pick_arrests, w, vp, run.key, t, run.counts[t, 0], run.prefix,
             run.watching, run.target),
            ("arrests", sync._apply_arrests, w.code, w.occupant, w.state, w.jail, r, run.key, t,
             run.target),
            *[("choose moves", sync._choose_moves, w.code, w.occupant, w.width, w.height, vc,
               vp, r, run.key, t, run.claim, parity) for parity in range(2)],
            ("apply moves", sync._apply_moves, w.code, w.occupant, w.position, run.claim),
            ("counts", count_states, w.kind, w.state, run.counts[t]),
        ]  # fmt: skip
        for name, kernel, *kernel_args in phases:  # in the order of run_synchronous
            start = time.perf_counter()
            kernel(*kernel_args)
            tick[name] = tick.get(name, 0.0) + time.perf_counter() - start
        for name, seconds in tick.items():
            best[name] = min(best.get(name, np.inf), seconds)
    agents = int(np.count_nonzero(run.world.state != S_RESERVE))
    print(f"# {args.side}x{args.side}, {agents:,} agents, {args.threads} threads, "
          f"ns per agent (fastest of {args.ticks} ticks)")  # fmt: skip
    print("| " + " | ".join(best) + " | total |")
    print("|" + "---|" * (len(best) + 1))
    total = sum(best.values())
    print("| " + " | ".join(f"{s / agents * 1e9:.1f}" for s in best.values())
          + f" | {total / agents * 1e9:.1f} |")  # fmt: skip
    print(f"{agents / total:,.0f} agent-steps/s from the phase sums")


if __name__ == "__main__":
    main()
