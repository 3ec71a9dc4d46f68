"""The city map: an episode's places, its water and bridges, crowds and forces at a tick.

Crowds are circles at their site, sized by the number of people, coloured by the share of women
(purple few, yellow most) and ringed in red when armed; police, riders, loyal troops at posts
and mutineers are markers beside them; a clock and the day's counts sit in the corner. The land
and rivers come from the episode's ``water.geojson`` (land polygons on a water background, and
river centre lines), when it has one.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from narod.errors import NarodError
from narod.results.files import read_parquet
from narod.results.run_folder import run_episode
from narod.scenario.city_schema import Calendar
from narod.world.places import City, build_city

LABELLED = ("district",)
WATER, LAND, RIVER = "#b9d3ea", "#f4f1ea", "#9cc3e4"


@dataclass
class Frame:
    """What the map shows at one tick, per site (persons) plus the clock and the totals."""

    tick: int
    crowd: np.ndarray
    women: np.ndarray
    armed: np.ndarray
    police: np.ndarray
    cavalry: np.ndarray
    soldiers: np.ndarray
    mutineers: np.ndarray
    totals: dict[str, float]


def clock(tick: int, calendar: Calendar) -> str:
    """The date and clock time of a tick (the state after that many ticks), '26 Feb 2011, 15:30'."""
    per_day = calendar.ticks_per_day
    day = max(tick - 1, 0) // per_day + 1
    minutes = (max(tick - 1, 0) % per_day + (tick > 0)) * calendar.tick_minutes
    when = calendar.start + dt.timedelta(days=day - 1)
    return f"{when.day} {when:%b %Y}, {minutes // 60:02d}:{minutes % 60:02d}"


def read_frames(run_dir: Path) -> list[Frame]:
    """Every tick of a city run folder as map frames."""
    path = Path(run_dir) / "sites.parquet"
    if not path.is_file():
        raise NarodError(f"{run_dir}: no sites.parquet (write a city run with --out first)")
    data = read_parquet(path).to_pydict()
    series = read_parquet(Path(run_dir) / "timeseries.parquet").to_pydict()
    ticks = np.asarray(data["tick"])
    n_ticks = int(ticks.max()) + 1
    n_sites = ticks.size // n_ticks

    def grid(name: str) -> np.ndarray:
        return np.asarray(data[name], float).reshape(n_ticks, n_sites)

    columns = {
        k: grid(k)
        for k in ("crowd", "women", "armed", "police", "cavalry", "soldiers_posted", "mutineers")
    }
    keys = ("strikers", "on_streets", "soldiers_mutinied", "police_active", "killed")
    return [
        Frame(
            t,
            columns["crowd"][t],
            columns["women"][t],
            columns["armed"][t],
            columns["police"][t],
            columns["cavalry"][t],
            columns["soldiers_posted"][t],
            columns["mutineers"][t],
            {k: float(series[k][t]) for k in keys if k in series},
        )
        for t in range(n_ticks)
    ]


class CityMap:
    """A Matplotlib figure of the city that redraws one frame after another quickly."""

    def __init__(self, folder: Path, calendar: Calendar, width: float = 9.0) -> None:
        self.city: City = build_city(folder)
        self.calendar = calendar
        sites = [self.city.place(s) for s in self.city.sites]
        self.xy = np.asarray([[p.lon, p.lat] for p in sites])
        height = round(width * 72 / 8) * 8 / 100  # pixels a multiple of 8, as video codecs want
        self.figure = Figure(figsize=(width, height), dpi=100)
        ax = self.ax = self.figure.add_axes((0.01, 0.01, 0.98, 0.98))
        ax.set_xticks([])
        ax.set_yticks([])
        water = read_water(folder / "water.geojson")
        west, south, east, north = map_extent(self.xy, water)
        ax.set_aspect(1 / np.cos(np.radians((south + north) / 2)))
        ax.set_xlim(west, east)
        ax.set_ylim(south, north)
        _draw_water(ax, water)
        for place in self.city.of_kind("bridge"):
            ax.plot(place.lon, place.lat, marker="s", ms=4, color="#555", zorder=2)
        for place in self.city.of_kind("factory"):
            ax.plot(place.lon, place.lat, marker=".", ms=3, color="#b9a37a", zorder=2)
        for place in self.city.of_kind("barracks"):
            ax.plot(place.lon, place.lat, marker="^", ms=4, color="#8a9a5b", zorder=2)
        for place in self.city.districts:
            ax.text(
                place.lon,
                place.lat - 0.004,
                place.name.replace(" part", ""),
                fontsize=6,
                color="#777",
                ha="center",
                zorder=2,
            )
        self.crowds = ax.scatter(
            self.xy[:, 0],
            self.xy[:, 1],
            s=0,
            c=np.zeros(len(sites)),
            cmap="plasma",
            vmin=0,
            vmax=0.8,
            alpha=0.6,
            edgecolors="none",
            zorder=3,
        )
        offset = np.array([0.004, 0.0])
        self.police = ax.scatter(*(self.xy + offset).T, s=0, marker="s", color="#1f3b8f", zorder=4)
        self.cavalry = ax.scatter(*(self.xy - offset).T, s=0, marker="D", color="#e08a00", zorder=4)
        self.soldiers = ax.scatter(
            *(self.xy + 2 * offset).T, s=0, marker="^", color="#225522", zorder=4
        )
        self.mutineers = ax.scatter(
            *(self.xy - 2 * offset).T, s=0, marker="^", color="#d11", zorder=4
        )
        self.title = ax.text(
            0.02, 0.97, "", transform=ax.transAxes, fontsize=12, fontweight="bold", va="top"
        )
        self.counts = ax.text(
            0.02, 0.91, "", transform=ax.transAxes, fontsize=8, va="top", family="monospace"
        )
        ax.text(
            0.98,
            0.02,
            "circle: crowd (purple: few women, yellow: mostly women; red ring: armed)\n"
            "blue square: police  orange diamond: riders\n"
            "green / red triangle: loyal troops at posts / mutineers",
            transform=ax.transAxes,
            fontsize=6.5,
            ha="right",
            va="bottom",
            color="#444",
        )

        self._moving = (
            self.crowds,
            self.police,
            self.cavalry,
            self.soldiers,
            self.mutineers,
            self.title,
            self.counts,
        )
        self._canvas = None
        self._background = None

    @staticmethod
    def _size(persons: np.ndarray, per_point: float) -> np.ndarray:
        return np.sqrt(np.maximum(persons, 0)) * per_point

    def draw(self, frame: Frame) -> None:
        """Set the artists to one frame."""
        crowd = frame.crowd
        self.crowds.set_sizes(self._size(crowd, 2.5))
        share = np.divide(frame.women, crowd, out=np.zeros_like(crowd), where=crowd > 0)
        self.crowds.set_array(share)
        armed = np.divide(frame.armed, crowd, out=np.zeros_like(crowd), where=crowd > 0)
        self.crowds.set_edgecolors(np.where(armed[:, None] > 0.1, [[0.8, 0, 0, 1]], [[0, 0, 0, 0]]))
        self.crowds.set_linewidths(np.where(armed > 0.1, 1.5, 0.0))
        self.police.set_sizes(self._size(frame.police, 2.0))
        self.cavalry.set_sizes(self._size(frame.cavalry, 2.0))
        self.soldiers.set_sizes(self._size(frame.soldiers, 1.0))
        self.mutineers.set_sizes(self._size(frame.mutineers, 1.0))
        self.title.set_text(clock(frame.tick, self.calendar))
        t = frame.totals
        self.counts.set_text(
            f"strikers   {t.get('strikers', 0):>9,.0f}\n"
            f"on streets {t.get('on_streets', 0):>9,.0f}\n"
            f"mutinied   {t.get('soldiers_mutinied', 0):>9,.0f}\n"
            f"police     {t.get('police_active', 0):>9,.0f}\nkilled     {t.get('killed', 0):>9,.0f}"
        )

    def rgb(self) -> np.ndarray:
        """The current picture as an RGB array.

        The still parts (river, places, labels) are drawn once and kept as a bitmap; each frame
        restores it and draws only the moving artists, which is what makes a week of frames
        quick (Matplotlib's blitting).
        """
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        if self._canvas is None:
            self._canvas = FigureCanvasAgg(self.figure)
            for artist in self._moving:
                artist.set_visible(False)
            self._canvas.draw()
            self._background = self._canvas.copy_from_bbox(self.figure.bbox)
            for artist in self._moving:
                artist.set_visible(True)
        self._canvas.restore_region(self._background)
        for artist in self._moving:
            self.ax.draw_artist(artist)
        return np.asarray(self._canvas.buffer_rgba())[:, :, :3].copy()

    def save(self, frame: Frame, path: Path) -> Path:
        """One frame as a PNG."""
        self.draw(frame)
        self.figure.savefig(path, dpi=100)
        return path


def animate(
    run_dir: Path,
    out: Path | None = None,
    fmt: str = "gif",
    fps: int = 12,
    every: int = 1,
) -> Path:
    """Write the run's map as an animation (GIF, or MP4 with the packaged ffmpeg)."""
    import imageio.v2 as imageio

    if fmt not in ("gif", "mp4"):
        raise NarodError(f"--format: expected gif or mp4, got {fmt!r}")
    if (
        not (Path(run_dir) / "sites.parquet").is_file()
        and (Path(run_dir) / "params.toml").is_file()
    ):
        from narod.viz.grid import animate_grid

        return animate_grid(run_dir, out, fmt, fps, every)  # an Epstein run: its grid
    frames = read_frames(run_dir)[::every]
    spec, folder, _ = run_episode(Path(run_dir))
    out = Path(out) if out else Path(run_dir) / f"map.{fmt}"
    part = out.with_name(out.name + ".part" + out.suffix)
    citymap = CityMap(folder, spec.calendar, width=6.4 if fmt == "gif" else 9.6)
    options = {"duration": 1000 / fps, "loop": 0} if fmt == "gif" else {"fps": fps}
    if fmt == "mp4":
        options |= {"codec": "libx264", "macro_block_size": 8, "quality": 6}
    with imageio.get_writer(part, format="GIF" if fmt == "gif" else "FFMPEG", **options) as w:
        for frame in frames:
            citymap.draw(frame)
            w.append_data(citymap.rgb())
    part.replace(out)
    return out


def read_water(path: Path) -> dict | None:
    """An episode's water geometry (GeoJSON), or None if it has none."""
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise NarodError(f"{path}: not valid GeoJSON ({exc})") from None


def map_extent(xy: np.ndarray, water: dict | None) -> tuple[float, float, float, float]:
    """The map's box: the water file's, else the sites' with a margin."""
    if water is not None and "bbox" in water:
        return tuple(float(v) for v in water["bbox"])  # type: ignore[return-value]
    (west, south), (east, north) = xy.min(axis=0), xy.max(axis=0)
    pad_x, pad_y = max(0.01, 0.08 * (east - west)), max(0.01, 0.08 * (north - south))
    return west - pad_x, south - pad_y, east + pad_x, north + pad_y


def _draw_water(ax, water: dict | None) -> None:
    """Land polygons on a water background, lakes as water, rivers as lines."""
    if water is None:
        ax.set_facecolor(LAND)
        return
    ax.set_facecolor(WATER)
    for feature in water.get("features", []):
        kind = feature.get("properties", {}).get("kind")
        geometry = feature.get("geometry", {})
        if geometry.get("type") in ("Polygon", "MultiPolygon"):
            polygons = geometry["coordinates"]
            polygons = [polygons] if geometry["type"] == "Polygon" else polygons
            for rings in polygons:
                for k, ring in enumerate(rings):
                    x, y = np.asarray(ring).T
                    colour = LAND if (kind == "land") == (k == 0) else WATER
                    ax.fill(x, y, color=colour, lw=0, zorder=0.5 + 0.1 * (k > 0))
        elif geometry.get("type") == "LineString" and kind == "river":
            x, y = np.asarray(geometry["coordinates"]).T
            ax.plot(x, y, color=RIVER, lw=7, zorder=1, solid_capstyle="round")
