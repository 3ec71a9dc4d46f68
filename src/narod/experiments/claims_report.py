"""The claims report: run the account's claims and write ``claims.csv``, ``claims.md``, and the
Sobol' indices (``sobol.csv`` and plots), each complete or absent.

``claims()`` is what ``narod claims`` calls::

    from narod.experiments.claims_report import claims
    paths = claims(None, seeds=10, out="claims", sample_points=0,
                   overrides={"city.scale": 0.05})
"""

from __future__ import annotations

import math
import time
from collections import Counter
from pathlib import Path
from typing import Any

from narod.errors import NarodError
from narod.experiments import claims as cl
from narod.experiments.claims import OUTCOMES, Claim
from narod.results.files import write_atomic
from narod.results.made import header, made
from narod.results.result import csv_writer


def claims(
    episodes: list[str] | None,
    seeds: int,
    out: str | Path,
    *,
    store: str | Path | None = None,
    overrides: dict[str, Any] | None = None,
    scales: dict[str, float] | None = None,
    only: list[str] | None = None,
    sample_points: int = 16,
    sample_seeds: int = 2,
    sobol: int = 0,
    sobol_episodes: list[str] | None = None,
    master_seed: int = 0,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: cl.Progress | None = None,
    command: str = "",
    claims_file: Path | None = None,
) -> dict[str, Path]:
    """Run every claim's tests (and, with ``sobol`` > 0, Saltelli's sample) and write the
    report into ``out``; the runs go to ``store`` (default ``out/store``). ``claims_file``:
    another claims file than the shipped one."""
    out = Path(out)
    store = Path(store) if store is not None else out / "store"
    started = time.perf_counter()
    if sobol & (sobol - 1):
        raise NarodError(f"--sobol {sobol}: expected a power of 2 (Sobol' points balance then)")
    plan = cl.plan(episodes, only, overrides, scales, claims_file)
    on = [cl.canonical(e, "--sobol-episode", e) for e in sobol_episodes or plan.episodes[:1]]
    if stray := [e for e in on if e not in plan.episodes]:
        raise NarodError(f"--sobol-episode {stray[0]}: not one of the episodes run")
    folders = cl.run_claims(plan, store, seeds, sample_points, sample_seeds, master_seed, workers,
                  scheduler, progress)  # fmt: skip
    sobol_rows: list[dict[str, Any]] = []
    if sobol:
        for episode in on:
            folder = cl.run_sobol(plan, store, episode, sobol, master_seed, workers, scheduler,
                                  progress)  # fmt: skip
            folders[folder.name] = folder
            sobol_rows += cl.sobol_table(plan, store, episode)
    rows = cl.table(plan, store, sample_seeds, sample_points > 0)
    out.mkdir(parents=True, exist_ok=True)
    written = {"claims.csv": out / "claims.csv"}
    write_atomic(written["claims.csv"], csv_writer(rows))
    plots = []
    if sobol_rows:
        written["sobol.csv"] = out / "sobol.csv"
        write_atomic(written["sobol.csv"], csv_writer(sobol_rows))
        plots = _sobol_plots(sobol_rows, out)
    scales = ", ".join(f"{Path(e).name} ({plan.specs[e, cl.BASELINE].city.scale:g})"
                       for e in plan.episodes)  # fmt: skip
    sampled = f"{sample_points} Latin-hypercube points x {sample_seeds} seeds"
    minutes = (time.perf_counter() - started) / 60
    facts = made(command or "narod.experiments.claims_report.claims()", **{
        "episodes (scale)": scales,
        "seeds at the fitted behaviour": str(seeds),
        "behaviour sample": sampled if sample_points else "none",
        "Sobol' sample": f"base {sobol}, on {', '.join(on)}" if sobol else "none",
        "master seed": str(master_seed),
        "runs": _cost(store, list(folders)),
        "this call's wall time": f"{minutes:.0f} min (runs found in the store are not run again)",
    })  # fmt: skip
    text = markdown(plan.claims, rows, sobol_rows, facts, [p.name for p in plots])
    written["claims.md"] = out / "claims.md"
    write_atomic(written["claims.md"], lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
    return written | {p.name: p for p in plots}


def _cost(store: Path, experiments: list[str]) -> str:
    """How many runs the tables rest on, and their summed run time."""
    from narod.experiments.store import connect

    listed = ", ".join("?" for _ in experiments)
    n, seconds = (
        connect(store)
        .execute(
            f"SELECT count(*), coalesce(sum(wall_time), 0) FROM runs WHERE status = 'ok' "
            f"AND experiment IN ({listed})",
            experiments,
        )
        .fetchone()
    )
    return f"{n:,} ({seconds / 3600:.1f} hours of single-core run time)"


def _sobol_plots(rows: list[dict[str, Any]], out: Path) -> list[Path]:
    from narod.experiments.sensitivity import plot

    paths = []
    for episode, outcome in dict.fromkeys((r["episode"], r["outcome"]) for r in rows):
        mine = [r for r in rows if (r["episode"], r["outcome"]) == (episode, outcome)]
        if not all(math.isfinite(r["ST"]) for r in mine):
            continue
        path = out / f"sobol-{episode}-{outcome}.png"
        write_atomic(path, lambda tmp, m=mine, e=episode, o=outcome: plot(
            m, tmp, f"{e}: {OUTCOMES[o]}"))  # fmt: skip
        paths.append(path)
    return paths


def _num(outcome: str, value: float, signed: bool = False) -> str:
    if value is None or not math.isfinite(value):
        return "-"
    sign = "+" if signed else ""
    if outcome == "collapsed":
        return f"{value * 100:{sign}.0f}" + ("" if signed else "%")
    if outcome == "collapse_day":
        return f"{value:{sign}.1f}"
    return f"{value:{sign},.0f}"


def _effect(r: dict[str, Any]) -> str:
    o = r["outcome"]
    if not r["seeds"]:
        return "-"
    return f"{_num(o, r['effect'], True)} [{_num(o, r['low'], True)}, {_num(o, r['high'], True)}]"


def _expect(value: int | None) -> str:
    return {None: "", -1: "lower", 0: "no change", 1: "higher"}[value]


def _share(r: dict[str, Any]) -> str:
    share = r["same_sign_share"]
    if share is None or not math.isfinite(share):
        return "-"
    return f"{share:.0%} of {r['sample_points']}"


FINDINGS = ("agrees", "disagrees", "not detected", "too few pairs")


def summary(rows: list[dict[str, Any]]) -> str:
    """A claim's predictions, counted: borne out, contradicted, not detected."""
    told = Counter(r["agreement"] for r in rows if r["agreement"])
    if not told:
        return "no prediction of the account was tested here"
    parts = [f"{told['agrees']} of {sum(told.values())} predictions borne out"]
    if told["disagrees"]:
        parts.append(f"{told['disagrees']} contradicted")
    for key in FINDINGS[2:]:
        if told[key]:
            parts.append(f"{told[key]} {key}")
    return ", ".join(parts)


def markdown(
    claims: list[Claim],
    rows: list[dict[str, Any]],
    sobol: list[dict[str, Any]],
    facts: dict[str, str],
    plots: list[str],
) -> str:
    """The page: how it was made, then each claim's table, then the Sobol' indices."""
    lines = [
        "# The account's claims, tested",
        "",
        "Generated by `narod claims`; do not edit by hand. Each claim of the account is a set of",
        "variants run against the baseline on the same seeds (a paired comparison): the effect is",
        "the mean difference variant - baseline, with a 90 % bootstrap interval over the pairs.",
        "*Same sign in sample*: the share of a Latin-hypercube sample of the behavioural",
        "parameters (`[uncertainty]` in `narod/experiments/claims.toml`) where the effect has the",
        "sign it has at the fitted behaviour; a point where the effect is exactly zero counts",
        "against (common for whole days with two seeds a point, and for P(collapse) where every",
        "run falls either way). *Account*: what the account predicts of the variant;",
        "*finding*: whether the 90 % interval bears it out (a prediction of no change is borne out",
        "when the interval includes zero). P(collapse) effects are in percentage points, days in",
        "days, the dead and the crowd in persons. Every finding is about the model, whose",
        "behavioural numbers are assumptions fitted to one episode's record (`street.toml`).",
        "",
        *header(facts),
        "| claim | predictions | borne out | contradicted | not detected | too few pairs |",
        "|---|---|---|---|---|---|",
        *[_count_row(c.id, [r for r in rows if r["claim"] == c.id]) for c in claims],
        "",
    ]
    for claim in claims:
        mine = [r for r in rows if r["claim"] == claim.id]
        if not mine:
            continue
        lines += [
            f"## {claim.id}",
            "",
            f"**Claim.** {claim.claim} *({claim.source})*",
            "",
            f"**In the model:** {summary(mine)}.",
            "",
            "| episode | variant | outcome | baseline | effect [90%] | same sign in sample "
            "| account | finding |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for r in mine:
            o = r["outcome"]
            lines.append(
                f"| {r['episode']} | {r['variant']} | {OUTCOMES[o]} | {_num(o, r['baseline'])} "
                f"| {_effect(r)} | {_share(r)} | {_expect(r['expect'])} | {r['agreement']} |"
            )
        variants = {(r["variant"], r["about"]) for r in mine}
        lines += ["", *[f"- `{v}`: {about}" for v, about in sorted(variants)], ""]
    if sobol:
        lines += [
            "## Which parameters decide the outcome",
            "",
            "Sobol' indices (Saltelli 2010 estimators, SALib; 95 % bootstrap half-widths) of",
            "P(collapse) and of the day of collapse over the `[uncertainty]` ranges, one seed per",
            "point. *S1*: the share of the outcome's variance a parameter explains alone; *ST*:",
            "with all its interactions. A run in which the authority stood counts its day as",
            "one past the last.",
            "",
            "| episode | outcome | runs | mean | parameter | S1 | ST |",
            "|---|---|---|---|---|---|---|",
        ]
        for r in sorted(sobol, key=lambda r: (r["episode"], r["outcome"], -_finite(r["ST"]))):
            lines.append(
                f"| {r['episode']} | {OUTCOMES[r['outcome']]} | {r['runs']} | {r['mean']:.2f} "
                f"| `{r['parameter']}` | {_pm(r['S1'], r['S1_conf'])} "
                f"| {_pm(r['ST'], r['ST_conf'])} |"
            )
        lines += ["", *[f"![Sobol' indices]({p})" for p in plots], ""]
    return "\n".join(lines) + "\n"


def _count_row(claim: str, rows: list[dict[str, Any]]) -> str:
    told = Counter(r["agreement"] for r in rows if r["agreement"])
    counts = [sum(told.values())] + [told[k] for k in FINDINGS]
    return f"| [{claim}](#{claim}) | " + " | ".join(map(str, counts)) + " |"


def _finite(x: float) -> float:
    return x if math.isfinite(x) else -1.0


def _pm(value: float, conf: float) -> str:
    return "-" if not math.isfinite(value) else f"{value:.2f} ± {conf:.2f}"
