"""Epstein's outburst statistics on hand-made series."""

import numpy as np

from narod import outbursts


def test_outbursts_are_runs_above_the_level():
    active = np.array([0, 10, 60, 100, 51, 50, 0, 0, 70, 80, 20, 0, 55])
    b = outbursts(active, level=50)
    assert b.count == 3
    assert list(b.starts) == [2, 8, 12] and list(b.ends) == [4, 9, 12]
    assert list(b.activation) == [211, 150, 55]
    assert list(b.peaks) == [100, 80, 55]
    assert list(b.waiting_times) == [3, 2]  # quiet ticks between consecutive outbursts


def test_no_outburst():
    b = outbursts(np.zeros(100, int), level=50)
    assert b.count == 0
    assert np.isnan(b.summary()["waiting_time_mean"])


def test_the_paper_example_sums_to_455():
    # MODELS.md 1.3: "60, 100, 120, 95, 80" sums to 455, not the 500 the paper states
    assert outbursts(np.array([0, 60, 100, 120, 95, 80, 0])).activation[0] == 455
