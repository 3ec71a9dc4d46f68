"""The people of a city, one agent per person (times ``city.scale``), as arrays.

Two populations, each a struct of arrays: civilians (workers by factory, students, other residents,
and in one counterfactual an armed vanguard) and the armed forces (soldiers and officers by unit
and company, police by station, riders), drawn from the episode's places and ``forces.csv``.
Attributes are what the mechanisms read: hardship, risk aversion, thresholds, kin ties to
soldiers, arms.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from narod.errors import ScenarioError
from narod.scenario.schema import Spec
from narod.world.places import City
from narod.world.units import Unit

# Civilian kinds and states.
WORKER, STUDENT, RESIDENT, VANGUARD = 0, 1, 2, 3
HOME, STRIKING, STREET, ARRESTED, WOUNDED, KILLED = 0, 1, 2, 3, 4, 5
# Force kinds and states.
SOLDIER, OFFICER, POLICE, CAVALRY, IRREGULAR, ORGANISED, DEFENDER = 0, 1, 2, 3, 4, 5, 6
LOYAL, WAVERING, MUTINIED, NEUTRAL, TURNED, ROUTED = 0, 1, 2, 3, 4, 5
F_ARRESTED, F_WOUNDED, F_KILLED = 6, 7, 8
ABSENT = 9  # a unit not yet in the city (reinforcements to come)


@dataclass
class Civilians:
    kind: np.ndarray
    female: np.ndarray
    old: np.ndarray
    kin: np.ndarray
    activist: np.ndarray
    party: np.ndarray  # the party whose calls the person heeds, -1 none
    home: np.ndarray  # site of the home district
    factory: np.ndarray  # factory index, -1 none
    hardship: np.ndarray
    risk: np.ndarray
    threshold: np.ndarray
    state: np.ndarray
    loc: np.ndarray
    target: np.ndarray
    armed: np.ndarray
    struck: np.ndarray  # struck yesterday
    marching: np.ndarray  # goes out on the street today
    stays_home: np.ndarray  # a woman who does not go out however she feels (marching.women_turnout)


@dataclass
class Forces:
    kind: np.ndarray
    unit: np.ndarray  # index among the units of its role (infantry units, police stations, riders)
    company: np.ndarray  # company index for soldiers and officers, -1 otherwise
    training: np.ndarray  # belongs to a training detachment
    state: np.ndarray
    loc: np.ndarray
    home: np.ndarray  # site of the barracks or station
    hardship: np.ndarray
    risk: np.ndarray
    threshold: np.ndarray
    comply: np.ndarray  # a rider's readiness to charge
    pressure: np.ndarray  # accumulated fraternization pressure
    uid: np.ndarray  # the unit, an index into Layout.unit_ids
    target: np.ndarray  # the objective an operation sent it to (index into the state's), -1 none
    fires: np.ndarray  # its operation's orders let it open fire


@dataclass
class Layout:
    """What the arrays mean: factories, units and companies, in the order the indices use."""

    factories: list[str]
    factory_site: np.ndarray
    factory_industry: list[str]
    factory_workers: np.ndarray  # persons (before scale)
    units: list[str]  # infantry unit ids
    unit_names: list[str]
    unit_site: np.ndarray
    company_unit: np.ndarray
    stations: list[str]
    station_site: np.ndarray
    irregular_units: list[str]  # the ``unit`` index of an irregular is its place here
    unit_ids: list[str]  # every unit of forces.csv that has men, in the order of ``Forces.uid``


def _count(size: float, scale: float) -> int:
    return int(round(size * scale)) if size > 0 else 0


def _clipped(rng: np.random.Generator, mean: float, sd: float, n: int) -> np.ndarray:
    return np.clip(rng.normal(mean, sd, n), 0.0, 1.0).astype(np.float32)


def build_people(
    spec: Spec, city: City, units: list[Unit], rng: np.random.Generator
) -> tuple[Civilians, Forces, Layout]:
    """Draw the population of a run."""
    c = spec.city
    scale = c.scale
    factories = city.of_kind("factory")
    infantry = [u for u in units if u.role == "infantry" and u.strength > 0]
    police_units = [u for u in units if u.role == "police" and u.strength > 0]
    riders = [u for u in units if u.role == "cavalry" and u.strength > 0]
    hired = [u for u in units if u.role == "irregulars" and u.strength > 0]
    organised = [u for u in units if u.role == "organised" and u.strength > 0]
    defenders = [u for u in units if u.role == "defenders" and u.strength > 0]
    districts = city.districts
    traits = spec.people

    # Civilians: workers by factory, then students and residents by district.
    kind, female, home, factory = [], [], [], []
    for i, f in enumerate(factories):
        n = _count(f.size, scale)
        kind.append(np.full(n, WORKER, np.int8))
        female.append(rng.random(n) < f.share_women)
        home.append(np.full(n, city.index(f.district), np.int16))
        factory.append(np.full(n, i, np.int16))
    workers_in = {d.id: sum(f.size for f in factories if f.district == d.id) for d in districts}
    total_pop = sum(d.size for d in districts)
    if total_pop <= 0:
        raise ScenarioError("places.csv", "size", "district populations must be given")
    for d in districts:
        weight = d.size / total_pop
        students = c.students * weight
        residents = max(0.0, c.population * weight - workers_in[d.id] - students)
        for k, size in ((STUDENT, students), (RESIDENT, residents)):
            n = _count(size, scale)
            kind.append(np.full(n, k, np.int8))
            female.append(rng.random(n) < (0.5 if k == STUDENT else 0.55))
            home.append(np.full(n, city.index(d.id), np.int16))
            factory.append(np.full(n, -1, np.int16))
    if spec.vanguard.enabled:
        n = _count(spec.vanguard.size, scale)
        kind.append(np.full(n, VANGUARD, np.int8))
        female.append(np.zeros(n, bool))
        home.append(np.full(n, city.index(spec.vanguard.home), np.int16))
        factory.append(np.full(n, -1, np.int16))
    kind_a = np.concatenate(kind)
    n_c = kind_a.size
    home_a = np.concatenate(home)
    workers = np.flatnonzero(kind_a == WORKER)
    activist = np.zeros(n_c, bool)
    if workers.size:
        activist[rng.choice(workers, min(workers.size, _count(c.activists, scale)), False)] = True
    party = np.full(n_c, -1, np.int8)
    draw = rng.random(n_c)
    edge = 0.0
    for p, spec_party in enumerate(spec.parties.parties):
        heed = (kind_a == WORKER) & (draw >= edge) & (draw < edge + spec_party.influence)
        party[heed] = p
        edge += spec_party.influence
    hardship = _clipped(rng, traits.hardship_mean, traits.hardship_sd, n_c)
    female_a = np.concatenate(female)
    stays_home = np.zeros(n_c, bool)
    if spec.marching.women_turnout < 1.0:  # no draw at 1, so a fitted run keeps its stream
        stays_home = female_a & (rng.random(n_c) >= spec.marching.women_turnout)
    civilians = Civilians(
        kind=kind_a,
        female=female_a,
        old=(kind_a == RESIDENT) & (rng.random(n_c) < c.old_share),
        kin=rng.random(n_c) < c.kin_share,
        activist=activist,
        party=party,
        home=home_a,
        factory=np.concatenate(factory),
        hardship=hardship,
        risk=_clipped(rng, traits.risk_aversion_mean, traits.risk_aversion_sd, n_c),
        threshold=np.zeros(n_c, np.float32),
        state=np.where(kind_a == VANGUARD, STRIKING, HOME).astype(np.int8),
        loc=home_a.copy(),
        target=np.zeros(n_c, np.int16),
        armed=(kind_a == VANGUARD) & spec.vanguard.armed,
        struck=np.zeros(n_c, bool),
        marching=kind_a == VANGUARD,
        stays_home=stays_home,
    )
    is_worker = kind_a == WORKER
    civilians.threshold[:] = np.where(
        is_worker,
        rng.normal(spec.strike.threshold_mean, spec.strike.threshold_sd, n_c),
        rng.normal(spec.marching.resident_threshold_mean, spec.marching.resident_threshold_sd, n_c),
    )
    targets = [city.index(t) for t in c.gathering]
    civilians.target[:] = np.asarray(targets, np.int16)[rng.integers(0, len(targets), n_c)]

    # Forces: soldiers and officers by unit and company, police by station, riders.
    fk, funit, fcomp, ftrain, fhome, fuid = [], [], [], [], [], []
    unit_ids: list[str] = []
    company_unit = []
    strength = spec.strength
    for u, unit in enumerate(infantry):
        n = _count(unit.strength * strength.infantry, scale)
        n_off = int(round(n * unit.officer_share))
        companies = max(1, int(np.ceil(unit.strength * strength.infantry / unit.company_size)))
        first = len(company_unit)
        company_unit.extend([u] * companies)
        comp = first + (np.arange(n) * companies) // max(n, 1)
        kinds = np.full(n, SOLDIER, np.int8)
        kinds[rng.choice(n, n_off, replace=False)] = OFFICER
        fk.append(kinds)
        funit.append(np.full(n, u, np.int16))
        fcomp.append(comp.astype(np.int32))
        ftrain.append(np.arange(n) < max(1, int(round(n * unit.training_share))))
        fhome.append(np.full(n, city.index(unit.home), np.int16))
        fuid.append(np.full(n, len(unit_ids), np.int16))
        unit_ids.append(unit.id)
    for group, code, multiplier, switch in (
        (police_units, POLICE, strength.police, spec.police.enabled),
        (riders, CAVALRY, strength.cavalry, spec.cavalry.enabled),
        (hired, IRREGULAR, strength.irregulars, spec.irregulars.enabled),
        (organised, ORGANISED, strength.organised, spec.combat.enabled),
        (defenders, DEFENDER, strength.defenders, spec.combat.enabled),
    ):
        for s, unit in enumerate(group):
            n = _count(unit.strength * multiplier, scale) if switch else 0
            fk.append(np.full(n, code, np.int8))
            funit.append(np.full(n, s, np.int16))
            fcomp.append(np.full(n, -1, np.int32))
            ftrain.append(np.zeros(n, bool))
            fhome.append(np.full(n, city.index(unit.home), np.int16))
            fuid.append(np.full(n, len(unit_ids), np.int16))
            unit_ids.append(unit.id)
    fkind = np.concatenate(fk) if fk else np.zeros(0, np.int8)
    n_f = fkind.size
    fhome_a = np.concatenate(fhome) if fhome else np.zeros(0, np.int16)
    d = spec.defection
    forces = Forces(
        kind=fkind,
        unit=np.concatenate(funit) if funit else np.zeros(0, np.int16),
        company=np.concatenate(fcomp) if fcomp else np.zeros(0, np.int32),
        training=np.concatenate(ftrain) if ftrain else np.zeros(0, bool),
        state=np.full(n_f, LOYAL, np.int8),
        loc=fhome_a.copy(),
        home=fhome_a,
        hardship=_clipped(rng, traits.hardship_mean, traits.hardship_sd, n_f),
        risk=_clipped(rng, traits.risk_aversion_mean, traits.risk_aversion_sd, n_f),
        threshold=rng.normal(d.threshold_mean, d.threshold_sd, n_f).astype(np.float32),
        comply=rng.normal(spec.cavalry.comply_mean, spec.cavalry.comply_sd, n_f).astype(np.float32),
        pressure=np.zeros(n_f, np.float32),
        uid=np.concatenate(fuid) if fuid else np.zeros(0, np.int16),
        target=np.full(n_f, -1, np.int16),
        fires=np.zeros(n_f, bool),
    )
    layout = Layout(
        factories=[f.id for f in factories],
        factory_site=np.asarray([city.index(f.district) for f in factories], np.int16),
        factory_industry=[f.industry for f in factories],
        factory_workers=np.asarray([f.size for f in factories]),
        units=[u.id for u in infantry],
        unit_names=[u.name for u in infantry],
        unit_site=np.asarray([city.index(u.home) for u in infantry], np.int16),
        company_unit=np.asarray(company_unit, np.int16),
        stations=[u.home for u in police_units],
        station_site=np.asarray([city.index(u.home) for u in police_units], np.int16),
        irregular_units=[u.id for u in hired],
        unit_ids=unit_ids,
    )
    return civilians, forces, layout


def force_counts(forces: Forces, n_sites: int) -> dict[str, np.ndarray]:
    """Per site: police and riders on duty, soldiers loyal or wavering (and those of them at a
    post), loyal soldiers, and mutineers."""
    f = forces

    def at(mask: np.ndarray) -> np.ndarray:
        return np.bincount(f.loc[mask], minlength=n_sites).astype(np.int64)

    soldier = (f.kind == SOLDIER) | (f.kind == OFFICER)
    loyal = (f.state == LOYAL) | (f.state == WAVERING)
    return {
        "police": at((f.kind == POLICE) & (f.state == LOYAL)),
        "cavalry": at((f.kind == CAVALRY) & (f.state == LOYAL)),
        "soldiers": at(soldier & loyal),
        "loyal": at(soldier & (f.state == LOYAL)),
        "deployed": at(soldier & loyal & (f.loc != f.home)),
        "mutineers": at(soldier & (f.state == MUTINIED)),
        "irregulars": at((f.kind == IRREGULAR) & (f.state == LOYAL) & (f.loc != f.home)),
        "defenders": at((f.kind == DEFENDER) & (f.state == LOYAL)),
        "insurgents": at(insurgent(f)),
    }


def insurgent(f: Forces) -> np.ndarray:
    """Armed men on an insurgents' operation: organised men, and soldiers who went over to the
    insurgents' side by a resolution (see :mod:`narod.mechanisms.operations`)."""
    organised = (f.kind == ORGANISED) & (f.state == LOYAL)
    return (organised | (f.state == TURNED)) & (f.target >= 0)


def loyal_force(forces: Forces) -> int:
    """The authority's loyal armed force: every loyal member, and wavering soldiers and police.

    Hired irregulars are not of it (the authority does not hold the city with them), nor are the
    insurgents' organised groups.
    """
    f = forces
    held = (f.state == LOYAL) | ((f.state == WAVERING) & (f.kind != CAVALRY))
    return int(np.sum(held & (f.kind != IRREGULAR) & (f.kind != ORGANISED)))
