"""Epstein's Model II (communal violence between two groups), sequential activation.

Agents of two groups share the torus. Legitimacy is read as the legitimacy each group grants the
other's existence; "going active" means killing a random member of the other group in vision.
Agents clone and die of age; cops (peacekeepers) arrest the active of either group.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from narod import rng
from narod.mechanisms.ageing import age_one_tick
from narod.mechanisms.jail import serve_one_tick
from narod.mechanisms.killing import kill_one
from narod.mechanisms.policing import set_cops_on_duty
from narod.mechanisms.reproduction import clone
from narod.models.civil_violence import (
    END_OF_TICK,
    ON_ACTIVATION,
    Rules,
    _cops_on_duty,
    _decide,
    _move_random,
    _step_cop,
    reenter,
)
from narod.world.look import count_rows
from narod.world.population import (
    ACTIVE,
    CITIZEN,
    QUIET,
    S_ACTIVE,
    S_DEAD,
    S_JAILED,
    S_QUIET,
    S_RESERVE,
)

COLUMNS = ("group_a", "group_b", "active", "jailed", "cops", "killed", "born", "died")


@njit(cache=True)
def _step_member(w, a, legitimacy, r: Rules, vis, adjacent, kills, clone_p, free_slots, n_free,
                 max_age, t, buf, rows, st):  # fmt: skip
    """One activation of a group member; returns ``(n_free, killed)``."""
    if w.state[a] == S_JAILED:
        if w.jail[a] > 0:
            if r.countdown == ON_ACTIVATION:
                serve_one_tick(w.jail, a)
            return n_free, 0
        if r.keeps_cell:
            w.state[a] = S_QUIET
            w.code[w.position[a]] = QUIET
        elif not reenter(w, a, vis, st):
            return n_free, 0
    if r.citizens_move and not r.decide_first:
        n_emp = count_rows(w.code, w.position[a], w.width, w.height, vis, rows)[2]
        _move_random(w, a, n_emp, vis, rows, st)
    n_cop, n_act, n_emp = count_rows(w.code, w.position[a], w.width, w.height, vis, rows)
    killed = 0
    if _decide(w.state[a] == S_ACTIVE, w.hardship[a], w.risk_aversion[a], n_cop, n_act,
               legitimacy, r):  # fmt: skip
        w.state[a] = S_ACTIVE
        w.code[w.position[a]] = ACTIVE
        if kills:
            victim = kill_one(w, a, vis, buf, st)
            if victim >= 0:
                free_slots[n_free] = victim
                n_free += 1
                killed = 1
                n_emp = count_rows(w.code, w.position[a], w.width, w.height, vis, rows)[2]
    else:
        w.state[a] = S_QUIET
        w.code[w.position[a]] = QUIET
    if r.citizens_move and r.decide_first:
        _move_random(w, a, n_emp, vis, rows, st)
    if clone_p > 0.0 and rng.uniform(st) < clone_p:
        n_free = clone(w, a, adjacent, free_slots, n_free, max_age, t, st)
    return n_free, killed


@njit(cache=True)
def count_groups(w, out_row):
    """Living members per group (free or jailed), actives, jailed, cops on duty."""
    for j in range(5):
        out_row[j] = 0
    for a in range(w.kind.shape[0]):
        s = w.state[a]
        if s == S_DEAD or s == S_RESERVE:
            continue
        if w.kind[a] == CITIZEN:
            out_row[w.group[a]] += 1
            out_row[2] += s == S_ACTIVE
            out_row[3] += s == S_JAILED
        else:
            out_row[4] += 1


@njit(cache=True)
def run_sequential(w, r: Rules, vis_cit, vis_cop, adjacent, kills, clone_p, ageing, max_age,
                   legitimacy, cop_target, t0, t1, order, free_slots, n_free, rows, st,
                   out):  # fmt: skip
    """Advance ticks ``t0+1 .. t1``; returns ``(agent activations, n_free)``."""
    kind, state = w.kind, w.state
    n = kind.shape[0]
    buf = np.empty(vis_cit.offsets.shape[0], np.int64)
    on_duty = _cops_on_duty(kind, state)
    steps = 0
    for t in range(t0 + 1, t1 + 1):
        on_duty = set_cops_on_duty(w.code, w.occupant, w.position, kind, state, cop_target[t],
                                   on_duty, st)  # fmt: skip
        for i in range(n - 1, 0, -1):
            j = rng.randint(st, i + 1)
            order[i], order[j] = order[j], order[i]
        killed = 0
        born_before = n_free
        for i in range(n):
            a = order[i]
            if state[a] == S_DEAD or state[a] == S_RESERVE or w.born[a] == t:
                continue  # empty slot, cop in reserve, or born during this tick
            steps += 1
            if kind[a] == CITIZEN:
                n_free, k = _step_member(
                    w, a, legitimacy[t], r, vis_cit, adjacent, kills, clone_p, free_slots,
                    n_free, max_age, t, buf, rows, st,
                )  # fmt: skip
                killed += k
            else:
                _step_cop(w, a, r, vis_cop, rows, st)  # arrests are not recorded in Model II
        births = born_before + killed - n_free  # each killing frees a slot, each birth takes one
        died = 0
        if ageing:
            n_free, died = age_one_tick(w, free_slots, n_free)
        if r.countdown == END_OF_TICK:
            for a in range(n):
                if state[a] == S_JAILED:
                    serve_one_tick(w.jail, a)
        count_groups(w, out[t])
        out[t, 5] = killed
        out[t, 6] = births
        out[t, 7] = died
    return steps, n_free
