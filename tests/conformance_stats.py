"""Two-sample comparison of Epstein civil-violence runs (e.g. narod vs Mesa).

Each side is S independent runs (one seed each) of the model-level series
``active``, ``quiet`` and ``jailed``, arrays of shape (S, T + 1) with tick 0 the
initial state. Ticks inside a run are autocorrelated, so they are never pooled:
every run is reduced to a few summary statistics (one number per run), and each
statistic is compared between the two sides with a two-sided Mann-Whitney U test
(rank based: the statistics are discrete, tied and heavy-tailed). The p-values are
Holm-corrected over the family of statistics.

A statistic fails only if the difference is both significant (Holm-adjusted
p < ``alpha``, family-wise) and not negligible (|Cliff's delta| > ``d_tol``). With
the defaults (``alpha=0.01``, ``d_tol=0.33``) two samples of the same model fail with
probability at most 1 %, whatever the number of seeds.

The statistics follow Mesa's dynamics at its defaults (40x40, L=0.8): at tick 1
about 30 citizens rebel and are jailed at once (sentences up to 1000 ticks, so
they stay jailed); afterwards ``active`` is 0 on most ticks, with rare outbursts
where a citizen sees no cop, each adding to ``jailed``. So the statistics are the
initial crackdown (``jailed_early``), the outbursts after it (``jailed_growth``,
``active_later``, ``peak_active_later``, ``burst_ticks``, ``first_burst``), their
totals (``jailed_final``, ``quiet_fraction``) and the initial placement
(``n_citizens``, and ``n_cops`` when both sides give it).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
from scipy import stats

SERIES = ("active", "quiet", "jailed")
Runs = Mapping[str, np.ndarray] | Sequence[Mapping[str, np.ndarray]]
StatFn = Callable[[dict[str, np.ndarray]], np.ndarray]

EARLY = 10
"""Ticks 1..EARLY hold the initial crackdown; later ticks hold rare outbursts."""

BURST = 5
"""A tick with at least this many active citizens counts as an outburst."""

SEEDS = 20
TICKS = 100
"""Recommended sample: 20 seeds x 100 ticks (about 70 s of Mesa on one core)."""


def _n_citizens(r: dict[str, np.ndarray]) -> np.ndarray:
    """Citizens placed at tick 0."""
    return (r["active"] + r["quiet"] + r["jailed"])[:, 0]


def _jailed_early(r: dict[str, np.ndarray]) -> np.ndarray:
    """Jailed at tick EARLY: size of the initial crackdown."""
    return r["jailed"][:, EARLY]


def _jailed_growth(r: dict[str, np.ndarray]) -> np.ndarray:
    """Jailed at the last tick minus jailed at tick EARLY."""
    return r["jailed"][:, -1] - _jailed_early(r)


def _jailed_final(r: dict[str, np.ndarray]) -> np.ndarray:
    """Jailed at the last tick."""
    return r["jailed"][:, -1]


def _active_later(r: dict[str, np.ndarray]) -> np.ndarray:
    """Mean active over ticks EARLY+1..T."""
    return r["active"][:, EARLY + 1 :].mean(axis=1)


def _peak_active_later(r: dict[str, np.ndarray]) -> np.ndarray:
    """Largest active count over ticks EARLY+1..T."""
    return r["active"][:, EARLY + 1 :].max(axis=1, initial=0)


def _burst_ticks(r: dict[str, np.ndarray]) -> np.ndarray:
    """Number of ticks after EARLY with at least BURST active citizens."""
    return (r["active"][:, EARLY + 1 :] >= BURST).sum(axis=1)


def _first_burst(r: dict[str, np.ndarray]) -> np.ndarray:
    """First such tick (T + 1 if none)."""
    later = r["active"][:, EARLY + 1 :] >= BURST
    never = r["active"].shape[1]  # censored: no outburst up to the last tick
    return np.where(later.any(axis=1), EARLY + 1 + later.argmax(axis=1), never)


def _quiet_fraction(r: dict[str, np.ndarray]) -> np.ndarray:
    """Time-averaged quiet fraction of the citizens, ticks 0..T."""
    return (r["quiet"] / (r["active"] + r["quiet"] + r["jailed"])).mean(axis=1)


STATISTICS: dict[str, StatFn] = {
    "n_citizens": _n_citizens,
    "jailed_early": _jailed_early,
    "jailed_growth": _jailed_growth,
    "jailed_final": _jailed_final,
    "active_later": _active_later,
    "peak_active_later": _peak_active_later,
    "burst_ticks": _burst_ticks,
    "first_burst": _first_burst,
    "quiet_fraction": _quiet_fraction,
}
"""Per-run summary statistics: each maps the `as_arrays` dict to one value per run."""


def as_arrays(runs: Runs) -> dict[str, np.ndarray]:
    """Stack runs into (S, T + 1) float arrays ``active``, ``quiet``, ``jailed``.

    Parameters
    ----------
    runs : mapping of 2-D arrays, or sequence of per-run mappings of 1-D arrays
        E.g. the output of ``run_mesa_many`` or a list of ``run_mesa`` outputs.

    Returns
    -------
    dict of str to numpy.ndarray
        The three series, plus ``n_cops`` (S,) if every run gives it.
    """
    if isinstance(runs, Mapping):
        out = {k: np.asarray(runs[k], dtype=float) for k in SERIES}
        if "n_cops" in runs:
            out["n_cops"] = np.asarray(runs["n_cops"], dtype=float)
    else:
        out = {k: np.stack([np.asarray(r[k], dtype=float) for r in runs]) for k in SERIES}
        if all("n_cops" in r for r in runs):
            out["n_cops"] = np.array([r["n_cops"] for r in runs], dtype=float)
    if not all(out[k].ndim == 2 and out[k].shape == out["active"].shape for k in SERIES):
        raise ValueError("active, quiet and jailed must share one (runs, ticks + 1) shape")
    if out["active"].shape[1] <= EARLY + 1:
        raise ValueError(f"need more than {EARLY} ticks")
    return out


def summarize(runs: Runs, statistics: Mapping[str, StatFn] = STATISTICS) -> dict[str, np.ndarray]:
    """Reduce every run to its summary statistics.

    Parameters
    ----------
    runs : Runs
        See `as_arrays`.
    statistics : mapping of str to callable, default `STATISTICS`
        Each maps the `as_arrays` dict to one value per run.

    Returns
    -------
    dict of str to numpy.ndarray
        One (S,) array per statistic.
    """
    arr = as_arrays(runs)
    return {name: np.asarray(fn(arr), dtype=float) for name, fn in statistics.items()}


def holm(pvalues: Sequence[float]) -> np.ndarray:
    """Holm step-down adjusted p-values (family-wise error control).

    Parameters
    ----------
    pvalues : sequence of float

    Returns
    -------
    numpy.ndarray
        Adjusted p-values, in the input order.
    """
    p = np.asarray(pvalues, dtype=float)
    order = np.argsort(p)
    m = len(p)
    adjusted = np.maximum.accumulate((m - np.arange(m)) * p[order]).clip(max=1.0)
    out = np.empty_like(p)
    out[order] = adjusted
    return out


def two_sample_pvalue(x: np.ndarray, y: np.ndarray) -> float:
    """Two-sided Mann-Whitney U p-value (tie-corrected), 1.0 if all values tie."""
    if np.ptp(np.concatenate([x, y])) == 0:
        return 1.0
    return float(stats.mannwhitneyu(x, y, alternative="two-sided").pvalue)


def cliffs_delta(x: np.ndarray, y: np.ndarray) -> float:
    """Cliff's delta, P(Y > X) - P(Y < X): the rank effect size that goes with Mann-Whitney.

    Unlike Cohen's d it is not diluted by the heavy tails of outburst statistics (one run with a
    huge outburst inflates the standard deviation and hid a real difference in a test).
    """
    diff = np.sign(y[:, None] - x[None, :])
    return float(diff.mean())


def compare(
    reference: Runs,
    other: Runs,
    alpha: float = 0.01,
    d_tol: float = 0.33,
    statistics: Mapping[str, StatFn] | None = None,
) -> list[dict]:
    """Compare two samples of runs statistic by statistic.

    Parameters
    ----------
    reference, other : Runs
        Runs of the reference model (Mesa) and of the model under test, same
        parameters, independent seeds, same number of ticks. See `as_arrays`.
    alpha : float, default 0.01
        Family-wise significance level (Holm over all statistics).
    d_tol : float, default 0.33
        Largest negligible |Cliff's delta| (0.33 is the usual small/medium boundary,
        Romano et al. 2006): a significant difference in a statistic still passes if
        its effect is smaller than that.
    statistics : mapping of str to callable, optional
        Default: `STATISTICS`, plus ``n_cops`` if both sides give it.

    Returns
    -------
    list of dict
        One row per statistic: ``statistic``, ``ref_mean``, ``ref_sd``,
        ``other_mean``, ``other_sd``, ``p`` (Mann-Whitney), ``p_holm``, ``d``
        (Cliff's delta, other vs reference), ``rel_diff`` (difference / |reference
        mean|) and ``passed``.
    """
    reference, other = as_arrays(reference), as_arrays(other)
    if statistics is None:
        statistics = dict(STATISTICS)
        if "n_cops" in reference and "n_cops" in other:
            statistics["n_cops"] = lambda r: r["n_cops"]
    ref, oth = summarize(reference, statistics), summarize(other, statistics)
    p = [two_sample_pvalue(ref[k], oth[k]) for k in statistics]
    p_holm = holm(p)
    rows = []
    for i, k in enumerate(statistics):
        x, y = ref[k], oth[k]
        d = cliffs_delta(x, y)
        diff = y.mean() - x.mean()
        rows.append(
            {
                "statistic": k,
                "ref_mean": float(x.mean()),
                "ref_sd": float(x.std(ddof=1)),
                "other_mean": float(y.mean()),
                "other_sd": float(y.std(ddof=1)),
                "p": p[i],
                "p_holm": float(p_holm[i]),
                "d": d,
                "rel_diff": float(diff / abs(x.mean())) if x.mean() else float("nan"),
                "passed": bool(p_holm[i] >= alpha or abs(d) <= d_tol),
            }
        )
    return rows


def all_passed(table: Sequence[Mapping]) -> bool:
    """True if every statistic of a `compare` table passed."""
    return all(row["passed"] for row in table)


def format_table(table: Sequence[Mapping]) -> str:
    """Render a `compare` table as fixed-width text."""
    head = f"{'statistic':<18}{'ref mean':>10}{'ref sd':>9}{'oth mean':>10}{'oth sd':>9}"
    head += f"{'p':>10}{'p_holm':>10}{'d':>7}  result"
    lines = [head]
    for r in table:
        lines.append(
            f"{r['statistic']:<18}{r['ref_mean']:>10.4g}{r['ref_sd']:>9.3g}"
            f"{r['other_mean']:>10.4g}{r['other_sd']:>9.3g}{r['p']:>10.2g}"
            f"{r['p_holm']:>10.2g}{r['d']:>7.2f}  {'pass' if r['passed'] else 'FAIL'}"
        )
    return "\n".join(lines)
