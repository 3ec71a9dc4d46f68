"""A self-contained HTML report of an experiment: what ran, its metrics over the runs, a plot."""

from __future__ import annotations

import html
import json
from pathlib import Path

import numpy as np

from narod.errors import NarodError
from narod.experiments import store as st
from narod.results.files import write_atomic
from narod.viz.report import CSS, _figure

SKIP = ("experiment", "run", "seed", "status", "error", "point", "wall_time")


def write_experiment_report(folder: Path, out: Path | None = None) -> Path:
    """Summarise an experiment folder as one HTML page (default ``folder/report.html``)."""
    from narod.viz import experiments as ex

    folder = Path(folder)
    manifest = st.read_manifest(folder)
    runs = ex._table(folder, "runs")
    ok = runs["status"] == "ok"
    params = [p["key"] if isinstance(p, dict) else p for p in manifest.get("params", [])]
    columns = {p.replace(".", "_") for p in params}
    metrics = [k for k in runs if k not in SKIP and k not in columns
               and np.issubdtype(np.asarray(runs[k]).dtype, np.number)]  # fmt: skip
    rows = []
    for name in metrics:
        values = np.asarray(runs[name][ok], float)
        values = values[~np.isnan(values)]
        if values.size:
            p5, p50, p95 = np.percentile(values, [5, 50, 95])
            rows.append(f"<tr><td>{html.escape(name)}</td><td>{values.size}</td>"
                        f"<td>{p50:.4g}</td><td>{p5:.4g} - {p95:.4g}</td></tr>")  # fmt: skip
    if len(params) == 2 and metrics:
        picture = ex.heat_map(folder, metrics[0], folder / f"heatmap-{metrics[0]}.png")
    else:
        picture = None
        for name in ("strike_fraction", "garrison_mutinous_fraction", "active"):
            try:  # the first of these series that the experiment stored
                picture = ex.fan(folder, [name], folder / "fan.png")
                break
            except NarodError:
                continue
    scenario = manifest.get("scenario", "")
    page = "\n".join([
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        f"<title>{html.escape(folder.name)}</title>", f"<style>{CSS}</style>", "</head>",
        "<body>", f"<h1>Experiment {html.escape(folder.name)}</h1>",
        f"<p>{int(ok.sum())} runs done, {int((~ok).sum())} failed; design "
        f"{html.escape(str(manifest.get('design')))}, parameters "
        f"{html.escape(json.dumps(manifest.get('params', [])))}.</p>",
        "<h2>Metrics over the runs</h2>",
        "<table><tr><th>metric</th><th>runs</th><th>median</th><th>90 % interval</th></tr>",
        *rows, "</table>",
        *([_figure(picture, "The experiment's plot.")] if picture else []),
        "<h2>Scenario</h2>", f'<pre class="params">{html.escape(scenario)}</pre>',
        "</body>", "</html>", "",
    ])  # fmt: skip
    out = Path(out) if out else folder / "report.html"
    write_atomic(out, lambda tmp: Path(tmp).write_text(page, encoding="utf-8"))
    return out
