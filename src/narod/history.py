"""The historical record of the February days, shipped with the package.

A copy of the project's shared record (``data/petrograd_1917_february.csv``) with its sources: one
row per quantity and day, with the range the sources give. A run fits a row when its value falls
inside [low, high].
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources

RECORD_FILE = "petrograd_1917_february.csv"


@dataclass(frozen=True)
class Row:
    quantity: str
    day: int | None
    low: float | None
    high: float | None
    best: float | None
    unit: str
    source: str
    confidence: str


def _float(text: str) -> float | None:
    return float(text) if text.strip() else None


def load_record() -> list[Row]:
    """Every row of the packaged record."""
    text = resources.files("narod.data").joinpath(RECORD_FILE).read_text("utf-8")
    return [
        Row(
            quantity=r["quantity"],
            day=int(r["day"]) if r["day"].strip() else None,
            low=_float(r["low"]),
            high=_float(r["high"]),
            best=_float(r["best"]),
            unit=r["unit"],
            source=r["source"],
            confidence=r["confidence"],
        )
        for r in csv.DictReader(text.splitlines())
    ]


def record_row(quantity: str, day: int | None = None) -> Row:
    """One row of the record by quantity (and day)."""
    for row in load_record():
        if row.quantity == quantity and row.day == day:
            return row
    raise KeyError((quantity, day))
