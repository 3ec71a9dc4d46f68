"""Experiments: designs, the store, Dask execution, resuming after a kill, bad input."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from helpers import call_cli

import narod
from narod.experiments.design import Param, points, run_seed
from narod.experiments.runner import run_experiment
from narod.experiments.store import connect, status

BIN = Path(sys.executable).parent


def _runs(store: Path, name: str):
    con = connect(store)
    return con.sql(
        f"SELECT * EXCLUDE (wall_time, filename) FROM runs WHERE experiment = '{name}' ORDER BY run"
    ).fetchall()


def test_designs():
    params = [Param.parse("grievance.legitimacy=0.7:0.9:3"), Param.parse("grid.width=20:40:2")]
    grid = points(params, "grid", 0, 0)
    assert len(grid) == 6 and {p["grid.width"] for p in grid} == {20.0, 40.0}
    lhs = points(params, "lhs", 10, 1)
    assert len(lhs) == 10 and all(0.7 <= p["grievance.legitimacy"] <= 0.9 for p in lhs)
    assert len(points(params, "sobol", 8, 0)) == 8 * (2 * 2 + 2)
    assert run_seed(5, 3) == run_seed(5, 3) != run_seed(5, 4)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def dask_cluster():
    """A real Dask scheduler and two workers, each its own process, on 127.0.0.1."""
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}
    procs = [subprocess.Popen([BIN / "dask", "scheduler", "--host", "127.0.0.1", "--port",
                               str(port), "--no-dashboard"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]  # fmt: skip
    for _ in range(2):
        worker = [BIN / "dask", "worker", address, "--nthreads", "1", "--no-dashboard", "--host",
                  "127.0.0.1"]  # fmt: skip
        procs.append(subprocess.Popen(worker, env=env, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL))  # fmt: skip
    from distributed import Client

    deadline = time.time() + 60
    while True:
        try:
            with Client(address, timeout="2s") as client:
                if len(client.scheduler_info()["workers"]) == 2:
                    break
        except OSError:
            pass
        assert time.time() < deadline, "the Dask cluster did not start"
        time.sleep(0.5)
    yield address
    for p in procs:
        p.terminate()
    for p in procs:
        p.wait(timeout=30)


@pytest.mark.slow
def test_cluster_gives_the_same_runs_as_one_process(tmp_path, dask_cluster):
    spec = narod.load_scenario("epstein-2", **{"scenario.ticks": 150})
    kwargs = dict(replicates=12, master_seed=11, batch_size=3, design="ensemble")
    run_experiment(spec, [{}], tmp_path, name="inline", workers=0, **kwargs)
    run_experiment(spec, [{}], tmp_path, name="cluster", scheduler=dask_cluster, **kwargs)
    inline, cluster = _runs(tmp_path, "inline"), _runs(tmp_path, "cluster")
    assert len(inline) == 12
    assert [r[1:] for r in inline] == [r[1:] for r in cluster]  # all but the experiment name


@pytest.mark.slow
def test_a_killed_experiment_resumes_without_loss(tmp_path):
    args = [str(BIN / "narod"), "ensemble", "epstein-2", "--runs", "60", "--ticks", "400",
            "--workers", "0", "--batch", "2", "--store", str(tmp_path), "--name", "k"]  # fmt: skip
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    runs = tmp_path / "k" / "runs"
    deadline = time.time() + 120
    while len(list(runs.glob("batch-*.parquet"))) < 3:
        assert proc.poll() is None, "the experiment ended before it could be killed"
        assert time.time() < deadline
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    written = sorted(runs.glob("batch-*.parquet"))
    assert 3 <= len(written) < 30
    for path in written:  # every file that exists is complete
        assert pq.read_table(path).num_rows == 2
    before = pa.concat_tables([pq.read_table(p) for p in written]).to_pylist()
    code = subprocess.run([*args, "--resume"], capture_output=True, text=True).returncode
    assert code == 0
    rows = connect(tmp_path).sql("SELECT run FROM runs ORDER BY run").fetchall()
    assert [r[0] for r in rows] == list(range(60))  # each run exactly once
    assert not list((tmp_path / "k").glob("*/.batch-*"))
    assert status(tmp_path)[0]["status"] == "finished"
    # finished: the batches are compacted into one file per kind, nothing lost or doubled
    assert [p.name for p in runs.iterdir()] == ["all.parquet"]
    after = pq.read_table(runs / "all.parquet").to_pylist()
    assert len(after) == 60
    kept = {r["run"]: r for r in after}
    assert all(kept[r["run"]] == r for r in before)  # finished runs kept, not run again


def test_compaction_interrupted_half_way_loses_and_doubles_nothing(tmp_path):
    from narod.experiments.store import compact

    spec = narod.load_scenario("epstein-2", **{"scenario.ticks": 10})
    folder = run_experiment(spec, [{}], tmp_path, name="c", replicates=6, batch_size=2,
                            workers=0)  # fmt: skip
    table = pq.read_table(folder / "runs" / "all.parquet")
    pq.write_table(table.slice(0, 2), folder / "runs" / "batch-00000.parquet")  # a leftover
    rows = connect(tmp_path).sql("SELECT run FROM runs ORDER BY run").fetchall()
    assert [r[0] for r in rows] == list(range(6))
    compact(folder)
    assert [p.name for p in (folder / "runs").iterdir()] == ["all.parquet"]
    rows = connect(tmp_path).sql("SELECT run FROM runs ORDER BY run").fetchall()
    assert [r[0] for r in rows] == list(range(6))
    assert pq.read_table(folder / "runs" / "all.parquet").num_rows == 6


def test_a_failing_run_is_recorded_and_the_rest_go_on(tmp_path):
    spec = narod.load_scenario("epstein-2", **{"scenario.ticks": 20})
    pts = [{"population.citizen_density": v} for v in (0.5, 0.99, 0.6)]  # 0.99 + 0.04 > 1
    run_experiment(spec, pts, tmp_path, name="f", workers=0, design="grid")
    rows = connect(tmp_path).sql("SELECT run, status, error FROM runs ORDER BY run").fetchall()
    assert [r[1] for r in rows] == ["ok", "failed", "ok"]
    assert "citizen_density + cop_density" in rows[1][2]


def test_sweep_and_query_from_the_command_line(tmp_path, capsys):
    sweep = ["sweep", "epstein-2", "--param", "grievance.legitimacy=0.7:0.9:3", "--ticks", "50",
             "--store", str(tmp_path), "--workers", "0"]  # fmt: skip
    code, out, _ = call_cli(sweep, capsys)
    assert code == 0 and "3 runs done" in out
    code, out, _ = call_cli(["query", str(tmp_path), "SELECT count(*) AS n FROM runs", "--csv"],
                            capsys)  # fmt: skip
    assert code == 0 and out.splitlines() == ["n", "3"]
    code, out, _ = call_cli(["experiments", str(tmp_path)], capsys)
    assert "finished" in out
    code, _, err = call_cli(sweep, capsys)
    assert code == 2 and "exists" in err  # never overwritten


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["sweep", "epstein-2", "--param", "grid.widht=10:20"], ["grid.widht", "unknown key"]),
        (["sweep", "epstein-2", "--param", "grid.width=20:20"], ["LOW < HIGH"]),
        (["sweep", "epstein-2", "--param", "grid.width"], ["KEY=LOW:HIGH"]),
        (
            ["ensemble", "epstein-2", "--runs", "2", "--scheduler", "tcp://127.0.0.1:9"],
            ["does not answer"],
        ),
        (["query", "STORE", "SELECT nope FROM runs"], ["query"]),
    ],
)
def test_bad_experiment_input(args, words, tmp_path, capsys):
    args = [a.replace("STORE", str(tmp_path)) for a in args]
    if args[0] != "query":
        args += ["--store", str(tmp_path / "s"), "--workers", "0"]
    else:
        run_experiment(narod.load_scenario("epstein-2", **{"scenario.ticks": 5}), [{}], tmp_path,
                       name="q", workers=0)  # fmt: skip
    code, out, err = call_cli(args, capsys)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err + out
    for word in words:
        assert word in lines[0]


def test_store_path_that_is_a_file(tmp_path, capsys):
    path = tmp_path / "file"
    path.write_text("x")
    code, _, err = call_cli(["ensemble", "epstein-2", "--runs", "2", "--store", str(path)], capsys)
    assert code == 2 and "is a file" in err
    assert path.read_text() == "x"  # nothing lost


def test_series_are_stored_per_run(tmp_path):
    spec = narod.load_scenario("epstein-2", **{"scenario.ticks": 30})
    run_experiment(spec, [{}], tmp_path, name="s", replicates=3, workers=0)
    ticks = connect(tmp_path).sql("SELECT run, count(*) FROM series GROUP BY run ORDER BY run")
    assert ticks.fetchall() == [(0, 31), (1, 31), (2, 31)]
    assert np.isfinite(connect(tmp_path).sql("SELECT avg(active) FROM series").fetchall()[0][0])


def test_sobol_indices_of_the_ishigami_function():
    """A model with a known answer: Ishigami (a = 7, b = 0.1), S1 = (0.314, 0.442, 0) and
    ST = (0.558, 0.442, 0.244) (Saltelli et al. 2008)."""
    from narod.experiments.sensitivity import analyze

    params = [Param(f"x.x{i}", -np.pi, np.pi) for i in range(3)]
    x = np.array([[p[k.key] for k in params] for p in points(params, "sobol", 4096, 0)])
    y = np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])
    rows = analyze(params, x, y, "sobol")
    np.testing.assert_allclose([r["S1"] for r in rows], [0.314, 0.442, 0.0], atol=0.03)
    np.testing.assert_allclose([r["ST"] for r in rows], [0.558, 0.442, 0.244], atol=0.03)
    assert all(r["S1_conf"] < 0.05 for r in rows)


def test_sensitivity_from_the_command_line(tmp_path, capsys):
    args = ["sensitivity", "granovetter-normal", "--param", "thresholds.sd=4:20",
            "--param", "thresholds.mean=20:30", "--output", "final_participation",
            "--samples", "8", "--replicates", "2", "--store", str(tmp_path),
            "--workers", "0"]  # fmt: skip
    code, out, _ = call_cli(args, capsys)
    assert code == 0 and "ST" in out and "thresholds.sd" in out
    png = next(tmp_path.glob("*/sensitivity-final_participation.png"))
    assert png.read_bytes()[:4] == b"\x89PNG"
    code, _, err = call_cli([*args[:4], "--output", "nope", "--store", str(tmp_path)], capsys)
    assert code == 2 and "final_participation" in err


@pytest.mark.slow
def test_calibration_recovers_a_known_legitimacy(tmp_path, capsys):
    """ABC-SMC on a target made at L = 0.82 (mean actives over 300 ticks, 6 seeds: 36.0)."""
    targets = tmp_path / "targets.csv"
    targets.write_text("metric,value\nmean_active,36.0\n")
    args = ["calibrate", "epstein-2", "--targets", str(targets), "--param",
            "grievance.legitimacy=0.7:0.9", "--ticks", "300", "--population", "30",
            "--generations", "3", "--out", str(tmp_path / "cal"), "--workers", "0"]  # fmt: skip
    code, out, err = call_cli(args, capsys)
    assert code == 0, err
    rows = (tmp_path / "cal" / "posterior.csv").read_text().splitlines()
    values = np.array([[float(v) for v in r.split(",")] for r in rows[1:]])
    assert len(values) == 30 and abs(values[:, 1].sum() - 1) < 1e-9
    assert np.all((values[:, 0] >= 0.7) & (values[:, 0] <= 0.9))
    mean = float(np.sum(values[:, 0] * values[:, 1]))
    sd = float(np.sqrt(np.sum(values[:, 1] * (values[:, 0] - mean) ** 2)))
    assert abs(mean - 0.82) < 0.025
    assert sd < 0.5 * 0.2 / np.sqrt(12)  # narrower than half the prior: the data taught it
    assert (tmp_path / "cal" / "posterior.png").read_bytes()[:4] == b"\x89PNG"


def test_bad_targets_file(tmp_path, capsys):
    targets = tmp_path / "targets.csv"
    targets.write_text("metric,value\nnope,1\n")
    args = ["calibrate", "epstein-2", "--targets", str(targets), "--param",
            "grievance.legitimacy=0.7:0.9", "--workers", "0", "--out", str(tmp_path)]  # fmt: skip
    code, _, err = call_cli(args, capsys)
    assert code == 2 and "nope" in err and "mean_active" in err
    code, _, err = call_cli([*args[:3], str(tmp_path / "missing.csv"), *args[4:]], capsys)
    assert code == 2 and "missing.csv" in err
