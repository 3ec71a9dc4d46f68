"""Plots of experiments: ensemble fans over time and phase diagrams of a sweep.

An ensemble fan is the median of a series across runs with its 50 % and 90 % intervals shaded;
a sweep over two parameters becomes a heat map of a metric's mean (or, for a yes/no metric such
as whether the regime fell, of its probability), the phase diagram of the model.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from narod.errors import NarodError
from narod.experiments import store as st
from narod.results.files import read_parquet, write_atomic


def _save(fig: Figure, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, lambda p: fig.savefig(p, format="png"))
    return path


def _table(folder: Path, kind: str) -> dict[str, np.ndarray]:
    import pyarrow as pa

    parts = st.files(folder, kind)
    if not parts:
        raise NarodError(f"{folder}: no {kind} stored (run it with --series for a fan)")
    table = pa.concat_tables([read_parquet(p) for p in parts])
    return {name: table.column(name).to_numpy() for name in table.column_names}


def fan(folder: Path, columns: list[str], out: Path) -> Path:
    """Median and 50/90 % bands of each series across the runs of an experiment."""
    series = _table(folder, "series")
    runs, ticks = series["run"], series["tick"]
    n_ticks = int(ticks.max()) + 1
    fig = Figure(figsize=(9, 2.6 * len(columns)), dpi=110)
    for i, column in enumerate(columns):
        if column not in series:
            raise NarodError(
                f"{folder}: no series '{column}'; expected one of: "
                + ", ".join(k for k in series if k not in ("run", "tick"))
            )
        grid = np.full((int(runs.max()) + 1, n_ticks), np.nan)
        grid[runs, ticks] = series[column]
        q = np.nanpercentile(grid, [5, 25, 50, 75, 95], axis=0)
        ax = fig.add_subplot(len(columns), 1, i + 1)
        x = np.arange(n_ticks)
        ax.fill_between(x, q[0], q[4], color="tab:blue", alpha=0.15, lw=0, label="90 %")
        ax.fill_between(x, q[1], q[3], color="tab:blue", alpha=0.3, lw=0, label="50 %")
        ax.plot(x, q[2], color="tab:blue", lw=1.4, label="median")
        ax.set_ylabel(column)
        ax.legend(loc="upper left", fontsize=7)
    fig.axes[-1].set_xlabel("tick")
    fig.suptitle(f"{folder.name}: {int(runs.max()) + 1} runs")
    fig.tight_layout()
    return _save(fig, out)


def heat_map(folder: Path, metric: str, out: Path) -> Path:
    """A two-parameter sweep as a heat map of the metric's mean per point."""
    manifest = st.read_manifest(folder)
    params = [p["key"] if isinstance(p, dict) else p for p in manifest.get("params", [])]
    if len(params) != 2:
        raise NarodError(
            f"{folder}: a heat map needs a sweep over two parameters (this one has {len(params)})"
        )
    runs = _table(folder, "runs")
    if metric not in runs:
        known = [k for k in runs if k not in ("index", "seed", "status", "error", "point")]
        raise NarodError(f"{folder}: no metric '{metric}'; expected one of: {', '.join(known)}")
    columns = [p.replace(".", "_") for p in params]
    ok = runs["status"] == "ok"
    xs, ys = np.unique(runs[columns[0]][ok]), np.unique(runs[columns[1]][ok])
    grid = np.full((ys.size, xs.size), np.nan)
    for j, y in enumerate(ys):
        for i, x in enumerate(xs):
            here = ok & (runs[columns[0]] == x) & (runs[columns[1]] == y)
            values = runs[metric][here].astype(float)
            if values.size:
                grid[j, i] = np.nanmean(values)
    fig = Figure(figsize=(6.5, 5), dpi=110)
    ax = fig.add_subplot()
    image = ax.imshow(
        grid,
        origin="lower",
        aspect="auto",
        cmap="viridis",
        extent=(-0.5, xs.size - 0.5, -0.5, ys.size - 0.5),
    )
    ax.set_xticks(range(xs.size), [f"{x:.3g}" for x in xs], rotation=45, fontsize=7)
    ax.set_yticks(range(ys.size), [f"{y:.3g}" for y in ys], fontsize=7)
    ax.set_xlabel(params[0])
    ax.set_ylabel(params[1])
    fig.colorbar(image, label=f"mean {metric}")
    ax.set_title(f"{folder.name}: {metric}")
    fig.tight_layout()
    return _save(fig, out)
