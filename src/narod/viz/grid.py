"""Epstein grids drawn as images: one pixel block per cell, coloured by what stands on it.

A run folder of an Epstein model holds its series, not its grids, so the animation runs the
scenario again from ``params.toml`` with the seed written on its first line: one seed fixes a
run, so these are the same ticks.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from narod.errors import NarodError
from narod.world.population import ACTIVE, COP, EMPTY, JAILED, QUIET

COLOURS = np.zeros((256, 3), np.uint8)
COLOURS[EMPTY] = (250, 250, 245)
COLOURS[QUIET] = (110, 150, 210)
COLOURS[ACTIVE] = (215, 40, 40)
COLOURS[JAILED] = (170, 170, 170)
COLOURS[COP] = (20, 20, 20)


def grid_image(code: np.ndarray, width: int, height: int, pixels: int = 4) -> np.ndarray:
    """The grid as an RGB image, ``pixels`` pixels per cell (quiet blue, active red, cops black)."""
    cells = COLOURS[np.asarray(code, np.uint8).reshape(height, width)]
    return np.repeat(np.repeat(cells, pixels, axis=0), pixels, axis=1)


def seed_of(params: Path) -> int:
    """The seed that ``narod run --out`` wrote on the first line of ``params.toml``."""
    found = re.search(r"--seed (\d+)", params.read_text(encoding="utf-8").splitlines()[0])
    if not found:
        raise NarodError(f"{params}: its first line does not name the seed of the run")
    return int(found.group(1))


def animate_grid(run_dir: Path, out: Path | None = None, fmt: str = "gif", fps: int = 12,
                 every: int = 1) -> Path:  # fmt: skip
    """Run an Epstein scenario folder again and write its grid, tick by tick."""
    import imageio.v2 as imageio

    from narod.models.epstein import EpsteinRun
    from narod.scenario.loading import load_scenario

    params = Path(run_dir) / "params.toml"
    spec = load_scenario(params)
    if spec.scenario.model not in ("civil_violence", "communal_violence"):
        raise NarodError(f"{run_dir}: only Epstein runs and city runs can be animated")
    run = EpsteinRun(spec, seed_of(params), spec.scenario.ticks)
    side = max(spec.grid.width, spec.grid.height)
    pixels = max(1, 480 // side)
    out = Path(out) if out else Path(run_dir) / f"grid.{fmt}"
    part = out.with_name(out.name + ".part" + out.suffix)
    options = (
        {"duration": 1000 / fps, "loop": 0} if fmt == "gif" else {"fps": fps, "macro_block_size": 1}
    )
    with imageio.get_writer(part, format="GIF" if fmt == "gif" else "FFMPEG", **options) as w:
        for tick in range(0, spec.scenario.ticks + 1, every):
            run.advance(tick)
            w.append_data(grid_image(run.world.code, spec.grid.width, spec.grid.height, pixels))
    part.replace(out)
    return out
