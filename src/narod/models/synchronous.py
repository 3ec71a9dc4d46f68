"""Epstein's Model I in the synchronous scheme: everyone decides on the same snapshot, in parallel.

A tick runs in phases, each a parallel loop that only reads what the previous phases wrote:
terms are served; citizens decide (rule A) from a snapshot of the grid; cops pick and jail one
active each (rule C); everyone picks a random empty cell in vision and movers that picked the
same cell are settled by a hashed priority (rule M). The scenario's ``movement.order`` puts the
moves first or last.

The result never depends on the number of threads: every draw is a counter-based hash of
(seed, tick, agent, purpose); conflicts are settled by priority, not timing; and work is split
over fixed bands of rows, not over threads.

What citizens see is read from per-row prefix sums of packed counts (cops and actives in 16 bits
each of a uint32), built from the grid before they decide, and summed a whole row at a time.
Cops look the same way when actives are many; when they are few (the quiet spells of the model)
the cops that see one are found from the actives' side and look cell by cell. The hot loops
list the agents of a row that have work to do without a branch and then work through the list:
branches on random data (is this cell a mover? is this draw empty?) cost more than the work.
Loops that visit cells in order ask for the agents' attributes a few cells ahead
(:mod:`narod.prefetch`): moves scatter the agents' numbers, and each such load would wait on memory.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from narod import rng
from narod.mechanisms.activation import is_active, net_risk
from narod.mechanisms.arrest_probability import (
    actives_seen,
    arrest_probability_looked_up,
    whole_ratio_table,
)
from narod.mechanisms.grievance import grievance
from narod.mechanisms.jail import serve_one_tick, term_from_uniform
from narod.mechanisms.movement import move_to
from narod.mechanisms.policing import set_cops_on_duty
from narod.models.civil_violence import Rules, _cops_on_duty, reenter
from narod.prefetch import prefetch
from narod.world.look import count, kth
from narod.world.population import (
    ACTIVE,
    CITIZEN,
    COP,
    EMPTY,
    JAILED,
    NO_AGENT,
    QUIET,
    S_ACTIVE,
    S_JAILED,
    S_QUIET,
)

# Packed (cops, actives) in 16 bits each of a uint32. A window holds at most 101 x 101 cells (the
# schema caps vision at 50), and the prefix sums wrap modulo 2**32 harmlessly: a window is a
# difference of sums taken modulo 2**32, exact because the true value fits.
PREFIX = np.uint32
_MASK = (1 << 16) - 1
_WORD = (1 << 32) - 1
_COPS, _ACTIVES = 0, 16  # bit offsets of the packed fields
# Purposes of the hashed draws: the same (seed, tick, agent) gives independent numbers for each.
_P_MOVE, _P_ARREST, _P_TERM, _P_CHOICE, _P_CHOICE_EXACT = 1, 2, 3, 4, 5
MIN_BAND = 16  # rows per band of moves, at least; bands depend on the grid, never on threads


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


@njit(cache=True, _nrt=False)
def _packed(shown):
    return np.int64(shown == COP) | (np.int64(shown == ACTIVE) << _ACTIVES)


@njit(parallel=True, cache=True)
def build_prefix(code, width, height, prefix):
    """Per row, running sums of packed (cops, actives) modulo 2**32, the row padded by wrapping
    (the row's last ``pad`` cells, the row, its first ``pad`` cells: three loops, no branch)."""
    pad = (prefix.shape[1] - 1 - width) // 2
    for y in prange(height):
        row = code[y * width : (y + 1) * width]
        out = prefix[y]
        out[0] = 0
        acc = np.int64(0)
        for j in range(pad):
            acc += _packed(row[width - pad + j])
            out[j + 1] = acc
        for x in range(width):
            acc += _packed(row[x])
            out[pad + x + 1] = acc
        for j in range(pad):
            acc += _packed(row[j])
            out[pad + width + j + 1] = acc


@njit(cache=True, _nrt=False)
def _wrap(v, n):
    """``v`` within reach of ``0 .. n - 1`` brought back onto the torus."""
    return v + n if v < 0 else (v - n if v >= n else v)


@njit(cache=True, _nrt=False)
def _shifted(x, y, offset, width, height):
    """The cell at ``offset`` (dx, dy) from cell (x, y), across the torus seam if need be."""
    return _wrap(y + offset[1], height) * width + _wrap(x + offset[0], width)


@njit(cache=True, _nrt=False)
def _row_sum(prefix, yy, x, half, pad):
    return (np.int64(prefix[yy, x + half + pad + 1]) - np.int64(prefix[yy, x - half + pad])) & _WORD


@njit(cache=True, _nrt=False)
def window(prefix, cell, width, height, spans, reach):
    """Packed (cops, actives) in the vision shape around ``cell``, centre included."""
    pad = (prefix.shape[1] - 1 - width) // 2
    x = cell % width
    y = cell // width
    total = np.int64(0)
    for dy in range(-reach, reach + 1):
        half = spans[dy + reach]
        if half >= 0:
            total += _row_sum(prefix, _wrap(y + dy, height), x, half, pad)
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
        yy = _wrap(y + dy, height)
        in_row = (_row_sum(prefix, yy, x, half, pad) >> field) & _MASK
        if k >= in_row:
            k -= in_row
            continue
        for dx in range(-half, half + 1):
            other = yy * width + _wrap(x + dx, width)
            if code[other] == wanted:
                if k == 0:
                    return other
                k -= 1
    return -1


# Cells ahead at which the agents' attributes are fetched, in the loops that visit cells in order:
# agents are numbered in cell order at the start, but moves scatter them over many rows, and a
# load of an agent's attribute then waits on memory unless it was asked for early.
_AHEAD_CELLS = 32
_AHEAD_CLAIMS = 8  # claims ahead at which the claimed cell is fetched

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


@njit(cache=True, _nrt=False)
def window_row(prefix, y, width, height, spans, reach, out):
    """Packed (cops, actives) in the vision shape around every cell of row ``y``, into ``out``.

    Sums shifted slices of the shape's prefix rows: contiguous loops the compiler vectorises,
    about four times cheaper per cell than two scattered loads per shape row and agent.
    """
    pad = (prefix.shape[1] - 1 - width) // 2
    out[:] = 0
    for dy in range(-reach, reach + 1):
        half = spans[dy + reach]
        if half < 0:
            continue
        yy = _wrap(y + dy, height)
        right = prefix[yy, pad + half + 1 : pad + half + 1 + width]
        left = prefix[yy, pad - half : pad - half + width]
        for x in range(width):
            out[x] += right[x] - left[x]


@njit(parallel=True, cache=True)
def _decide_all(state, code, occupant, hardship, risk_aversion, prefix, width, height,
                spans, reach, r: Rules, legitimacy, p_table):  # fmt: skip
    """Every free citizen decides on the same snapshot; returns how many turned active.

    Row by row, in cell order: the row's windows are summed at once (:func:`window_row`), the
    citizens whose grievance exceeds the threshold are listed without a branch, and those read
    theirs (no risk can make the others active, so their look changes nothing). The snapshot
    is ``prefix``, so the decisions are shown in ``code`` at once. ``p_table`` is
    :func:`whole_ratio_table` for the citizens' vision.
    """
    turned = 0
    last = code.shape[0] - 1
    for y in prange(height):
        seen = np.empty(width, PREFIX)
        hot = np.empty(width, np.int64)
        window_row(prefix, y, width, height, spans, reach, seen)
        row = y * width
        m = 0
        for x in range(width):  # the row's free citizens who could turn active, without a branch
            ahead = max(occupant[min(row + x + _AHEAD_CELLS, last)], 0)
            prefetch(hardship, ahead)
            prefetch(risk_aversion, ahead)
            prefetch(state, ahead)
            shown = code[row + x]
            a = max(occupant[row + x], 0)  # an empty cell reads agent 0, unused
            free = (shown == QUIET) | (shown == ACTIVE)
            aggrieved = grievance(hardship[a], legitimacy) > r.threshold
            if free and not aggrieved and shown == ACTIVE:  # rare: legitimacy went up
                state[a] = S_QUIET
                code[row + x] = QUIET
            hot[m] = x
            m += free & aggrieved
        for i in range(m):
            x = hot[i]
            a = occupant[row + x]
            was_active = code[row + x] == ACTIVE
            g = grievance(hardship[a], legitimacy)
            n_act = actives_seen(((seen[x] >> _ACTIVES) & _MASK) - (1 if was_active else 0),
                                 was_active, r.self_count)  # fmt: skip
            p = arrest_probability_looked_up(seen[x] & _MASK, n_act, r.k, r.ratio, p_table)
            active = is_active(g, net_risk(risk_aversion[a], p, r.jail_factor), r.threshold)
            state[a] = S_ACTIVE if active else S_QUIET
            code[row + x] = ACTIVE if active else QUIET
            turned += 1 if active and not was_active else 0
    return turned


@njit(parallel=True, cache=True)
def _choose_arrests(code, occupant, prefix, width, height, spans, reach, key, t,
                    chosen):  # fmt: skip
    """Each cop picks one active in vision (reads only, so the picks do not race).

    ``chosen`` (per agent) must be all -1 on entry; :func:`_clear_targets` leaves it so.
    """
    for y in prange(height):
        for cell in range(y * width, (y + 1) * width):
            if code[cell] != COP:  # cops on duty only
                continue
            c = occupant[cell]
            n_act = (window(prefix, cell, width, height, spans, reach) >> _ACTIVES) & _MASK
            if n_act > 0:
                k = int(rng.hash_uniform(key, t, c, _P_ARREST) * n_act)
                chosen[c] = kth_in_window(code, prefix, cell, width, height, spans, reach,
                                          ACTIVE, _ACTIVES, k)  # fmt: skip


@njit(cache=True, _nrt=False)
def few_actives(n_active: int, vis, cells: int) -> bool:
    """Whether cops are better found from the actives' side: fewer cells to visit that way than
    one pass over the grid. Quiet spells of Model I have a few actives in a million citizens.
    """
    return n_active * vis.offsets.shape[0] <= cells


@njit(parallel=True, cache=True)
def _mark_watching_cops(code, width, height, vis, watching, parity):
    """Flag each cop with an active in its vision, visiting the cells around the actives in the
    bands of one ``parity`` (:func:`n_bands`; no two bands of a parity flag the same cell).

    Vision shapes are symmetric, so the cops that see an active are the cops in its shape.
    """
    bands = n_bands(height, vis.reach)
    for half_band in prange((bands + 1 - parity) // 2):
        b = 2 * half_band + parity
        for cell in range(b * height // bands * width, (b + 1) * height // bands * width):
            if code[cell] != ACTIVE:
                continue
            x = cell % width
            y = cell // width
            for j in range(vis.offsets.shape[0]):
                other = _shifted(x, y, vis.offsets[j], width, height)
                if code[other] == COP:
                    watching[other] = 1


@njit(parallel=True, cache=True)
def _choose_arrests_watching(code, occupant, width, height, vis, key, t, watching, chosen):
    """:func:`_choose_arrests` for the flagged cops only, each looking cell by cell; the flags
    are cleared. The same picks, without the prefix table, when actives are few."""
    for y in prange(height):
        for cell in range(y * width, (y + 1) * width):
            if watching[cell] == 0:
                continue
            watching[cell] = 0
            c = occupant[cell]
            n_act = count(code, cell, width, height, vis)[1]
            k = int(rng.hash_uniform(key, t, c, _P_ARREST) * n_act)
            chosen[c] = kth(code, cell, width, height, vis, ACTIVE, k)


@njit(parallel=True, cache=True)
def _apply_arrests(code, occupant, state, jail, r: Rules, key, t, chosen):
    """Jail the picked agents; two cops picking one agent jail it once, with the same term.

    With ``keeps_cell`` nothing else reads the picks, so they are reset to -1 here.
    """
    for c in prange(chosen.shape[0]):
        cell = chosen[c]
        if cell < 0:
            continue
        if r.keeps_cell:
            chosen[c] = -1
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


_TRIES = 32  # rounds of two draws before the empties are counted and one is picked exactly
NO_CLAIM = np.uint64(0xFFFFFFFFFFFFFFFF)
_LOW = np.uint64(0xFFFFFFFF)


@njit(cache=True, _nrt=False)
def _two_indices(stream, n):
    """The next state of an agent's SplitMix64 stream and two indices in [0, n) drawn from its
    output, one from each 32-bit half (scaled by multiplication: no division, bias below
    n / 2**32)."""
    stream, bits = rng.split_mix_next(stream)
    first = ((bits >> np.uint64(32)) * np.uint64(n)) >> np.uint64(32)
    second = ((bits & _LOW) * np.uint64(n)) >> np.uint64(32)
    return stream, first, second


@njit(cache=True, _nrt=False)
def _choice_stream(tick_seed, a):
    """The start of agent ``a``'s stream of move draws; ``tick_seed`` is hashed once per tick."""
    return rng.split_mix(tick_seed, a)


@njit(cache=True, _nrt=False)
def random_empty_in_vision(code, cell, width, height, vis, key, t, a):
    """A uniformly random empty cell in the vision shape around ``cell`` (-1 if none), and the
    agent's random stream as left after the draws.

    Rejection sampling: draw cells of the shape uniformly until one is empty, which is uniform
    over the empty ones. With the usual 20-30 % of empty cells that takes 4-5 draws, made two at
    a time from a SplitMix64 stream seeded by the agent's hash; after ``_TRIES`` rounds the
    empties are counted and one is drawn exactly. :func:`_draw_rounds` makes the same draws for
    cells away from the torus seam, so both give the same cell.
    """
    x = cell % width
    y = cell // width
    stream = _choice_stream(rng.hash_u64(key, t, 0, _P_CHOICE), a)
    for _ in range(_TRIES):
        stream, first, second = _two_indices(stream, vis.offsets.shape[0])
        for j in (first, second):
            other = _shifted(x, y, vis.offsets[j], width, height)
            if code[other] == EMPTY:
                return other, stream
    return _exact_empty(code, cell, width, height, vis, key, t, a), stream


@njit(cache=True, _nrt=False)
def _exact_empty(code, cell, width, height, vis, key, t, a):
    """After ``_TRIES`` misses: count the empties and draw one exactly (-1 if none)."""
    n_emp = count(code, cell, width, height, vis)[2]
    if n_emp == 0:
        return -1
    k = int(rng.hash_uniform(key, t, a, _P_CHOICE_EXACT) * n_emp)
    return kth(code, cell, width, height, vis, EMPTY, k)


@njit(cache=True, _nrt=False)
def _claim(claim, cell, a, stream):
    """Agent ``a`` claims ``cell`` with the next number of its stream as priority; the lowest
    (priority, agent) word keeps it, whatever the order of the claims."""
    mine = (rng.split_mix_next(stream)[1] & ~_LOW) | np.uint64(a)
    claim[cell] = min(mine, claim[cell])  # a store either way: no branch to mispredict


@njit(cache=True, _nrt=False)
def _mover_code(c, r: Rules):
    """What a cell's code says of its occupant's move: 0 none, 1 a citizen's, 2 a cop's.

    Codes QUIET and ACTIVE are free citizens and COP a cop on duty, so the agent arrays are not
    read for the many agents that do not move.
    """
    citizen = (c == QUIET) | (c == ACTIVE)
    # Bitwise, not ``and``/``if``: the compiler keeps it free of branches on random codes.
    return np.int64(citizen & r.citizens_move) | (np.int64((c == COP) & r.cops_move) << 1)


@njit(cache=True, _nrt=False)
def _draw_rounds(code, steps, cells, stream, chosen, looking, m):
    """Rejection draws for the ``m`` movers at ``cells``, all of one vision shape.

    Each round draws twice for every mover still looking (the first empty of the two is the
    pick) and keeps those whose draws both hit an occupied cell: a loop without branches whose
    loads overlap, where one mover's draws after another's stalled on each load and each
    mispredicted exit. The picks go to ``chosen`` (-1 when still looking) and the number still
    looking after ``_TRIES`` rounds is returned; they are listed first in ``looking``. The draws
    are those of :func:`random_empty_in_vision`.
    """
    n = steps.shape[0]
    for i in range(m):
        looking[i] = i
        chosen[i] = -1
    left = m
    for _ in range(_TRIES):
        if left == 0:
            break
        kept = 0
        for i in range(left):  # unsigned indices: no fix-up of negative ones
            p = looking[i]
            stream[p], first, second = _two_indices(stream[p], n)
            one = cells[p] + steps[first]
            two = cells[p] + steps[second]
            empty_one = code[np.uint64(one)] == EMPTY
            empty_two = code[np.uint64(two)] == EMPTY
            chosen[p] = one if empty_one else (two if empty_two else -1)
            looking[np.uint64(kept)] = p
            kept += 0 if empty_one | empty_two else 1
        left = kept
    return left


@njit(cache=True, _nrt=False)
def _seam_moves(code, occupant, start, stop, width, height, vis_cit, vis_cop, r, key, t, claim):
    """Moves drawn with wrapped offsets, for cells ``start .. stop - 1`` near the torus seam."""
    for cell in range(start, stop):
        mover = _mover_code(code[cell], r)
        if mover != 0:
            a = occupant[cell]
            vis = vis_cit if mover == 1 else vis_cop
            there, s = random_empty_in_vision(code, cell, width, height, vis, key, t, a)
            if there >= 0:
                _claim(claim, there, a, s)


@njit(cache=True, _nrt=False)
def _prefetch_row(array, y, width):
    """Fetch row ``y`` of a cell array (one element per 64-byte line)."""
    step = max(64 // array.itemsize, 1)
    for x in range(0, width, step):
        prefetch(array, y * width + x)


@njit(parallel=True, cache=True)
def _choose_moves(code, occupant, width, height, vis_cit, vis_cop, r: Rules, key, t, claim,
                  parity):  # fmt: skip
    """Free agents in the bands of one ``parity`` pick a random empty cell in vision and claim it.

    Bands of rows (:func:`n_bands`) alternate; an agent's target lies within its vision's reach,
    so agents of two bands of the same parity never claim the same cell and the bands of one
    parity run in parallel. Only the claims are kept: the winners are read from them.

    Away from the torus seam a row's citizens and cops are listed without a branch, and their
    draws are made a round at a time with flat cell steps (:func:`_draw_rounds`).
    """
    reach = max(vis_cit.reach, vis_cop.reach)
    bands = n_bands(height, reach)
    tick_seed = rng.hash_u64(key, t, 0, _P_CHOICE)
    for half_band in prange((bands + 1 - parity) // 2):
        b = 2 * half_band + parity
        cells = np.empty((2, width), np.int64)  # the row's movers away from the seam, by kind
        agents = np.empty(width, np.int64)
        stream = np.empty(width, np.uint64)
        chosen = np.empty(width, np.int64)
        looking = np.empty(width, np.uint64)
        first = b * height // bands
        for dy in range(-reach, reach):  # the claim rows the band's first row reaches
            _prefetch_row(claim, _wrap(first + dy, height), width)
        for y in range(first, (b + 1) * height // bands):
            _prefetch_row(claim, _wrap(y + reach, height), width)  # the row first claimed now
            row, end = y * width, (y + 1) * width
            if y < reach or y >= height - reach:
                _seam_moves(code, occupant, row, end, width, height, vis_cit, vis_cop, r, key, t,
                            claim)  # fmt: skip
                continue
            _seam_moves(code, occupant, row, row + reach, width, height, vis_cit, vis_cop, r, key,
                        t, claim)  # fmt: skip
            _seam_moves(code, occupant, end - reach, end, width, height, vis_cit, vis_cop, r, key,
                        t, claim)  # fmt: skip
            n_c = 0
            n_p = 0
            for cell in range(row + reach, end - reach):  # both lists written, one lengthened
                mover = _mover_code(code[cell], r)
                cells[0, n_c] = cell
                cells[1, n_p] = cell
                n_c += mover == 1
                n_p += mover == 2
            for k in range(2):
                vis = vis_cit if k == 0 else vis_cop
                m = n_c if k == 0 else n_p
                for i in range(m):
                    agents[i] = occupant[cells[k, i]]
                    stream[i] = _choice_stream(tick_seed, agents[i])
                left = _draw_rounds(code, vis.steps, cells[k], stream, chosen, looking, m)
                for i in range(left):
                    p = looking[i]
                    chosen[p] = _exact_empty(code, cells[k, p], width, height, vis, key, t,
                                             agents[p])  # fmt: skip
                for p in range(m):
                    prefetch(claim, max(chosen[min(p + _AHEAD_CLAIMS, m - 1)], 0))
                    if chosen[p] >= 0:
                        _claim(claim, chosen[p], agents[p], stream[p])


@njit(parallel=True, cache=True)
def _claim_chosen(occupant, width, height, reach, key, t, target, claim, parity):
    """Claims for cells already chosen (cops stepping onto their arrest site), band by band."""
    bands = n_bands(height, reach)
    for half_band in prange((bands + 1 - parity) // 2):
        b = 2 * half_band + parity
        for cell in range(b * height // bands * width, (b + 1) * height // bands * width):
            a = occupant[cell]
            if a >= 0 and target[a] >= 0:
                _claim(claim, target[a], a, rng.hash_u64(key, t, a, _P_MOVE))


@njit(parallel=True, cache=True)
def _apply_moves(code, occupant, position, claim):
    """Move the winner of each claimed cell there, and reset ``claim``.

    Claimed cells were empty and the winners' cells occupied, so no two moves touch one cell.
    """
    last = claim.shape[0] - 1
    for cell in prange(claim.shape[0]):
        ahead = claim[min(cell + _AHEAD_CELLS, last)]
        prefetch(position, ahead & _LOW if ahead != NO_CLAIM else np.uint64(0))
        word = claim[cell]
        if word != NO_CLAIM:
            move_to(code, occupant, position, int(word & _LOW), cell)
            claim[cell] = NO_CLAIM


@njit(parallel=True, cache=True)
def _clear_targets(target):
    """Reset ``target`` to all -1 after the arrests (jailed agents leaving the grid)."""
    for a in prange(target.shape[0]):
        if target[a] >= 0:
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
def _move_all(w, r: Rules, vis_cit, vis_cop, key, t, claim):
    for parity in range(2):
        _choose_moves(w.code, w.occupant, w.width, w.height, vis_cit, vis_cop, r, key, t, claim,
                      parity)  # fmt: skip
    _apply_moves(w.code, w.occupant, w.position, claim)


@njit(cache=True)
def _pick_arrests(w, vis, key, t, n_active, prefix, watching, chosen):
    """Each cop on duty picks an active in vision into ``chosen``, by the cheaper of two ways."""
    if few_actives(n_active, vis, w.code.shape[0]):
        for parity in range(2):
            _mark_watching_cops(w.code, w.width, w.height, vis, watching, parity)
        _choose_arrests_watching(w.code, w.occupant, w.width, w.height, vis, key, t, watching,
                                 chosen)  # fmt: skip
    else:
        build_prefix(w.code, w.width, w.height, prefix)
        _choose_arrests(w.code, w.occupant, prefix, w.width, w.height, vis.spans, vis.reach, key,
                        t, chosen)  # fmt: skip


@njit(cache=True)
def run_synchronous(w, r: Rules, vis_cit, vis_cop, legitimacy, cop_target, t0, t1, key, st,
                    prefix, watching, target, claim, out):  # fmt: skip
    """Advance ticks ``t0+1 .. t1`` with every agent deciding on the same snapshot.

    ``prefix`` (see :func:`prefix_shape`), ``watching`` (uint8 per cell, all 0), ``target`` (per
    agent, all -1) and ``claim`` (uint64 per cell, all ``NO_CLAIM``) are scratch arrays.
    Returns the number of agent activations.
    """
    on_duty = _cops_on_duty(w.kind, w.state)
    p_table = whole_ratio_table(r.k, vis_cit.offsets.shape[0])
    steps = 0
    for t in range(t0 + 1, t1 + 1):
        on_duty = set_cops_on_duty(w.code, w.occupant, w.position, w.kind, w.state,
                                   cop_target[t], on_duty, st)  # fmt: skip
        if _serve_terms(w.state, w.jail, w.code, w.position, r.keeps_cell) > 0:
            for a in range(w.kind.shape[0]):  # re-entry needs free cells: one at a time
                if w.state[a] == S_JAILED and w.jail[a] == 0:
                    reenter(w, a, vis_cit, st)
        if not r.decide_first:
            _move_all(w, r, vis_cit, vis_cop, key, t, claim)
        build_prefix(w.code, w.width, w.height, prefix)
        turned = _decide_all(w.state, w.code, w.occupant, w.hardship, w.risk_aversion,
                             prefix, w.width, w.height, vis_cit.spans, vis_cit.reach, r,
                             legitimacy[t], p_table)  # fmt: skip
        count_states(w.kind, w.state, out[t])
        jailed_before = out[t, 2]
        if r.arrests:
            _pick_arrests(w, vis_cop, key, t, out[t, 0], prefix, watching, target)
            _apply_arrests(w.code, w.occupant, w.state, w.jail, r, key, t, target)
            if not r.keeps_cell:  # the jailed leave the grid; the picks were not reset
                _vacate(w.occupant, target)
                if r.cop_moves_to_site:  # onto the freed cell; ties by priority
                    for parity in range(2):
                        _claim_chosen(w.occupant, w.width, w.height, vis_cop.reach, key, t,
                                      target, claim, parity)  # fmt: skip
                    _apply_moves(w.code, w.occupant, w.position, claim)
                _clear_targets(target)
        if r.decide_first:
            _move_all(w, r, vis_cit, vis_cop, key, t, claim)
        count_states(w.kind, w.state, out[t])
        out[t, 4] = turned
        out[t, 5] = out[t, 2] - jailed_before
        steps += out[t, 0] + out[t, 1] + out[t, 2] + out[t, 3]
    return steps
