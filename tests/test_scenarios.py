"""Scenario files: every built-in loads and runs; overrides, schedules and round trips."""

import tomllib

import numpy as np
import pytest

import narod
from narod.scenario.schedule import curve

TOML_BUILTINS = [n for n in narod.builtin_names() if n.startswith(("epstein", "granovetter"))]


@pytest.mark.parametrize("name", TOML_BUILTINS)
def test_every_builtin_runs_and_documents_itself(name):
    spec = narod.load_scenario(name)
    result = narod.simulate(spec, seed=0, ticks=5)
    assert result.table.num_rows == 6
    from importlib import resources

    text = resources.files("narod.scenario.builtin").joinpath(f"{name}.toml").read_text()
    for heading in ("WHAT IT IS", "HOW IT WORKS", "THINGS TO TRY", "SOURCES"):
        assert heading in text, f"{name} lacks {heading}"
    body = text[text.index("[scenario]") :]
    for line in body.splitlines():  # every number carries a source or "assumption"
        value = line.split("#")[0].split("=", 1)[-1].strip()
        if "=" in line and not value.startswith('"') and any(ch.isdigit() for ch in value):
            assert "#" in line, f"{name}: unsourced number in {line!r}"


def test_the_builtins_required_by_the_issue_exist():
    names = set(narod.builtin_names())
    wanted = {f"epstein-{i}" for i in range(1, 9)} | {
        "epstein-mesa",
        "granovetter-uniform",
        "granovetter-normal",
    }
    assert wanted <= names


def test_overrides_and_presets():
    spec = narod.load_scenario("epstein-2", **{"grid.width": 80, "scenario.preset": "mesa"})
    assert spec.grid.width == 80
    assert spec.arrest_probability.ratio == "round"
    assert spec.vision.metric == "von_neumann"
    explicit = narod.load_scenario(
        "epstein-mesa", **{"arrest_probability.ratio": "floor", "grid.height": 50}
    )
    assert explicit.arrest_probability.ratio == "floor"  # an explicit key beats the preset
    assert explicit.jail.keeps_cell is True


def test_show_round_trips(tmp_path):
    spec = narod.load_scenario("epstein-3")
    path = tmp_path / "mine.toml"
    path.write_text(narod.to_toml(spec))
    again = narod.load_scenario(str(path))
    assert again == spec
    assert tomllib.loads(path.read_text())["jail"]["max_term"] == float("inf")


def test_user_file_runs_like_a_builtin(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(narod.to_toml(narod.load_scenario("epstein-mesa")))
    a = narod.simulate(narod.load_scenario(str(path)), seed=5, ticks=20)
    b = narod.simulate(narod.load_scenario("epstein-mesa"), seed=5, ticks=20)
    assert a.table.equals(b.table)


def test_schedules_interpolate():
    spec = narod.load_scenario("epstein-3")
    legit = curve(spec, "grievance.legitimacy", 800)
    assert legit[0] == legit[50] == 0.9
    assert legit[400] == pytest.approx(0.55)
    assert legit[750] == legit[800] == pytest.approx(0.2)
    step = curve(narod.load_scenario("epstein-4"), "grievance.legitimacy", 300)
    assert step[76] == 0.9 and step[77] == 0.7 and step[300] == 0.7


def test_scheduled_legitimacy_reaches_the_model():
    result = narod.simulate(narod.load_scenario("epstein-4"), seed=0)
    assert np.all(result.column("active")[:77] == 0)  # L = 0.9: nobody can rebel
    assert result.column("turned_active")[77] > 20  # the jump


def test_granovetter_examples():
    assert (
        narod.simulate(narod.load_scenario("granovetter-uniform")).column("participating")[-1]
        == 100
    )
    perturbed = narod.load_scenario(
        "granovetter-uniform",
        **{"thresholds.distribution": "list", "thresholds.values": [0, 2, *range(2, 100)]},
    )
    assert narod.simulate(perturbed).column("participating")[-1] == 1


def test_granovetter_grid_spreads_from_instigators():
    spec = narod.load_scenario(
        "granovetter-uniform",
        **{
            "scenario.model": "threshold_grid",
            "grid.width": 30,
            "grid.height": 30,
            "thresholds.distribution": "normal",
            "thresholds.mean": 0.1,
            "thresholds.sd": 0.0,
            "thresholds.seeds": 3,
        },
    )
    series = narod.simulate(spec, seed=1, ticks=60).column("participating")
    assert series[0] == 3 and series[-1] == 900
    assert np.all(np.diff(series) >= 0)
