"""Maps, animations and experiment plots on small runs: files exist, are valid, hold the series."""

import numpy as np
import pytest
from helpers import call_cli

import narod
from narod.cli_city import write_run
from narod.experiments.design import Param, points
from narod.experiments.runner import run_experiment
from narod.scenario.episode import episode_folder
from narod.viz.citymap import CityMap, animate, clock, read_frames

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("feb")
    result = narod.simulate(narod.load_scenario("petrograd-1917", **{"city.scale": 0.002}), seed=4)
    write_run(result, folder)
    return folder


def test_a_run_folder_holds_the_map_and_the_report(run_dir):
    assert (run_dir / "map.gif").read_bytes()[:6] == b"GIF89a"
    html = (run_dir / "report.html").read_text()
    assert "data:image/gif;base64," in html and "The city, tick by tick" in html


def test_the_map_draws_crowds_and_forces_at_a_tick(run_dir, tmp_path):
    frames = read_frames(run_dir)
    assert len(frames) == 337
    busy = max(frames, key=lambda f: f.crowd.sum())
    assert busy.crowd.sum() > 0
    spec = narod.load_scenario("petrograd-1917")
    folder = episode_folder(spec.scenario.episode)
    citymap = CityMap(folder, spec.calendar)
    path = citymap.save(busy, tmp_path / "map.png")
    assert path.read_bytes()[:8] == PNG
    citymap.draw(busy)
    full = citymap.rgb()
    citymap.draw(frames[0])  # midnight on day 1: nobody out
    empty = citymap.rgb()
    assert full.shape == empty.shape and np.any(full != empty)
    site = int(np.argmax(busy.crowd))  # the biggest crowd is drawn where its site is
    x, y = citymap.ax.transData.transform(citymap.xy[site])
    row, col = full.shape[0] - int(y), int(x)
    patch = np.s_[max(row - 6, 0) : row + 6, max(col - 6, 0) : col + 6]
    assert np.any(full[patch] != empty[patch])
    cal = spec.calendar
    assert clock(0, cal) == "23 Feb 1917, 00:00" and clock(48, cal) == "23 Feb 1917, 24:00"
    assert clock(4 * 48 + 31, cal) == "27 Feb 1917, 15:30"
    assert clock(6 * 48 + 1, cal) == "1 Mar 1917, 00:30"  # 1917 was no leap year


@pytest.mark.parametrize(("fmt", "magic"), [("gif", b"GIF89a"), ("mp4", b"ftyp")])
def test_animations_are_valid_files(run_dir, tmp_path, fmt, magic):
    path = animate(run_dir, tmp_path / f"week.{fmt}", fmt=fmt, every=12)
    head = path.read_bytes()[:12]
    assert magic in head
    assert not list(tmp_path.glob("*.part*"))


def test_plot_and_animate_from_the_command_line(run_dir, capsys):
    for png in run_dir.glob("*.png"):
        png.unlink()
    code, out, _ = call_cli(["plot", str(run_dir)], capsys)
    assert code == 0 and "strikers.png" in out
    for name in ("strikers", "mutiny", "police", "casualties"):
        assert (run_dir / f"{name}.png").read_bytes()[:8] == PNG
    code, _, err = call_cli(["animate", str(run_dir), "--format", "avi"], capsys)
    assert code == 2 and "expected gif or mp4" in err
    code, _, err = call_cli(["animate", str(run_dir.parent)], capsys)
    assert code == 2 and "no sites.parquet" in err


def test_ensemble_fans_and_sweep_heat_maps(tmp_path, capsys):
    spec = narod.load_scenario("epstein-2", **{"scenario.ticks": 40, "grid.width": 20,
                                               "grid.height": 20})  # fmt: skip
    ensemble = run_experiment(spec, [{}], tmp_path, name="fan", replicates=4, workers=0)
    code, out, _ = call_cli(["plot", str(ensemble), "--series", "active"], capsys)
    assert code == 0 and (ensemble / "fan.png").read_bytes()[:8] == PNG
    params = [{"key": "grievance.legitimacy", "low": 0.6, "high": 0.9, "n": 3},
              {"key": "population.cop_density", "low": 0.02, "high": 0.06, "n": 2}]  # fmt: skip
    design = points([Param(**p) for p in params], "grid", 0, 0)
    sweep = run_experiment(spec, design, tmp_path, name="sweep", design="grid", params=params,
                           workers=0)  # fmt: skip
    code, out, _ = call_cli(["plot", str(sweep), "--metric", "mean_active"], capsys)
    assert code == 0 and (sweep / "heatmap-mean_active.png").read_bytes()[:8] == PNG
    code, _, err = call_cli(["plot", str(sweep), "--metric", "nope"], capsys)
    assert code == 2 and "no metric 'nope'" in err
    for folder in (ensemble, sweep):
        code, _, _ = call_cli(["report", str(folder)], capsys)
        page = (folder / "report.html").read_text()
        assert code == 0 and "mean_active" in page and "data:image/png;base64," in page
        assert 'src="http' not in page


def test_an_epstein_run_is_animated_as_its_grid(tmp_path, capsys):
    from narod.viz.grid import grid_image

    folder = tmp_path / "e2"
    code, _, _ = call_cli(["run", "epstein-2", "--ticks", "20", "--seed", "5", "--set",
                           "grid.width=30", "--set", "grid.height=30", "--out", str(folder)],
                          capsys)  # fmt: skip
    assert code == 0
    code, out, _ = call_cli(["animate", str(folder), "--every", "5"], capsys)
    assert code == 0 and (folder / "grid.gif").read_bytes()[:6] == b"GIF89a"
    image = grid_image([0, 1, 2, 4], 2, 2, pixels=3)
    assert image.shape == (6, 6, 3)
    assert tuple(image[0, 3]) == (110, 150, 210) and tuple(image[3, 3]) == (20, 20, 20)
