"""Command-line views of the city model: the day-by-day table against the episode's record, the
validation and counterfactual tables, and the files a run writes."""

from __future__ import annotations

import math
from pathlib import Path

from rich.table import Table

from narod.experiments.city import counterfactual_row, milestone_table, validation_table
from narod.results.city import Reading, daily_rows, milestone_rows, tally, validation_rows
from narod.results.files import write_atomic
from narod.results.made import header
from narod.results.result import Result, csv_writer

# The record rows shown in the day-by-day table: those read from these series, in these ways.
DAY_ROWS = {
    "strike": ("strike_fraction", ("peak",)),
    "mutiny": ("garrison_mutinous_fraction", ("peak", "end", "at")),
    "deaths": ("killed", ("increase",)),
}


def _fmt(value: float | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if abs(value) < 10 and value != int(value):
        return f"{value:.3g}"
    return f"{value:,.0f}"


def _mark(verdict: str | bool) -> str:
    """A coloured in/out (or ``given``: made true by an input, not scored)."""
    if verdict == "given":
        return "[dim]given[/dim]"
    return "[green]in[/green]" if verdict in (True, "in") else "[red]out[/red]"


def _cell(value: float, row: dict | None) -> str:
    if row is None:
        return _fmt(value)
    mark = _mark(row["inside"])
    return f"{_fmt(row['model'])} [{_fmt(row['low'])}-{_fmt(row['high'])}] {mark}"


def day_table(result: Result) -> Table:
    """One row per day with the record's ranges beside the run's values."""
    assert result.outcome is not None
    rows = validation_rows(result.outcome)

    def check(what: str, day: int) -> dict | None:
        series, reads = DAY_ROWS[what]
        found = [
            r for r in rows if r["day"] == day and r["series"] == series and r["read"] in reads
        ]
        return found[0] if found else None

    table = Table(
        "day",
        "date",
        "strikers",
        "strike share [record]",
        "on streets",
        "police on duty",
        "riders holding back",
        "mutinied",
        "mutinous share [record]",
        "killed that day [record]",
        "killed",
        "wounded",
        title=f"{result.spec.scenario.name}, day by day (record ranges in brackets)",
    )
    previous_killed = 0.0
    for row in daily_rows(result.outcome):
        day = row["day"]
        deaths = row["killed"] - previous_killed
        previous_killed = row["killed"]
        table.add_row(
            str(day),
            str(row["date"]),
            _fmt(row["strikers"]),
            _cell(row["strike_fraction"], check("strike", day)),
            _fmt(row["on_streets"]),
            _fmt(row["police_active"]),
            _fmt(row["cavalry_neutral"]),
            _fmt(row["soldiers_mutinied"]),
            _cell(row["garrison_mutinous_fraction"], check("mutiny", day)),
            _cell(deaths, check("deaths", day)),
            _fmt(row["killed"]),
            _fmt(row["wounded"]),
        )
    return table


def record_table(result: Result) -> Table:
    """Every record row the run speaks to, and the milestones."""
    assert result.outcome is not None
    table = Table("quantity", "day", "model", "record range", "", title="Against the record")
    for r in validation_rows(result.outcome):
        mark = _mark(r["inside"])
        table.add_row(
            r["quantity"],
            _fmt(r["day"]),
            _fmt(r["model"]),
            f"{_fmt(r['low'])} - {_fmt(r['high'])}",
            mark,
        )
    for m in milestone_rows(result.outcome):
        mark = _mark(m["fits"])
        table.add_row(m["milestone"], _fmt(m["model_day"]), "", "milestone", mark)
    return table


def validation_view(spec, summaries: list) -> tuple[Table, Table, list[dict]]:
    """The validation table over seeds (median, 90% interval, range, in/out) and milestones."""
    rows = validation_table(spec, summaries)
    table = Table(
        "quantity",
        "day",
        "median",
        "90% interval",
        "record range",
        "median in?",
        "runs inside",
        title=f"Validation over {len(summaries)} seeds",
    )
    for r in rows:
        mark = _mark(r["inside"])
        table.add_row(
            r["quantity"],
            _fmt(r["day"]),
            _fmt(r["median"]),
            f"{_fmt(r['p5'])} - {_fmt(r['p95'])}",
            f"{_fmt(r['low'])} - {_fmt(r['high'])}",
            mark,
            f"{r['runs_inside']:.0%}",
        )
    order = Table(
        "milestone (recorded order)",
        "median day",
        "runs fitting",
        "runs where it came",
        title="Milestones",
    )
    for m in milestone_table(spec, summaries):
        order.add_row(
            m["milestone"],
            _fmt(m["median_day"]),
            f"{m['share_fitting']:.0%}",
            f"{m['share_happening']:.0%}",
        )
    return table, order, rows


def counterfactual_view(results: dict[str, list]) -> tuple[Table, list[dict]]:
    """The counterfactual table: collapse probability and day, killed, peak strikers."""
    rows = [counterfactual_row(name, summaries) for name, summaries in results.items()]
    table = Table(
        "variant",
        "P(collapse within the run)",
        "day of collapse (90%)",
        "killed (90%)",
        "peak strikers (90%)",
        title="Counterfactuals",
    )
    for r in rows:
        table.add_row(
            r["variant"],
            f"{r['collapse_probability']:.0%}",
            f"{_fmt(r['collapse_day_median'])} ({_fmt(r['collapse_day_low'])}-"
            f"{_fmt(r['collapse_day_high'])})",
            f"{_fmt(r['killed_median'])} ({_fmt(r['killed_low'])}-{_fmt(r['killed_high'])})",
            f"{_fmt(r['peak_strikers_median'])} ({_fmt(r['peak_low'])}-{_fmt(r['peak_high'])})",
        )
    return table, rows


ACROSS = (
    ("authority fell", "p_fell", "fell"),
    ("how", "how", "how"),
    ("day", "fell_day", "fell_day"),
    ("hour", "fell_hour", "fell_hour"),
    ("took part (peak)", "peak_participants", "peak_participants"),
    ("killed", "killed_total", "killed_total"),
)


def _across_cells(r: dict) -> list[tuple[str, str]]:
    """(model, record) text for each column of the table across episodes."""

    def span(key: str) -> str:
        low, high = r[f"record_{key}_low"], r[f"record_{key}_high"]
        if low is None:
            return "-"
        return _fmt(low) if low == high else f"{_fmt(low)}-{_fmt(high)}"

    def interval(key: str) -> str:
        if r[f"model_{key}"] is None:
            return "-"
        low, high = _fmt(r[f"model_{key}_low"]), _fmt(r[f"model_{key}_high"])
        return f"{_fmt(r[f'model_{key}'])} ({low}-{high})"

    fell = r["record_fell"]
    cells = [(f"{r['model_p_fell']:.0%}", "-" if fell is None else ("yes" if fell else "no")),
             (r["model_how"] or "-", r["record_how"] or "-")]  # fmt: skip
    cells += [(interval(key), span(key)) for _, key, _ in ACROSS[2:]]
    return cells


def across_view(rows: list[dict]) -> Table:
    """The table across episodes: the model (median, 90% interval) over the record."""
    table = Table("episode", *(label for label, _, _ in ACROSS), title="Across episodes")
    for r in rows:
        cells = _across_cells(r)
        table.add_row(f"{r['episode']}\n[dim]record[/dim]",
                      *(f"{m}\n[dim]{rec}[/dim]" for m, rec in cells))  # fmt: skip
    return table


def across_markdown(rows: list[dict], facts: dict[str, str]) -> str:
    """The same table in Markdown, for the docs: model, then record, per column."""
    head = ["episode", "seeds"] + [f"{label}: model / record" for label, _, _ in ACROSS]
    lines = [*header(facts), "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        cells = [f"{m} / {rec}" for m, rec in _across_cells(r)]
        lines.append("| " + " | ".join([r["episode"], str(r["seeds"]), *cells]) + " |")
    return "\n".join(lines) + "\n"


def validation_markdown(rows: list[dict], milestones: list[dict], facts: dict[str, str]) -> str:
    """The validation and milestone tables in Markdown, for a generated results page."""
    inside, scored = tally(rows)
    lines = [*header(facts),
             f"**{inside} of {scored} scored record rows have the median of the runs inside the "
             "record's range.** A row an input makes true is *given* and not scored.", "",
             "| record row | day | median (90 % interval) | record range | median in? | runs in |",
             "|---|---|---|---|---|---|"]  # fmt: skip
    for r in rows:
        lines.append(
            f"| `{r['quantity']}` | {_fmt(r['day'])} | {_fmt(r['median'])} ({_fmt(r['p5'])} - "
            f"{_fmt(r['p95'])}) | {_fmt(r['low'])} - {_fmt(r['high'])} | "
            f"{r['inside']} | {r['runs_inside']:.0%} |"
        )
    lines += ["", "| milestone (recorded order) | median day | runs fitting | runs where it came |",
              "|---|---|---|---|"]  # fmt: skip
    for m in milestones:
        lines.append(f"| {m['milestone']} | {_fmt(m['median_day'])} | {m['share_fitting']:.0%} "
                     f"| {m['share_happening']:.0%} |")  # fmt: skip
    return "\n".join(lines) + "\n"


def write_rows(path: Path, rows: list[dict]) -> Path:
    """Write rows as CSV, complete or absent."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, csv_writer(rows))
    return path


def write_run(result: Result, out_dir: Path) -> list[Path]:
    """A city run's files, its plots and its HTML report: all of them, or none (a failure
    part way removes what this call wrote)."""
    from narod.viz.city_plots import plot_city
    from narod.viz.citymap import animate
    from narod.viz.report import write_report

    out_dir = Path(out_dir)
    existed = set(out_dir.iterdir()) if out_dir.is_dir() else None
    try:
        summary = summary_text(result)
        written = result.write(out_dir)
        write_atomic(out_dir / "summary.txt", lambda p: Path(p).write_text(summary, "utf-8"))
        written += plot_city(out_dir)
        written.append(animate(out_dir, fmt="gif", fps=8, every=2))  # one frame an hour
        written.append(write_report(out_dir))
    except BaseException:
        for path in set(out_dir.iterdir()) - (existed or set()) if out_dir.is_dir() else ():
            path.unlink()
        if existed is None and out_dir.is_dir() and not any(out_dir.iterdir()):
            out_dir.rmdir()
        raise
    return written


def summary_text(result: Result) -> str:
    """A few lines on what the run did."""
    assert result.outcome is not None
    o = result.outcome
    fits, scored = tally(validation_rows(o))
    day = Reading(o).collapse_day
    fell = f"day {day}" if day else "not within the run"
    return (
        f"scenario {result.spec.scenario.name}, seed {result.seed}, scale {result.spec.city.scale}"
        f", {result.agents:,} agents, {result.wall_time:.1f} s\n"
        f"regime's armed force collapsed: {fell}\n"
        f"{fits} of {scored} record rows inside the historical range\n"
    )


def _sourced(title: str, path: Path, skip: tuple[str, ...] = ()) -> Table:
    from narod.scenario.episode import flatten, key_sources, read_toml

    table = Table("key", "value", "source", title=f"{title} ({path.name})", box=None)
    sources = key_sources(path)
    for key, value in flatten(read_toml(path)).items():
        if key.split(".")[0] in skip:
            continue
        shown = value if isinstance(value, str) else repr(value)
        table.add_row(key, str(shown), sources.get(key, ""))
    return table


def _csv_table(path: Path, columns: tuple[str, ...], title: str) -> Table:
    import csv as csv_

    table = Table(*columns, title=f"{title} ({path.name})", box=None)
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv_.DictReader(handle):
            table.add_row(*(str(row.get(c, ""))[:80] for c in columns))
    return table


def episode_tables(folder: Path) -> list[Table]:
    """An episode's data and the shared behaviour, each key or row with its source."""
    from narod.scenario.episode import behaviour_path

    return [
        _sourced("The episode", folder / "episode.toml", skip=("variants", "episode")),
        _csv_table(
            folder / "forces.csv", ("id", "role", "home", "strength", "source"), "Forces"
        ),  # fmt: skip
        _csv_table(
            folder / "places.csv", ("id", "kind", "size", "guard", "effect", "source"), "Places"
        ),  # fmt: skip
        _csv_table(folder / "edges.csv", ("a", "b", "kind", "source"), "Links"),
        _csv_table(
            folder / "record.csv", ("day", "quantity", "low", "high", "source"), "The record"
        ),  # fmt: skip
        _sourced("The shared behaviour", behaviour_path()),
    ]
