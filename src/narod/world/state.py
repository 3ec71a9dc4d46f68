"""The state of a city run: one plain record that the phases read and change.

Every mechanism of the city model is a phase, a function ``phase(state, spec)`` that changes the
state and reports what it did as :class:`Report` entries (the chronicle, the milestones and the
tables are built from those). Nothing here decides anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from narod.scenario.city_schema import Calendar
from narod.world.people import Civilians, Forces, Layout
from narod.world.places import City

# Columns of the per-site crowd counts.
CROWD, WOMEN, ARMED, KIN, OLD = 0, 1, 2, 3, 4
# Columns of the per-site outcome probabilities and tallies.
P_KILL, P_WOUND, P_ARREST, P_DISPERSE, P_ARM = 0, 1, 2, 3, 4
N_OUTCOMES = 5
# The authority's levels of force.
POLICE_ONLY, CAVALRY, TROOPS = 1, 2, 3


class Report(NamedTuple):
    """Something a phase did: an event at a site (or the whole city), with a count in agents.

    ``data`` holds the words the chronicle fills in (a unit's name, a crowd's size); ``tick``
    overrides the current tick for a report about a day that has just ended; ``once`` asks
    the chronicle to tell it once per place and day.
    """

    event: str
    where: int | str  # a site index, or "city"
    count: float
    actor: str
    data: dict[str, Any] | None = None
    tick: int | None = None
    once: bool = False


@dataclass
class Casualties:
    """Counts in agents since the start."""

    killed_civilians: int = 0
    wounded_civilians: int = 0
    killed_police: int = 0
    wounded_police: int = 0
    killed_soldiers: int = 0
    wounded_soldiers: int = 0
    killed_irregulars: int = 0
    wounded_irregulars: int = 0
    killed_insurgents: int = 0  # members of organised groups
    wounded_insurgents: int = 0
    arrested: int = 0


@dataclass
class CityState:
    """Everything a city run holds between ticks."""

    folder: Path  # the episode's folder
    calendar: Calendar
    city: City
    people: Civilians
    forces: Forces
    layout: Layout
    rng: np.random.Generator
    scale: float
    # Per site, this tick.
    counts: np.ndarray  # crowd, women, armed, kin, old
    occupied: np.ndarray  # a square held overnight by the crowd
    tally: np.ndarray  # what happened to the crowd: killed, wounded, arrested, dispersed, armed
    crossed: np.ndarray  # crowd members who crossed the ice beside a held bridge
    site_outcome: np.ndarray  # chances per crowd member, the columns of ``tally``
    blocked: np.ndarray  # a bridge held by a loyal force
    stock: np.ndarray  # rifles lying at each site
    pull: np.ndarray  # the night's agitation, per home district
    district_day: np.ndarray  # the day's peak striking share, per home district
    # Per unit, company, party.
    guilt: np.ndarray
    pending_guilt: np.ndarray
    irreversible: np.ndarray  # a company that killed an officer cannot go back
    companies_out: np.ndarray  # companies that have gone over at least once
    units_out: np.ndarray  # units with a company that has gone over
    stances: np.ndarray
    unit_neighbours: np.ndarray
    # Per agent.
    grievance: np.ndarray
    base_hardship: np.ndarray
    charged: np.ndarray  # riders who charged today
    neutral_before: np.ndarray  # riders who had gone neutral by the start of today
    # Objectives: places with a guard and an effect, and whether each has fallen.
    objectives: list[str]
    objective_site: np.ndarray
    taken: np.ndarray
    defended: np.ndarray  # held by men of role defenders: it falls by combat only
    wrecked: np.ndarray  # per police station of the layout
    factory_xy: np.ndarray
    gathering_sites: np.ndarray  # the sites of city.gathering
    workers: int
    garrison: int
    initial_loyal: int
    n_civilians: int  # civilian agents: casualties are counted per 100,000 of them
    tick: int = 0
    new_day: bool = True  # this tick starts a day (the run sets it)
    level: int = POLICE_ONLY
    collapse_tick: int | None = None
    fell_how: str = "melted_away"  # "removed_by_command", "surrendered" (narod.results.outcome)
    command: int = 0  # the armed forces' command: obeys, stands aside, removed the ruler
    evenings_aside: int = 0
    legit_civil: float = 0.0
    legit_troops: float = 0.0
    fear: float = 0.0
    day_peak: float = 0.0
    street_peak: float = 0.0  # the day's largest street crowd so far (agents)
    last_loyal_gone: bool = False
    marks_passed: int = 0  # strike levels told so far (see narod.mechanisms.strike)
    home_strikers: np.ndarray = field(default_factory=lambda: np.zeros(0))  # per home site
    mobilisation: list[float] = field(default_factory=list)
    casualties: Casualties = field(default_factory=Casualties)
    force_at: dict[str, np.ndarray] = field(default_factory=dict)  # per site, as the tick began
    hazard: np.ndarray = field(default_factory=lambda: np.zeros((0, N_OUTCOMES)))
    reports: list[Report] = field(default_factory=list)
    plans: list[tuple[np.ndarray, np.ndarray]] = field(default_factory=list)  # men, targets

    @property
    def n_sites(self) -> int:
        return len(self.city.sites)

    @property
    def day(self) -> int:
        return self.tick // self.calendar.ticks_per_day + 1

    @property
    def hour(self) -> float:
        return (self.tick % self.calendar.ticks_per_day) * self.calendar.hours_per_tick

    @property
    def day_start(self) -> bool:
        return self.tick > 0 and self.tick % self.calendar.ticks_per_day == 0

    @property
    def standing(self) -> bool:
        """The authority still holds the city."""
        return self.collapse_tick is None

    def report(self, event: str, where: int | str, count: float, actor: str, **kw: Any) -> None:
        self.reports.append(Report(event, where, count, actor, **kw))
