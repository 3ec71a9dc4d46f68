"""Runs started from the explorer: checked against limits, simulated in a thread, kept as frames.

A run never touches the file system: its frames, events and tables live in memory, and the
downloads are built from them. A run that raises is marked failed with its message; the server
goes on serving.
"""

from __future__ import annotations

import io
import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from narod.errors import NarodError, ScenarioError
from narod.models.city import CityRun
from narod.scenario.episode import episode_folder, episodes_root
from narod.scenario.loading import load_scenario
from narod.scenario.schema import Spec
from narod.viz.city_plots import day_label
from narod.viz.citymap import clock, map_extent, read_water
from narod.world.places import build_city
from narod.world.units import read_units

SERIES = (
    "strikers",
    "strike_fraction",
    "on_streets",
    "police_active",
    "cavalry_neutral",
    "soldiers_mutinied",
    "garrison_mutinous_fraction",
    "armed_workers",
    "killed",
    "wounded",
    "legitimacy_civil",
)

# The parameters the page exposes for every episode, with their ranges; each episode adds the
# sizes of its own inputs (see :func:`sliders`). Nothing else may be set from a request.
SLIDERS: dict[str, dict[str, float]] = {
    "city.scale": {"min": 0.001, "max": 1.0, "step": 0.001, "label": "agents per person"},
    "bread.shortage": {"min": 0.0, "max": 1.0, "step": 0.05, "label": "bread shortage"},
    "legitimacy.civil": {"min": 0.0, "max": 0.9, "step": 0.05, "label": "civilians' legitimacy"},
    "strength.police": {"min": 0.5, "max": 5.0, "step": 0.5, "label": "police strength (x)"},
    "fraternization.rate": {"min": 0.0, "max": 0.05, "step": 0.005, "label": "fraternization"},
    "firing.guilt": {"min": 0.0, "max": 0.6, "step": 0.01, "label": "guilt after firing"},
    "defection.threshold_mean": {
        "min": 0.3,
        "max": 1.5,
        "step": 0.05,
        "label": "soldiers' mutiny threshold",
    },
    "command.dependence": {
        "min": 0.0,
        "max": 1.0,
        "step": 0.05,
        "label": "army command's dependence on the ruler",
    },
}


def sliders(spec: Spec) -> dict[str, dict[str, float]]:
    """The page's sliders for an episode: the common ones, and the size of each input that has one
    (from none to three times the record's)."""
    out = dict(SLIDERS)
    for name, item in spec.inputs.items():
        size = getattr(item, "size", None)
        if size:
            step = max(1, round(size / 40))
            label = f"{name.replace('_', ' ')}: {item.type.replace('_', ' ')} size"
            out[f"inputs.{name}.size"] = {"min": 0, "max": 3 * size, "step": step, "label": label}
    return out


@dataclass
class Limits:
    max_agents: int = 3_000_000
    max_ticks: int = 864  # 18 days
    max_runs: int = 2


@dataclass
class Run:
    id: str
    spec: Spec
    seed: int
    status: str = "queued"  # queued | running | done | failed
    error: str = ""
    frames: list[dict[str, Any]] = field(default_factory=list)
    table: pa.Table | None = None
    changed: threading.Condition = field(default_factory=threading.Condition)


def city_specs() -> dict[str, Spec]:
    """The shipped episodes of the city model, by the name users know them by."""
    out = {}
    for folder in sorted(episodes_root().iterdir()):
        if (folder / "episode.toml").is_file():
            spec = load_scenario(folder.name)
            out[spec.scenario.name] = spec
    return out


def forces_in(spec: Spec) -> float:
    """Persons in the episode's armed forces, at the record's strength."""
    folder = episode_folder(spec.scenario.episode)
    return sum(u.strength for u in read_units(folder, build_city(folder)))


def episode_map(spec: Spec) -> dict:
    """What the page draws for an episode: its box, water, places, sites and day labels."""
    folder = episode_folder(spec.scenario.episode)
    city = build_city(folder)
    sites = [city.place(s) for s in city.sites]
    water = read_water(folder / "water.geojson")
    xy = np.asarray([[p.lon, p.lat] for p in sites])
    cal = spec.calendar
    return {
        "box": list(map_extent(xy, water)),
        "water": water,
        "sites": [
            {"id": p.id, "name": p.name, "kind": p.kind, "lat": p.lat, "lon": p.lon} for p in sites
        ],  # fmt: skip
        "places": [{"kind": p.kind, "lat": p.lat, "lon": p.lon} for p in city.places],
        "days": [day_label(cal, d) for d in range(1, cal.days + 1)],
    }


class Runs:
    """The runs of one server."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.runs: dict[str, Run] = {}
        self.lock = threading.Lock()

    def spec_for(self, scenario: str, variant: str | None, params: dict[str, float]) -> Spec:
        """Validate a request with the scenario schema and the server's limits."""
        specs = city_specs()
        if scenario not in specs:
            raise ScenarioError(
                scenario, None, "unknown scenario; expected one of: " + ", ".join(specs)
            )
        allowed = sliders(specs[scenario])
        for key, value in params.items():
            if key not in allowed:
                raise ScenarioError(
                    scenario,
                    key,
                    "not a parameter the explorer may set; expected one of: " + ", ".join(allowed),
                )
            bounds = allowed[key]
            if not bounds["min"] <= value <= bounds["max"]:
                raise ScenarioError(
                    scenario,
                    key,
                    f"expected a value in [{bounds['min']}, {bounds['max']}], got {value}",
                )
        name = f"{scenario}:{variant}" if variant else scenario
        spec = load_scenario(name, **params)
        agents = (spec.city.population + forces_in(spec)) * spec.city.scale
        if agents > self.limits.max_agents:
            raise NarodError(
                f"this run would have about {agents:,.0f} agents; this server "
                f"allows at most {self.limits.max_agents:,} (lower city.scale)"
            )
        if spec.scenario.ticks > self.limits.max_ticks:
            raise NarodError(f"scenario.ticks: at most {self.limits.max_ticks} on this server")
        return spec

    def start(self, spec: Spec, seed: int) -> Run:
        with self.lock:
            busy = sum(r.status in ("queued", "running") for r in self.runs.values())
            if busy >= self.limits.max_runs:
                raise NarodError(
                    f"{busy} runs are going; this server runs at most "
                    f"{self.limits.max_runs} at once (try again when one ends)"
                )
            run = Run(uuid.uuid4().hex[:12], spec, seed)
            self.runs[run.id] = run
        threading.Thread(target=self._simulate, args=(run,), daemon=True).start()
        return run

    def get(self, run_id: str) -> Run:
        run = self.runs.get(run_id)
        if run is None:
            raise KeyError(run_id)
        return run

    @staticmethod
    def _frame(sim: CityRun, events_seen: int) -> dict[str, Any]:
        row = sim.rows[-1]
        sites = sim.site_rows[-1]
        return {
            "tick": int(row["tick"]),
            "clock": clock(int(row["tick"]), sim.state.calendar),
            "x": (int(row["day"]) - 1) + float(row["hour"]) / 24,
            "series": {k: float(row[k]) for k in SERIES},
            "sites": np.round(sites, 1).tolist(),
            "events": sim.chronicle.rows[events_seen:],
        }

    def _publish(self, run: Run, frame: dict[str, Any] | None = None, **status: str) -> None:
        with run.changed:
            if frame is not None:
                run.frames.append(frame)
            for key, value in status.items():
                setattr(run, key, value)
            run.changed.notify_all()

    def _simulate(self, run: Run) -> None:
        try:
            self._publish(run, status="running")
            sim = CityRun(run.spec, run.seed)
            seen = 0
            self._publish(run, self._frame(sim, seen))
            while sim.tick < run.spec.scenario.ticks:
                sim.step()
                frame = self._frame(sim, seen)
                seen = len(sim.chronicle.rows)
                self._publish(run, frame)
            run.table = pa.table({k: np.asarray(v) for k, v in sim.series().items()})
            self._publish(run, status="done")
        except Exception as exc:  # a failed run is reported on the page; the server goes on
            self._publish(run, status="failed", error=f"{type(exc).__name__}: {exc}")

    @staticmethod
    def download(run: Run, fmt: str) -> bytes:
        if run.table is None:
            raise NarodError("the run has not finished")
        sink = io.BytesIO()
        if fmt == "csv":
            pa_csv.write_csv(run.table, sink)
        else:
            pq.write_table(run.table, sink)
        return sink.getvalue()
