"""Epstein's Model I (civil violence against a central authority), in two activation schemes.

``run_sequential`` is the classic schedule (Epstein, NetLogo, Mesa): each tick, every agent is
activated once in a fresh random order and sees what earlier agents did. ``run_synchronous`` lets
all agents decide on the same snapshot; it is parallel and gives the same result on any number of
threads because every random draw is a hash of (seed, tick, agent, purpose) and every conflict
(two movers wanting one cell) is settled by a hashed priority, not by timing.
"""

from __future__ import annotations

from typing import NamedTuple

from numba import njit, prange

from narod import rng
from narod.mechanisms.activation import is_active, net_risk
from narod.mechanisms.arrest import arrest
from narod.mechanisms.arrest_probability import actives_seen, arrest_probability
from narod.mechanisms.grievance import grievance
from narod.mechanisms.jail import jail_term, serve_one_tick, term_from_uniform
from narod.mechanisms.movement import move_to
from narod.mechanisms.policing import set_cops_on_duty
from narod.world.look import count, count_rows, kth, kth_rows
from narod.world.population import (
    ACTIVE,
    CITIZEN,
    COP_KIND,
    EMPTY,
    JAILED,
    NO_AGENT,
    QUIET,
    S_ACTIVE,
    S_JAILED,
    S_QUIET,
)

COLUMNS = ("active", "quiet", "jailed", "cops", "turned_active", "arrests")
# turned_active: citizens who went from quiet (or jail) to active during the tick, arrested or not
# by its end; arrests: agents jailed during the tick. Both show what end-of-tick counts hide.
ON_ACTIVATION, END_OF_TICK = 0, 1
# Purposes of the counter-based draws of the synchronous scheme.
_P_MOVE, _P_CHOICE, _P_ARREST, _P_TERM = 1, 2, 3, 4


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
        n_emp = count_rows(w.code, w.position[a], w.width, w.height, vis, rows)[2]
        _move_random(w, a, n_emp, vis, rows, st)
    n_cop, n_act, n_emp = count_rows(w.code, w.position[a], w.width, w.height, vis, rows)
    was_active = w.state[a] == S_ACTIVE
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
        n_emp = count_rows(w.code, w.position[c], w.width, w.height, vis, rows)[2]
        _move_random(w, c, n_emp, vis, rows, st)
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


# --------------------------------------------------------------------------------- synchronous


@njit(cache=True, _nrt=False)
def _serve_terms(w, r: Rules, vis, st):
    """Terms run down once per tick; a served term frees the agent to decide this tick."""
    for a in range(w.kind.shape[0]):
        if w.state[a] != S_JAILED:
            continue
        if w.jail[a] > 0:
            serve_one_tick(w.jail, a)
        elif r.keeps_cell:
            w.state[a] = S_QUIET
            w.code[w.position[a]] = QUIET
        else:
            reenter(w, a, vis, st)


# The parallel loops take plain arrays, never the ``Arrays`` tuple: with numba 0.68 writes made
# inside ``prange`` to an array reached through a tuple were sometimes lost (caught by the tests
# comparing these loops with their serial compilation).


@njit(parallel=True, cache=True)
def _decide_all(kind, state, code, position, hardship, risk_aversion, width, height, r: Rules,
                vis, legitimacy):  # fmt: skip
    """Every free citizen decides on the same snapshot of the cells (``code`` is only read).

    Returns how many turned active.
    """
    turned = 0
    for a in prange(kind.shape[0]):
        if kind[a] == CITIZEN and (state[a] == S_QUIET or state[a] == S_ACTIVE):
            n_cop, n_act, _ = count(code, position[a], width, height, vis)
            was_active = state[a] == S_ACTIVE
            active = _decide(was_active, hardship[a], risk_aversion[a], n_cop, n_act,
                             legitimacy, r)  # fmt: skip
            state[a] = S_ACTIVE if active else S_QUIET
            turned += 1 if active and not was_active else 0
    return turned


@njit(parallel=True, cache=True)
def _show_states(kind, state, code, position):
    """Write the decided states into the cells, after everyone has decided."""
    for a in prange(kind.shape[0]):
        if kind[a] == CITIZEN and (state[a] == S_QUIET or state[a] == S_ACTIVE):
            code[position[a]] = ACTIVE if state[a] == S_ACTIVE else QUIET


@njit(parallel=True, cache=True)
def _choose_arrests(kind, state, code, position, width, height, vis, key, t, chosen):
    """Each cop picks one active in vision (reads only, so the picks do not race)."""
    for c in prange(kind.shape[0]):
        chosen[c] = -1
        if kind[c] != COP_KIND or state[c] != S_QUIET:
            continue
        n_act = count(code, position[c], width, height, vis)[1]
        if n_act > 0:
            k = int(rng.hash_uniform(key, t, c, _P_ARREST) * n_act)
            chosen[c] = kth(code, position[c], width, height, vis, ACTIVE, k)


@njit(parallel=True, cache=True)
def _apply_arrests(code, occupant, state, jail, r: Rules, key, t, chosen):
    """Jail the picked agents; two cops picking one agent jail it once, with the same term."""
    for c in prange(chosen.shape[0]):
        cell = chosen[c]
        if cell < 0:
            continue
        agent = occupant[cell]
        # Every write depends only on the arrested agent, so a double arrest writes the same twice.
        state[agent] = S_JAILED
        jail[agent] = term_from_uniform(rng.hash_uniform(key, t, agent, _P_TERM), r.max_term,
                                        r.draw)  # fmt: skip
        code[cell] = JAILED if r.keeps_cell else EMPTY


@njit(parallel=True, cache=True)
def _vacate(occupant, chosen):
    """Without ``keeps_cell`` the jailed leave the lattice (after every arrest has read it)."""
    for c in prange(chosen.shape[0]):
        if chosen[c] >= 0:
            occupant[chosen[c]] = NO_AGENT


@njit(parallel=True, cache=True)
def _choose_moves(kind, state, code, position, width, height, r: Rules, vis_cit, vis_cop, key, t,
                  target):  # fmt: skip
    for a in prange(kind.shape[0]):
        target[a] = -1
        citizen = kind[a] == CITIZEN
        free = state[a] == S_QUIET or (citizen and state[a] == S_ACTIVE)
        if not free or not (r.citizens_move if citizen else r.cops_move):
            continue
        vis = vis_cit if citizen else vis_cop
        n_emp = count(code, position[a], width, height, vis)[2]
        if n_emp > 0:
            k = int(rng.hash_uniform(key, t, a, _P_CHOICE) * n_emp)
            target[a] = kth(code, position[a], width, height, vis, EMPTY, k)


@njit(cache=True, _nrt=False)
def _settle_claims(key, t, target, claim):
    """For each wanted cell, the mover with the lowest hashed priority wins (order-free)."""
    for a in range(target.shape[0]):
        cell = target[a]
        if cell < 0:
            continue
        holder = claim[cell]
        if holder < 0 or rng.hash_u64(key, t, a, _P_MOVE) < rng.hash_u64(key, t, holder, _P_MOVE):
            claim[cell] = a


@njit(parallel=True, cache=True)
def _apply_moves(code, occupant, position, target, claim):
    for a in prange(target.shape[0]):
        cell = target[a]
        if cell >= 0 and claim[cell] == a:  # targets were empty, origins occupied: disjoint
            move_to(code, occupant, position, a, cell)


@njit(parallel=True, cache=True)
def _clear_claims(target, claim):
    for a in prange(target.shape[0]):
        if target[a] >= 0:
            claim[target[a]] = -1


@njit(cache=True)
def _move_all(w, r: Rules, vis_cit, vis_cop, key, t, target, claim):
    _choose_moves(w.kind, w.state, w.code, w.position, w.width, w.height, r, vis_cit, vis_cop,
                  key, t, target)  # fmt: skip
    _settle_claims(key, t, target, claim)
    _apply_moves(w.code, w.occupant, w.position, target, claim)
    _clear_claims(target, claim)


@njit(cache=True)
def run_synchronous(w, r: Rules, vis_cit, vis_cop, legitimacy, cop_target, t0, t1, key, st,
                    target, claim, out):  # fmt: skip
    """Advance ticks ``t0+1 .. t1`` with every agent deciding on the same snapshot.

    A tick: cops deployed or withdrawn, terms served, then (in the scenario's order) moves, and
    decisions followed by arrests. ``target`` (per agent) and ``claim`` (per cell, all -1) are
    scratch arrays.
    """
    on_duty = _cops_on_duty(w.kind, w.state)
    steps = 0
    for t in range(t0 + 1, t1 + 1):
        on_duty = set_cops_on_duty(w.code, w.occupant, w.position, w.kind, w.state,
                                   cop_target[t], on_duty, st)  # fmt: skip
        _serve_terms(w, r, vis_cit, st)
        if not r.decide_first:
            _move_all(w, r, vis_cit, vis_cop, key, t, target, claim)
        turned = _decide_all(w.kind, w.state, w.code, w.position, w.hardship, w.risk_aversion,
                             w.width, w.height, r, vis_cit, legitimacy[t])  # fmt: skip
        _show_states(w.kind, w.state, w.code, w.position)
        count_states(w.kind, w.state, out[t])
        jailed_before = out[t, 2]
        if r.arrests:
            _choose_arrests(w.kind, w.state, w.code, w.position, w.width, w.height, vis_cop, key,
                            t, target)  # fmt: skip
            _apply_arrests(w.code, w.occupant, w.state, w.jail, r, key, t, target)
            if not r.keeps_cell:
                _vacate(w.occupant, target)
                if r.cop_moves_to_site:  # the cop steps onto the freed cell; ties by priority
                    _settle_claims(key, t, target, claim)
                    _apply_moves(w.code, w.occupant, w.position, target, claim)
                    _clear_claims(target, claim)
        if r.decide_first:
            _move_all(w, r, vis_cit, vis_cop, key, t, target, claim)
        count_states(w.kind, w.state, out[t])
        out[t, 4] = turned
        out[t, 5] = out[t, 2] - jailed_before
        steps += out[t, 0] + out[t, 1] + out[t, 2] + out[t, 3]
    return steps
