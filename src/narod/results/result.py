"""The result of one run: its time series as an Arrow table, and how to save it."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from narod.models.city import CityRecord
from narod.results.city import daily_rows, district_daily_rows, milestone_rows, validation_rows
from narod.results.files import write_atomic
from narod.results.outbursts import Outbursts, outbursts
from narod.results.outcome import outcome
from narod.scenario.loading import to_toml
from narod.scenario.schema import Spec

EVENT_SCHEMA = pa.schema([("tick", pa.int64()), ("day", pa.int64()), ("time", pa.string()),
                          ("place", pa.string()), ("actor", pa.string()), ("event", pa.string()),
                          ("count", pa.int64()), ("text", pa.string())])  # fmt: skip


def csv_writer(rows: list[dict]):
    """A writer of dict rows as CSV, for :func:`write_atomic`."""

    def write(path) -> None:
        with open(path, "w", newline="", encoding="utf-8") as handle:
            if rows:
                writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
                writer.writeheader()
                writer.writerows(rows)

    return write


@dataclass
class Result:
    """One run: what ran (``spec``, ``seed``), what came out (``table``), and what it cost."""

    spec: Spec
    seed: int
    table: pa.Table
    wall_time: float
    agent_steps: int
    agents: int
    outcome: CityRecord | None = None  # the city model: what the run leaves for the record
    events: list[dict] | None = None  # the city model: the event log in words
    districts: dict | None = None  # the city model: per tick and district
    sites: dict | None = None  # the city model: per tick and site (for the map)

    def to_pandas(self):
        """The time series as a pandas DataFrame (needs pandas)."""
        return self.table.to_pandas()

    def column(self, name: str):
        """One series as a NumPy array."""
        return self.table.column(name).to_numpy()

    @property
    def steps_per_second(self) -> float:
        return self.agent_steps / self.wall_time if self.wall_time > 0 else float("nan")

    def outbursts(self, level: int | None = None) -> Outbursts:
        """Epstein's outburst statistics of the ``active`` series."""
        if "active" not in self.table.column_names:
            raise ValueError("this model has no 'active' series")
        return outbursts(
            self.column("active"), self.spec.outbursts.level if level is None else level
        )

    def write(self, out_dir: str | Path) -> list[Path]:
        """Write ``timeseries.csv``, ``timeseries.parquet`` and ``params.toml``.

        Each file is written under a temporary name and renamed, so it is complete or absent.
        """
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        params = (
            f"# what ran; run it again with: narod run params.toml --seed {self.seed}\n"
            + to_toml(self.spec)
        )
        writers = {
            "timeseries.csv": lambda p: pa_csv.write_csv(self.table, p),
            "timeseries.parquet": lambda p: pq.write_table(self.table, p),
            "params.toml": lambda p: Path(p).write_text(params, encoding="utf-8"),
        }
        if self.outcome is not None:
            tables = {
                "daily.csv": daily_rows(self.outcome),
                "validation.csv": validation_rows(self.outcome),
                "milestones.csv": milestone_rows(self.outcome),
                "districts.csv": district_daily_rows(
                    self.districts or {}, self.outcome.calendar.ticks_per_day
                ),
            }
            for name, rows in tables.items():
                writers[name] = csv_writer(rows)
            summary = outcome(
                self.outcome, self.spec.scenario.episode, self.seed, self.spec.city.scale
            )
            writers["outcome.json"] = lambda p: Path(p).write_text(
                json.dumps(summary, indent=2) + "\n", encoding="utf-8"
            )
            events = pa.Table.from_pylist(self.events or [], schema=EVENT_SCHEMA)
            writers["events.csv"] = lambda p: pa_csv.write_csv(events, p)
            districts = pa.table(self.districts or {})
            writers["districts.parquet"] = lambda p: pq.write_table(districts, p)
            sites = pa.table(self.sites or {})
            writers["sites.parquet"] = lambda p: pq.write_table(sites, p)
        for name, write in writers.items():
            write_atomic(out / name, write)
        return [out / name for name in writers]
