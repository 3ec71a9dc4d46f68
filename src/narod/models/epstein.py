"""Assemble Epstein's models from a scenario: place agents, read the rules, run the kernels."""

from __future__ import annotations

import math
import threading

import numpy as np

from narod import rng
from narod.mechanisms.arrest_probability import RULES as RATIO_RULES
from narod.mechanisms.jail import DRAWS
from narod.models import civil_violence, communal_violence, synchronous
from narod.scenario.schedule import curve
from narod.scenario.schema import Spec
from narod.world.grid import neighbourhood
from narod.world.population import S_DEAD, World, place

# Numba's workqueue threading layer (see engine.py) aborts the process if two threads launch
# parallel kernels at once; synchronous runs from several threads take turns instead.
_PARALLEL_LOCK = threading.Lock()


def rules(spec: Spec) -> civil_violence.Rules:
    """The scenario's parameters as the plain numbers the kernels read."""
    jmax = spec.jail.max_term
    alpha = spec.activation.alpha
    return civil_violence.Rules(
        k=spec.arrest_probability.k,
        threshold=spec.activation.threshold,
        jail_factor=1.0 if alpha == 0 else float(jmax**alpha),
        ratio=RATIO_RULES[spec.arrest_probability.ratio],
        self_count=0 if spec.arrest_probability.self_count == "once" else 1,
        max_term=-1 if math.isinf(jmax) else int(jmax),
        draw=DRAWS[spec.jail.draw],
        keeps_cell=bool(spec.jail.keeps_cell),
        countdown=(
            civil_violence.ON_ACTIVATION
            if spec.jail.countdown == "on_activation"
            else civil_violence.END_OF_TICK
        ),
        decide_first=spec.movement.order == "decide_then_move",
        citizens_move=spec.movement.enabled,
        cops_move=spec.movement.cops,
        arrests=spec.arrest.enabled,
        cop_moves_to_site=bool(spec.arrest.cop_moves_to_site),
    )


def cop_targets(spec: Spec, ticks: int) -> np.ndarray:
    """Cops on duty wanted at each tick; -1 (leave as placed) until a schedule takes over."""
    cells = spec.grid.width * spec.grid.height
    targets = np.rint(curve(spec, "population.cop_density", ticks) * cells).astype(np.int64)
    starts = [e.ticks[0] for e in spec.schedule if e.key == "population.cop_density"]
    targets[: min(starts, default=ticks + 1)] = -1
    return targets


def build_world(spec: Spec, seed: np.random.SeedSequence, ticks: int) -> World:
    """Place the initial population; reserve slots for scheduled cops (and births, Model II).

    Model II also gives each agent a group (probability 1/2 each), a death age U{1..max_age}
    and, so that the first generation does not die in one wave, an age U{0..death age - 1}
    (an assumption: the paper does not say how initial ages are set).
    """
    g, p = spec.grid, spec.population
    communal = spec.scenario.model == "communal_violence"
    gen = np.random.default_rng(seed)
    world = place(
        g.width,
        g.height,
        p.citizen_density,
        p.cop_density,
        p.placement,
        int(cop_targets(spec, ticks).max()),
        g.width * g.height if communal else 0,
        gen,
    )
    if communal:
        n = world.capacity
        world.group[:] = gen.integers(0, 2, n)
        world.death_age[:] = 1 + gen.integers(0, spec.ageing.max_age, n)
        world.age[:] = np.floor(gen.random(n) * world.death_age).astype(np.int32)
        world.born[:] = -1
    return world


class EpsteinRun:
    """A run in progress: the world, its random streams, and the counts recorded so far."""

    def __init__(self, spec: Spec, seed: int, ticks: int) -> None:
        setup, stream, counter = np.random.SeedSequence(seed).spawn(3)
        self.spec = spec
        self.ticks = ticks
        self.world = build_world(spec, setup, ticks)
        self.rules = rules(spec)
        g = spec.grid
        self.vision_citizen = neighbourhood(g.width, g.height, spec.vision.citizen,
                                            spec.vision.metric)  # fmt: skip
        self.vision_cop = neighbourhood(g.width, g.height, spec.vision.cop, spec.vision.metric)
        self.legitimacy = curve(spec, "grievance.legitimacy", ticks)
        self.cops = cop_targets(spec, ticks)
        self.stream = rng.stream_state(stream)
        self.key = rng.hash_key(counter)
        sequential = spec.scenario.activation == "sequential"  # Model II is always sequential
        self.order = np.arange(self.world.capacity if sequential else 0, dtype=np.int32)
        reach = max(self.vision_citizen.reach, self.vision_cop.reach)
        self.rows = np.zeros(2 * reach + 1, dtype=np.int64)  # scratch for one look
        self.communal = spec.scenario.model == "communal_violence"
        self.columns = communal_violence.COLUMNS if self.communal else civil_violence.COLUMNS
        self.counts = np.zeros((ticks + 1, len(self.columns)), dtype=np.int64)
        if self.communal:
            self.adjacent = neighbourhood(g.width, g.height, 1, "moore")
            w = self.world
            unused = np.flatnonzero(w.state == S_DEAD)
            self.free_slots = np.zeros(w.capacity, dtype=np.int32)  # a stack of unused slots
            self.free_slots[: unused.size] = unused[::-1]
            self.n_free = int(unused.size)
            communal_violence.count_groups(w.arrays(), self.counts[0])
        else:
            civil_violence.count_states(self.world.kind, self.world.state, self.counts[0])
        self.agent_steps = 0
        self.tick = 0
        if not sequential:  # the schema made sure the vision does not wrap the torus
            shape = synchronous.prefix_shape(g.width, g.height, reach)
            self.prefix = np.zeros(shape, synchronous.PREFIX)
            self.watching = np.zeros(g.width * g.height, dtype=np.uint8)
            self.target = np.full(self.world.capacity, -1, dtype=np.int32)
            self.claim = np.full(g.width * g.height, synchronous.NO_CLAIM, dtype=np.uint64)

    def advance(self, until: int) -> None:
        """Run ticks up to and including ``until``."""
        w = self.world.arrays()
        if self.communal:
            sp = self.spec
            steps, self.n_free = communal_violence.run_sequential(
                w, self.rules, self.vision_citizen, self.vision_cop, self.adjacent,
                sp.killing.enabled, sp.reproduction.clone_probability if sp.reproduction.enabled
                else 0.0, sp.ageing.enabled, sp.ageing.max_age, self.legitimacy, self.cops,
                self.tick, until, self.order, self.free_slots, self.n_free, self.rows, self.stream,
                self.counts,
            )  # fmt: skip
        elif self.spec.scenario.activation == "sequential":
            steps = civil_violence.run_sequential(
                w, self.rules, self.vision_citizen, self.vision_cop, self.legitimacy, self.cops,
                self.tick, until, self.order, self.rows, self.stream, self.counts,
            )  # fmt: skip
        else:
            with _PARALLEL_LOCK:
                steps = synchronous.run_synchronous(
                    w, self.rules, self.vision_citizen, self.vision_cop, self.legitimacy, self.cops,
                    self.tick, until, self.key, self.stream, self.prefix, self.watching,
                    self.target, self.claim, self.counts,
                )  # fmt: skip
        self.agent_steps += int(steps)
        self.tick = until

    def series(self) -> dict[str, np.ndarray]:
        out = {"tick": np.arange(self.ticks + 1)}
        out.update({name: self.counts[:, i] for i, name in enumerate(self.columns)})
        out["legitimacy"] = self.legitimacy
        return out
