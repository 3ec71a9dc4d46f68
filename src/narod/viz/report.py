"""A one-file HTML report of a city run folder.

The report is a single page with its CSS inline and its plots embedded as ``data:`` URIs, so it
can be mailed, archived or opened offline and still show everything. Every string taken from the
run directory is HTML-escaped: event texts and sources are free text.
"""

from __future__ import annotations

import base64
import html
from pathlib import Path

from narod.errors import NarodError
from narod.results.city import tally
from narod.results.files import read_csv_rows, read_text, write_atomic
from narod.results.run_folder import run_episode
from narod.viz.city_plots import PLOT_NAMES, plot_city

EXPLANATION = (
    "This report shows one run of narod's city model: {title}. {summary} The tables and plots "
    "set the model's numbers beside the low-high ranges that the historical sources give for "
    "the same day, so that a reader can see where the model agrees with the record and where "
    "it does not."
)

# daily.csv column -> (heading, format): "count" with thousands separators, "percent" for shares
# in [0, 1], "index" for a number in [0, 1] shown to two decimals.
DAILY_COLUMNS = {
    "strikers": ("Strikers", "count"),
    "strike_fraction": ("Strikers, % of workforce", "percent"),
    "on_streets": ("In the streets", "count"),
    "police_active": ("Police active", "count"),
    "police_routed": ("Police routed", "count"),
    "police_killed": ("Police killed", "count"),
    "cavalry_loyal": ("Riders loyal", "count"),
    "cavalry_neutral": ("Riders neutral", "count"),
    "cavalry_turned": ("Riders turned", "count"),
    "soldiers_loyal": ("Soldiers loyal", "count"),
    "soldiers_wavering": ("Soldiers wavering", "count"),
    "soldiers_mutinied": ("Soldiers mutinied", "count"),
    "garrison_mutinous_fraction": ("Garrison mutinous, %", "percent"),
    "armed_workers": ("Armed workers", "count"),
    "killed": ("Killed (cum.)", "count"),
    "wounded": ("Wounded (cum.)", "count"),
    "legitimacy_civil": ("Legitimacy, civilians", "index"),
    "legitimacy_troops": ("Legitimacy, troops", "index"),
}

COUNTERFACTUAL_COLUMNS = {
    "variant": ("Variant", "text"),
    "collapse_probability": ("P(collapse)", "percent"),
    "collapse_day_median": ("Collapse day, median", "number"),
    "killed_median": ("Killed, median", "count"),
    "killed_low": ("Killed, low", "count"),
    "killed_high": ("Killed, high", "count"),
    "peak_strikers_median": ("Peak strikers, median", "count"),
    "peak_low": ("Peak strikers, low", "count"),
    "peak_high": ("Peak strikers, high", "count"),
}

PLOT_CAPTIONS = {
    "strikers.png": "Strikers as a fraction of the industrial workforce; bars: historical ranges.",
    "mutiny.png": "Mutinous fraction of the garrison; bars: historical ranges.",
    "police.png": "Police on duty, routed and killed.",
    "casualties.png": "Cumulative killed and wounded; bands: the sources' totals for the episode.",
}

CSS = """
body { font-family: Georgia, 'Times New Roman', serif; max-width: 72rem; margin: 2rem auto;
       padding: 0 1rem; color: #222; line-height: 1.45; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2.2rem;
     border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; font-size: 0.85rem; margin: 0.6rem 0; }
th, td { border: 1px solid #ddd; padding: 0.2rem 0.45rem; vertical-align: top; }
th { background: #f3f1ec; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.in { background: #d9f2d9; color: #185c18; font-weight: bold; text-align: center; }
td.out { background: #f8d7d7; color: #8a1414; font-weight: bold; text-align: center; }
.summary { background: #f7f7f2; border: 1px solid #ccc; padding: 0.6rem 1rem; }
.summary pre, pre.params { white-space: pre-wrap; font-size: 0.85rem; margin: 0; }
pre.params { background: #f7f7f7; border: 1px solid #ddd; padding: 0.6rem; }
figure { margin: 1rem 0; } figure img { max-width: 100%; }
figcaption { font-size: 0.85rem; color: #555; }
.tally { font-weight: bold; }
.wide { overflow-x: auto; }
"""


MAP_CAPTION = (
    "The city map, one frame per hour: crowds as circles (purple few women, yellow mostly "
    "women; "
    "red ring: armed), police (blue squares), riders (orange), loyal troops at posts (green) "
    "and mutineers (red)."
)


def write_report(run_dir: Path, out: Path | None = None, title: str | None = None) -> Path:
    """Write a self-contained HTML report of a city run folder and return its path.

    Parameters
    ----------
    run_dir
        Run directory with ``daily.csv``, ``timeseries.parquet``, ``events.csv``,
        ``validation.csv`` and ``params.toml``; ``summary.txt`` and ``counterfactuals.csv`` are
        shown when present. Missing plots are drawn into ``run_dir`` first.
    out
        The HTML file to write (default ``run_dir / "report.html"``).
    title
        Page title and heading (default: the episode's title).

    Returns
    -------
    Path
        ``out``, written atomically so that a reader never sees half a report.
    """
    run_dir = Path(run_dir)
    out = Path(out) if out is not None else run_dir / "report.html"
    for name in ("daily.csv", "events.csv", "validation.csv", "params.toml"):
        if not (run_dir / name).is_file():
            raise NarodError(f"{run_dir / name}: no such file (is this a city run folder?)")
    _, _, info = run_episode(run_dir)
    title = title or f"{info.get('title', info.get('name', ''))}: a model run"
    explanation = EXPLANATION.format(
        title=str(info.get("title", "")), summary=str(info.get("summary", ""))
    )
    if not all((run_dir / name).is_file() for name in PLOT_NAMES):
        plot_city(run_dir)
    parts = [
        f"<h1>{_esc(title)}</h1>",
        f"<p>{_esc(explanation)}</p>",
        _summary(run_dir / "summary.txt"),
        "<h2>Day by day</h2>",
        _daily(_read_csv(run_dir / "daily.csv")),
        "<h2>The model against the historical record</h2>",
        _validation(_read_csv(run_dir / "validation.csv")),
        "<h2>Plots</h2>",
        *(_figure(run_dir / name, PLOT_CAPTIONS[name]) for name in PLOT_NAMES),
    ]
    if (run_dir / "map.gif").is_file():
        parts += ["<h2>The city, tick by tick</h2>", _figure(run_dir / "map.gif", MAP_CAPTION)]
    if (run_dir / "counterfactuals.csv").is_file():
        parts += [
            "<h2>Counterfactuals</h2>",
            "<p>Each row is a variant of the scenario run several times; low and high give the "
            "spread across its runs.</p>",
            _table(_read_csv(run_dir / "counterfactuals.csv"), COUNTERFACTUAL_COLUMNS),
        ]
    parts += [
        "<h2>Event log</h2>",
        _events(_read_csv(run_dir / "events.csv")),
        "<h2>Scenario parameters</h2>",
        f'<pre class="params">{_esc(read_text(run_dir / "params.toml"))}</pre>',
    ]
    page = "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            f"<title>{_esc(title)}</title>",
            f"<style>{CSS}</style>",
            "</head>",
            "<body>",
            *(p for p in parts if p),
            "</body>",
            "</html>",
            "",
        ]
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(out, lambda tmp: Path(tmp).write_text(page, encoding="utf-8"))
    return out


def _esc(text: object) -> str:
    """Escape ``text`` for HTML content and attribute values alike."""
    return html.escape(str(text), quote=True)


def _read_csv(path: Path) -> list[dict[str, str]]:
    """Read a CSV file into one dict per row, as text."""
    return read_csv_rows(path)


def _number(text: str, kind: str) -> str:
    """Format a numeric cell for reading; text that is not a number is shown as it is.

    ``count`` rounds with thousands separators, ``percent`` shows a share in [0, 1] as a percentage,
    ``index`` shows two decimals, and ``number`` chooses by magnitude (3 significant digits for
    small values, a rounded count for large ones).
    """
    try:
        value = float(text)
    except ValueError:
        return text
    if value != value:  # NaN: the run had nothing to report
        return ""
    if kind == "count" or (kind == "number" and abs(value) >= 100):
        return f"{round(value):,}"
    if kind == "percent":
        return f"{100 * value:.1f}%"
    if kind == "index":
        return f"{value:.2f}"
    return f"{value:.3g}"


def _cell(text: str | None, kind: str) -> str:
    """Return one ``<td>``: numbers right-aligned and formatted, text escaped."""
    text = (text or "").strip()
    if kind == "text" or not text:
        return f"<td>{_esc(text)}</td>"
    return f'<td class="num">{_esc(_number(text, kind))}</td>'


def _table(rows: list[dict[str, str]], columns: dict[str, tuple[str, str]]) -> str:
    """Render ``rows`` with the ``columns`` (name -> heading, format) that the rows have."""
    present = {k: v for k, v in columns.items() if rows and k in rows[0]}
    head = "".join(f"<th>{_esc(heading)}</th>" for heading, _ in present.values())
    body = "\n".join(
        "<tr>" + "".join(_cell(row.get(k), kind) for k, (_, kind) in present.items()) + "</tr>"
        for row in rows
    )
    return f'<div class="wide"><table>\n<tr>{head}</tr>\n{body}\n</table></div>'


def _summary(path: Path) -> str:
    """Return the summary box, or nothing when the run wrote no ``summary.txt``."""
    if not path.is_file():
        return ""
    return f'<div class="summary"><pre>{_esc(read_text(path).strip())}</pre></div>'


def _daily(rows: list[dict[str, str]]) -> str:
    """Return the day-by-day table, dated, with the readable columns the run wrote."""
    columns = {"day": ("Day", "count"), "date": ("Date", "text"), **DAILY_COLUMNS}
    return _table(rows, columns)


def _validation(rows: list[dict[str, str]]) -> str:
    """Return the validation table, its in/out cells coloured, under a tally of rows inside."""
    inside, scored = tally(rows)
    given = len(rows) - scored
    note = f" {given} more are made true by an input and not scored." if given else ""
    summary = (
        f'<p class="tally">{inside} of {scored} rows inside the historical range.{note}</p>'
        if rows
        else "<p>No rows to compare.</p>"
    )
    head = "".join(
        f"<th>{h}</th>" for h in ("Quantity", "Day", "Model", "Low", "High", "Inside", "Source")
    )
    body = []
    for r in rows:
        verdict = (r.get("inside") or "").strip()
        css = f' class="{verdict}"' if verdict in ("in", "out") else ""
        body.append(
            "<tr>"
            + _cell(r.get("quantity"), "text")
            + _cell(r.get("day"), "count")
            + "".join(_cell(r.get(k), "number") for k in ("model", "low", "high"))
            + f"<td{css}>{_esc(verdict)}</td>"
            + _cell(r.get("source"), "text")
            + "</tr>"
        )
    rows_html = "\n".join(body)
    return (
        f'{summary}\n<div class="wide"><table class="validation">\n<tr>{head}</tr>\n{rows_html}\n'
        "</table></div>"
    )


def _figure(path: Path, caption: str) -> str:
    """Embed a PNG or GIF as a ``data:`` URI so the page needs no other file."""
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    kind = "gif" if path.suffix == ".gif" else "png"
    return (
        f'<figure><img src="data:image/{kind};base64,{data}" alt="{_esc(caption)}">'
        f"<figcaption>{_esc(caption)}</figcaption></figure>"
    )


def _events(rows: list[dict[str, str]]) -> str:
    """Return the whole event log, in the order the run wrote it."""
    columns = {
        "day": ("Day", "count"),
        "time": ("Time", "text"),
        "place": ("Place", "text"),
        "text": ("Event", "text"),
    }
    if not rows:
        return "<p>The run logged no events.</p>"
    return _table(rows, columns)
