"""The results store: a folder of experiments, each a manifest and Parquet files of runs.

::

    STORE/
      NAME/manifest.json          what ran: scenario, design, seeds, narod version
      NAME/runs/batch-00000.parquet   one row per run: index, seed, parameters, metrics, status
      NAME/series/batch-00000.parquet one row per run and tick (optional)
      NAME/runs/all.parquet           the batches merged, once the experiment has finished

Workers write their own files, each under a temporary name and then renamed, so a file is
complete or absent; a killed experiment resumes by running only the batches with no file.
DuckDB reads the whole store at once (``query``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from narod.errors import NarodError
from narod.results.files import read_parquet, write_atomic


class StoreError(NarodError):
    """The store path or an experiment in it is not usable."""


def open_store(path: str | Path) -> Path:
    """The store folder, created if missing; a path that is a file is an error."""
    store = Path(path)
    if store.exists() and not store.is_dir():
        raise StoreError(f"{store}: the store path is a file; expected a folder")
    store.mkdir(parents=True, exist_ok=True)
    return store


def create_experiment(store: Path, name: str, manifest: dict[str, Any]) -> Path:
    """A new experiment folder; an existing name is never overwritten."""
    folder = store / name
    try:
        folder.mkdir()
    except FileExistsError:
        raise StoreError(
            f"{folder}: an experiment of that name exists; use --resume to continue it or "
            "choose another --name"
        ) from None
    (folder / "runs").mkdir()
    (folder / "series").mkdir()
    path = folder / "manifest.json"
    write_atomic(path, lambda tmp: Path(tmp).write_text(json.dumps(manifest, indent=2)))
    return folder


MANIFEST_KEYS = ("scenario_name", "design", "runs", "master_seed", "narod_version", "created",
                 "batches")  # fmt: skip


def read_manifest(folder: Path) -> dict[str, Any]:
    path = folder / "manifest.json"
    try:
        manifest = json.loads(path.read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise StoreError(f"{path}: cannot read the manifest ({exc})") from None
    missing = [k for k in MANIFEST_KEYS if not isinstance(manifest, dict) or k not in manifest]
    if missing:
        raise StoreError(f"{path}: not a manifest written by narod (no {', '.join(missing)})")
    return manifest


def batch_path(folder: Path, kind: str, batch: int) -> Path:
    return folder / kind / f"batch-{batch:05d}.parquet"


COMPACT = "all.parquet"  # the one file a finished experiment's batches are merged into


def done_batches(folder: Path) -> set[int]:
    """Batches whose run file exists (and is therefore complete); all once compacted."""
    if (folder / "runs" / COMPACT).exists():
        return set(range(read_manifest(folder)["batches"]))
    return {int(p.stem.split("-")[1]) for p in (folder / "runs").glob("batch-*.parquet")}


def files(folder: Path, kind: str) -> list[Path]:
    """The Parquet files holding an experiment's ``runs`` or ``series``."""
    compact = folder / kind / COMPACT
    return [compact] if compact.exists() else sorted((folder / kind).glob("batch-*.parquet"))


def compact(folder: Path) -> None:
    """Merge a finished experiment's batch files into one file per kind.

    The merged file is written (atomically) before the batch files are removed, and once it
    exists the batch files are ignored, so a crash in between loses and duplicates nothing.
    """
    for kind in ("runs", "series"):
        batches = sorted((folder / kind).glob("batch-*.parquet"))
        target = folder / kind / COMPACT
        if batches and not target.exists():
            table = pa.concat_tables([read_parquet(b) for b in batches], promote_options="default")
            write_atomic(target, lambda p, t=table: pq.write_table(t, p))
        if target.exists():
            for b in batches:
                b.unlink()


def write_batch(folder: Path, batch: int, runs: pa.Table, series: pa.Table | None) -> None:
    """Write a batch's files: series first, so a run file always has its series beside it."""
    if series is not None:
        write_atomic(batch_path(folder, "series", batch), lambda p: pq.write_table(series, p))
    write_atomic(batch_path(folder, "runs", batch), lambda p: pq.write_table(runs, p))


def connect(store: str | Path) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with views ``runs``, ``series`` and ``experiments`` over the store."""
    store = Path(store)
    if not store.is_dir():
        raise StoreError(f"{store}: no such store folder")
    con = duckdb.connect()
    rows = []
    for folder in sorted(p for p in store.iterdir() if (p / "manifest.json").exists()):
        m = read_manifest(folder)
        rows.append((folder.name, m["scenario_name"], m["design"], m["runs"], m["master_seed"],
                     m["narod_version"], m["created"], len(done_batches(folder)),
                     m["batches"]))  # fmt: skip
    con.execute(
        "CREATE TABLE experiments (experiment VARCHAR, scenario VARCHAR, design VARCHAR, runs "
        "BIGINT, master_seed BIGINT, narod_version VARCHAR, created VARCHAR, batches_done "
        "BIGINT, batches BIGINT)"
    )
    if rows:
        con.executemany("INSERT INTO experiments VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    folders = sorted(p for p in store.iterdir() if (p / "manifest.json").exists())
    for kind in ("runs", "series"):
        paths = [str(f) for folder in folders for f in files(folder, kind)]
        if paths:
            listed = ", ".join("'" + p.replace("'", "''") + "'" for p in paths)
            try:
                con.execute(
                    f"CREATE VIEW {kind} AS SELECT * FROM read_parquet([{listed}], "
                    "union_by_name = true, filename = true)"
                )
            except duckdb.Error as exc:  # a file damaged outside narod: say which
                raise StoreError(
                    f"{store}: cannot read the {kind} files ({_first_line(exc)})"
                ) from None
    return con


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def status(store: str | Path) -> list[dict[str, Any]]:
    """One row per experiment: name, scenario, runs done, failed, and whether it finished."""
    try:
        return _status(store)
    except duckdb.Error as exc:  # a damaged file found only when read
        raise StoreError(f"{store}: cannot read the store ({_first_line(exc)})") from None


def _status(store: str | Path) -> list[dict[str, Any]]:
    con = connect(store)
    exps = con.execute("SELECT * FROM experiments ORDER BY experiment").fetchall()
    cols = [d[0] for d in con.description]
    counts: dict[str, tuple[int, int]] = {}
    if any(Path(store).glob("*/runs/*.parquet")):
        for name, ok, failed in con.execute(
            "SELECT experiment, count(*) FILTER (WHERE status = 'ok'), "
            "count(*) FILTER (WHERE status = 'failed') FROM runs GROUP BY experiment"
        ).fetchall():
            counts[name] = (ok, failed)
    out = []
    for row in exps:
        rec = dict(zip(cols, row, strict=True))
        ok, failed = counts.get(rec["experiment"], (0, 0))
        finished = rec["batches_done"] == rec["batches"]
        rec.update(ok=ok, failed=failed, status="finished" if finished else "incomplete")
        out.append(rec)
    return out
