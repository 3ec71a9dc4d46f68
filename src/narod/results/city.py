"""What a city run says about its episode's record: the day-by-day table, the validation rows
and the order of the milestones.

Each episode says in its own files how the model is read: ``record.csv`` (the sources'
ranges), ``observables.toml`` (which series, read how: the day's peak, the value at an hour,
the day's rise, an event's first day...) and ``milestones.toml`` (the recorded order of
events). Nothing here knows a city.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from narod.errors import ScenarioError
from narod.models.city import CityRecord
from narod.scenario.episode import read_toml
from narod.world.places import read_rows

RECORD_COLUMNS = ("quantity", "day", "low", "high", "best", "unit", "source", "confidence")
SERIES_READS = ("peak", "at", "end", "increase", "final")
EVENT_READS = ("first_day", "on_day", "first_hour")
DAILY_COLUMNS = (
    "strikers",
    "strike_fraction",
    "on_streets",
    "police_active",
    "police_routed",
    "police_killed",
    "cavalry_loyal",
    "cavalry_neutral",
    "cavalry_turned",
    "soldiers_loyal",
    "soldiers_wavering",
    "soldiers_mutinied",
    "garrison_mutinous_fraction",
    "armed_workers",
    "killed",
    "wounded",
    "killed_civilians",
    "killed_police",
    "killed_soldiers",
    "arrested",
    "legitimacy_civil",
    "legitimacy_troops",
)
PEAK_OF_DAY = ("strikers", "strike_fraction", "on_streets")


@dataclass(frozen=True)
class RecordRow:
    quantity: str
    day: int | None
    low: float | None
    high: float | None
    best: float | None
    unit: str
    source: str
    confidence: str


@dataclass(frozen=True)
class Observable:
    """How one quantity of the record is read from a run."""

    read: str
    series: tuple[str, ...] = ()
    event: str = ""
    hour: float = 0.0
    day: int | None = None
    per: str = ""
    place: str = ""
    by_construction: str = ""  # the input that makes the row true: shown, not scored

    @property
    def key(self) -> str:
        """The event as the run records it: ``event``, or ``event@place`` for one place's."""
        return f"{self.event}@{self.place}" if self.place else self.event


@dataclass(frozen=True)
class Milestone:
    event: str
    days: tuple[int, ...]
    words: str
    read: str = "first_day"


def _optional(path: Path, line: int, column: str, text: str) -> float | None:
    if not text.strip():
        return None
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not math.isfinite(value) or (column == "day" and value != int(value)):
        raise ScenarioError(
            str(path), f"line {line}, column {column}", f"expected a number (got {text!r})"
        )
    return value


def load_record(folder: Path) -> list[RecordRow]:
    """Every row of an episode's ``record.csv``."""
    path = folder / "record.csv"
    rows = []
    for line, r in enumerate(read_rows(path, RECORD_COLUMNS), start=2):
        day = _optional(path, line, "day", r["day"])
        rows.append(
            RecordRow(
                quantity=r["quantity"],
                day=None if day is None else int(day),
                low=_optional(path, line, "low", r["low"]),
                high=_optional(path, line, "high", r["high"]),
                best=_optional(path, line, "best", r["best"]),
                unit=r["unit"],
                source=r["source"],
                confidence=r["confidence"],
            )
        )
    return rows


def load_observables(folder: Path) -> dict[str, Observable]:
    """An episode's ``observables.toml``, checked."""
    path = folder / "observables.toml"
    out = {}
    for quantity, body in read_toml(path).items():
        if not isinstance(body, dict):
            raise ScenarioError(str(path), quantity, "expected a table")
        read = body.get("read")
        series = body.get("series", [])
        series = (series,) if isinstance(series, str) else tuple(series)
        if read in SERIES_READS and not series:
            raise ScenarioError(str(path), quantity, f"read = {read!r} needs a series")
        if read in EVENT_READS and not body.get("event"):
            raise ScenarioError(str(path), quantity, f"read = {read!r} needs an event")
        if read not in SERIES_READS + EVENT_READS:
            raise ScenarioError(
                str(path),
                f"{quantity}.read",
                "expected one of: " + ", ".join(SERIES_READS + EVENT_READS),
            )
        known = {"read", "series", "event", "hour", "day", "per", "place", "by_construction"}
        unknown = set(body) - known
        if unknown:
            raise ScenarioError(str(path), f"{quantity}.{sorted(unknown)[0]}", "unknown key")
        out[quantity] = Observable(
            read=read,
            series=series,
            event=str(body.get("event", "")),
            hour=float(body.get("hour", 0.0)),
            day=body.get("day"),
            per=str(body.get("per", "")),
            place=str(body.get("place", "")),
            by_construction=str(body.get("by_construction", "")),
        )
    return out


def verdict(obs: Observable | None, low: float, high: float, value: float) -> str:
    """``in`` or ``out`` of the record's range; ``given`` for a row an input makes true."""
    if obs is not None and obs.by_construction:
        return "given"
    return "in" if low <= value <= high else "out"


def tally(rows: list[dict]) -> tuple[int, int]:
    """Rows inside their range, and rows scored (those an input makes true are not)."""
    scored = [r for r in rows if (r.get("inside") or "").strip() != "given"]
    return sum((r.get("inside") or "").strip() == "in" for r in scored), len(scored)


def load_milestones(folder: Path) -> list[Milestone]:
    """An episode's ``milestones.toml``, in the recorded order."""
    path = folder / "milestones.toml"
    items = read_toml(path).get("milestone", [])
    out = []
    for i, m in enumerate(items):
        try:
            out.append(
                Milestone(
                    event=str(m["event"]),
                    days=tuple(int(d) for d in m["days"]),
                    words=str(m["words"]),
                    read=str(m.get("read", "first_day")),
                )
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ScenarioError(
                str(path), f"milestone {i + 1}", f"expected event, days and words ({exc})"
            ) from None
    return out


class Reading:
    """A run's record read by its calendar: a day's peak, the value at an hour, an event's day."""

    def __init__(self, record: CityRecord) -> None:
        self.record = record
        self.series = record.series
        self.per_day = record.calendar.ticks_per_day
        self.hours = record.calendar.hours_per_tick

    @property
    def days(self) -> int:
        return int(self.series["day"].max())

    def at(self, column: str, day: int, hour: float) -> float:
        row = (day - 1) * self.per_day + int(round(hour / self.hours))  # row i: after i ticks
        tick = min(max(row, 0), len(self.series["tick"]) - 1)
        return float(self.series[column][tick])

    def end_of_day(self, column: str, day: int) -> float:
        return self.at(column, day, 24.0)

    def peak(self, column: str, day: int) -> float:
        values = self.series[column][self.series["day"] == day]
        return float(values.max()) if values.size else float("nan")

    def day_of(self, event: str) -> int | None:
        """The day an event first came."""
        ticks = self.record.events.get(event)
        return None if not ticks else min(ticks) // self.per_day + 1

    def came_on(self, event: str, day: int) -> bool:
        return any(t // self.per_day + 1 == day for t in self.record.events.get(event, []))

    def hour_of(self, event: str) -> float | None:
        ticks = self.record.events.get(event)
        return None if not ticks else (min(ticks) % self.per_day) * self.hours

    @property
    def collapse_day(self) -> int | None:
        tick = self.record.collapse_tick
        return None if tick is None else tick // self.per_day + 1

    def date(self, day: int) -> str:
        """The date of a day, in the episode's calendar system."""
        return (self.record.calendar.start + dt.timedelta(days=day - 1)).isoformat()

    def value(self, obs: Observable, day: int | None) -> float | None:
        """The run's value for one record row, or None where the model cannot speak."""
        if obs.read in EVENT_READS:
            if day is None or day > self.days:
                return None
            if obs.read == "first_day":
                return float(self.day_of(obs.key) == day)
            if obs.read == "on_day":
                return float(self.came_on(obs.key, day))
            return self.hour_of(obs.key) if self.day_of(obs.key) == day else None
        day = obs.day if obs.day is not None else day
        if obs.read == "final":
            if day is not None:
                return None
            day = self.days
        elif day is None or day > self.days:
            return None
        total = 0.0
        for column in obs.series:
            if obs.read == "peak":
                total += self.peak(column, day)
            elif obs.read == "at":
                total += self.at(column, day, obs.hour)
            elif obs.read == "increase":
                before = self.end_of_day(column, day - 1) if day > 1 else 0.0
                total += self.end_of_day(column, day) - before
            else:
                total += self.end_of_day(column, day)
        return total / self.record.population if obs.per == "population" else total


def validation_rows(record: CityRecord) -> list[dict[str, object]]:
    """Every record row the model speaks to: model value, range, in or out.

    Rows without a range and ``unverified`` rows (inputs to vary, not targets) are left out;
    a row an input makes true by construction is shown as ``given`` and leaves the score.
    """
    reading = Reading(record)
    observables = load_observables(record.folder)
    for quantity, obs in observables.items():
        if obs.day is not None and not 1 <= obs.day <= reading.days:
            expected = f"expected a day of the calendar, 1-{reading.days} (got {obs.day})"
            raise ScenarioError(
                str(record.folder / "observables.toml"), f"{quantity}.day", expected
            )
    rows = []
    for r in load_record(record.folder):
        obs = observables.get(r.quantity)
        if obs is None or r.low is None or r.high is None or r.confidence == "unverified":
            continue
        value = reading.value(obs, r.day)
        if value is None:
            continue
        rows.append(
            {
                "quantity": r.quantity,
                "day": r.day,
                "model": value,
                "low": r.low,
                "high": r.high,
                "inside": verdict(obs, r.low, r.high, value),
                "series": "+".join(obs.series) or obs.event,
                "read": obs.read,
                "hour": obs.hour if obs.read == "at" else None,
                "source": r.source,
            }
        )
    return rows


def milestone_rows(record: CityRecord) -> list[dict[str, object]]:
    """The milestones: the day each came in the run and whether it fits the record."""
    reading = Reading(record)
    rows = []
    for m in load_milestones(record.folder):
        if m.read == "on_day":
            day = next((d for d in m.days if reading.came_on(m.event, d)), None)
            day = day if day is not None else reading.day_of(m.event)
        else:
            day = reading.day_of(m.event)
        rows.append({"milestone": m.words, "model_day": day, "fits": day in m.days})
    return rows


def daily_rows(record: CityRecord) -> list[dict[str, object]]:
    """One row per day: peaks for strikers and crowds, end-of-day values for the rest."""
    reading = Reading(record)
    rows = []
    for day in range(1, reading.days + 1):
        if not np.any(record.series["day"] == day):
            continue
        row: dict[str, Any] = {"day": day, "date": reading.date(day)}
        for column in DAILY_COLUMNS:
            value = (
                reading.peak(column, day)
                if column in PEAK_OF_DAY
                else reading.end_of_day(column, day)
            )
            row[column] = (
                round(value, 4) if "fraction" in column or "legit" in column else round(value)
            )
        rows.append(row)
    return rows


def district_daily_rows(districts: dict[str, np.ndarray], per_day: int) -> list[dict[str, object]]:
    """Per day and district: the peak of strikers and of people on the street (persons)."""
    ticks = np.asarray(districts["tick"])
    days = np.maximum(ticks - 1, 0) // per_day + 1
    names = np.asarray(districts["district"])
    rows = []
    for day in np.unique(days):
        for name in dict.fromkeys(names.tolist()):
            here = (days == day) & (names == name)
            rows.append(
                {
                    "day": int(day),
                    "district": name,
                    "strikers": round(float(np.max(districts["strikers"][here]))),
                    "on_streets": round(float(np.max(districts["on_streets"][here]))),
                }
            )
    return rows
