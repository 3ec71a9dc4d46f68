"""The fast paths (synchronous scheme, prefetching) give exactly what their plain versions give."""

import numpy as np
import pytest
from scipy import stats

import narod
from narod.mechanisms.arrest_probability import (
    FLOOR,
    LITERAL,
    ROUND,
    arrest_probability,
    arrest_probability_looked_up,
    whole_ratio_table,
)
from narod.models import synchronous as sync
from narod.models.epstein import EpsteinRun
from narod.world.grid import neighbourhood
from narod.world.look import count
from narod.world.population import ACTIVE, EMPTY, place


def _world(width, height, seed=0):
    return place(width, height, 0.6, 0.1, "exact", 0, 0, np.random.default_rng(seed))


@pytest.mark.parametrize(
    "metric,radius,width,height",
    [
        ("von_neumann", 3, 23, 17),
        ("moore", 2, 23, 17),
        ("euclidean", 2.5, 23, 17),
        ("moore", 7, 70_001, 15),
    ],  # fmt: skip
)
def test_a_rows_windows_equal_each_cells_own_look(metric, radius, width, height):
    """Row sums of shifted prefix slices = the shape counted cell by cell, seam rows included.

    The wide grid's running sums pass 2**32 (actives in the upper half), so a wrong window
    there would show that the sums do not wrap harmlessly.
    """
    w = _world(width, height)
    share = 0.2 if width < 1000 else 0.97  # over 65,536 actives in a row of the wide grid
    w.code[np.random.default_rng(1).random(w.code.size) < share] = 2
    vis = neighbourhood(w.width, w.height, radius, metric)
    prefix = np.zeros(sync.prefix_shape(w.width, w.height, vis.reach), sync.PREFIX)
    sync.build_prefix(w.code, w.width, w.height, prefix)
    row = np.empty(w.width, sync.PREFIX)
    xs = np.r_[0:12, w.width - 12 : w.width, np.random.default_rng(2).integers(0, w.width, 30)]
    pad = (prefix.shape[1] - 1 - w.width) // 2
    for y in range(w.height):
        sync.window_row(prefix, y, w.width, w.height, vis.spans, vis.reach, row)
        passes = np.flatnonzero(np.diff(prefix[y].astype(np.int64)) < 0) - pad  # sums pass 2**32
        near = (passes[:, None] + np.arange(-vis.reach - 1, vis.reach + 2)).ravel()
        for x in np.unique(np.r_[xs, near.clip(0, w.width - 1)]):
            cell = y * w.width + x
            cops, actives, _ = count(w.code, cell, w.width, w.height, vis)
            assert row[x] & sync._MASK == cops
            assert row[x] >> sync._ACTIVES == actives
            assert sync.window(prefix, cell, w.width, w.height, vis.spans, vis.reach) == row[x]


@pytest.mark.parametrize("rule", [FLOOR, ROUND, LITERAL])
def test_the_looked_up_arrest_probability_is_the_computed_one(rule):
    table = whole_ratio_table(2.3, 113)
    for cops in range(114):
        for actives in range(1, 30):
            assert arrest_probability_looked_up(cops, actives, 2.3, rule, table) == (
                arrest_probability(cops, actives, 2.3, rule)
            )


def _moving_run(side):
    spec = narod.load_scenario(
        "epstein-mesa",
        **{"grid.width": side, "grid.height": side, "scenario.activation": "synchronous"},
    )
    run = EpsteinRun(spec, 5, 10)
    run.advance(3)
    return run


def test_moves_away_from_the_seam_draw_what_the_plain_draw_gives():
    """The row-batched draws with flat cell steps pick the same cell as the wrapped ones."""
    run = _moving_run(40)
    w, r = run.world, run.rules
    vc, vp = run.vision_citizen, run.vision_cop
    for parity in range(2):
        sync._choose_moves(w.code, w.occupant, w.width, w.height, vc, vp, r, run.key, 4,
                           run.claim, parity)  # fmt: skip
    movers = np.flatnonzero((w.state == 0) | ((w.state == 1) & (w.kind == 0)))
    assert movers.size > 500
    plain = np.empty(movers.size, np.int64)
    for i, a in enumerate(movers):
        vis = vc if w.kind[a] == 0 else vp
        plain[i], _ = sync.random_empty_in_vision(w.code, int(w.position[a]), w.width, w.height,
                                                  vis, run.key, 4, int(a))  # fmt: skip
    assert (w.code[plain] == EMPTY).all()
    claimed = np.flatnonzero(run.claim != sync.NO_CLAIM)
    assert np.array_equal(claimed, np.unique(plain))  # every pick was claimed, nothing else
    winners = (run.claim[claimed] & np.uint64(0xFFFFFFFF)).astype(np.int64)
    assert np.array_equal(plain[np.searchsorted(movers, winners)], claimed)


@pytest.mark.parametrize("metric", ["moore", "von_neumann", "euclidean"])
def test_cops_found_from_the_actives_side_pick_what_their_own_looks_pick(metric):
    spec = narod.load_scenario(
        "epstein-mesa",
        **{"grid.width": 61, "grid.height": 50, "scenario.activation": "synchronous",
           "grievance.legitimacy": 0.4, "vision.metric": metric},
    )  # fmt: skip
    run = EpsteinRun(spec, 3, 10)
    run.advance(2)
    w, vis = run.world, run.vision_cop
    sync.build_prefix(w.code, w.width, w.height, run.prefix)
    by_prefix = np.full(w.capacity, -1, np.int32)
    sync._choose_arrests(w.code, w.occupant, run.prefix, w.width, w.height, vis.spans,
                         vis.reach, run.key, 4, by_prefix)  # fmt: skip
    by_flags = np.full(w.capacity, -1, np.int32)
    for parity in range(2):
        sync._mark_watching_cops(w.code, w.width, w.height, vis, run.watching, parity)
    sync._choose_arrests_watching(w.code, w.occupant, w.width, w.height, vis, run.key, 4,
                                  run.watching, by_flags)  # fmt: skip
    assert (by_prefix >= 0).sum() > 20
    assert np.array_equal(by_prefix, by_flags)
    assert not run.watching.any()


def test_actives_turn_quiet_when_legitimacy_leaves_them_no_grievance():
    """The citizens left off a row's list of possible actives still stop being active."""
    spec = narod.load_scenario(
        "epstein-mesa",
        **{"grid.width": 60, "grid.height": 50, "scenario.activation": "synchronous",
           "grievance.legitimacy": 0.3},
    )  # fmt: skip
    run = EpsteinRun(spec, 2, 8)
    run.advance(3)
    assert run.counts[3, 0] > 100
    run.legitimacy[4:] = 1.0  # grievance H (1 - L) = 0: nobody may stay active
    run.advance(4)
    assert run.counts[4, 0] == 0
    assert not (run.world.code == ACTIVE).any()
    run.world.check()


def test_vision_shapes_are_symmetric():
    """Finding the cops that see an active from the active's side relies on it."""
    for metric in ("moore", "von_neumann", "euclidean"):
        for radius in (1, 2.5, 7):
            pairs = {tuple(o) for o in neighbourhood(50, 50, radius, metric).offsets}
            assert pairs == {(-dx, -dy) for dx, dy in pairs}


def test_a_chosen_cell_is_uniform_over_the_empty_cells_in_vision():
    run = _moving_run(40)
    w = run.world
    vis = run.vision_citizen
    cell = int(w.position[0])
    n_emp = int(count(w.code, cell, w.width, w.height, vis)[2])
    draws = [
        sync.random_empty_in_vision(w.code, cell, w.width, w.height, vis, run.key, t, 0)[0]
        for t in range(200 * n_emp)
    ]
    values, counts = np.unique(draws, return_counts=True)
    assert values.size == n_emp and (w.code[values] == EMPTY).all()
    assert stats.chisquare(counts).pvalue > 1e-3


@pytest.mark.parametrize("preset", ["mesa", "paper", "netlogo"])
def test_a_tick_leaves_the_scratch_arrays_clean(preset):
    """After a tick every claim and flag is cleared and every target is -1, ready for the next
    (jailed agents keep their cell in the mesa preset and leave it in the others)."""
    spec = narod.load_scenario(
        "epstein-mesa",
        **{"grid.width": 70, "grid.height": 70, "scenario.activation": "synchronous",
           "scenario.preset": preset, "movement.order": "move_then_decide",
           "grievance.legitimacy": 0.5},
    )  # fmt: skip
    run = EpsteinRun(spec, 5, 10)
    run.advance(6)
    assert run.counts[1:7, 5].sum() > 0  # some arrests were made
    assert (run.target == -1).all()
    assert (run.claim == sync.NO_CLAIM).all()
    assert not run.watching.any()
    run.world.check()


def test_a_prefetch_is_only_a_hint():
    """It compiles for the arrays the kernels use and changes nothing, even far out of range."""
    from numba import njit

    from narod.prefetch import prefetch

    @njit
    def touch(values, indices):
        for i in indices:
            prefetch(values, i)
        return values.sum()

    for dtype in (np.int8, np.int32, np.float32, np.int64):
        values = np.arange(100, dtype=dtype)
        before = values.copy()
        assert touch(values, np.array([0, 50, 99, 10_000_000])) == before.sum()
        assert np.array_equal(values, before)
