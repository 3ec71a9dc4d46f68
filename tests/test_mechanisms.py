"""Each mechanism on a tiny hand-built world, with the effect it must have."""

import numpy as np

from narod import rng
from narod.mechanisms.ageing import age_one_tick
from narod.mechanisms.arrest import arrest
from narod.mechanisms.killing import kill_one, other_group_in_vision
from narod.mechanisms.movement import move_to, random_empty_near
from narod.mechanisms.policing import set_cops_on_duty
from narod.mechanisms.reproduction import clone
from narod.world.grid import neighbourhood
from narod.world.population import (
    ACTIVE,
    COP_KIND,
    EMPTY,
    JAILED,
    NO_AGENT,
    QUIET,
    S_ACTIVE,
    S_DEAD,
    S_JAILED,
    S_QUIET,
    S_RESERVE,
    place,
)


def world(width=9, height=9, citizens=0.3, cops=0.0, cop_capacity=0, extra=0, seed=0):
    return place(width, height, citizens, cops, "exact", cop_capacity, extra,
                 np.random.default_rng(seed))  # fmt: skip


def stream(seed=1):
    return rng.stream_state(np.random.SeedSequence(seed))


def test_move_to_carries_the_agent_and_its_cell_code():
    w = world()
    a = 0
    target = int(np.flatnonzero(w.code == EMPTY)[0])
    old = int(w.position[a])
    move_to(w.code, w.occupant, w.position, a, target)
    assert w.occupant[target] == a and w.position[a] == target
    assert w.code[target] == QUIET and w.code[old] == EMPTY and w.occupant[old] == NO_AGENT
    w.check()


def test_random_empty_near_is_uniform_over_the_empty_cells_in_vision():
    w = world(citizens=0.5)
    vis = neighbourhood(w.width, w.height, 2, "von_neumann")
    cell = int(w.position[0])
    x, y = cell % w.width, cell // w.width
    empties = {((y + dy) % w.height) * w.width + (x + dx) % w.width for dx, dy in vis.offsets}
    empties = sorted(c for c in empties if w.code[c] == EMPTY)
    st = stream()
    draws = [random_empty_near(w.code, cell, w.width, w.height, vis, st) for _ in range(6000)]
    counts = np.array([draws.count(c) for c in empties])
    assert set(draws) == set(empties)
    expected = 6000 / len(empties)
    chi2 = float(((counts - expected) ** 2 / expected).sum())
    assert chi2 < 3 * len(empties)  # far below what a biased choice gives


def test_random_empty_near_on_a_full_grid():
    w = world(citizens=1.0)
    vis = neighbourhood(w.width, w.height, 1.7, "euclidean")
    assert random_empty_near(w.code, 0, w.width, w.height, vis, stream()) == -1


def test_arrest_jails_and_either_keeps_or_frees_the_cell():
    for keeps_cell in (True, False):
        w = world()
        a = 3
        cell = int(w.position[a])
        w.state[a], w.code[cell] = S_ACTIVE, ACTIVE
        assert arrest(w.code, w.occupant, w.state, w.jail, cell, 7, keeps_cell) == a
        assert w.state[a] == S_JAILED and w.jail[a] == 7
        if keeps_cell:
            assert w.code[cell] == JAILED and w.occupant[cell] == a
        else:
            assert w.code[cell] == EMPTY and w.occupant[cell] == NO_AGENT
        w.check()


def test_cops_are_deployed_and_withdrawn_to_the_target():
    w = world(cops=0.05, cop_capacity=20)
    on_duty = w.cops_on_duty()
    st = stream()
    on_duty = set_cops_on_duty(w.code, w.occupant, w.position, w.kind, w.state, 15, on_duty, st)
    assert on_duty == w.cops_on_duty() == 15
    w.check()
    on_duty = set_cops_on_duty(w.code, w.occupant, w.position, w.kind, w.state, 2, on_duty, st)
    assert on_duty == w.cops_on_duty() == 2
    assert np.count_nonzero((w.kind == COP_KIND) & (w.state == S_RESERVE)) == 18
    w.check()
    assert set_cops_on_duty(w.code, w.occupant, w.position, w.kind, w.state, -1, 2, st) == 2


def _two_group_world():
    w = world(citizens=0.6, extra=81)
    n = w.capacity
    w.group[:] = np.arange(n) % 2
    w.death_age[:] = 100
    w.born[:] = -1
    return w


def test_killing_takes_a_member_of_the_other_group_in_vision_only():
    w = _two_group_world()
    vis = neighbourhood(w.width, w.height, 1.7, "euclidean")
    buf = np.empty(vis.offsets.shape[0], np.int64)
    arrays = w.arrays()
    st = stream()
    killed = 0
    for a in range(10):
        if w.state[a] != S_QUIET:
            continue
        n = other_group_in_vision(arrays, a, vis, buf)
        in_sight = set(buf[:n].tolist())
        victim = kill_one(arrays, a, vis, buf, st)
        assert (victim >= 0) == (n > 0)  # a kill exactly when someone of the other group is seen
        if victim >= 0:
            killed += 1
            assert victim in in_sight
            assert w.group[victim] != w.group[a] and w.state[victim] == S_DEAD
            dx = abs(w.position[victim] % 9 - w.position[a] % 9)
            dy = abs(w.position[victim] // 9 - w.position[a] // 9)
            assert min(dx, 9 - dx) <= 1 and min(dy, 9 - dy) <= 1
    assert killed > 0
    w.check()
    lonely = _two_group_world()
    lonely.group[:] = 0  # nobody of the other group anywhere
    assert kill_one(lonely.arrays(), 0, vis, buf, st) == -1


def test_a_clone_is_adjacent_and_inherits_group_and_hardship():
    w = _two_group_world()
    adjacent = neighbourhood(w.width, w.height, 1, "moore")
    free = np.flatnonzero(w.state == S_DEAD).astype(np.int32)
    n_free = free.size
    parent = 5
    n_after = clone(w.arrays(), parent, adjacent, free, n_free, 200, 3, stream())
    if n_after == n_free:  # no empty neighbour for this seed: try another parent
        parent = 6
        n_after = clone(w.arrays(), parent, adjacent, free, n_free, 200, 3, stream())
    assert n_after == n_free - 1
    child = free[n_after]
    assert w.group[child] == w.group[parent] and w.hardship[child] == w.hardship[parent]
    assert w.state[child] == S_QUIET and w.age[child] == 0 and w.born[child] == 3
    assert 1 <= w.death_age[child] <= 200
    dx = abs(w.position[child] % 9 - w.position[parent] % 9)
    dy = abs(w.position[child] // 9 - w.position[parent] // 9)
    assert min(dx, 9 - dx) <= 1 and min(dy, 9 - dy) <= 1
    w.check()


def test_agents_die_at_their_death_age_and_free_their_slot():
    w = _two_group_world()
    alive = np.flatnonzero(w.state == S_QUIET)
    w.age[alive] = 0
    w.death_age[alive] = np.where(np.arange(alive.size) % 3 == 0, 1, 50)
    free = np.zeros(w.capacity, np.int32)
    n_free, deaths = age_one_tick(w.arrays(), free, 0)
    assert deaths == n_free == int(np.count_nonzero(np.arange(alive.size) % 3 == 0))
    assert np.all(w.state[free[:n_free]] == S_DEAD)
    w.check()
