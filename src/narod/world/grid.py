"""The torus grid and the shapes of vision on it.

A neighbourhood is a list of cell offsets, computed once per (metric, radius) and shared by all
cells: the torus is translation-invariant, so nothing is cached per cell (Mesa memoises one list
per cell, which costs memory that grows with the grid).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

METRICS = ("euclidean", "von_neumann", "moore")


class Neighbourhood(NamedTuple):
    """Cell offsets within a vision radius (a tuple, so compiled kernels can take it).

    Attributes
    ----------
    offsets : (K, 2) int32 array of (dx, dy), unique on the torus.
    reach : the largest |dx| or |dy|.
    spans : (2 * reach + 1,) int32 array, for each dy in -reach..reach the half-width of the row
        of cells in the shape (-1 if the row is empty), so a look walks contiguous runs.
    wraps : True when the grid is so small that the shape overlaps itself; then every lookup
        wraps and ``spans`` must not be used.
    steps : (K,) int64 array, the offsets as steps of the row-major cell index
        (``dy * width + dx``): one add instead of two wraps, for a centre at least ``reach``
        cells from every edge.
    """

    offsets: np.ndarray
    reach: int
    spans: np.ndarray
    wraps: bool
    steps: np.ndarray


def in_shape(dx: np.ndarray, dy: np.ndarray, radius: float, metric: str) -> np.ndarray:
    """Which offsets lie within ``radius`` of the centre under ``metric``."""
    if metric == "euclidean":
        return dx * dx + dy * dy <= radius * radius + 1e-9
    if metric == "von_neumann":
        return np.abs(dx) + np.abs(dy) <= radius
    if metric == "moore":
        return np.maximum(np.abs(dx), np.abs(dy)) <= radius
    raise ValueError(f"unknown metric {metric!r}; expected one of {METRICS}")


def neighbourhood(width: int, height: int, radius: float, metric: str) -> Neighbourhood:
    """The vision shape on a ``width`` x ``height`` torus, centre included.

    The centre holds the looking agent itself; each rule counts it (or not) explicitly, which is
    how Mesa's shape (centre excluded) and NetLogo's (centre included) both come out right.
    """
    reach = int(np.floor(radius))
    d = np.arange(-reach, reach + 1)
    dx, dy = np.meshgrid(d, d, indexing="xy")
    dx, dy = dx.ravel(), dy.ravel()
    keep = in_shape(dx, dy, radius, metric)
    dx, dy = dx[keep], dy[keep]
    wraps = 2 * reach + 1 > width or 2 * reach + 1 > height
    if wraps:
        # On a small torus several offsets land on one cell: keep each cell once, as Mesa does.
        cell = (dy % height) * width + (dx % width)
        _, first = np.unique(cell, return_index=True)
        first.sort()
        dx, dy = dx[first], dy[first]
    spans = np.full(2 * reach + 1, -1, dtype=np.int32)
    for row in range(-reach, reach + 1):
        in_row = dx[dy == row]
        if in_row.size:
            spans[row + reach] = int(np.abs(in_row).max())
    offsets = np.stack([dx, dy], axis=1).astype(np.int32)
    steps = dy.astype(np.int64) * width + dx
    return Neighbourhood(offsets, reach, spans, wraps, steps)
