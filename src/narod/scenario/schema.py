"""The scenario schema: every key a scenario file may hold, its type, range and meaning.

Sections follow the mechanisms (one section each), so switching a mechanism off or changing one of
its parameters is one ``--set section.key=value``. Unknown keys are errors, never ignored.
"""

from __future__ import annotations

import math
from typing import Any, Literal

from pydantic import Field, model_validator

from narod.scenario import city_schema as cs
from narod.scenario.section import Section

Model = Literal["civil_violence", "communal_violence", "threshold", "threshold_grid", "city"]
Activation = Literal["sequential", "synchronous"]


class ScenarioInfo(Section):
    name: str = "unnamed"
    model: Model = "civil_violence"
    description: str = ""
    ticks: int = Field(1000, ge=0, le=100_000_000, description="number of ticks to run")
    activation: Activation = "sequential"
    episode: str = Field("", description="the episode folder of a city scenario (name or path)")
    preset: Literal["paper", "netlogo", "mesa", "none"] = Field(
        "none", description="fills the implementation choices that the file leaves unset"
    )


class Grid(Section):
    width: int = Field(40, ge=1, le=60000)
    height: int = Field(40, ge=1, le=60000)


class Population(Section):
    citizen_density: float = Field(0.7, ge=0.0, le=1.0)
    cop_density: float = Field(0.04, ge=0.0, le=1.0)
    placement: Literal["exact", "per_cell"] = Field(
        "exact",
        description="exact: round(density * cells) of each kind at random cells; "
        "per_cell: each cell draws its kind independently (Mesa)",
    )

    @model_validator(mode="after")
    def _fits(self) -> Population:
        if self.citizen_density + self.cop_density > 1.0 + 1e-12:
            raise ValueError(
                f"citizen_density + cop_density must be at most 1 "
                f"(got {self.citizen_density} + {self.cop_density})"
            )
        return self


class Grievance(Section):
    legitimacy: float = Field(0.8, ge=0.0, le=1.0, description="L in G = H (1 - L)")


class Activation_(Section):
    threshold: float = Field(0.1, ge=0.0, description="T: active iff G - N > T")
    alpha: float = Field(0.0, ge=0.0, le=10.0, description="N = R P J_max^alpha; 0 is the paper")


class ArrestProbability(Section):
    k: float = Field(2.302585092994046, gt=0.0, le=1e6, description="P = 1 - exp(-k ratio(C/A))")
    ratio: Literal["floor", "round", "literal"] | None = None
    self_count: Literal["once", "twice_when_active"] | None = None


class Vision(Section):
    citizen: float = Field(7.0, ge=1.0, le=50.0)
    cop: float = Field(7.0, ge=1.0, le=50.0)
    metric: Literal["euclidean", "von_neumann", "moore"] | None = None


class Movement(Section):
    enabled: bool = Field(True, description="citizens move (rule M)")
    cops: bool = Field(True, description="cops move (NetLogo moves cops even without movement)")
    order: Literal["decide_then_move", "move_then_decide"] | None = None


class Arrest(Section):
    enabled: bool = True
    cop_moves_to_site: bool | None = None


class Jail(Section):
    max_term: float = Field(
        30, ge=0.0, allow_inf_nan=True, description="J_max; inf means life, else below 2**31 - 1"
    )
    draw: Literal["zero_to_max", "zero_to_max_minus_one", "one_to_max"] | None = None
    keeps_cell: bool | None = Field(None, description="jailed agents keep blocking their cell")
    countdown: Literal["on_activation", "end_of_tick"] | None = None

    @model_validator(mode="after")
    def _integral(self) -> Jail:
        if math.isnan(self.max_term):
            raise ValueError("max_term must be a whole number or inf (got nan)")
        if not math.isinf(self.max_term) and (
            self.max_term != int(self.max_term) or self.max_term >= 2**31 - 1
        ):
            raise ValueError(
                f"max_term must be a whole number below 2147483647, or inf (got {self.max_term})"
            )
        return self


class Killing(Section):
    """Model II: an active agent kills one random member of the other group in vision."""

    enabled: bool = True


class Reproduction(Section):
    enabled: bool = True
    clone_probability: float = Field(0.05, ge=0.0, le=1.0)


class Ageing(Section):
    enabled: bool = True
    max_age: int = Field(200, ge=1)


class Thresholds(Section):
    """Granovetter's threshold model (population-wide or on a grid)."""

    distribution: Literal["uniform", "normal", "list"] = "uniform"
    n: int = Field(100, ge=1, le=100_000_000)
    mean: float = 25.0
    sd: float = Field(10.0, ge=0.0)
    values: list[float] = Field(default_factory=list, description="explicit thresholds (list)")
    radius: int = Field(1, ge=1, description="grid version: Moore radius of what a cell sees")
    seeds: int = Field(1, ge=0, description="grid version: instigators placed at random")


class Outbursts(Section):
    level: int = Field(50, ge=0, description="an outburst is a run of ticks with actives > level")


class ScheduleEntry(Section):
    """A time-varying input: a piecewise curve over ticks for one scheduled key."""

    key: Literal["grievance.legitimacy", "population.cop_density"]
    ticks: list[int] = Field(min_length=1)
    values: list[float] = Field(min_length=1)
    interpolation: Literal["linear", "step"] = "linear"

    @model_validator(mode="after")
    def _aligned(self) -> ScheduleEntry:
        if len(self.ticks) != len(self.values):
            raise ValueError("ticks and values must have the same length")
        if any(b <= a for a, b in zip(self.ticks, self.ticks[1:], strict=False)):
            raise ValueError("ticks must increase strictly")
        if any(t < 0 for t in self.ticks):
            raise ValueError("ticks must be non-negative")
        if any(not 0.0 <= v <= 1.0 for v in self.values):
            raise ValueError("values must lie in [0, 1]")
        return self


class Spec(Section):
    """A whole validated scenario."""

    scenario: ScenarioInfo = Field(default_factory=ScenarioInfo)
    grid: Grid = Field(default_factory=Grid)
    population: Population = Field(default_factory=Population)
    grievance: Grievance = Field(default_factory=Grievance)
    activation: Activation_ = Field(default_factory=Activation_)
    arrest_probability: ArrestProbability = Field(default_factory=ArrestProbability)
    vision: Vision = Field(default_factory=Vision)
    movement: Movement = Field(default_factory=Movement)
    arrest: Arrest = Field(default_factory=Arrest)
    jail: Jail = Field(default_factory=Jail)
    killing: Killing = Field(default_factory=Killing)
    reproduction: Reproduction = Field(default_factory=Reproduction)
    ageing: Ageing = Field(default_factory=Ageing)
    thresholds: Thresholds = Field(default_factory=Thresholds)
    outbursts: Outbursts = Field(default_factory=Outbursts)
    schedule: list[ScheduleEntry] = Field(default_factory=list)
    # The city model: an episode's data and the shared behaviour (narod.scenario.city_schema).
    calendar: cs.Calendar | None = None
    city: cs.City | None = None
    strength: cs.Strength | None = None
    vanguard: cs.Vanguard | None = None
    inputs: dict[str, cs.AnyInput] | None = None
    people: cs.People | None = None
    bread: cs.Bread | None = None
    legitimacy: cs.Legitimacy | None = None
    strike: cs.Strike | None = None
    agitation: cs.Agitation | None = None
    marching: cs.Marching | None = None
    police: cs.Police | None = None
    cavalry: cs.Cavalry | None = None
    fraternization: cs.Fraternization | None = None
    firing: cs.Firing | None = None
    defection: cs.Defection | None = None
    regime: cs.Regime | None = None
    arms: cs.Arms | None = None
    parties: cs.Parties | None = None
    curfew: cs.Curfew | None = None
    communications: cs.Communications | None = None
    command: cs.Command | None = None
    occupation: cs.Occupation | None = None
    irregulars: cs.Irregulars | None = None
    combat: cs.Combat | None = None
    variants: dict[str, dict[str, Any]] = Field(
        default_factory=dict, description="named counterfactual overlays: {name: {key: value}}"
    )

    @model_validator(mode="after")
    def _consistent(self) -> Spec:
        epstein = self.scenario.model in ("civil_violence", "communal_violence")
        unset = [
            f"{section}.{key}"
            for section, key in RULE_KEYS
            if getattr(getattr(self, section), key) is None
        ]
        if epstein and unset:
            raise ValueError(
                "implementation choices not set: " + ", ".join(unset) + " (set them, or set "
                "scenario.preset to paper, netlogo or mesa)"
            )
        cells = self.grid.width * self.grid.height
        if cells >= 2**31:
            raise ValueError(f"grid: width x height must be below 2**31 cells (got {cells:,})")
        if self.arrest.cop_moves_to_site and self.jail.keeps_cell:
            raise ValueError(
                "arrest.cop_moves_to_site: a jailed agent that keeps its cell leaves no site to "
                "step onto (set jail.keeps_cell = false)"
            )
        if self.scenario.model == "threshold_grid":
            side = min(self.grid.width, self.grid.height)
            if 2 * self.thresholds.radius + 1 > side:
                raise ValueError(
                    f"thresholds.radius: 2 x radius + 1 must fit the grid ({side} cells)"
                )
            if self.thresholds.distribution == "list" and len(self.thresholds.values) != cells:
                raise ValueError(
                    f"thresholds.values: a grid needs one threshold per cell ({cells})"
                )
        if self.scenario.model == "threshold" and self.thresholds.distribution == "list":
            if not self.thresholds.values:
                raise ValueError("thresholds.values: give at least one threshold")
        if self.scenario.model == "city":
            cs.check_city(self)
        sync = self.scenario.activation == "synchronous"
        if sync and self.scenario.model == "communal_violence":
            raise ValueError("scenario.activation: communal_violence runs only 'sequential'")
        if sync:
            need = 2 * int(max(self.vision.citizen, self.vision.cop)) + 1
            for key in ("width", "height"):
                if getattr(self.grid, key) < need:
                    raise ValueError(
                        f"grid.{key}: synchronous activation needs at least {need} cells each "
                        "way for this vision (a smaller torus wraps the vision onto itself)"
                    )
        if sync and self.arrest.cop_moves_to_site and self.movement.order == "decide_then_move":
            raise ValueError(
                "arrest.cop_moves_to_site: with synchronous activation it needs "
                "movement.order = move_then_decide"
            )
        return self


# The implementation choices of MODELS.md 1.1.1, filled by a preset when the file leaves them unset.
RULE_KEYS = (
    ("arrest_probability", "ratio"),
    ("arrest_probability", "self_count"),
    ("vision", "metric"),
    ("movement", "order"),
    ("arrest", "cop_moves_to_site"),
    ("jail", "draw"),
    ("jail", "keeps_cell"),
    ("jail", "countdown"),
)

PRESETS: dict[str, dict[str, dict[str, object]]] = {
    # Epstein (2002) as printed, with the floor that makes punctuated equilibrium appear.
    "paper": {
        "arrest_probability": {"ratio": "floor", "self_count": "once"},
        "vision": {"metric": "euclidean"},
        "movement": {"order": "move_then_decide"},
        "arrest": {"cop_moves_to_site": False},
        "jail": {"draw": "zero_to_max", "keeps_cell": False, "countdown": "end_of_tick"},
    },
    # NetLogo's Rebellion.nlogo.
    "netlogo": {
        "arrest_probability": {"ratio": "floor", "self_count": "twice_when_active"},
        "vision": {"metric": "euclidean"},
        "movement": {"order": "move_then_decide"},
        "arrest": {"cop_moves_to_site": True},
        "jail": {"draw": "zero_to_max_minus_one", "keeps_cell": False, "countdown": "end_of_tick"},
    },
    # Mesa 3.3.1 examples/advanced/epstein_civil_violence, rule for rule.
    "mesa": {
        "population": {"placement": "per_cell"},
        "arrest_probability": {"ratio": "round", "self_count": "once"},
        "vision": {"metric": "von_neumann"},
        "movement": {"order": "decide_then_move"},
        "arrest": {"cop_moves_to_site": False},
        "jail": {"draw": "zero_to_max", "keeps_cell": True, "countdown": "on_activation"},
    },
}
