"""The sections of the city model: the shared behaviour and an episode's data, one per mechanism.

Each mechanism has an ``enabled`` switch and its own parameters, so a counterfactual is a few
``--set`` overrides or a named variant. Every key has a *scope*: behaviour keys are set only in
the shared file ``narod/behaviour/street.toml``, episode keys only in an episode's
``episode.toml`` (see :mod:`narod.scenario.episode`). A value lives in exactly one file, where
it carries its source or the word "assumption"; the only defaults are an input's ``enabled``
(true) and ``hour`` (midnight).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import Field

from narod.scenario.section import Section

EPISODE = {"scope": "episode"}  # marks a key set by an episode, not the behaviour file


def frac(description: str = "", **extra: Any) -> Any:
    return Field(ge=0.0, le=1.0, description=description, **extra)


def pos(description: str = "", **extra: Any) -> Any:
    return Field(ge=0.0, description=description, **extra)


# ----------------------------------------------------------------------------- episode data
class Calendar(Section):
    """The days of an episode and the daily routine of its city."""

    start: dt.date = Field(description="date of day 1, in the calendar system below")
    system: Literal["gregorian", "julian"] = Field(description="the sources' calendar")
    tick_minutes: Literal[30] = Field(
        description="minutes per tick; the behaviour's rates are per 30 minutes"
    )
    days: int = Field(ge=1, le=366, description="days the episode runs")
    rest_days: list[int] = Field(description="days (1 = the first) with no work: Sundays, Fridays")
    reveille: float = Field(ge=0.0, lt=24.0, description="hour the barracks wake")
    posts: float = Field(ge=0.0, lt=24.0, description="hour forces go to their posts")
    stand_down: float = Field(
        ge=0.0, lt=24.0, description="hour forces return; the command reviews the day"
    )
    work_from: int = Field(ge=0, le=23, description="first hour of work (strike decisions)")
    work_until: int = Field(ge=0, le=23, description="last hour of work")
    march_from: float = Field(ge=0.0, lt=24.0, description="hour crowds start to go out")
    march_until: float = Field(ge=0.0, lt=24.0, description="hour crowds go home")
    rest_day_march_from: float = Field(ge=0.0, lt=24.0, description="the same on rest days")

    @property
    def ticks_per_day(self) -> int:
        return 24 * 60 // self.tick_minutes

    @property
    def hours_per_tick(self) -> float:
        return self.tick_minutes / 60

    @property
    def ticks(self) -> int:
        return self.days * self.ticks_per_day


class City(Section):
    """The population and its composition; where crowds go."""

    scale: float = Field(gt=0.0, le=1.0, description="agents per person (1 = one per person)")
    population: int = Field(ge=1, description="residents, armed forces not included")
    students: int = Field(ge=0)
    activists: int = Field(ge=0, description="grassroots organisers among the workers")
    kin_share: float = frac("civilians with a soldier among their kin")
    old_share: float = frac("residents over 60")
    gathering: list[str] = Field(min_length=1, description="places the crowds march to")
    frozen_river: bool = Field(description="crowds held at a bridge can cross the ice")


class Strength(Section):
    """Counterfactual multipliers on the strengths of ``forces.csv``, by role."""

    police: float = pos("1 = the record")
    cavalry: float = pos("1 = the record")
    infantry: float = pos("1 = the record")
    irregulars: float = pos("1 = the record")
    organised: float = pos("1 = the record")
    defenders: float = pos("1 = the record")


class Vanguard(Section):
    """An armed sect trying to take the centre without a mass strike (counterfactual)."""

    enabled: bool
    size: int = Field(ge=0)
    armed: bool
    home: str = Field(description="the district it starts from")


class Input(Section):
    """An institutional decision of the record, at a day and hour of the calendar."""

    enabled: bool = Field(True, description="false for the counterfactual without it")
    day: int = Field(ge=1, description="day of the calendar (1 = the first)")
    hour: float = Field(0.0, ge=0.0, lt=24.0, description="hour of that day (0.0 = midnight)")


class WalkoutInput(Input):
    """Workers of one industry in one district put down tools (a spark)."""

    type: Literal["walkout"]
    size: int = Field(ge=0, description="persons")
    place: str = Field(description="the district")
    industry: str
    who: Literal["women", "men", "all"]


class LockoutInput(Input):
    """A factory locked out from ``day`` on: an idle, angry pool counted among the strikers."""

    type: Literal["lockout"]
    factory: str
    share: float = frac("share of the factory locked out")


class OrderToFireInput(Input):
    """The authority orders troops to fire on crowds from this time on."""

    type: Literal["order_to_fire"]


class NightArrestsInput(Input):
    """The political police arrest activists at this time (if troops are out)."""

    type: Literal["night_arrests"]
    count: int = Field(ge=0, description="persons")


class CurfewInput(Input):
    """A curfew from ``day``/``hour`` to ``until_day``: each day from ``from_hour`` to
    ``until_hour`` (across midnight when ``from_hour`` is the later) nobody may be out."""

    type: Literal["curfew"]
    from_hour: float = Field(ge=0.0, lt=24.0)
    until_hour: float = Field(ge=0.0, lt=24.0)
    until_day: int = Field(ge=1, description="the day of its last evening")

    @property
    def ends(self) -> tuple[int, float]:
        """Its last evening's hours run into the next morning."""
        if self.from_hour > self.until_hour:
            return (self.until_day + 1, self.until_hour)
        return (self.until_day, 24.0)


class CommunicationsCutInput(Input):
    """Telephones and the internet cut from ``day``/``hour`` to ``until_day``/``until_hour``."""

    type: Literal["communications_cut"]
    until_day: int = Field(ge=1)
    until_hour: float = Field(ge=0.0, lt=24.0)

    @property
    def ends(self) -> tuple[int, float]:
        return (self.until_day, self.until_hour)


class AllegianceInput(Input):
    """A resolution of the record: units recognise the insurgents' authority, or declare
    themselves neutral. Their men who still obey follow it (a vote decides the side, not what
    each man then does)."""

    type: Literal["allegiance"]
    units: list[str] = Field(min_length=1, description="units of forces.csv")
    side: Literal["insurgents", "neutral"]


class OperationInput(Input):
    """The insurgents' plan: units sent to take places, one after another as each falls."""

    type: Literal["operation"]
    units: list[str] = Field(min_length=1, description="organised units, or units gone over")
    targets: list[str] = Field(min_length=1, description="places to take, in order")
    fire: bool = Field(description="whether its orders let the men open fire when they storm")


class ReinforcementsInput(Input):
    """Units of ``forces.csv`` that are not in the city until they arrive at this time."""

    type: Literal["reinforcements"]
    units: list[str] = Field(min_length=1, description="units of forces.csv")


class DemonstrationInput(Input):
    """A call to demonstrate answered by its organisers' core, who march from their districts."""

    type: Literal["demonstration"]
    size: int = Field(ge=0, description="persons who answer the call first")
    places: list[str] = Field(min_length=1, description="the districts they march from")


class DeployTroopsInput(Input):
    """The authority calls the infantry out to its posts at this time (if not out already)."""

    type: Literal["deploy_troops"]


class IrregularsInput(Input):
    """Hired men of a unit of ``forces.csv`` sent against the crowd at a place, until
    ``until_day``/``until_hour`` (or until the crowd routs them)."""

    type: Literal["irregulars"]
    unit: str = Field(description="the unit of forces.csv (role irregulars)")
    target: str = Field(description="the square or street they attack")
    until_day: int = Field(ge=1)
    until_hour: float = Field(ge=0.0, lt=24.0)

    @property
    def ends(self) -> tuple[int, float]:
        return (self.until_day, self.until_hour)


AnyInput = Annotated[
    WalkoutInput
    | LockoutInput
    | OrderToFireInput
    | NightArrestsInput
    | CurfewInput
    | CommunicationsCutInput
    | DemonstrationInput
    | AllegianceInput
    | OperationInput
    | ReinforcementsInput
    | DeployTroopsInput
    | IrregularsInput,
    Field(discriminator="type"),
]


# ----------------------------------------------------------------------------- behaviour
class People(Section):
    """Traits every person draws at the start."""

    hardship_mean: float = frac()
    hardship_sd: float = pos()
    risk_aversion_mean: float = frac()
    risk_aversion_sd: float = pos()


class Bread(Section):
    """Bread shortage: raises hardship, more for women, who stood in the queues."""

    enabled: bool
    shortage: float = frac("0 = normal supply, 1 = none", json_schema_extra=EPISODE)
    hardship_effect: float = frac()
    women_extra: float = frac()


class Legitimacy(Section):
    """Civilians' and troops' belief in the authority's right to rule; falls with violence."""

    enabled: bool
    civil: float = frac("the civilians' at the start", json_schema_extra=EPISODE)
    troops: float = frac("the troops' at the start", json_schema_extra=EPISODE)
    violence_effect: float = pos("fall per casualty per 100,000 inhabitants")
    women_weight: float = pos("extra effect when the victims' crowd is mostly women")
    old_weight: float = pos()
    troops_share: float = frac("share of the civilians' fall that the troops feel")


class Strike(Section):
    """Workplace strike decisions as thresholds on what the worker sees."""

    enabled: bool
    threshold_mean: float = pos()
    threshold_sd: float = pos()
    grievance_weight: float = pos()
    own_weight: float = pos("pull of the own factory's striking share")
    district_weight: float = pos("pull of the district's striking share")
    delegate_weight: float = pos("pull when delegates call the shop out")
    delegate_share: float = frac("striking share at which a factory sends delegates")
    delegate_reach: int = Field(ge=0, description="factories each striking factory calls")
    memory: float = pos("pull of having struck the day before")
    risk_weight: float = pos("deterrence from casualties seen in the city")
    general_share: float = frac("striking share of the workforce called a general strike")


class Agitation(Section):
    """Night-time agitation by grassroots activists raising the next day's turnout."""

    enabled: bool
    effect: float = pos("pull per activist share of the district's workers")
    cap: float = pos()


class Marching(Section):
    """Street movement: strikers and others march to the gathering places; bridges and ice."""

    enabled: bool
    striker_share: float = frac("chance a striker goes out on a given day")
    resident_threshold_mean: float = pos()
    resident_threshold_sd: float = pos()
    crowd_pull: float = pos("pull of the district's crowd share on non-strikers")
    student_bonus: float = pos()
    ice_rate: float = frac("chance per tick that a held crowd member crosses a frozen river")
    women_front: float = pos(
        "how much likelier a woman is than a man to stand in a crowd's front ranks, where troops, "
        "riders and their fire meet it (1 = no likelier)"
    )
    women_turnout: float = frac(
        "a woman's chance, relative to a man's, of going out when she would (1 = the same)"
    )


class Police(Section):
    """Police: blocking bridges, dispersal, arrests, beatings; routing; stations wrecked."""

    enabled: bool
    bridge_share: float = frac("share posted at the bridges")
    centre_share: float = frac("share posted at the gathering places")
    arrest_rate: float = pos("arrests per police officer per tick")
    beat_rate: float = pos("wounded per police officer per tick")
    rout_ratio: float = pos("crowd per officer at which police start to break")
    rout_rate: float = frac()
    attack_rate: float = pos("casualties per exposed officer per tick when outnumbered")
    armed_attack: float = pos("how much more dangerous an armed crowd member is")
    kill_share: float = frac("share of police casualties who die")
    return_fire: float = pos("casualties per officer per tick among armed attackers")
    wreck_crowd: float = pos("crowd (persons) that wrecks an abandoned station")
    defects: bool = Field(
        description="police weigh leaving the authority as soldiers weigh mutiny (true), or never"
    )
    recover: float = frac("chance a routed officer is back on duty the next morning")


class Cavalry(Section):
    """Riders: ordered charges; compliance depends on orders and the crowd."""

    enabled: bool
    comply_mean: float = pos()
    comply_sd: float = pos()
    women_effect: float = pos("fall in compliance per share of women in the crowd")
    contact_effect: float = pos("fall in compliance per tick of contact with a crowd")
    charge_disperse: float = frac("crowd share dispersed per charging rider per 100 people")
    charge_wound: float = frac("share of those dispersed by a charge who are hurt")
    turn_rate: float = frac("chance per tick a neutral rider turns on the police")
    kill_police: float = frac("chance per tick a turned rider near police kills one")


class Fraternization(Section):
    """Crowds approach soldiers: questions, kin in the crowd, women's appeals."""

    enabled: bool
    rate: float = pos("gain in defection pressure per tick of full contact")
    kin_weight: float = pos()
    women_weight: float = pos()
    contact_ratio: float = pos("crowd per soldier that saturates contact")
    overnight: float = frac("share of the pressure a soldier still feels the next day")


class Firing(Section):
    """Orders to fire answered by firing, firing in the air, or refusing; guilt afterwards."""

    enabled: bool
    lethality: float = pos("deaths per aimed shot volley per soldier per tick")
    wounded_per_killed: float = pos()
    air_share: float = frac("of those not refusing and not aiming, fire in the air")
    women_effect: float = pos("refusal pressure per share of women in the crowd")
    guilt: float = pos("defection pressure on every man of a unit that fired on a crowd")
    deterrence: float = pos("share of a crowd that flees per casualty share")
    fear: float = pos("city-wide fear per casualty per 100,000 inhabitants")
    fear_decay: float = frac("share of the crowd's fear left after a night")
    kill_share: float = frac("share of casualties among armed fighters who die")
    order_ratio: float = pos("crowd per armed man at a post at which officers order fire")


class Defection(Section):
    """Soldiers' mutiny as a coordination threshold on the expected size of the mutiny."""

    enabled: bool
    threshold_mean: float = pos()
    threshold_sd: float = pos()
    grievance_weight: float = pos()
    risk_aversion: float = pos("weight of the expected punishment")
    punish_k: float = pos("k in 1 - exp(-k * loyal share / (expected mutiny + 0.02))")
    unit_weight: float = pos("weight of the own unit's mutinous share")
    neighbour_weight: float = pos("weight of the neighbouring barracks' share")
    city_weight: float = pos("weight of the news of mutiny city-wide")
    unit_threshold: float = frac("mutinous share at which a company goes over")
    reconsider: float = frac("chance per tick that a soldier weighs the question anew")
    alarm: float = pos("extra chance per unit of expected mutiny: news makes men decide")
    wavering_margin: float = pos("how far below the threshold a soldier already wavers")
    return_margin: float = pos("how far below it a mutineer goes back to the ranks")
    officer_kill: float = frac("chance per tick a mutinous unit kills an officer")
    suppress_ratio: float = pos("loyal men per armed rebel needed to disarm a mutiny")
    suppress_chance: float = frac("chance per tick that the command acts where it can")


class Regime(Section):
    """Escalating orders, and collapse when the loyal armed force is gone."""

    enabled: bool
    cavalry_ratio: float = pos("street crowd per police officer that calls in cavalry")
    troops_ratio: float = pos("street crowd per police + cavalry that calls in troops")
    deploy_share: float = frac("share of the infantry sent to posts")
    collapse_share: float = frac("loyal armed force, as a share of the start, at collapse")
    last_loyal_share: float = frac("loyal share of the infantry told as its last detachments gone")


class Arms(Section):
    """Mutineers arm the crowd; objectives fall to those who outnumber their guard."""

    enabled: bool
    rifles_per_mutineer: float = pos("rifles handed to the crowd per mutineer per tick")
    hunt_rate: float = pos("police casualties per mutineer per tick where they meet")
    stations_marched_on: int = Field(
        ge=0, description="standing police stations mutineers march on, in the file's order"
    )


class Party(Section):
    name: str
    influence: float = frac("share of workers who heed its calls")
    lag: int = Field(ge=0, description="days it waits before reading the mood")
    call_at: float = frac("stance at which it calls for a strike")
    start: float = frac("its stance on day 1, before it reads any mood (0: it waits for the crowd)")


class Curfew(Section):
    """A curfew in force: people stay in, and those out go home, as far as they obey."""

    enabled: bool
    compliance: float = frac("chance per tick that a person in the street obeys and goes home")


class Communications(Section):
    """News and calls by telephone and internet: a cut makes them travel less far."""

    enabled: bool
    cut_effect: float = frac("share of city-wide news and party calls lost while cut")


class Command(Section):
    """The command of the armed forces: obey the ruler, stand aside, or remove him."""

    enabled: bool
    dependence: float = frac(
        "how far the armed forces' command depends on the ruler (0 none, 1 wholly): the case "
        "against obeying it must pass",
        json_schema_extra=EPISODE,
    )
    police_weight: float = pos("weight of the police force lost")
    ranks_weight: float = pos("weight of the ranks that waver or have gone over")
    mass_weight: float = pos("weight of the mass in the streets and on strike")
    mass_share: float = frac("share of the population out at which the mass counts in full")
    remove_after: int = Field(
        ge=1, description="evenings of standing aside, the case still made, before the removal"
    )


class Occupation(Section):
    """A crowd that holds a square at dusk may stay through the night and the curfew."""

    enabled: bool
    nights_out: bool = Field(
        description="whether the season and the repertoire let a crowd spend the night outside",
        json_schema_extra=EPISODE,
    )
    stay_share: float = frac("share of a holding crowd that stays the night")
    min_crowd: float = pos("persons at a square at dusk needed to hold it overnight")


class Irregulars(Section):
    """Hired men who attack a crowd, and break when it outnumbers them as police do."""

    enabled: bool
    beat_rate: float = pos("casualties per attacker per tick in a crowd they are not swamped by")
    kill_share: float = frac("share of their victims who die")
    scare: float = frac("share of a crowd that flees per tick of an attack they are not swamped by")


class Combat(Section):
    """Armed men fighting over a place: assault, siege, desertion and surrender."""

    enabled: bool
    assault_ratio: float = pos("attackers per defender at which attackers storm the place")


class Parties(Section):
    """Parties as organisations whose stance follows observed mobilisation with a lag."""

    enabled: bool
    adapt: float = frac("share of the gap closed per day")
    call_effect: float = pos("pull of a party's call on those who heed it")
    parties: list[Party] = Field(description="the city's parties", json_schema_extra=EPISODE)


SECTIONS: dict[str, Any] = {
    "calendar": Calendar,
    "city": City,
    "strength": Strength,
    "vanguard": Vanguard,
    "inputs": dict[str, AnyInput],
    "people": People,
    "bread": Bread,
    "legitimacy": Legitimacy,
    "strike": Strike,
    "agitation": Agitation,
    "marching": Marching,
    "police": Police,
    "cavalry": Cavalry,
    "fraternization": Fraternization,
    "firing": Firing,
    "defection": Defection,
    "regime": Regime,
    "arms": Arms,
    "parties": Parties,
    "curfew": Curfew,
    "communications": Communications,
    "command": Command,
    "occupation": Occupation,
    "irregulars": Irregulars,
    "combat": Combat,
}
CITY_SECTIONS = tuple(SECTIONS)
EPISODE_SECTIONS = ("calendar", "city", "strength", "vanguard", "inputs")


def is_episode_key(section: str, key: str | None) -> bool:
    """Whether ``section.key`` is episode data (else it is behaviour)."""
    if section in EPISODE_SECTIONS:
        return True
    field = getattr(SECTIONS.get(section), "model_fields", {}).get(key)
    return bool(field is not None and field.json_schema_extra == EPISODE)


def check_city(spec: Any) -> None:
    """The city sections are all present and the inputs fall inside the calendar."""
    missing = [name for name in CITY_SECTIONS if getattr(spec, name) is None]
    if missing:
        raise ValueError(f"a city scenario needs the sections: {', '.join(missing)}")
    days = spec.calendar.days
    for name, item in spec.inputs.items():
        if item.day > days:
            raise ValueError(
                f"inputs.{name}.day: expected a day of the calendar, 1-{days} (got {item.day})"
            )
        last = getattr(item, "until_day", item.day)
        if not item.day <= last <= days:
            raise ValueError(
                f"inputs.{name}.until_day: expected a day from {item.day} to {days} (got {last})"
            )
    bad = [d for d in spec.calendar.rest_days if not 1 <= d <= days]
    if bad:
        raise ValueError(f"calendar.rest_days: expected days 1-{days} (got {bad})")
