"""Looking around: what an agent sees within its vision, one byte per cell.

The vision shape is walked row by row (``Neighbourhood.spans``); each row is one or (across the
torus seam) two contiguous runs of cells. A cell's code is turned into a packed count with one
table lookup (cops in bits 0-15, actives in 16-31, empties in 32-47), so counting is one load
and one add per cell, with no branches. Counts include the centre cell, where the looking agent
itself stands; the rules subtract it where it matters.
"""

import numpy as np
from numba import njit

from narod.world.population import ACTIVE, COP, EMPTY

_PACKED = np.zeros(8, dtype=np.int64)
_PACKED[COP] = 1
_PACKED[ACTIVE] = 1 << 16
_PACKED[EMPTY] = 1 << 32
_SHIFT = np.zeros(8, dtype=np.int64)
_SHIFT[ACTIVE] = 16
_SHIFT[EMPTY] = 32
_FIELD = 0xFFFF


@njit(cache=True, _nrt=False)
def _runs(x, half, width):
    """Cell columns ``x - half .. x + half`` on a ring as two inclusive runs (the second may be
    empty: ``b0 > b1``)."""
    lo = x - half
    hi = x + half
    if lo < 0:
        return lo + width, width - 1, 0, hi
    if hi >= width:
        return lo, width - 1, 0, hi - width
    return lo, hi, 1, 0


@njit(cache=True, _nrt=False)
def _row_start(y, dy, height, width):
    yy = y + dy
    if yy < 0:
        yy += height
    elif yy >= height:
        yy -= height
    return yy * width


@njit(cache=True, _nrt=False)
def _packed_row(code, row, a0, a1, b0, b1):
    acc = np.int64(0)
    for c in range(row + a0, row + a1 + 1):
        acc += _PACKED[code[c]]
    for c in range(row + b0, row + b1 + 1):
        acc += _PACKED[code[c]]
    return acc


@njit(cache=True, _nrt=False)
def _packed(code, cell, width, height, vis):
    x = cell % width
    y = cell // width
    acc = np.int64(0)
    if vis.wraps:  # a torus smaller than the shape: visit each distinct cell once
        for k in range(vis.offsets.shape[0]):
            other = ((y + vis.offsets[k, 1]) % height) * width + (x + vis.offsets[k, 0]) % width
            acc += _PACKED[code[other]]
        return acc
    for dy in range(-vis.reach, vis.reach + 1):
        half = vis.spans[dy + vis.reach]
        if half >= 0:
            a0, a1, b0, b1 = _runs(x, half, width)
            acc += _packed_row(code, _row_start(y, dy, height, width), a0, a1, b0, b1)
    return acc


@njit(cache=True, _nrt=False)
def count(code, cell, width, height, vis):
    """``(cops, actives, empties)`` in the vision shape ``vis`` around ``cell``, centre included."""
    acc = _packed(code, cell, width, height, vis)
    return acc & _FIELD, (acc >> 16) & _FIELD, (acc >> 32) & _FIELD


@njit(cache=True, _nrt=False)
def _kth_in_run(code, start, stop, wanted, k):
    """Index of the k-th ``wanted`` cell in ``start .. stop`` (inclusive), or -(k' + 1) where k'
    is what is left of k after this run."""
    for c in range(start, stop + 1):
        if code[c] == wanted:
            if k == 0:
                return c
            k -= 1
    return -(k + 1)


@njit(cache=True, _nrt=False)
def kth(code, cell, width, height, vis, wanted, k):
    """The cell of the ``k``-th (0-based, row-major) cell showing ``wanted``, or -1.

    Whole rows are skipped by their packed count; only the row holding the answer is walked.
    """
    x = cell % width
    y = cell // width
    if vis.wraps:
        for j in range(vis.offsets.shape[0]):
            other = ((y + vis.offsets[j, 1]) % height) * width + (x + vis.offsets[j, 0]) % width
            if code[other] == wanted:
                if k == 0:
                    return other
                k -= 1
        return -1
    shift = _SHIFT[wanted]
    for dy in range(-vis.reach, vis.reach + 1):
        half = vis.spans[dy + vis.reach]
        if half < 0:
            continue
        row = _row_start(y, dy, height, width)
        a0, a1, b0, b1 = _runs(x, half, width)
        in_row = (_packed_row(code, row, a0, a1, b0, b1) >> shift) & _FIELD
        if k >= in_row:
            k -= in_row
            continue
        found = _kth_in_run(code, row + a0, row + a1, wanted, k)
        if found >= 0:
            return found
        return _kth_in_run(code, row + b0, row + b1, wanted, -found - 1)
    return -1


@njit(cache=True, _nrt=False)
def count_rows(code, cell, width, height, vis, rows):
    """As :func:`count`, also keeping each row's packed counts in ``rows`` for :func:`kth_rows`."""
    if vis.wraps:
        return count(code, cell, width, height, vis)
    x = cell % width
    y = cell // width
    acc = np.int64(0)
    for dy in range(-vis.reach, vis.reach + 1):
        half = vis.spans[dy + vis.reach]
        packed = np.int64(0)
        if half >= 0:
            a0, a1, b0, b1 = _runs(x, half, width)
            packed = _packed_row(code, _row_start(y, dy, height, width), a0, a1, b0, b1)
        rows[dy + vis.reach] = packed
        acc += packed
    return acc & _FIELD, (acc >> 16) & _FIELD, (acc >> 32) & _FIELD


@njit(cache=True, _nrt=False)
def kth_rows(code, cell, width, height, vis, rows, wanted, k):
    """:func:`kth` using the row counts a :func:`count_rows` call left in ``rows``: only the row
    holding the answer is walked. The cells must not have changed in between for ``wanted``."""
    if vis.wraps:
        return kth(code, cell, width, height, vis, wanted, k)
    x = cell % width
    y = cell // width
    shift = _SHIFT[wanted]
    for dy in range(-vis.reach, vis.reach + 1):
        in_row = (rows[dy + vis.reach] >> shift) & _FIELD
        if k >= in_row:
            k -= in_row
            continue
        row = _row_start(y, dy, height, width)
        a0, a1, b0, b1 = _runs(x, vis.spans[dy + vis.reach], width)
        found = _kth_in_run(code, row + a0, row + a1, wanted, k)
        if found >= 0:
            return found
        return _kth_in_run(code, row + b0, row + b1, wanted, -found - 1)
    return -1
