"""Time-series plots of a run (Matplotlib, no display needed)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from narod.results.result import Result  # noqa: E402

_SKIP = {"tick", "legitimacy", "fraction"}


def plot_series(result: Result, path: str | Path, columns: list[str] | None = None) -> Path:
    """Plot each series of ``result`` against the tick and save a PNG at ``path``.

    Outbursts (Epstein's runs of more than ``outbursts.level`` actives) are shaded.
    """
    names = columns or [c for c in result.table.column_names if c not in _SKIP]
    tick = result.column("tick")
    fig, ax = plt.subplots(figsize=(10, 4), dpi=120)
    for name in names:
        ax.plot(tick, result.column(name), label=name, linewidth=1)
    if "active" in result.table.column_names:
        bursts = result.outbursts()
        for start, end in zip(bursts.starts, bursts.ends, strict=True):
            ax.axvspan(start, end, color="tab:red", alpha=0.08, linewidth=0)
        ax.axhline(bursts.level, color="grey", linestyle=":", linewidth=0.8)
    ax.set_xlabel("tick")
    ax.set_ylabel("agents")
    ax.set_title(f"{result.spec.scenario.name} (seed {result.seed})")
    ax.legend(loc="upper right", fontsize=8)
    fig.tight_layout()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return path
