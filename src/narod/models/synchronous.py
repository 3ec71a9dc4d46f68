"""Epstein's Model I in the synchronous scheme: everyone decides on the same snapshot, in parallel.

A tick runs in phases, each a parallel loop that only reads what the previous phases wrote:
terms are served; citizens decide (rule A) from a snapshot of the grid; cops pick and jail one
active each (rule C); everyone picks a random empty cell in vision and movers that picked the
same cell are settled by a hashed priority (rule M). The scenario's ``movement.order`` puts the
moves first or last.

The result never depends on the number of threads: every draw is a counter-based hash of
(seed, tick, agent, purpose); conflicts are settled by priority, not timing; and work is split
over fixed bands of rows, not over threads.

What agents see is read from per-row prefix sums of packed counts (cops, actives and empties in
21 bits each), rebuilt from the grid before each phase: a look costs two loads per row of the
vision shape instead of one per cell.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from narod import rng
from narod.mechanisms.grievance import grievance
from narod.mechanisms.jail import serve_one_tick, term_from_uniform
from narod.mechanisms.movement import move_to
from narod.mechanisms.policing import set_cops_on_duty
from narod.models.civil_violence import Rules, _cops_on_duty, _decide, reenter
from narod.world.look import count, kth
from narod.world.population import (
    ACTIVE,
    CITIZEN,
    COP,
    COP_KIND,
    EMPTY,
    JAILED,
    NO_AGENT,
    QUIET,
    S_ACTIVE,
    S_JAILED,
    S_QUIET,
)

_MASK = (1 << 21) - 1
_COPS, _ACTIVES, _EMPTIES = 0, 21, 42  # bit offsets of the packed fields
# Purposes of the hashed draws: the same (seed, tick, agent) gives independent numbers for each.
_P_MOVE, _P_ARREST, _P_TERM, _P_CHOICE, _P_CHOICE_EXACT = 1, 2, 3, 4, 5
MIN_BAND = 64  # rows per band of moves, at least; bands depend on the grid, never on threads


@njit(cache=True, _nrt=False)
def n_bands(height, reach):
    """An even number of bands of at least max(MIN_BAND, 2 reach + 1) rows (or one band).

    Even, so that bands of one parity are separated by bands of the other across the torus
    seam too; tall enough that agents of two same-parity bands cannot reach the same cell.
    """
    n = height // max(MIN_BAND, 2 * reach + 1)
    if n >= 2:
        n -= n % 2
    return max(n, 1)


def prefix_shape(width: int, height: int, reach: int) -> tuple[int, int]:
    """Shape of the prefix table for a vision reaching ``reach`` cells."""
    return height, width + 2 * reach + 1


@njit(parallel=True, cache=True)
def build_prefix(code, width, height, prefix):
    """Per row, running sums of packed (cops, actives, empties), the row padded by wrapping."""
    pad = (prefix.shape[1] - 1 - width) // 2
    for y in prange(height):
        acc = np.int64(0)
        base = y * width
        prefix[y, 0] = 0
        for j in range(width + 2 * pad):
            x = j - pad
            if x < 0:
                x += width
            elif x >= width:
                x -= width
            v = code[base + x]
            acc += (
                np.int64(v == COP)
                | (np.int64(v == ACTIVE) << _ACTIVES)
                | (np.int64(v == EMPTY) << _EMPTIES)
            )
            prefix[y, j + 1] = acc


@njit(cache=True, _nrt=False)
def _row_sum(prefix, yy, x, half, pad):
    return prefix[yy, x + half + pad + 1] - prefix[yy, x - half + pad]


@njit(cache=True, _nrt=False)
def window(prefix, cell, width, height, spans, reach):
    """Packed (cops, actives, empties) in the vision shape around ``cell``, centre included."""
    pad = (prefix.shape[1] - 1 - width) // 2
    x = cell % width
    y = cell // width
    total = np.int64(0)
    for dy in range(-reach, reach + 1):
        half = spans[dy + reach]
        if half >= 0:
            yy = y + dy
            if yy < 0:
                yy += height
            elif yy >= height:
                yy -= height
            total += _row_sum(prefix, yy, x, half, pad)
    return total


@njit(cache=True, _nrt=False)
def kth_in_window(code, prefix, cell, width, height, spans, reach, wanted, field, k):
    """The k-th (0-based, row-major) cell showing ``wanted`` in the shape; rows are skipped by
    their prefix counts, and only the row holding the answer is walked."""
    pad = (prefix.shape[1] - 1 - width) // 2
    x = cell % width
    y = cell // width
    for dy in range(-reach, reach + 1):
        half = spans[dy + reach]
        if half < 0:
            continue
        yy = y + dy
        if yy < 0:
            yy += height
        elif yy >= height:
            yy -= height
        in_row = (_row_sum(prefix, yy, x, half, pad) >> field) & _MASK
        if k >= in_row:
            k -= in_row
            continue
        for dx in range(-half, half + 1):
            xx = x + dx
            if xx < 0:
                xx += width
            elif xx >= width:
                xx -= width
            other = yy * width + xx
            if code[other] == wanted:
                if k == 0:
                    return other
                k -= 1
    return -1


# The parallel loops take plain arrays, never the ``Arrays`` tuple: with numba 0.68 writes made
# inside ``prange`` to an array reached through a tuple were sometimes lost (caught by the tests).


@njit(parallel=True, cache=True)
def _serve_terms(state, jail, code, position, keeps_cell):
    """Terms run down once per tick; with ``keeps_cell`` a served term frees the agent in place.

    Returns how many served their term and wait to re-enter the grid (without ``keeps_cell``).
    """
    waiting = 0
    for a in prange(state.shape[0]):
        if state[a] == S_JAILED:
            if jail[a] > 0:
                serve_one_tick(jail, a)
            elif keeps_cell:
                state[a] = S_QUIET
                code[position[a]] = QUIET
            else:
                waiting += 1
    return waiting


@njit(parallel=True, cache=True)
def _decide_all(kind, state, occupant, hardship, risk_aversion, prefix, width, height, spans,
                reach, r: Rules, legitimacy):  # fmt: skip
    """Every free citizen decides on the same snapshot; returns how many turned active.

    Agents are visited in cell order, so neighbouring looks reuse the same rows of ``prefix``
    from the cache (visiting them in agent order was several times slower on large grids).
    """
    turned = 0
    for y in prange(height):
        for cell in range(y * width, (y + 1) * width):
            a = occupant[cell]
            if a < 0 or kind[a] != CITIZEN or (state[a] != S_QUIET and state[a] != S_ACTIVE):
                continue
            was_active = state[a] == S_ACTIVE
            if grievance(hardship[a], legitimacy) <= r.threshold:
                state[a] = S_QUIET  # no risk can make it active: skip the look (same result)
                continue
            seen = window(prefix, cell, width, height, spans, reach)
            active = _decide(was_active, hardship[a], risk_aversion[a], seen & _MASK,
                             (seen >> _ACTIVES) & _MASK, legitimacy, r)  # fmt: skip
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
def _choose_arrests(kind, state, code, occupant, prefix, width, height, spans, reach, key, t,
                    chosen):  # fmt: skip
    """Each cop picks one active in vision (reads only, so the picks do not race).

    ``chosen`` (per agent) must be all -1 on entry; :func:`_clear_claims` leaves it so.
    """
    for y in prange(height):
        for cell in range(y * width, (y + 1) * width):
            c = occupant[cell]
            if c < 0 or kind[c] != COP_KIND or state[c] != S_QUIET:
                continue
            n_act = (window(prefix, cell, width, height, spans, reach) >> _ACTIVES) & _MASK
            if n_act > 0:
                k = int(rng.hash_uniform(key, t, c, _P_ARREST) * n_act)
                chosen[c] = kth_in_window(code, prefix, cell, width, height, spans, reach,
                                          ACTIVE, _ACTIVES, k)  # fmt: skip


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


@njit(cache=True, _nrt=False)
def random_empty_in_vision(code, cell, width, height, vis, key, t, a):
    """A uniformly random empty cell in the vision shape around ``cell`` (-1 if none), and the
    agent's random stream as left after the draws.

    Rejection sampling: draw cells of the shape uniformly until one is empty, which is uniform
    over the empty ones. With the usual 20-30 % of empty cells that takes 4-5 draws (two per
    64 bits of an xorshift stream seeded by the agent's hash); after 64 misses the empties are
    counted and one is drawn exactly.
    """
    x = cell % width
    y = cell // width
    reach = vis.reach
    inside = reach <= x < width - reach and reach <= y < height - reach
    n = vis.offsets.shape[0]
    state = rng.hash_u64(key, t, a, _P_CHOICE) | np.uint64(1)
    for _ in range(32):
        state = rng.xorshift(state)
        bits = rng.xorshift_output(state)
        for half in range(2):
            j = ((bits >> np.uint64(32 * half)) & np.uint64(0xFFFFFFFF)) * np.uint64(n)
            j = int(j >> np.uint64(32))
            dx = vis.offsets[j, 0]
            dy = vis.offsets[j, 1]
            if inside:  # no torus seam within reach: plain arithmetic
                other = cell + dy * width + dx
            else:
                xx = x + dx
                xx += width if xx < 0 else (-width if xx >= width else 0)
                yy = y + dy
                yy += height if yy < 0 else (-height if yy >= height else 0)
                other = yy * width + xx
            if code[other] == EMPTY:
                return other, state
    n_emp = count(code, cell, width, height, vis)[2]
    if n_emp == 0:
        return -1, state
    k = int(rng.hash_uniform(key, t, a, _P_CHOICE_EXACT) * n_emp)
    return kth(code, cell, width, height, vis, EMPTY, k), state


@njit(cache=True, _nrt=False)
def _claim(claim, priority, cell, a, mine):
    """Agent ``a`` claims ``cell`` with random priority ``mine``; the lowest keeps it
    (order-free; equal priorities go to the lower agent index)."""
    holder = claim[cell]
    if holder < 0 or mine < priority[cell] or (mine == priority[cell] and a < holder):
        claim[cell] = a
        priority[cell] = mine


@njit(parallel=True, cache=True)
def _choose_moves(kind, state, code, occupant, width, height, vis_cit, vis_cop, r: Rules, key, t,
                  target, claim, priority, parity):  # fmt: skip
    """Free agents in the bands of one ``parity`` pick a random empty cell in vision and claim it.

    Bands of rows (:func:`n_bands`) alternate; an agent's target lies within its vision's reach,
    so agents of two bands of the same parity never claim the same cell and the bands of one
    parity run in parallel. ``target`` must be all -1 on entry.
    """
    bands = n_bands(height, max(vis_cit.reach, vis_cop.reach))
    for half_band in prange((bands + 1 - parity) // 2):
        b = 2 * half_band + parity
        for cell in range(b * height // bands * width, (b + 1) * height // bands * width):
            a = occupant[cell]
            if a < 0:
                continue
            citizen = kind[a] == CITIZEN
            free = state[a] == S_QUIET or (citizen and state[a] == S_ACTIVE)
            if not free or not (r.citizens_move if citizen else r.cops_move):
                continue
            vis = vis_cit if citizen else vis_cop
            chosen, stream = random_empty_in_vision(code, cell, width, height, vis, key, t, a)
            target[a] = chosen
            if chosen >= 0:  # the priority: the next number of the agent's own stream
                mine = rng.xorshift_output(rng.xorshift(stream)) >> np.uint64(32)
                _claim(claim, priority, chosen, a, np.uint32(mine))


@njit(parallel=True, cache=True)
def _claim_chosen(occupant, width, height, reach, key, t, target, claim, priority, parity):
    """Claims for cells already chosen (cops stepping onto their arrest site), band by band."""
    bands = n_bands(height, reach)
    for half_band in prange((bands + 1 - parity) // 2):
        b = 2 * half_band + parity
        for cell in range(b * height // bands * width, (b + 1) * height // bands * width):
            a = occupant[cell]
            if a >= 0 and target[a] >= 0:
                mine = rng.hash_u64(key, t, a, _P_MOVE) >> np.uint64(32)
                _claim(claim, priority, target[a], a, np.uint32(mine))


@njit(parallel=True, cache=True)
def _apply_moves(code, occupant, position, target, claim):
    for a in prange(target.shape[0]):
        cell = target[a]
        if cell >= 0 and claim[cell] == a:  # targets were empty, origins occupied: disjoint
            move_to(code, occupant, position, a, cell)


@njit(parallel=True, cache=True)
def _clear_claims(target, claim):
    """Reset ``claim`` and ``target`` to all -1 (touching only what was set)."""
    for a in prange(target.shape[0]):
        if target[a] >= 0:
            claim[target[a]] = -1
            target[a] = -1


@njit(parallel=True, cache=True)
def count_states(kind, state, out_row):
    """Active, quiet and jailed citizens, and cops on duty (a parallel reduction)."""
    n_act = 0
    n_quiet = 0
    n_jail = 0
    n_cop = 0
    for i in prange(kind.shape[0]):
        s = state[i]
        citizen = kind[i] == CITIZEN
        n_act += 1 if citizen and s == S_ACTIVE else 0
        n_quiet += 1 if citizen and s == S_QUIET else 0
        n_jail += 1 if citizen and s == S_JAILED else 0
        n_cop += 1 if not citizen and s == S_QUIET else 0
    out_row[0] = n_act
    out_row[1] = n_quiet
    out_row[2] = n_jail
    out_row[3] = n_cop


@njit(cache=True)
def _move_all(w, r: Rules, vis_cit, vis_cop, key, t, target, claim, priority):
    for parity in range(2):
        _choose_moves(w.kind, w.state, w.code, w.occupant, w.width, w.height, vis_cit, vis_cop,
                      r, key, t, target, claim, priority, parity)  # fmt: skip
    _apply_moves(w.code, w.occupant, w.position, target, claim)
    _clear_claims(target, claim)


@njit(cache=True)
def run_synchronous(w, r: Rules, vis_cit, vis_cop, legitimacy, cop_target, t0, t1, key, st,
                    prefix, target, claim, priority, out):  # fmt: skip
    """Advance ticks ``t0+1 .. t1`` with every agent deciding on the same snapshot.

    ``prefix`` (see :func:`prefix_shape`), ``target`` (per agent, all -1), ``claim`` (per cell,
    all -1) and ``priority`` (per cell) are scratch arrays. Returns the number of agent activations.
    """
    on_duty = _cops_on_duty(w.kind, w.state)
    steps = 0
    for t in range(t0 + 1, t1 + 1):
        on_duty = set_cops_on_duty(w.code, w.occupant, w.position, w.kind, w.state,
                                   cop_target[t], on_duty, st)  # fmt: skip
        if _serve_terms(w.state, w.jail, w.code, w.position, r.keeps_cell) > 0:
            for a in range(w.kind.shape[0]):  # re-entry needs free cells: one at a time
                if w.state[a] == S_JAILED and w.jail[a] == 0:
                    reenter(w, a, vis_cit, st)
        if not r.decide_first:
            _move_all(w, r, vis_cit, vis_cop, key, t, target, claim, priority)
        build_prefix(w.code, w.width, w.height, prefix)
        turned = _decide_all(w.kind, w.state, w.occupant, w.hardship, w.risk_aversion, prefix,
                             w.width, w.height, vis_cit.spans, vis_cit.reach, r,
                             legitimacy[t])  # fmt: skip
        _show_states(w.kind, w.state, w.code, w.position)
        count_states(w.kind, w.state, out[t])
        jailed_before = out[t, 2]
        if r.arrests:
            build_prefix(w.code, w.width, w.height, prefix)
            _choose_arrests(w.kind, w.state, w.code, w.occupant, prefix, w.width, w.height,
                            vis_cop.spans, vis_cop.reach, key, t, target)  # fmt: skip
            _apply_arrests(w.code, w.occupant, w.state, w.jail, r, key, t, target)
            if not r.keeps_cell:
                _vacate(w.occupant, target)
            if r.cop_moves_to_site and not r.keeps_cell:  # onto the freed cell; ties by priority
                for parity in range(2):
                    _claim_chosen(w.occupant, w.width, w.height, vis_cop.reach, key, t, target,
                                  claim, priority, parity)  # fmt: skip
                _apply_moves(w.code, w.occupant, w.position, target, claim)
            _clear_claims(target, claim)  # claims were not set: this resets ``target``
        if r.decide_first:
            _move_all(w, r, vis_cit, vis_cop, key, t, target, claim, priority)
        count_states(w.kind, w.state, out[t])
        out[t, 4] = turned
        out[t, 5] = out[t, 2] - jailed_before
        steps += out[t, 0] + out[t, 1] + out[t, 2] + out[t, 3]
    return steps
