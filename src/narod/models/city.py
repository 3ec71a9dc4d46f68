"""The city model: one agent per person, an episode's data, the shared behaviour.

A run is a plain state record (:class:`narod.world.state.CityState`) and an ordered list of
phases, one or a few per mechanism module. Each tick runs every phase in this order:

1. the morning (on a new day): the parties read the mood, the night's agitation, night arrests,
   the riders' day counted, hardship, yesterday's strikers home, lockouts, fear and fraternization
   fade, routed police return;
2. the day: guilt felt at reveille, forces to posts and back, curfews and cuts declared, troops
   called out, hired men sent in, resolutions of allegiance, operations ordered, walkouts, calls
   to demonstrate, strike decisions;
3. each site: police, hired men, riders, fraternization, orders to fire, return fire, mutiny,
   officers, suppression, mutineers and insurgents on the march, arms, combat over held places,
   objectives, curfew, the crowd's chances, bridges held;
4. squares held for the night, the civilians' pass, legitimacy, fear, the city command's and the
   armed forces' command's evening reviews, orders to fire, collapse, the strike's level.

No phase sets an outcome: the authority falls only when the mechanisms leave it without a loyal
armed force, when its armed forces' command removes the ruler, or when its seat is taken. The
record (series, tables, chronicle) is built from the state and the phases' reports.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from narod.errors import ScenarioError
from narod.mechanisms import (
    agitation,
    allegiance,
    arms,
    bridges,
    cavalry,
    combat,
    command,
    crowd_outcomes,
    defection,
    deployment,
    fear,
    firing,
    fraternization,
    hardship,
    inputs,
    irregulars,
    legitimacy,
    marching,
    objectives,
    occupation,
    officers,
    operations,
    parties,
    police,
    regime,
    return_fire,
    strike,
)
from narod.models.chronicle import Chronicle
from narod.scenario.city_schema import Calendar
from narod.scenario.episode import episode_folder, episode_info, read_narration
from narod.scenario.schema import Spec
from narod.world import people as pp
from narod.world.places import PLACE_KINDS, SITE_KINDS, build_city
from narod.world.state import CROWD, N_OUTCOMES, CityState, Report
from narod.world.units import read_units

Phase = Callable[[CityState, Spec], None]

MORNING: tuple[Phase, ...] = (
    parties.overnight,
    agitation.overnight,
    inputs.night_arrests,
    cavalry.overnight,
    hardship.morning,
    strike.morning,
    inputs.lockouts,
    fear.overnight,
    fraternization.overnight,
    police.recovery,
)
DAY: tuple[Phase, ...] = (
    firing.reveille,
    deployment.phase,
    inputs.declared,
    inputs.deploy_troops,
    irregulars.orders,
    allegiance.reinforcements,
    allegiance.resolutions,
    operations.orders,
    inputs.walkouts,
    inputs.demonstrations,
    strike.phase,
)
SITES: tuple[Phase, ...] = (
    police.phase,
    irregulars.phase,
    cavalry.phase,
    fraternization.phase,
    firing.phase,
    return_fire.phase,
    defection.phase,
    officers.phase,
    defection.suppression,
    objectives.march,
    operations.march,
    arms.phase,
    combat.phase,
    objectives.take,
    inputs.curfew,
    crowd_outcomes.phase,
    bridges.phase,
)
EVENING: tuple[Phase, ...] = (
    occupation.phase,
    marching.phase,
    legitimacy.phase,
    fear.phase,
    command.review,
    regime.review,
    inputs.orders_to_fire,
    regime.collapse,
    strike.level,
)
PHASES: tuple[Phase, ...] = MORNING + DAY + SITES + EVENING
SITE_COLUMNS = ("crowd", "women", "armed", "police", "cavalry", "soldiers_posted", "mutineers")


@dataclass
class CityRecord:
    """What a run leaves for the results: its series and when each event first and last came."""

    series: dict[str, np.ndarray]
    events: dict[str, list[int]]  # event (and event@place) -> every tick it was reported at
    collapse_tick: int | None
    fell_how: str  # "melted_away", "removed_by_command" or "surrendered"
    calendar: Calendar
    folder: Path  # the episode's folder: its record, observables and milestones
    population: float  # residents (persons)
    garrison: float  # infantry (persons)
    insurgents_killed: float  # the vanguard's members, counted among civilians (persons)
    insurgents_wounded: float


def _unit_neighbours(city, unit_site: np.ndarray) -> np.ndarray:
    """Units in the same or a land-adjacent district: those a mutiny calls out."""
    n = unit_site.size
    near = np.zeros((n, n), np.bool_)
    for a in range(n):
        around = set(city.neighbours[unit_site[a]]) | {int(unit_site[a])}
        for b in range(n):
            near[a, b] = a != b and int(unit_site[b]) in around
    return near


def check_places_named(spec: Spec, city, folder: Path) -> None:
    """Every place ``episode.toml`` names is a place of ``places.csv``, of the kind it needs."""
    source = str(folder / "episode.toml")
    named = [("city.gathering", g, SITE_KINDS) for g in spec.city.gathering]
    named.append(("vanguard.home", spec.vanguard.home, ("district",)))
    for name, item in spec.inputs.items():
        if item.type == "walkout":
            named.append((f"inputs.{name}.place", item.place, ("district",)))
        elif item.type == "lockout":
            named.append((f"inputs.{name}.factory", item.factory, ("factory",)))
        elif item.type == "demonstration":
            for i, place in enumerate(item.places):
                named.append((f"inputs.{name}.places[{i}]", place, ("district",)))
        elif item.type == "irregulars":
            named.append((f"inputs.{name}.target", item.target, SITE_KINDS))
        elif item.type == "operation":
            for i, place in enumerate(item.targets):
                named.append((f"inputs.{name}.targets[{i}]", place, PLACE_KINDS))
    for key, place_id, kinds in named:
        try:
            kind = city.place(place_id).kind
        except KeyError:
            raise ScenarioError(source, key, f"{place_id!r} names no place of places.csv") from None
        if kind not in kinds:
            raise ScenarioError(source, key, f"{place_id!r} is a {kind}; expected a "
                                f"{' or '.join(kinds)}")  # fmt: skip


def check_units_named(spec: Spec, units, folder: Path) -> None:
    """Every unit an input names is a unit of ``forces.csv`` with a role it can use."""
    roles = {u.id: u.role for u in units}
    usable = {"irregulars": ("irregulars",), "allegiance": ("infantry", "cavalry", "police"),
              "operation": ("organised", "infantry", "cavalry"),
              "reinforcements": ("infantry", "cavalry", "police", "defenders")}  # fmt: skip
    for name, item in spec.inputs.items():
        if item.type not in usable:
            continue
        named = [("unit", item.unit)] if item.type == "irregulars" else [
            (f"units[{i}]", u) for i, u in enumerate(item.units)]  # fmt: skip
        for key, unit in named:
            if roles.get(unit) not in usable[item.type]:
                got = f"a {roles[unit]} unit" if unit in roles else "no unit of forces.csv"
                expected = (
                    f"expected a unit of role {' or '.join(usable[item.type])}; {unit!r} is {got}"
                )
                raise ScenarioError(str(folder / "episode.toml"), f"inputs.{name}.{key}", expected)


def objectives_of(spec: Spec, city, units) -> list:
    """The places that can be taken: those with an effect other than a station's wreck, those
    defenders hold and those an operation targets, in the order of ``places.csv``."""
    held = {u.home for u in units if u.role == "defenders"}
    targeted = {
        t for item in spec.inputs.values() if item.type == "operation" for t in item.targets
    }
    return [
        p
        for p in city.places
        if p.effect_kind in ("arms", "free_prisoners", "seat") or p.id in held | targeted
    ]


def build_state(spec: Spec, seed: int) -> CityState:
    """The state at the start of a run: the city, its people and forces, drawn from ``seed``."""
    folder = episode_folder(spec.scenario.episode)
    city = build_city(folder)
    check_places_named(spec, city, folder)
    units = read_units(folder, city)
    check_units_named(spec, units, folder)
    rng = np.random.default_rng(np.random.SeedSequence(seed))  # every draw of the run
    people, forces, layout = pp.build_people(spec, city, units, rng)
    n_sites = len(city.sites)
    factories = city.of_kind("factory")
    objective_places = objectives_of(spec, city, units)
    held = {u.home for u in units if u.role == "defenders" and u.strength > 0}
    n_units = max(len(layout.units), 1)
    n_companies = max(len(layout.company_unit), 1)
    state = CityState(
        folder=folder,
        calendar=spec.calendar,
        city=city,
        people=people,
        forces=forces,
        layout=layout,
        rng=rng,
        scale=spec.city.scale,
        counts=np.zeros((n_sites, 5), np.int64),
        occupied=np.zeros(n_sites, np.bool_),
        tally=np.zeros((n_sites, N_OUTCOMES), np.int64),
        crossed=np.zeros(n_sites, np.int64),
        site_outcome=np.zeros((n_sites, N_OUTCOMES)),
        blocked=np.zeros(n_sites, np.bool_),
        stock=np.zeros(n_sites),
        pull=np.zeros(n_sites),
        district_day=np.zeros(n_sites),
        guilt=np.zeros(n_units, np.float32),
        pending_guilt=np.zeros(n_units, np.float32),
        irreversible=np.zeros(n_companies, np.bool_),
        companies_out=np.zeros(n_companies, np.bool_),
        units_out=np.zeros(n_units, np.bool_),
        stances=np.asarray([p.start for p in spec.parties.parties] or [0.0], np.float64),
        unit_neighbours=_unit_neighbours(city, layout.unit_site),
        grievance=np.zeros(people.state.size, np.float32),
        base_hardship=people.hardship.copy(),
        charged=np.zeros(forces.state.size, np.bool_),
        neutral_before=np.zeros(forces.state.size, np.bool_),
        objectives=[p.id for p in objective_places],
        objective_site=np.asarray([city.index(p.id) for p in objective_places], np.int16),
        taken=np.zeros(len(objective_places), np.bool_),
        defended=np.asarray([p.id in held for p in objective_places], np.bool_),
        wrecked=np.zeros(len(layout.stations), np.bool_),
        gathering_sites=np.asarray([city.index(g) for g in spec.city.gathering], int),
        factory_xy=np.asarray([[p.lon, p.lat] for p in factories], float).reshape(-1, 2),
        workers=int(np.sum(people.kind == pp.WORKER)),
        garrison=int(np.sum(forces.company >= 0)),
        initial_loyal=pp.loyal_force(forces),
        n_civilians=int(people.state.size),
        legit_civil=spec.legitimacy.civil,
        legit_troops=spec.legitimacy.troops,
    )
    for u in units:  # defenders stand for the place they hold
        if u.role == "defenders" and u.id in layout.unit_ids:
            men = forces.uid == layout.unit_ids.index(u.id)
            forces.target[men] = [p.id for p in objective_places].index(u.home)
    allegiance.absent_until_called(state, spec)
    allegiance.at_start(state, spec)
    state.initial_loyal = pp.loyal_force(forces)  # the force in the city, on its side, at the start
    return state


class CityRun:
    """One run of the city model; :meth:`advance` moves it on, :meth:`series` reads it."""

    def __init__(self, spec: Spec, seed: int, phases: tuple[Phase, ...] = PHASES) -> None:
        self.spec = spec
        self.phases = phases
        self.state = s = build_state(spec, seed)
        info = episode_info(s.folder)
        self.chronicle = Chronicle(
            s.city,
            s.calendar,
            s.scale,
            read_narration(s.folder),
            str(info.get("city", info.get("name", ""))),
        )
        self.events: dict[str, list[int]] = {}
        self.rows: list[dict[str, float]] = []
        self.district_rows: list[np.ndarray] = []
        self.site_rows: list[np.ndarray] = []
        self.agent_steps = 0
        self.ended = False
        s.new_day = True  # day 1 begins: the morning's phases run once before the first tick
        for phase in (*MORNING, strike.level):
            phase(s, spec)
        self._collect()
        self._record()

    @property
    def n_agents(self) -> int:
        return int(self.state.people.state.size + self.state.forces.state.size)

    @property
    def tick(self) -> int:
        return self.state.tick

    def step(self) -> None:
        s = self.state
        s.new_day = s.day_start
        for phase in self.phases:
            phase(s, self.spec)
        self._collect()
        self.agent_steps += self.n_agents
        s.tick += 1
        self._record()

    def advance(self, until: int) -> None:
        while self.state.tick < until:
            self.step()

    def _collect(self) -> None:
        """Move the phases' reports into the chronicle and the events' ticks."""
        s = self.state
        for report in s.reports:
            tick = s.tick if report.tick is None else report.tick
            self.events.setdefault(report.event, []).append(tick)
            if isinstance(report.where, str) and report.where != "city":  # a place's own event
                self.events.setdefault(f"{report.event}@{report.where}", []).append(tick)
            self.chronicle.tell(report, tick)
        s.reports.clear()

    def _record(self) -> None:
        s = self.state
        p, f, scale = s.people, s.forces, s.scale
        soldier = f.company >= 0
        cas = s.casualties

        def n(mask: np.ndarray) -> float:
            return float(np.sum(mask)) / scale

        mutinied = n(soldier & (f.state == pp.MUTINIED))
        rider = f.kind == pp.CAVALRY
        pol = f.kind == pp.POLICE
        irregular = f.kind == pp.IRREGULAR
        strikers = float(strike.striking(s).sum())
        t = s.tick  # the state after t ticks: row 0 is the start, hour 24.0 ends a day
        per_day, hours = s.calendar.ticks_per_day, s.calendar.hours_per_tick
        killed = cas.killed_civilians + cas.killed_police + cas.killed_soldiers
        killed += cas.killed_irregulars + cas.killed_insurgents
        wounded = cas.wounded_civilians + cas.wounded_police + cas.wounded_soldiers
        wounded += cas.wounded_irregulars + cas.wounded_insurgents
        crowd = s.counts[:, CROWD]
        row = {
            "tick": t,
            "day": max(t - 1, 0) // per_day + 1,
            "hour": (max(t - 1, 0) % per_day + (t > 0)) * hours,
            "strikers": strikers / scale,
            "strike_fraction": strikers / max(s.workers, 1),
            "on_streets": float(s.counts[:, CROWD].sum()) / scale,
            "armed_workers": n(p.armed & (p.state != pp.KILLED)),
            "police_active": n(pol & (f.state == pp.LOYAL)),
            "police_routed": n(pol & (f.state == pp.ROUTED)),
            "police_killed": cas.killed_police / scale,
            "cavalry_loyal": n(rider & (f.state == pp.LOYAL)),
            "cavalry_neutral": n(rider & (f.state == pp.NEUTRAL)),
            "cavalry_turned": n(rider & (f.state == pp.TURNED)),
            "soldiers_loyal": n(soldier & (f.state == pp.LOYAL)),
            "soldiers_wavering": n(soldier & (f.state == pp.WAVERING)),
            "soldiers_mutinied": mutinied,
            "garrison_mutinous_fraction": mutinied * scale / max(s.garrison, 1),
            "killed": killed / scale,
            "wounded": wounded / scale,
            "killed_civilians": cas.killed_civilians / scale,
            "killed_police": cas.killed_police / scale,
            "killed_soldiers": cas.killed_soldiers / scale,
            "wounded_civilians": cas.wounded_civilians / scale,
            "wounded_police": cas.wounded_police / scale,
            "wounded_soldiers": cas.wounded_soldiers / scale,
            "killed_irregulars": cas.killed_irregulars / scale,
            "insurgents_active": n(pp.insurgent(f)),
            "killed_insurgents": cas.killed_insurgents / scale,
            "wounded_insurgents": cas.wounded_insurgents / scale,
            "wounded_irregulars": cas.wounded_irregulars / scale,
            "irregulars_active": n(irregular & (f.state == pp.LOYAL) & (f.loc != f.home)),
            "crowd_at_gathering": float(crowd[s.gathering_sites].sum()) / scale,
            "occupying": float(crowd[s.occupied].sum()) / scale,
            "command_state": float(s.command),
            "arrested": cas.arrested / scale,
            "legitimacy_civil": s.legit_civil,
            "legitimacy_troops": s.legit_troops,
            "regime_level": float(s.level),
            "regime_collapsed": float(not s.standing),
        }
        for i, party in enumerate(self.spec.parties.parties):
            row[f"stance_{party.name}"] = float(s.stances[i])
        self.rows.append(row)
        force = pp.force_counts(f, s.n_sites)
        c = s.counts
        self.site_rows.append(
            np.stack(
                [
                    c[:, 0],
                    c[:, 1],
                    c[:, 2],
                    force["police"],
                    force["cavalry"],
                    force["deployed"],
                    force["mutineers"],
                ]
            )
            / scale  # fmt: skip
        )
        self.district_rows.append(
            np.stack(
                [
                    s.home_strikers / scale,
                    np.bincount(s.city.site_district, c[:, CROWD], s.n_sites) / scale,
                ]
            )
        )

    def record(self) -> CityRecord:
        """What the run says, for validation, metrics and the outcome file (call it at the end)."""
        s = self.state
        if s.tick > 0 and not self.ended:
            self.ended = True  # the last day's riders are counted once, here
            cavalry.day_tally(s, (s.tick - 1) // s.calendar.ticks_per_day + 1)
            self._collect()
        p = s.people
        organised = p.kind == pp.VANGUARD
        return CityRecord(
            series=self.series(),
            events={k: list(v) for k, v in self.events.items()},
            collapse_tick=s.collapse_tick,
            fell_how=s.fell_how,
            calendar=s.calendar,
            folder=s.folder,
            population=float(self.spec.city.population),
            garrison=s.garrison / s.scale,
            insurgents_killed=float(np.sum(organised & (p.state == pp.KILLED))) / s.scale,
            insurgents_wounded=float(np.sum(organised & (p.state == pp.WOUNDED))) / s.scale,
        )

    def district_table(self) -> dict[str, np.ndarray]:
        """Per tick and district: workers on strike and people on the street (persons)."""
        city = self.state.city
        n_d = city.n_districts
        data = np.stack(self.district_rows)  # tick x (strikers, street) x site
        return {
            "tick": np.repeat(np.arange(data.shape[0]), n_d),
            "district": np.tile(np.asarray(city.sites[:n_d]), data.shape[0]),
            "strikers": data[:, 0, :n_d].ravel(),
            "on_streets": data[:, 1, :n_d].ravel(),
        }

    def site_table(self) -> dict[str, np.ndarray]:
        """Per tick and site: the crowd and its make-up, and the forces standing there (persons).

        This is what the city map draws.
        """
        data = np.stack(self.site_rows)  # tick x column x site
        n_ticks, _, n_sites = data.shape
        out: dict[str, np.ndarray] = {
            "tick": np.repeat(np.arange(n_ticks), n_sites),
            "site": np.tile(np.asarray(self.state.city.sites), n_ticks),
        }
        for i, name in enumerate(SITE_COLUMNS):
            out[name] = data[:, i, :].ravel()
        return out

    def series(self) -> dict[str, np.ndarray]:
        keys = self.rows[0].keys()
        return {k: np.asarray([r[k] for r in self.rows]) for k in keys}


__all__ = ["CityRecord", "CityRun", "PHASES", "Report", "build_state"]
