"""The city map: Petrograd's places, the Neva and its bridges, crowds and forces at a tick.

Crowds are circles at their site, sized by the number of people, coloured by the share of women
(purple few, yellow most) and ringed in red when armed; police, Cossacks, loyal troops at posts
and mutineers are markers beside them; a clock and the day's counts sit in the corner. The river
is drawn from a rough outline of the 1917 channels (an assumption by eye from the modern map,
good enough to show which side of the water a crowd is on).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
from matplotlib.figure import Figure

from narod.errors import NarodError
from narod.world.places import City, build_city

# Approximate centre lines of the Neva's channels (lat, lon) [assumption: traced by eye].
RIVERS = {
    "Neva": [
        (59.878, 30.455),
        (59.905, 30.435),
        (59.925, 30.412),
        (59.945, 30.405),
        (59.953, 30.380),
        (59.952, 30.350),
        (59.948, 30.330),
        (59.943, 30.312),
        (59.937, 30.295),
        (59.931, 30.270),
        (59.926, 30.240),
        (59.920, 30.210),
    ],
    "Malaya Neva": [(59.944, 30.308), (59.950, 30.290), (59.955, 30.265), (59.958, 30.235)],
    "Bolshaya Nevka": [
        (59.953, 30.345),
        (59.962, 30.335),
        (59.971, 30.320),
        (59.978, 30.300),
        (59.983, 30.270),
        (59.987, 30.240),
    ],
}
DAY_ONE = (23, "Feb")
LABELLED = ("district",)


@dataclass
class Frame:
    """What the map shows at one tick, per site (persons) plus the clock and the totals."""

    tick: int
    crowd: np.ndarray
    women: np.ndarray
    armed: np.ndarray
    police: np.ndarray
    cossacks: np.ndarray
    soldiers: np.ndarray
    mutineers: np.ndarray
    totals: dict[str, float]


def clock(tick: int) -> str:
    """'26 Feb 1917, 15:30' for a tick (the state after that many half-hours)."""
    day = max(tick - 1, 0) // 48 + 1
    minutes = (max(tick - 1, 0) % 48 + (tick > 0)) * 30
    date = 22 + day
    month = "Feb" if date <= 28 else "Mar"
    date = date if date <= 28 else date - 28
    return f"{date} {month} 1917, {minutes // 60:02d}:{minutes % 60:02d}"


def read_frames(run_dir: Path) -> list[Frame]:
    """Every tick of a February run folder as map frames."""
    path = Path(run_dir) / "sites.parquet"
    if not path.is_file():
        raise NarodError(f"{run_dir}: no sites.parquet (write a February run with --out first)")
    data = pq.read_table(path).to_pydict()
    series = pq.read_table(Path(run_dir) / "timeseries.parquet").to_pydict()
    ticks = np.asarray(data["tick"])
    n_ticks = int(ticks.max()) + 1
    n_sites = ticks.size // n_ticks

    def grid(name: str) -> np.ndarray:
        return np.asarray(data[name], float).reshape(n_ticks, n_sites)

    columns = {
        k: grid(k)
        for k in ("crowd", "women", "armed", "police", "cossacks", "soldiers_posted", "mutineers")
    }
    keys = ("strikers", "on_streets", "soldiers_mutinied", "police_active", "killed")
    return [
        Frame(
            t,
            columns["crowd"][t],
            columns["women"][t],
            columns["armed"][t],
            columns["police"][t],
            columns["cossacks"][t],
            columns["soldiers_posted"][t],
            columns["mutineers"][t],
            {k: float(series[k][t]) for k in keys if k in series},
        )
        for t in range(n_ticks)
    ]


class CityMap:
    """A Matplotlib figure of the city that redraws one frame after another quickly."""

    def __init__(self, city: City | None = None, width: float = 9.0) -> None:
        self.city = city or build_city()
        sites = [self.city.place(s) for s in self.city.sites]
        self.xy = np.asarray([[p.lon, p.lat] for p in sites])
        height = round(width * 72 / 8) * 8 / 100  # pixels a multiple of 8, as video codecs want
        self.figure = Figure(figsize=(width, height), dpi=100)
        ax = self.ax = self.figure.add_axes((0.01, 0.01, 0.98, 0.98))
        ax.set_aspect(1 / np.cos(np.radians(59.94)))
        ax.set_xlim(30.18, 30.50)
        ax.set_ylim(59.86, 60.02)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_facecolor("#f4f1ea")
        for name, line in RIVERS.items():
            lat, lon = np.asarray(line).T
            ax.plot(
                lon,
                lat,
                color="#9cc3e4",
                lw=9 if name == "Neva" else 5,
                zorder=1,
                solid_capstyle="round",
            )
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
        self.cossacks = ax.scatter(
            *(self.xy - offset).T, s=0, marker="D", color="#e08a00", zorder=4
        )
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
            "blue square: police  orange diamond: Cossacks\n"
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
            self.cossacks,
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
        self.cossacks.set_sizes(self._size(frame.cossacks, 2.0))
        self.soldiers.set_sizes(self._size(frame.soldiers, 1.0))
        self.mutineers.set_sizes(self._size(frame.mutineers, 1.0))
        self.title.set_text(clock(frame.tick))
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
    out = Path(out) if out else Path(run_dir) / f"map.{fmt}"
    part = out.with_name(out.name + ".part" + out.suffix)
    citymap = CityMap(width=6.4 if fmt == "gif" else 9.6)
    options = {"duration": 1000 / fps, "loop": 0} if fmt == "gif" else {"fps": fps}
    if fmt == "mp4":
        options |= {"codec": "libx264", "macro_block_size": 8, "quality": 6}
    with imageio.get_writer(part, format="GIF" if fmt == "gif" else "FFMPEG", **options) as w:
        for frame in frames:
            citymap.draw(frame)
            w.append_data(citymap.rgb())
    part.replace(out)
    return out
