"""The agents of the Epstein models as a struct of arrays, and how they are placed on the grid.

One array per attribute (never a list of objects), so the compiled kernels stream through memory.
Each grid cell holds a small code of what stands on it, so a look around reads one byte per cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

# What a cell shows to an agent looking at it.
EMPTY, QUIET, ACTIVE, JAILED, COP = 0, 1, 2, 3, 4

# Agent kinds and states.
CITIZEN, COP_KIND = 0, 1
S_QUIET, S_ACTIVE, S_JAILED, S_RESERVE, S_DEAD = 0, 1, 2, 3, 4
NO_AGENT = -1


class Arrays(NamedTuple):
    """The world as compiled kernels see it: the arrays of :class:`World` and the grid size."""

    code: np.ndarray
    occupant: np.ndarray
    position: np.ndarray
    kind: np.ndarray
    state: np.ndarray
    hardship: np.ndarray
    risk_aversion: np.ndarray
    jail: np.ndarray
    group: np.ndarray
    age: np.ndarray
    death_age: np.ndarray
    born: np.ndarray
    width: int
    height: int


@dataclass
class World:
    """Everything that changes during a run of an Epstein model.

    Cell arrays have ``width * height`` entries (row-major, ``cell = y * width + x``); agent arrays
    have ``capacity`` entries. Cops that a schedule has not yet deployed, and (Model II) slots
    for agents not yet born, are held in state ``S_RESERVE`` / ``S_DEAD`` off the grid.
    """

    width: int
    height: int
    code: np.ndarray  # int8 per cell: EMPTY, QUIET, ACTIVE, JAILED or COP
    occupant: np.ndarray  # int32 per cell: agent index or NO_AGENT
    position: np.ndarray  # int32 per agent: cell (kept while off the grid, for release)
    kind: np.ndarray  # int8 per agent: CITIZEN or COP_KIND
    state: np.ndarray  # int8 per agent
    hardship: np.ndarray  # float32 per agent, H ~ U(0, 1), fixed
    risk_aversion: np.ndarray  # float32 per agent, R ~ U(0, 1), fixed
    jail: np.ndarray  # int32 per agent: ticks left to serve
    group: np.ndarray  # int8 per agent (Model II; empty in Model I)
    age: np.ndarray  # int32 per agent (Model II; empty in Model I)
    death_age: np.ndarray  # int32 per agent (Model II; empty in Model I)
    born: np.ndarray  # int32 per agent: the tick of birth (Model II; empty in Model I)

    def arrays(self) -> Arrays:
        return Arrays(self.code, self.occupant, self.position, self.kind, self.state,
                      self.hardship, self.risk_aversion, self.jail, self.group, self.age,
                      self.death_age, self.born, self.width, self.height)  # fmt: skip

    @property
    def capacity(self) -> int:
        return int(self.kind.shape[0])

    def citizens_alive(self) -> int:
        alive = (self.state != S_DEAD) & (self.state != S_RESERVE)
        return int(np.count_nonzero(alive & (self.kind == CITIZEN)))

    def cops_on_duty(self) -> int:
        return int(np.count_nonzero((self.kind == COP_KIND) & (self.state != S_RESERVE)))

    def check(self) -> None:
        """Raise AssertionError if the cell and agent arrays disagree (used by tests)."""
        on_grid = np.flatnonzero(self.occupant != NO_AGENT)
        agents = self.occupant[on_grid]
        assert np.unique(agents).size == agents.size, "an agent stands on two cells"
        assert np.array_equal(self.position[agents], on_grid), "position and occupant disagree"
        expected = np.where(self.kind[agents] == COP_KIND, COP, QUIET).astype(np.int8)
        expected[self.state[agents] == S_ACTIVE] = ACTIVE
        expected[self.state[agents] == S_JAILED] = JAILED
        assert np.array_equal(self.code[on_grid], expected), "cell codes disagree with states"
        assert np.all(self.code[self.occupant == NO_AGENT] == EMPTY), "code on an empty cell"
        free = (self.state == S_QUIET) | (self.state == S_ACTIVE)
        assert np.all(self.occupant[self.position[free]] == np.flatnonzero(free)), "free agent off"
        assert np.all(self.jail >= 0), "negative jail term"


def place(
    width: int,
    height: int,
    citizen_density: float,
    cop_density: float,
    placement: str,
    cop_capacity: int,
    extra_slots: int,
    gen: np.random.Generator,
) -> World:
    """Put citizens and cops on random cells.

    ``exact`` places round(density x cells) of each kind on distinct random cells; ``per_cell``
    lets each cell draw its occupant independently, as Mesa's example does (so counts vary by
    seed). Agents are numbered in cell order, citizens and cops mixed, like Mesa's.
    ``cop_capacity`` reserves slots for cops a schedule will deploy later; ``extra_slots``
    reserves slots for births (Model II).
    """
    cells = width * height
    what = np.zeros(cells, dtype=np.int8)
    if placement == "per_cell":
        u = gen.random(cells, dtype=np.float32)
        what[u < citizen_density] = QUIET
        what[(u >= citizen_density) & (u < citizen_density + cop_density)] = COP
        del u
    else:
        n_cit = int(round(citizen_density * cells))
        n_cop = min(int(round(cop_density * cells)), cells - n_cit)
        chosen = np.arange(cells, dtype=np.int32)
        gen.shuffle(chosen)
        what[chosen[:n_cit]] = QUIET
        what[chosen[n_cit : n_cit + n_cop]] = COP
        del chosen
    cells_used = np.flatnonzero(what).astype(np.int32)
    n_placed = cells_used.size
    n_cops = int(np.count_nonzero(what == COP))
    reserve = max(cop_capacity - n_cops, 0)
    capacity = n_placed + reserve + extra_slots

    code = what
    occupant = np.full(cells, NO_AGENT, dtype=np.int32)
    position = np.zeros(capacity, dtype=np.int32)
    kind = np.zeros(capacity, dtype=np.int8)
    state = np.full(capacity, S_DEAD, dtype=np.int8)

    occupant[cells_used] = np.arange(n_placed, dtype=np.int32)
    position[:n_placed] = cells_used
    kind[:n_placed] = np.where(code[cells_used] == COP, COP_KIND, CITIZEN)
    state[:n_placed] = S_QUIET
    kind[n_placed : n_placed + reserve] = COP_KIND
    state[n_placed : n_placed + reserve] = S_RESERVE

    hardship = gen.random(capacity, dtype=np.float32)
    risk = gen.random(capacity, dtype=np.float32)
    # Model II's attributes; Model I never reads them, so it gets empty arrays (less memory).
    lifecycle = capacity if extra_slots else 0
    return World(
        width=width,
        height=height,
        code=code,
        occupant=occupant,
        position=position,
        kind=kind,
        state=state,
        hardship=hardship,
        risk_aversion=risk,
        jail=np.zeros(capacity, dtype=np.int32),
        group=np.zeros(lifecycle, dtype=np.int8),
        age=np.zeros(lifecycle, dtype=np.int32),
        death_age=np.zeros(lifecycle, dtype=np.int32),
        born=np.zeros(lifecycle, dtype=np.int32),
    )
