"""The account's claims as experiments: each claim's variants against the baseline, on the same
seeds, on every episode where the claim applies, at the fitted behaviour and over a sample of it.

The claims and their tests are data (``claims.toml`` beside this module). Every run is an
experiment in the results store (:mod:`narod.experiments.store`), so a killed ``narod claims``
resumes where it stopped and ``narod query`` reads the runs. Experiments are named
``claims-EPISODE-TEST-fitted`` (``replicates`` seeds at the fitted behaviour) and
``claims-EPISODE-TEST-sample`` (a Latin hypercube over ``[uncertainty]``); the baseline's test is
``baseline``. Run ``i`` of a test and run ``i`` of its baseline share a seed and a point.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from narod.errors import NarodError, ScenarioError
from narod.experiments import store as st
from narod.experiments.design import Param, points
from narod.experiments.paired import (
    MIN_PAIRS,
    detected,
    paired_effect,
    point_effects,
    same_sign_share,
)
from narod.experiments.runner import run_experiment
from narod.scenario.episode import VARIANT_WORDS, builtin_episodes, episodes_root, find_episode
from narod.scenario.loading import load_scenario, to_toml
from narod.scenario.schema import Spec

CLAIMS_FILE = Path(__file__).with_name("claims.toml")
OUTCOMES = {
    "collapsed": "P(the authority falls)",
    "collapse_day": "the day it falls",
    "killed": "the dead",
    "peak_on_streets": "the largest crowd in the streets",
}
BASELINE = "baseline"


@dataclass(frozen=True)
class Test:
    """One variant that tests a claim: an episode's named variant, or a change of behaviour."""

    name: str
    about: str
    variant: str | None
    set: dict[str, Any]
    episodes: tuple[str, ...] | None  # None: every episode of the run
    expect: dict[str, int]


@dataclass(frozen=True)
class Claim:
    id: str
    claim: str
    source: str
    tests: tuple[Test, ...]


@dataclass
class Plan:
    """What a run of the claims does: episodes, their specs, and the sample of behaviour."""

    claims: list[Claim]
    episodes: list[str]
    specs: dict[tuple[str, str], Spec] = field(default_factory=dict)  # (episode, test) -> spec
    sample: list[Param] = field(default_factory=list)


def canonical(name: str, source: str, key: str) -> str:
    """A shipped episode's folder name (whatever alias it was given by), or an episode folder's
    path."""
    folder = find_episode(name)
    if folder is None:
        raise ScenarioError(source, key, f"{name!r} is not an episode (narod episodes lists them)")
    return folder.name if folder.parent == episodes_root() else str(folder)


def _test(raw: Any, source: str, key: str) -> Test:
    if not isinstance(raw, dict):
        raise ScenarioError(source, key, "expected a table")
    known = {"name", "about", "variant", "set", "episodes", "expect"}
    if unknown := set(raw) - known:
        expected = f"unknown key; expected some of: {', '.join(sorted(known))}"
        raise ScenarioError(source, f"{key}.{sorted(unknown)[0]}", expected)
    variant = raw.get("variant")
    if (variant is None) == ("set" not in raw):
        raise ScenarioError(source, key, "expected either variant = NAME or set = {KEY = VALUE}")
    changes = raw.get("set", {})
    if not isinstance(changes, dict) or (variant is None and not changes):
        raise ScenarioError(source, f"{key}.set", "expected a table of KEY = VALUE")
    name = variant or raw.get("name")
    if not isinstance(name, str) or not name or name == BASELINE:
        raise ScenarioError(source, f"{key}.name", f"expected a name other than {BASELINE!r}")
    episodes = raw.get("episodes", "all")
    if episodes == "all":
        where = None
    elif isinstance(episodes, list) and episodes and all(isinstance(e, str) for e in episodes):
        where = tuple(canonical(e, source, f"{key}.episodes") for e in episodes)
    else:
        raise ScenarioError(source, f"{key}.episodes", 'expected "all" or a list of episodes')
    expect = raw.get("expect", {})
    if not isinstance(expect, dict) or any(
        k not in OUTCOMES or v not in (-1, 0, 1) or isinstance(v, bool) for k, v in expect.items()
    ):
        expected = f"expected OUTCOME = -1, 0 or 1 for outcomes {', '.join(OUTCOMES)}"
        raise ScenarioError(source, f"{key}.expect", expected)
    return Test(name, str(raw.get("about", "")), variant, dict(changes), where, dict(expect))


def load_claims(path: Path | None = None) -> tuple[list[Claim], list[Param]]:
    """The claims and the sampled ranges of behaviour, checked."""
    path = path or CLAIMS_FILE
    source = str(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ScenarioError(source, None, f"cannot read the claims ({exc})") from None
    claims = []
    for i, c in enumerate(raw.get("claim", [])):
        key = f"claim[{i}]"
        if not isinstance(c, dict) or not all(isinstance(c.get(k), str) for k in ("id", "claim")):
            raise ScenarioError(source, key, "expected a table with id and claim (strings)")
        tests = c.get("test", [])
        if not isinstance(tests, list) or not tests:
            raise ScenarioError(source, f"{key}.test", "expected at least one [[claim.test]]")
        parsed = tuple(_test(t, source, f"{key}.test[{j}]") for j, t in enumerate(tests))
        claims.append(Claim(c["id"], c["claim"], str(c.get("source", "")), parsed))
    ranges = raw.get("uncertainty", {})
    sample = []
    for k, v in ranges.items() if isinstance(ranges, dict) else []:
        ok = isinstance(v, list) and len(v) == 2 and all(isinstance(x, int | float) for x in v)
        if not ok or not v[0] < v[1]:
            raise ScenarioError(source, f"uncertainty.{k}", "expected [LOW, HIGH] with LOW < HIGH")
        sample.append(Param(k, float(v[0]), float(v[1])))
    return claims, sample


def plan(
    episodes: list[str] | None = None,
    only: list[str] | None = None,
    overrides: dict[str, Any] | None = None,
    scales: dict[str, float] | None = None,
    path: Path | None = None,
) -> Plan:
    """Every (episode, test) spec of a run, built and checked before anything runs.

    ``overrides`` apply to every spec (a test's own change is applied after them); ``scales``
    sets ``city.scale`` per episode.
    """
    claims, sample = load_claims(path or CLAIMS_FILE)
    if only:
        unknown = sorted(set(only) - {c.id for c in claims})
        if unknown:
            raise NarodError(f"--claim {unknown[0]}: no such claim; expected one of: "
                             + ", ".join(c.id for c in claims))  # fmt: skip
        claims = [c for c in claims if c.id in only]
    names = [canonical(e, "narod claims", "EPISODE") for e in episodes or builtin_episodes()]
    scales = {canonical(k, "--scale", k): v for k, v in (scales or {}).items()}
    if stray := set(scales) - set(names):
        raise NarodError(f"--scale {sorted(stray)[0]}: not one of the episodes run")
    out = Plan(claims, names, sample=sample)
    for episode in names:
        common = dict(overrides or {})
        if episode in scales:
            common["city.scale"] = scales[episode]
        out.specs[episode, BASELINE] = load_scenario(episode, **common)
        for test in tests_on(claims, episode):
            if test.variant:
                spec = load_scenario(f"{episode}:{test.variant}", **common)
            else:
                spec = load_scenario(load_scenario(episode, **common), **test.set)
            out.specs[episode, test.name] = spec
    return out


def tests_on(claims: list[Claim], episode: str) -> list[Test]:
    """The tests that apply to an episode: those listing it, and those for every episode."""
    return [t for c in claims for t in c.tests if t.episodes is None or episode in t.episodes]


def changed_keys(spec: Spec, test: Test) -> set[str]:
    """The keys a test sets (its own, or its variant's), which a sample must leave alone."""
    if test.variant is None:
        return set(test.set)
    overlay = spec.variants.get(test.variant, {})
    return {k for k in overlay if k not in VARIANT_WORDS}


def _held(p: Plan, episode: str, test: Test) -> frozenset[str]:
    """Sampled keys the test sets: its sample keeps them at the test's values."""
    return frozenset(changed_keys(p.specs[episode, test.name], test) & {q.key for q in p.sample})


def experiment_name(episode: str, test: str, kind: str, held: frozenset[str] = frozenset()) -> str:
    """``claims-EPISODE-TEST-KIND``; a baseline sample that holds keys at their fitted values
    (to pair with a test that sets them) names them."""
    tail = "".join(f"-at-{k}" for k in sorted(held))
    return f"claims-{Path(episode).name}-{test}-{kind}{tail}"


Progress = Callable[[str, int, int], None]  # (experiment, runs done, runs in all)


def run_claims(
    p: Plan,
    store: str | Path,
    seeds: int,
    sample_points: int = 0,
    sample_seeds: int = 2,
    master_seed: int = 0,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: Progress | None = None,
) -> dict[str, Path]:
    """Run (or finish) every experiment of a plan into ``store``; returns name -> folder.

    An experiment already in the store with the same scenario and design is reused or resumed;
    one with the same name but another scenario is an error, so nothing is mixed or lost.
    """
    root = st.open_store(store)
    design = points(p.sample, "lhs", sample_points, master_seed) if sample_points else []
    jobs: dict[str, tuple[Spec, list[dict[str, Any]], int]] = {}
    for episode in p.episodes:
        for test in [None, *tests_on(p.claims, episode)]:
            name = test.name if test else BASELINE
            spec = p.specs[episode, name]
            jobs[experiment_name(episode, name, "fitted")] = (spec, [{}], seeds)
            if not design:
                continue
            held = _held(p, episode, test) if test else frozenset()
            at = [{k: v for k, v in point.items() if k not in held} for point in design]
            jobs[experiment_name(episode, name, "sample", held)] = (spec, at, sample_seeds)
            if held:  # its baseline, with the same keys held at their fitted values
                base = p.specs[episode, BASELINE]
                jobs[experiment_name(episode, BASELINE, "sample", held)] = (base, at, sample_seeds)
    for name, (spec, pts, replicates) in jobs.items():
        _check_existing(root / name, spec, pts, replicates, master_seed)

    def one(name: str, client: Any | None) -> Path:
        spec, pts, replicates = jobs[name]
        resume = (root / name / "manifest.json").exists()
        report = (lambda done, _, total: progress(name, done, total)) if progress else None
        return run_experiment(spec, pts, root, name=name, design="claims", replicates=replicates,
                              master_seed=master_seed, batch_size=1, resume=resume,
                              keep_series=False, progress=report, workers=workers,
                              scheduler=scheduler, client=client)  # fmt: skip

    if workers == 0 and scheduler is None:
        return {name: one(name, None) for name in jobs}
    from narod.experiments.runner import dask_client

    with dask_client(workers, scheduler) as client:
        # A few experiments at once keep every worker busy through each one's last runs.
        with ThreadPoolExecutor(max_workers=4) as pool:
            done = dict(zip(jobs, pool.map(lambda n: one(n, client), jobs), strict=True))
    return done


def _check_existing(
    folder: Path, spec: Spec, pts: list[dict[str, Any]], replicates: int, master_seed: int
) -> None:
    """An experiment of this name in the store must be this one: same scenario, seeds, points."""
    if not (folder / "manifest.json").exists():
        return
    m = st.read_manifest(folder)
    same = (
        m.get("scenario") == to_toml(spec)
        and m.get("replicates") == replicates
        and m.get("master_seed") == master_seed
        and m.get("runs") == len(pts) * replicates
        and _first_point(folder, pts[0]) in (None, pts[0])
    )
    if not same:
        raise st.StoreError(
            f"{folder}: the store holds this experiment with other settings (scenario, seeds, "
            "sample or master seed); use another --store, or remove the folder to run it again"
        )


def _first_point(folder: Path, like: dict[str, Any]) -> dict[str, Any] | None:
    """The values of ``like``'s keys that run 0 was given, as stored (None before it ran)."""
    import pyarrow.compute as pc

    from narod.experiments.runner import column_name
    from narod.results.files import read_parquet

    for path in st.files(folder, "runs"):
        table = read_parquet(path)
        row = table.filter(pc.equal(table["run"], 0)).to_pylist()
        if row:
            return {k: row[0].get(column_name(k)) for k in like}
    return None


def _values(con, experiment: str, outcome: str) -> dict[int, float]:
    rows = con.execute(
        f"SELECT run, {outcome} FROM runs WHERE experiment = ? AND status = 'ok'", [experiment]
    ).fetchall()
    return {int(r): float("nan") if v is None else float(v) for r, v in rows}


def table(p: Plan, store: str | Path, sample_seeds: int, sampled: bool) -> list[dict[str, Any]]:
    """One row per claim, episode, test and outcome: the paired effect at the fitted behaviour,
    its 90 % interval, and the share of the sample where it has the same sign."""
    con = st.connect(store)
    rows = []
    for claim in p.claims:
        for episode in p.episodes:
            for test in tests_on([claim], episode):
                spec = p.specs[episode, test.name]
                about = test.about or spec.variants.get(test.name, {}).get("about", "")
                for outcome in OUTCOMES:
                    e, share, n_points = _effect(con, p, episode, test, outcome, sample_seeds,
                                                 sampled)  # fmt: skip
                    rows.append(
                        {
                            "claim": claim.id,
                            "episode": Path(episode).name,
                            "variant": test.name,
                            "about": about,
                            "outcome": outcome,
                            "scale": spec.city.scale,
                            "baseline": e.baseline,
                            "effect": e.effect,
                            "low": e.low,
                            "high": e.high,
                            "seeds": e.pairs,
                            "expect": test.expect.get(outcome),
                            "agreement": agreement(e, test.expect.get(outcome)),
                            "same_sign_share": share,
                            "sample_points": n_points,
                            "verdict": verdict(about or test.name, outcome, e, share, n_points),
                        }
                    )
    return rows


def _effect(con, p: Plan, episode: str, test: Test, outcome: str, replicates: int, sampled: bool):
    """The paired effect at the fitted behaviour, and the same-sign share over the sample."""
    fitted = paired_effect(
        _values(con, experiment_name(episode, BASELINE, "fitted"), outcome),
        _values(con, experiment_name(episode, test.name, "fitted"), outcome),
    )
    if not sampled:
        return fitted, float("nan"), 0
    held = _held(p, episode, test)
    at = point_effects(
        _values(con, experiment_name(episode, BASELINE, "sample", held), outcome),
        _values(con, experiment_name(episode, test.name, "sample", held), outcome),
        replicates,
    )
    return fitted, same_sign_share(fitted.effect, at), int(np.isfinite(at).sum())


def agreement(e, expect: int | None) -> str:
    """How the effect stands to the account's expectation."""
    if expect is None:
        return ""
    if e.pairs < MIN_PAIRS:
        return "too few pairs"
    sign = detected(e)
    if expect == 0:
        return "agrees" if sign == 0 else "disagrees"
    if sign == 0:
        return "not detected"
    return "agrees" if sign == expect else "disagrees"


def _amount(outcome: str, value: float, signed: bool = False) -> str:
    """An effect in its outcome's units: percentage points, days, persons."""
    v, sign = (value, "+") if signed else (abs(value), "")
    if outcome == "collapsed":
        return f"{v * 100:{sign}.0f} points"
    if outcome == "collapse_day":
        return f"{v:{sign}.1f} days"
    return f"{v:{sign},.0f}"


def verdict(change: str, outcome: str, e, share: float, n_points: int) -> str:
    """The row's finding in one sentence about the model."""
    what = OUTCOMES[outcome]
    if e.pairs < MIN_PAIRS:
        return (f"in the model, {what} cannot be compared for '{change}' ({e.pairs} paired "
                "runs with a value; the day needs both runs to fall)")  # fmt: skip
    sign = detected(e)
    low, high = _amount(outcome, e.low, True), _amount(outcome, e.high, True)
    interval = f"90% interval {low} to {high}, {e.pairs} paired seeds"
    if sign == 0:
        said = f"in the model, '{change}' changes {what} by no detectable amount ({interval})"
    else:
        verb = "raises" if sign > 0 else "lowers"
        said = (
            f"in the model, '{change}' {verb} {what} by {_amount(outcome, e.effect)} ({interval})"
        )
    if n_points and np.isfinite(share):
        said += f"; the sign holds in {share:.0%} of {n_points} sampled behaviours"
    return said


def sobol_name(episode: str) -> str:
    return f"claims-{Path(episode).name}-sobol"


def run_sobol(
    p: Plan,
    store: str | Path,
    episode: str,
    base_samples: int,
    master_seed: int = 0,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: Progress | None = None,
) -> Path:
    """Saltelli's sample of the behaviour's ranges at the baseline of ``episode``, one seed per
    point, into the store (resumed like the tests)."""
    spec = p.specs[canonical(episode, "--sobol-episode", episode), BASELINE]
    name = sobol_name(spec.scenario.episode)
    root = st.open_store(store)
    pts = points(p.sample, "sobol", base_samples, master_seed)
    _check_existing(root / name, spec, pts, 1, master_seed)
    report = (lambda done, _, total: progress(name, done, total)) if progress else None
    return run_experiment(spec, pts, root,
                          name=name, design="sobol", master_seed=master_seed, batch_size=4,
                          resume=(root / name / "manifest.json").exists(), keep_series=False,
                          progress=report, workers=workers, scheduler=scheduler)  # fmt: skip


def sobol_table(p: Plan, store: str | Path, episode: str) -> list[dict[str, Any]]:
    """First-order and total Sobol' indices of P(collapse) and of the day of collapse.

    A run where the authority stood counts its day as one past the last (a censored day), so
    that the day's variance includes whether it fell at all.
    """
    from narod.experiments.sensitivity import analyze

    spec = p.specs[canonical(episode, "--sobol-episode", episode), BASELINE]
    con = st.connect(store)
    name = sobol_name(spec.scenario.episode)
    runs = con.execute(
        "SELECT run, collapsed, collapse_day FROM runs WHERE experiment = ? ORDER BY run", [name]
    ).fetchall()
    collapsed = np.asarray([r[1] for r in runs], float)
    day = np.asarray([r[2] for r in runs], float)  # NaN (or NULL) where the authority stood
    day[~np.isfinite(day)] = spec.calendar.days + 1
    rows = []
    for outcome, y in (("collapsed", collapsed), ("collapse_day", day)):
        if not np.all(np.isfinite(y)) or np.ptp(y) == 0:
            indices = [{"parameter": q.key, "S1": float("nan"), "S1_conf": float("nan"),
                        "ST": float("nan"), "ST_conf": float("nan")} for q in p.sample]  # fmt: skip
        else:
            indices = analyze(p.sample, np.zeros((len(y), len(p.sample))), y, "sobol")
        rows += [{"episode": Path(spec.scenario.episode).name, "outcome": outcome, "runs": len(y),
                  "mean": float(np.mean(y)), **r} for r in indices]  # fmt: skip
    return rows
