"""Epstein's Model I (civil violence against a central authority), sequential activation.

``run_sequential`` is the classic schedule (Epstein, NetLogo, Mesa): each tick, every agent is
activated once in a fresh random order and sees what earlier agents did. The parallel scheme, in
which everyone decides on the same snapshot, is in :mod:`narod.models.synchronous`.

The kernels are compiled without numba's reference counting (``_nrt=False``): they allocate
nothing, and the atomic increments of the counts took 58 % of the time (measured with perf).
"""

from __future__ import annotations

from typing import NamedTuple

from numba import njit

from narod import rng
from narod.mechanisms.activation import is_active, net_risk
from narod.mechanisms.arrest import arrest
from narod.mechanisms.arrest_probability import actives_seen, arrest_probability
from narod.mechanisms.grievance import grievance
from narod.mechanisms.jail import jail_term, serve_one_tick
from narod.mechanisms.movement import move_to, random_empty_near
from narod.mechanisms.policing import set_cops_on_duty
from narod.prefetch import prefetch
from narod.world.look import count, count_rows, kth, kth_rows
from narod.world.population import (
    ACTIVE,
    CITIZEN,
    COP_KIND,
    EMPTY,
    QUIET,
    S_ACTIVE,
    S_JAILED,
    S_QUIET,
)

COLUMNS = ("active", "quiet", "jailed", "cops", "turned_active", "arrests")
# turned_active: citizens who went from quiet (or jail) to active during the tick, arrested or not
# by its end; arrests: agents jailed during the tick. Both show what end-of-tick counts hide.
ON_ACTIVATION, END_OF_TICK = 0, 1


class Rules(NamedTuple):
    """The parameters a kernel reads, as plain numbers (see the scenario schema for meanings)."""

    k: float
    threshold: float
    jail_factor: float  # J_max ** alpha
    ratio: int
    self_count: int
    max_term: int  # -1 = life
    draw: int
    keeps_cell: bool
    countdown: int
    decide_first: bool
    citizens_move: bool
    cops_move: bool
    arrests: bool
    cop_moves_to_site: bool


@njit(cache=True, _nrt=False)
def _decide(was_active, hardship, risk_aversion, n_cop, n_act, legitimacy, r: Rules) -> bool:
    """Rule A for one citizen given what it sees (``n_act`` includes itself if active)."""
    seen = actives_seen(n_act - (1 if was_active else 0), was_active, r.self_count)
    p = arrest_probability(n_cop, seen, r.k, r.ratio)
    g = grievance(hardship, legitimacy)
    return is_active(g, net_risk(risk_aversion, p, r.jail_factor), r.threshold)


@njit(cache=True, _nrt=False)
def _move_random(w, a, n_emp, vis, rows, st):
    """Rule M: jump to a uniformly random empty cell in vision, if there is one.

    ``rows`` holds the row counts of the last :func:`count_rows` from the agent's cell.
    """
    if n_emp > 0:
        k = rng.randint(st, n_emp)
        target = kth_rows(w.code, w.position[a], w.width, w.height, vis, rows, EMPTY, k)
        move_to(w.code, w.occupant, w.position, a, target)


@njit(cache=True, _nrt=False)
def _jump(w, a, vis, st):
    """Rule M without a prior look: a random empty cell found by rejection sampling."""
    target = random_empty_near(w.code, w.position[a], w.width, w.height, vis, st)
    if target >= 0:
        move_to(w.code, w.occupant, w.position, a, target)


# ---------------------------------------------------------------------------------- sequential


@njit(cache=True, _nrt=False)
def reenter(w, a, vis, st) -> bool:
    """A freed prisoner returns to its old cell, or to a random empty cell in vision if taken.

    Returns False (it waits in jail, term served) when there is no room at all.
    """
    cell = w.position[a]
    if w.code[cell] != EMPTY:
        n_emp = count(w.code, cell, w.width, w.height, vis)[2]
        if n_emp == 0:
            return False
        cell = kth(w.code, cell, w.width, w.height, vis, EMPTY, rng.randint(st, n_emp))
    w.code[cell] = QUIET
    w.occupant[cell] = a
    w.position[a] = cell
    w.state[a] = S_QUIET
    return True


@njit(cache=True, _nrt=False)
def _step_citizen(w, a, legitimacy, r: Rules, vis, rows, st) -> int:
    """One activation of citizen ``a``; returns 1 if it turned active."""
    if w.state[a] == S_JAILED:
        if w.jail[a] > 0:
            if r.countdown == ON_ACTIVATION:
                serve_one_tick(w.jail, a)
            return 0
        if r.keeps_cell:
            w.state[a] = S_QUIET
            w.code[w.position[a]] = QUIET
        elif not reenter(w, a, vis, st):
            return 0
    if r.citizens_move and not r.decide_first:
        _jump(w, a, vis, st)
    was_active = w.state[a] == S_ACTIVE
    if grievance(w.hardship[a], legitimacy) <= r.threshold:
        # No risk can make it active (N >= 0): the same decision without looking around.
        w.state[a] = S_QUIET
        w.code[w.position[a]] = QUIET
        if r.citizens_move and r.decide_first:
            _jump(w, a, vis, st)
        return 0
    n_cop, n_act, n_emp = count_rows(w.code, w.position[a], w.width, w.height, vis, rows)
    active = _decide(was_active, w.hardship[a], w.risk_aversion[a], n_cop, n_act, legitimacy, r)
    w.state[a] = S_ACTIVE if active else S_QUIET
    w.code[w.position[a]] = ACTIVE if active else QUIET
    if r.citizens_move and r.decide_first:
        _move_random(w, a, n_emp, vis, rows, st)
    return 1 if active and not was_active else 0


@njit(cache=True, _nrt=False)
def _step_cop(w, c, r: Rules, vis, rows, st) -> int:
    """One activation of cop ``c``; returns 1 if it made an arrest."""
    if r.cops_move and not r.decide_first:
        _jump(w, c, vis, st)
    _, n_act, n_emp = count_rows(w.code, w.position[c], w.width, w.height, vis, rows)
    if r.arrests and n_act > 0:
        k = rng.randint(st, n_act)
        cell = kth_rows(w.code, w.position[c], w.width, w.height, vis, rows, ACTIVE, k)
        arrest(w.code, w.occupant, w.state, w.jail, cell, jail_term(st, r.max_term, r.draw),
               r.keeps_cell)  # fmt: skip
        if r.cop_moves_to_site and w.code[cell] == EMPTY:
            move_to(w.code, w.occupant, w.position, c, cell)
            return 1
        if not r.keeps_cell:  # the arrest freed a cell
            n_emp = count_rows(w.code, w.position[c], w.width, w.height, vis, rows)[2]
    if r.cops_move and r.decide_first:
        _move_random(w, c, n_emp, vis, rows, st)
    return 1 if r.arrests and n_act > 0 else 0


@njit(cache=True, _nrt=False)
def count_states(kind, state, out_row):
    """Active, quiet and jailed citizens, and cops on duty."""
    n_act = 0
    n_quiet = 0
    n_jail = 0
    n_cop = 0
    for i in range(kind.shape[0]):
        s = state[i]
        if kind[i] == CITIZEN:
            n_act += s == S_ACTIVE
            n_quiet += s == S_QUIET
            n_jail += s == S_JAILED
        else:
            n_cop += s == S_QUIET
    out_row[0] = n_act
    out_row[1] = n_quiet
    out_row[2] = n_jail
    out_row[3] = n_cop
    out_row[4] = 0
    out_row[5] = 0


@njit(cache=True, _nrt=False)
def _cops_on_duty(kind, state) -> int:
    n = 0
    for i in range(kind.shape[0]):
        n += kind[i] == COP_KIND and state[i] == S_QUIET
    return n


_AHEAD_ATTRS = 16  # visits ahead at which an agent's own attributes are fetched
_AHEAD = 8  # visits ahead at which the grid rows around it are fetched


@njit(cache=True, _nrt=False)
def _prefetch_attributes(w, a):
    prefetch(w.kind, a)
    prefetch(w.state, a)
    prefetch(w.position, a)
    prefetch(w.hardship, a)
    prefetch(w.risk_aversion, a)


@njit(cache=True, _nrt=False)
def _prefetch_agent(w, a, vis):
    """The grid rows an agent will look at, and its cell (its position was fetched earlier)."""
    cell = w.position[a]
    prefetch(w.occupant, cell)
    x = cell % w.width
    y = cell // w.width
    for dy in range(-vis.reach, vis.reach + 1):
        yy = y + dy
        yy += w.height if yy < 0 else (-w.height if yy >= w.height else 0)
        prefetch(w.code, yy * w.width + x)


@njit(cache=True, _nrt=False)
def run_sequential(w, r: Rules, vis_cit, vis_cop, legitimacy, cop_target, t0, t1, order, rows, st,
                   out):  # fmt: skip
    """Advance ticks ``t0+1 .. t1``; tick t reads ``legitimacy[t]`` and ``cop_target[t]``.

    ``w`` is the world's :class:`~narod.world.population.Arrays`; ``out[t]`` receives the counts
    after tick t; ``order`` (all agents) and ``rows`` (one slot per row of the widest vision)
    are scratch arrays. Returns the number of agent activations performed.
    """
    kind, state = w.kind, w.state
    n = kind.shape[0]
    on_duty = _cops_on_duty(kind, state)
    steps = 0
    for t in range(t0 + 1, t1 + 1):
        on_duty = set_cops_on_duty(w.code, w.occupant, w.position, kind, state, cop_target[t],
                                   on_duty, st)  # fmt: skip
        for i in range(n - 1, 0, -1):  # Fisher-Yates: a fresh random order every tick
            j = rng.randint(st, i + 1)
            order[i], order[j] = order[j], order[i]
        legit = legitimacy[t]
        turned = 0
        arrests = 0
        for i in range(n):
            if i + _AHEAD < n:
                _prefetch_agent(w, order[i + _AHEAD], vis_cit)
            if i + _AHEAD_ATTRS < n:
                _prefetch_attributes(w, order[i + _AHEAD_ATTRS])
            a = order[i]
            if kind[a] == CITIZEN:
                if state[a] <= S_JAILED:
                    turned += _step_citizen(w, a, legit, r, vis_cit, rows, st)
                    steps += 1
            elif state[a] == S_QUIET:
                arrests += _step_cop(w, a, r, vis_cop, rows, st)
                steps += 1
        if r.countdown == END_OF_TICK:
            for a in range(n):
                if state[a] == S_JAILED:
                    serve_one_tick(w.jail, a)
        count_states(kind, state, out[t])
        out[t, 4] = turned
        out[t, 5] = arrests
    return steps
