"""Measure the published results narod reproduces (or not), over several seeds.

Prints the figures quoted in "What we reproduce" (docs/classic-models.md). Usage::

    python benchmarks/reproduction.py
"""

from __future__ import annotations

import numpy as np

import narod
from narod.mechanisms.thresholds import cdf_equilibrium, normal_cdf, normal_sweep


def run(name: str, seed: int, ticks: int | None = None, **overrides) -> narod.Result:
    return narod.simulate(narod.load_scenario(name, **overrides), seed=seed, ticks=ticks)


def mean_sd(values) -> str:
    values = np.asarray(values, dtype=float)
    return f"{np.nanmean(values):.0f} +- {np.nanstd(values):.0f}"


def epstein_run2(seeds: range = range(10)) -> None:
    for preset in ("paper", "netlogo", "mesa"):
        stats = [
            run("epstein-2", s, 3000, **{"scenario.preset": preset}).outbursts() for s in seeds
        ]
        counts = [b.count for b in stats]
        waits = np.concatenate([b.waiting_times for b in stats])
        gaps = np.concatenate([np.diff(b.starts) for b in stats])
        act = np.concatenate([b.activation for b in stats])
        print(f"Run 2 ({preset}), {len(seeds)} seeds x 3000 ticks: outbursts {mean_sd(counts)} "
              f"per run; waiting time (quiet ticks) {mean_sd(waits)}; start-to-start "
              f"{mean_sd(gaps)}; activation per outburst {mean_sd(act)}")  # fmt: skip
    literal = [run("epstein-2", s, 3000, **{"arrest_probability.ratio": "literal"}) for s in seeds]
    print(f"Run 2 literal ratio: outbursts {[r.outbursts().count for r in literal]}, peak actives "
          f"{[int(r.column('active').max()) for r in literal]}")  # fmt: skip


def legitimacy_runs(seeds: range = range(20)) -> None:
    gradual = narod.load_scenario(
        "epstein-4",
        schedule=[{"key": "grievance.legitimacy", "ticks": [77, 277], "values": [0.9, 0.7]}],
    )
    jump = narod.load_scenario("epstein-4")
    j = [narod.simulate(jump, seed=s).column("turned_active").max() for s in seeds]
    g = [narod.simulate(gradual, seed=s).column("turned_active").max() for s in seeds]
    wins = sum(a > b for a, b in zip(j, g, strict=True))
    print(
        f"Runs 3-4, drop 0.9 -> 0.7: peak turned active in one tick, jump {mean_sd(j)}, "
        f"gradual {mean_sd(g)}; jump higher in {wins}/{len(seeds)}"
    )
    run3 = [run("epstein-3", s) for s in seeds[:10]]
    peaks = [int(r.column("active").max()) for r in run3]
    print(f"Run 3 (0.9 -> 0.2 over 700 ticks): peak actives {peaks}")


def cop_withdrawal(seeds: range = range(10)) -> None:
    tipped = [run("epstein-5", s) for s in seeds]
    kept = [run("epstein-5", s, schedule=[]) for s in seeds]
    at = [int(r.column("cops")[np.argmax(r.column("active"))]) for r in tipped]
    print(f"Run 5: outburst in {sum(r.outbursts().count > 0 for r in tipped)}/{len(seeds)} runs "
          f"with withdrawal (cops on duty at the peak: {at}), "
          f"{sum(r.outbursts().count > 0 for r in kept)}/{len(seeds)} without")  # fmt: skip


def communal(seeds: range = range(10)) -> None:
    for density in (0.0, 0.02, 0.04, 0.06):
        times, winners = [], []
        for s in seeds:
            r = run("epstein-7", s, 3000, **{"population.cop_density": density})
            a, b = r.column("group_a"), r.column("group_b")
            gone = np.flatnonzero((a == 0) | (b == 0))
            times.append(gone[0] if gone.size else np.nan)
            winners.append("a" if a[-1] > 0 else "b")
        print(
            f"Run 7, cops {density}: genocide in {np.isfinite(times).sum()}/{len(seeds)} runs "
            f"within 3000 ticks, at tick {mean_sd(times)}; victors {''.join(winners)}"
        )
    six = run("epstein-6", 1, 500)
    print(f"Run 6: killed {six.column('killed').sum()}")


def granovetter() -> None:
    lo, hi = 0.05, 0.2
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if cdf_equilibrium(normal_cdf(0.25, mid)) < 0.5 else (lo, mid)
    print(f"Granovetter normal, infinite crowd: critical sd {hi:.4f} (paper: about 0.122)")
    sds = np.array([8, 10, 12, 12.2, 13, 14, 16, 20])
    fractions = normal_sweep(100, 25, sds, 200, seed=0)
    print(
        "Granovetter normal, n = 100, mean 25, 200 replicates: "
        + ", ".join(f"sd {s:g}: {f:.2f}" for s, f in zip(sds, fractions, strict=True))
    )


if __name__ == "__main__":
    epstein_run2()
    legitimacy_runs()
    cop_withdrawal()
    communal()
    granovetter()
