"""Run an experiment: batches of runs as Dask tasks, each writing its own files to the store.

By default a local Dask cluster on 127.0.0.1 with one single-threaded worker per core; with
``scheduler`` an existing cluster, unchanged; with ``workers=0`` everything runs in this process
(for debugging). Whatever the choice, run ``i`` gets the same seed and gives the same result.
"""

from __future__ import annotations

import itertools
import logging
import traceback
from collections.abc import Callable
from contextlib import nullcontext
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

import narod
from narod.engine import simulate
from narod.errors import NarodError
from narod.experiments import store as st
from narod.experiments.design import run_seed
from narod.experiments.metrics import measure
from narod.scenario.loading import load_scenario, to_toml
from narod.scenario.schema import Spec

Progress = Callable[[int, int, int], None]  # (runs done, runs failed, runs in all)


def column_name(key: str) -> str:
    """A key as a SQL-friendly column: ``grievance.legitimacy`` -> ``grievance_legitimacy``."""
    return key.replace(".", "_")


def coerce(spec: Spec, key: str, value: float) -> Any:
    """A sampled value in the type the schema wants (whole numbers for integer keys)."""
    section, _, name = key.partition(".")
    try:
        field = type(getattr(spec, section)).model_fields[name]
    except (AttributeError, KeyError):
        raise NarodError(f"--param {key}: unknown parameter key") from None
    return int(round(value)) if field.annotation is int else float(value)


def run_batch(
    spec_toml: str,
    folder: str,
    experiment: str,
    batch: int,
    indices: list[int],
    points: list[dict[str, Any]],
    seeds: list[int],
    keep_series: bool,
) -> tuple[int, int]:
    """Run one batch and write its files; returns (runs that succeeded, runs that failed).

    A run that raises is recorded as failed with its error, and the batch goes on.
    """
    import tomllib

    base = Spec.model_validate(tomllib.loads(spec_toml))
    rows, series = [], []
    for index, point, seed in zip(indices, points, seeds, strict=True):
        row: dict[str, Any] = {"experiment": experiment, "run": index, "seed": seed}
        row.update({column_name(k): v for k, v in point.items()})
        try:
            result = simulate(load_scenario(base, **point), seed=seed, threads=1)
            row.update(status="ok", error="", wall_time=result.wall_time, **measure(result))
            if keep_series:
                run = pa.array(np.full(result.table.num_rows, index))
                series.append(result.table.add_column(0, "run", run))
        except Exception as exc:  # noqa: BLE001 - a failed run is data; the experiment goes on
            error = f"{type(exc).__name__}: {exc}"
            if not isinstance(exc, NarodError):
                error += "\n" + traceback.format_exc(limit=3)
            row.update(status="failed", error=error, wall_time=0.0)
        rows.append(row)
    runs = pa.Table.from_pylist(rows)
    st.write_batch(Path(folder), batch, runs, pa.concat_tables(series) if series else None)
    failed = sum(r["status"] == "failed" for r in rows)
    return len(rows) - failed, failed


def plan(spec: Spec, points: list[dict[str, Any]], replicates: int, master_seed: int):
    """Every run of the experiment: (index, point, seed), replicates of a point adjacent."""
    runs = []
    for i, point in enumerate(points):
        typed = {k: coerce(spec, k, v) for k, v in point.items()}
        for r in range(replicates):
            index = i * replicates + r
            runs.append((index, typed, run_seed(master_seed, index)))
    return runs


def run_experiment(
    spec: Spec,
    points: list[dict[str, Any]],
    store: str | Path,
    *,
    name: str | None = None,
    design: str = "ensemble",
    params: list[dict[str, Any]] | None = None,
    replicates: int = 1,
    master_seed: int = 0,
    batch_size: int = 10,
    workers: int | None = None,
    scheduler: str | None = None,
    resume: bool = False,
    keep_series: bool = True,
    progress: Progress | None = None,
    client: Any | None = None,
) -> Path:
    """Run (or resume) an experiment into ``store``; returns its folder.

    ``client``: a Dask client to share between experiments (it is left open).
    """
    root = st.open_store(store)
    runs = plan(spec, points, replicates, master_seed)
    batches = [runs[i : i + batch_size] for i in range(0, len(runs), batch_size)]
    name = name or f"{spec.scenario.name}-{design}-seed{master_seed}"
    folder = root / name
    if resume:
        if not (folder / "manifest.json").exists():
            raise st.StoreError(f"{folder}: no experiment to resume")
        manifest = st.read_manifest(folder)
        if manifest["runs"] != len(runs) or manifest["master_seed"] != master_seed:
            raise st.StoreError(f"{folder}: --resume needs the same design and seed as before")
        for leftover in folder.glob("*/.batch-*"):  # temporary files of a killed write
            leftover.unlink()
    else:
        manifest = {
            "experiment": name,
            "scenario_name": spec.scenario.name,
            "scenario": to_toml(spec),
            "design": design,
            "params": params or [],
            "replicates": replicates,
            "runs": len(runs),
            "batch_size": batch_size,
            "batches": len(batches),
            "master_seed": master_seed,
            "narod_version": narod.__version__,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        st.create_experiment(root, name, manifest)
    todo = [b for b in range(len(batches)) if b not in st.done_batches(folder)]
    done = sum(len(batches[b]) for b in range(len(batches)) if b not in todo)
    failed = 0
    spec_toml = to_toml(spec)

    def args(b: int) -> tuple:
        batch = batches[b]
        return (spec_toml, str(folder), name, b, [r[0] for r in batch], [r[1] for r in batch],
                [r[2] for r in batch], keep_series)  # fmt: skip

    if progress:
        progress(done, failed, len(runs))
    if workers == 0 and scheduler is None and client is None:
        for b in todo:
            ok, bad = run_batch(*args(b))
            done, failed = done + ok + bad, failed + bad
            if progress:
                progress(done, failed, len(runs))
        st.compact(folder)
        return folder
    with nullcontext(client) if client else dask_client(workers, scheduler) as client:
        from distributed import as_completed

        # A bounded window of tasks in flight keeps the client's memory flat however many
        # runs there are; results are written by the workers and never held here.
        window = 4 * max(1, len(client.scheduler_info()["workers"]))
        pending = iter(todo)

        def submit(b: int):
            return client.submit(run_batch, *args(b), key=f"{name}-batch-{b}", pure=False)

        live = {submit(b) for b in itertools.islice(pending, window)}
        in_flight = as_completed(live)
        try:
            for future in in_flight:
                ok, bad = future.result()
                live.discard(future)
                done, failed = done + ok + bad, failed + bad
                if progress:
                    progress(done, failed, len(runs))
                nxt = next(pending, None)
                if nxt is not None:
                    live.add(new := submit(nxt))
                    in_flight.add(new)
        except BaseException:
            client.cancel(list(live))
            raise
    st.compact(folder)
    return folder


class dask_client:
    """A Dask client: to ``scheduler`` if given, else to a new local cluster on 127.0.0.1."""

    def __init__(self, workers: int | None, scheduler: str | None) -> None:
        self.workers, self.scheduler = workers, scheduler
        self.cluster = None

    def __enter__(self):
        from distributed import Client, LocalCluster

        # Tornado logs an internal error of distributed when Ctrl-C cancels a wait; the
        # interruption itself is reported by the command line.
        logging.getLogger("tornado.application").setLevel(logging.CRITICAL)

        if self.scheduler:
            try:
                self.client = Client(self.scheduler, timeout="5s")
            except (OSError, TimeoutError) as exc:
                raise NarodError(
                    f"--scheduler {self.scheduler}: the Dask scheduler does not answer ({exc})"
                ) from None
            return self.client
        import os

        n = self.workers or os.cpu_count() or 1
        self.cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                    host="127.0.0.1", dashboard_address=None,
                                    silence_logs=logging.ERROR)  # fmt: skip
        self.client = Client(self.cluster)
        return self.client

    def __exit__(self, *exc) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()
