"""Plots of a city run folder: the model's tick series against the episode's historical record.

A run folder holds ``timeseries.parquet`` (one row per tick), ``validation.csv`` (the historical
ranges the run was compared with, each with the series it reads) and ``params.toml`` (whose
calendar dates the axis). Each plot puts the model's curve and the
sources' low-high range for the same quantity on one axis, so a reader sees at a glance where the
model falls inside or outside the record.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from narod.errors import NarodError
from narod.results.files import read_csv_rows, read_parquet, write_atomic
from narod.results.run_folder import run_spec
from narod.scenario.city_schema import Calendar

PLOT_NAMES = ("strikers.png", "mutiny.png", "police.png", "casualties.png")
RANGE_COLOUR = "black"

Series = dict[str, np.ndarray]  # one run's timeseries.parquet, column by column
Runs = list[Series]  # the run first, then the other members of its ensemble


@dataclass(frozen=True)
class Range:
    """One row of ``validation.csv``: the sources' low-high range for a quantity, and the
    model series it is read from (``a+b`` for a sum). ``day`` is ``None`` for a whole-episode
    total.
    """

    quantity: str
    day: int | None
    low: float
    high: float
    series: str
    read: str
    hour: float | None = None  # the clock hour the record speaks of, for a range read "at" one


def day_label(calendar: Calendar, day: int) -> str:
    """The calendar label of model day ``day``: "23 Feb" for day 1 of a calendar starting then."""
    when = calendar.start + timedelta(days=day - 1)
    return f"{when.day} {when:%b}"


def read_series(run_dir: Path) -> Series:
    """Read the numeric columns of ``timeseries.parquet``, adding ``x``: days since 23 Feb 00:00.

    Day ``d`` spans ``x`` from ``d - 1`` to ``d``, so a daily target measured at the end of day
    ``d`` sits at ``x = d``.
    """
    path = run_dir / "timeseries.parquet"
    if not path.is_file():
        raise NarodError(f"{path}: no such file (is {run_dir} a city run folder?)")
    table = read_parquet(path)
    columns = {
        field.name: table.column(field.name).to_numpy().astype(float)
        for field in table.schema
        if pa.types.is_integer(field.type) or pa.types.is_floating(field.type)
    }  # text columns (labels, phases) have nothing to plot
    for name in ("day", "hour"):
        if name not in columns:
            raise NarodError(f"{path}: no column {name!r}")
    columns["x"] = columns["day"] - 1 + columns["hour"] / 24
    return columns


def read_ranges(run_dir: Path) -> list[Range]:
    """Read the historical ranges of ``validation.csv``; a missing file gives no ranges.

    Rows without both ``low`` and ``high`` (point estimates, events) have no range to draw and
    are left out.
    """
    path = run_dir / "validation.csv"
    if not path.is_file():
        return []
    try:
        return [
            Range(
                quantity=row["quantity"],
                day=int(float(row["day"])) if (row.get("day") or "").strip() else None,
                low=float(row["low"]),
                high=float(row["high"]),
                series=row.get("series") or "",
                read=row.get("read") or "",
                hour=float(row["hour"]) if (row.get("hour") or "").strip() else None,
            )
            for row in read_csv_rows(path)
            if (row.get("low") or "").strip() and (row.get("high") or "").strip()
        ]
    except (KeyError, ValueError, TypeError) as exc:
        raise NarodError(f"{path}: not a validation table written by narod ({exc})") from None


def plot_city(
    run_dir: Path, out_dir: Path | None = None, ensemble: Sequence[Path] = ()
) -> list[Path]:
    """Draw the four plots of a city run and return the PNG paths.

    Parameters
    ----------
    run_dir
        Run folder with ``timeseries.parquet``, ``params.toml`` and, optionally,
        ``validation.csv``.
    out_dir
        Where the PNGs go (default ``run_dir``).
    ensemble
        Other run directories of the same scenario (other seeds), drawn as thin grey lines
        behind ``run_dir``'s curves so that one run's luck is not read as the model's answer.

    Returns
    -------
    list of Path
        ``strikers.png``, ``mutiny.png``, ``police.png`` and ``casualties.png`` in ``out_dir``.
    """
    run_dir = Path(run_dir)
    out_dir = Path(out_dir) if out_dir is not None else run_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    runs = [read_series(run_dir), *(read_series(Path(d)) for d in ensemble)]
    ranges = read_ranges(run_dir)
    calendar = run_spec(run_dir).calendar
    days = int(np.max(runs[0]["day"]))
    drawers = (_strikers, _mutiny, _police, _casualties)
    paths = []
    for name, draw in zip(PLOT_NAMES, drawers, strict=True):
        fig = Figure(figsize=(9, 4), dpi=110)
        ax = fig.subplots()
        draw(ax, runs, ranges, days)
        _days_axis(ax, days, calendar)
        ax.legend(loc="best", fontsize=8)
        fig.tight_layout()
        path = out_dir / name
        write_atomic(path, lambda tmp, fig=fig: fig.savefig(tmp, format="png"))
        paths.append(path)
    return paths


def _column(run: Series, name: str) -> np.ndarray:
    """Return a required column, or say which one the run lacks."""
    if name not in run:
        raise NarodError(f"timeseries.parquet: no column {name!r}")
    return run[name]


def _curve(ax: Axes, runs: Runs, columns: tuple[str, ...], label: str, colour: str) -> None:
    """Plot the sum of ``columns`` for the run, over the same curve of each ensemble member."""
    main, *others = runs
    for other in others:
        y = sum(_column(other, c) for c in columns)
        ax.plot(other["x"], y, color="grey", alpha=0.3, linewidth=0.6)
    y = sum(_column(main, c) for c in columns)
    ax.plot(main["x"], y, color=colour, linewidth=1.5, label=label)


def _daily_ranges(
    ax: Axes, ranges: list[Range], series: str, reads: tuple[str, ...], label: str, colour: str
) -> None:
    """Draw the daily ranges read from ``series`` as error bars at the end of each day (at
    the hour, for a range the record gives at an hour)."""
    rows = [r for r in ranges if r.series == series and r.read in reads and r.day is not None]
    if not rows:
        return
    low = np.array([r.low for r in rows])
    high = np.array([r.high for r in rows])
    mid = (low + high) / 2
    ax.errorbar(
        [r.day if r.hour is None else r.day - 1 + r.hour / 24 for r in rows],
        mid,
        yerr=[mid - low, high - mid],
        fmt="none",
        ecolor=colour,
        elinewidth=2.5,
        capsize=5,
        label=label,
    )


def _total_range(
    ax: Axes, ranges: list[Range], series: str, days: int, label: str, colour: str
) -> None:
    """Shade a whole-episode total as a band over the last day, by whose end it must be met."""
    for r in ranges:
        if r.series == series and r.day is None:
            ax.fill_between([days - 1, days], r.low, r.high, color=colour, alpha=0.2, label=label)


def _days_axis(ax: Axes, days: int, calendar: Calendar) -> None:
    """Put the x axis in days: a gridline at each midnight, the date in the middle of its day."""
    ax.set_xlim(0, days + 0.1)  # room for the ranges drawn at the end of the last day
    ax.set_xticks(range(days + 1), [""] * (days + 1))
    ax.set_xticks(
        [d - 0.5 for d in range(1, days + 1)],
        [day_label(calendar, d) for d in range(1, days + 1)],
        minor=True,
    )
    ax.tick_params(axis="x", which="minor", length=0)
    ax.set_xlabel(f"{calendar.start.year} ({calendar.system.capitalize()} calendar)")
    ax.grid(axis="x", which="major", color="lightgrey", linewidth=0.6)


def _strikers(ax: Axes, runs: Runs, ranges: list[Range], days: int) -> None:
    """(a) Strikers as a share of the industrial workforce."""
    _curve(ax, runs, ("strike_fraction",), "model", "tab:red")
    _daily_ranges(ax, ranges, "strike_fraction", ("peak",), "historical range", RANGE_COLOUR)
    ax.set_ylim(0, 1.03)
    ax.set_ylabel("strikers / industrial workers")
    ax.set_title("Strikers as a fraction of the industrial workforce")


def _mutiny(ax: Axes, runs: Runs, ranges: list[Range], days: int) -> None:
    """(b) Share of the garrison that has mutinied."""
    _curve(ax, runs, ("garrison_mutinous_fraction",), "model", "tab:green")
    _daily_ranges(
        ax,
        ranges,
        "garrison_mutinous_fraction",
        ("peak", "end"),
        "historical range (the day)",
        RANGE_COLOUR,
    )
    _daily_ranges(
        ax,
        ranges,
        "garrison_mutinous_fraction",
        ("at",),
        "historical range (at an hour)",
        "tab:purple",
    )
    ax.set_ylim(0, 1.03)
    ax.set_ylabel("mutinous fraction of the garrison")
    ax.set_title("Garrison mutiny")


def _police(ax: Axes, runs: Runs, ranges: list[Range], days: int) -> None:
    """(c) Police still on duty, and those routed or killed where every run records them."""
    _curve(ax, runs, ("police_active",), "active", "tab:blue")
    for name, colour in (("police_routed", "tab:orange"), ("police_killed", "black")):
        if all(name in run for run in runs):
            _curve(ax, runs, (name,), name.removeprefix("police_"), colour)
    ax.set_ylim(bottom=0)
    ax.set_ylabel("police")
    ax.set_title("Police")


def _casualties(ax: Axes, runs: Runs, ranges: list[Range], days: int) -> None:
    """(d) Cumulative killed and wounded, against the sources' totals for the whole episode."""
    _curve(ax, runs, ("killed",), "killed", "black")
    _curve(ax, runs, ("wounded",), "wounded", "tab:orange")
    _curve(ax, runs, ("killed", "wounded"), "killed + wounded", "tab:red")
    _total_range(ax, ranges, "killed", days, "killed, historical range", "black")
    _total_range(ax, ranges, "killed+wounded", days, "killed + wounded, historical", "tab:red")
    ax.set_ylim(bottom=0)
    ax.set_ylabel("persons (cumulative)")
    ax.set_title("Casualties")
