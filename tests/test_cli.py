"""The command line: commands work, and bad input gives one line and exit code 2."""

import tomllib

import pyarrow.parquet as pq
import pytest
from helpers import call_cli

call = call_cli


def test_scenarios_lists_the_builtins(capsys):
    code, out, _ = call(["scenarios"], capsys)
    assert code == 0 and "epstein-2" in out and "granovetter-normal" in out


def test_show_prints_resolved_toml(capsys):
    code, out, _ = call(["show", "epstein-mesa", "--set", "grid.width=80"], capsys)
    parsed = tomllib.loads(out)
    assert code == 0
    assert parsed["grid"]["width"] == 80
    assert parsed["arrest_probability"]["ratio"] == "round"


def test_run_writes_series_and_params(tmp_path, capsys):
    code, out, _ = call(["run", "epstein-2", "--ticks", "200", "--seed", "4", "--out",
                         str(tmp_path), "--plot"], capsys)  # fmt: skip
    assert code == 0
    for word in ("outbursts", "agent-steps/s", "wall time", "final active"):
        assert word in out
    table = pq.read_table(tmp_path / "timeseries.parquet")
    assert table.num_rows == 201
    assert {"tick", "active", "quiet", "jailed"} <= set(table.column_names)
    assert (tmp_path / "timeseries.csv").read_text().startswith('"tick","active"')
    params = tomllib.loads((tmp_path / "params.toml").read_text())
    assert params["scenario"]["name"] == "epstein-2"
    assert (tmp_path / "series.png").read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["run", "no-such-scenario"], ["no-such-scenario", "unknown scenario"]),
        (["run", "epstein-2", "--set", "grid.widht=3"], ["grid.widht", "unknown key", "width"]),
        (["run", "epstein-2", "--set", "grid.width=abc"], ["grid.width", "integer"]),
        (
            ["run", "epstein-2", "--set", "population.cop_density=-0.1"],
            ["population.cop_density", "greater than or equal to 0"],
        ),
        (["run", "epstein-2", "--set", "population.cop_density=0.5"], ["at most 1"]),
        (["run", "epstein-2", "--set", "scenario.preset=nope"], ["scenario.preset"]),
        (["run", "epstein-2", "--set", "no_equals_sign"], ["key=value"]),
        (["show", "epstein-2", "--set", "jail.max_term=2.5"], ["max_term", "whole number"]),
        (["run", "epstein-2", "--set", "jail.max_term=3e9"], ["max_term", "below 2147483647"]),
        (["run", "epstein-2", "--set", "arrest_probability.k=inf"], ["k", "finite"]),
        (["run", "epstein-2", "--set", "scenario=5"], ["scenario", "dictionary"]),
        (["run", "epstein-2", "--set", "scenario.preset=[1]"], ["scenario.preset"]),
        (
            [
                "run",
                "epstein-2",
                "--set",
                'schedule=[{key="grievance.legitimacy", ticks=[1], values=[0.5], kye=1}]',
            ],
            ["schedule.0.kye", "unknown key", "interpolation"],
        ),
        (["run", "epstein-2", "--seed", "-1"], ["--seed"]),
        (["run", "epstein-2", "--nope"], ["--nope"]),
        (["run", "epstein-2", "--plot"], ["--out"]),
        (["run", "epstein-mesa", "--set", "arrest.cop_moves_to_site=true"], ["keeps_cell"]),
        (
            [
                "run",
                "epstein-2",
                "--set",
                "scenario.activation=synchronous",
                "--set",
                "grid.height=10",
            ],
            ["grid.height", "synchronous"],
        ),
        (
            [
                "run",
                "granovetter-uniform",
                "--set",
                "scenario.model=threshold_grid",
                "--set",
                "grid.width=2",
            ],
            ["thresholds.radius"],
        ),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args, words, capsys):
    code, out, err = call(args, capsys)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    assert "Traceback" not in err + out
    for word in words:
        assert word in lines[0]


def test_broken_toml_file(tmp_path, capsys):
    path = tmp_path / "broken.toml"
    path.write_text("[grid\nwidth = 3\n")
    code, _, err = call(["run", str(path)], capsys)
    assert code == 2
    assert str(path) in err and "not valid TOML" in err


def test_missing_file(tmp_path, capsys):
    code, _, err = call(["run", str(tmp_path / "nope.toml")], capsys)
    assert code == 2 and "no such scenario file" in err


def test_a_folder_named_like_a_builtin_does_not_hide_it(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "epstein-2").mkdir()
    code, out, _ = call(["show", "epstein-2"], capsys)
    assert code == 0 and 'name = "epstein-2"' in out


def test_params_toml_reruns_what_ran(tmp_path, capsys):
    call(["run", "epstein-2", "--ticks", "40", "--seed", "9", "--out", str(tmp_path)], capsys)
    first = (tmp_path / "timeseries.csv").read_text()
    text = (tmp_path / "params.toml").read_text()
    assert "--seed 9" in text.splitlines()[0] and "ticks = 40" in text
    again = tmp_path / "again"
    call(["run", str(tmp_path / "params.toml"), "--seed", "9", "--out", str(again)], capsys)
    assert (again / "timeseries.csv").read_text() == first
