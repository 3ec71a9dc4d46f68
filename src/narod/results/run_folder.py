"""What a run folder says about the run that wrote it: its scenario and, for a city run, its
episode (whose places, calendar and record the plots, the map and the report draw on)."""

from __future__ import annotations

from pathlib import Path

from narod.errors import NarodError
from narod.scenario.episode import episode_folder, episode_info
from narod.scenario.loading import load_scenario
from narod.scenario.schema import Spec


def run_spec(run_dir: Path) -> Spec:
    """The resolved scenario of a run folder (its ``params.toml``)."""
    path = Path(run_dir) / "params.toml"
    if not path.is_file():
        raise NarodError(f"{path}: no such file (is {run_dir} a folder written by narod run?)")
    return load_scenario(path)


def run_episode(run_dir: Path) -> tuple[Spec, Path, dict]:
    """A city run folder's scenario, its episode's folder and the episode's ``[episode]`` table."""
    spec = run_spec(run_dir)
    if spec.scenario.model != "city":
        raise NarodError(f"{run_dir}: not a city run (scenario.model is {spec.scenario.model!r})")
    folder = episode_folder(spec.scenario.episode)
    return spec, folder, episode_info(folder)
