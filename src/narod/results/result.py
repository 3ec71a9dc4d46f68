"""The result of one run: its time series as an Arrow table, and how to save it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from narod.results.files import write_atomic
from narod.results.outbursts import Outbursts, outbursts
from narod.scenario.loading import to_toml
from narod.scenario.schema import Spec


@dataclass
class Result:
    """One run: what ran (``spec``, ``seed``), what came out (``table``), and what it cost."""

    spec: Spec
    seed: int
    table: pa.Table
    wall_time: float
    agent_steps: int
    agents: int

    def to_pandas(self):
        """The time series as a pandas DataFrame (needs pandas)."""
        return self.table.to_pandas()

    def column(self, name: str):
        """One series as a NumPy array."""
        return self.table.column(name).to_numpy()

    @property
    def steps_per_second(self) -> float:
        return self.agent_steps / self.wall_time if self.wall_time > 0 else float("nan")

    def outbursts(self, level: int | None = None) -> Outbursts:
        """Epstein's outburst statistics of the ``active`` series."""
        if "active" not in self.table.column_names:
            raise ValueError("this model has no 'active' series")
        return outbursts(
            self.column("active"), self.spec.outbursts.level if level is None else level
        )

    def write(self, out_dir: str | Path) -> list[Path]:
        """Write ``timeseries.csv``, ``timeseries.parquet`` and ``params.toml``.

        Each file is written under a temporary name and renamed, so it is complete or absent.
        """
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        params = (
            f"# what ran; run it again with: narod run params.toml --seed {self.seed}\n"
            + to_toml(self.spec)
        )
        writers = {
            "timeseries.csv": lambda p: pa_csv.write_csv(self.table, p),
            "timeseries.parquet": lambda p: pq.write_table(self.table, p),
            "params.toml": lambda p: Path(p).write_text(params, encoding="utf-8"),
        }
        for name, write in writers.items():
            write_atomic(out / name, write)
        return [out / name for name in writers]
