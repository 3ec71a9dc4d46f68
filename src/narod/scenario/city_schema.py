"""The sections of the city model (the February days in Petrograd), one per mechanism.

Each mechanism has an ``enabled`` switch and its own parameters, so a counterfactual is a few
``--set`` overrides or a named variant. The defaults are the fitted values of
``petrograd-1917.toml``, where each number carries its source or the word "assumption".
"""

from __future__ import annotations

from pydantic import Field

from narod.scenario.section import Section


def frac(default: float, description: str = "") -> float:
    return Field(default, ge=0.0, le=1.0, description=description)


def pos(default: float, description: str = "") -> float:
    return Field(default, ge=0.0, description=description)


class City(Section):
    """The population and its composition."""

    scale: float = Field(1.0, gt=0.0, le=1.0, description="agents per person (1 = one per person)")
    population: int = Field(2_412_700, ge=1, description="residents, garrison excluded")
    students: int = Field(35_000, ge=0)
    activists: int = Field(5_000, ge=0, description="grassroots organisers among the workers")
    officer_share: float = frac(0.02, "officers per soldier")
    kin_share: float = frac(0.3, "civilians with a soldier among their kin")
    old_share: float = frac(0.1, "residents over 60")
    hardship_mean: float = frac(0.5)
    hardship_sd: float = pos(0.15)
    risk_aversion_mean: float = frac(0.5)
    risk_aversion_sd: float = pos(0.15)


class Bread(Section):
    """Bread shortage: raises hardship, more for women, who stood in the queues."""

    enabled: bool = True
    shortage: float = frac(0.5, "0 = normal supply, 1 = none")
    hardship_effect: float = frac(0.4)
    women_extra: float = frac(0.1)


class Legitimacy(Section):
    """Civilians' and troops' belief in the regime's right to rule; falls with visible violence."""

    enabled: bool = True
    civil: float = frac(0.35)
    troops: float = frac(0.6)
    violence_effect: float = pos(0.02, "fall per casualty per 100,000 inhabitants")
    women_weight: float = pos(1.0, "extra effect when the victims' crowd is mostly women")
    old_weight: float = pos(1.0)
    troops_share: float = frac(0.5, "share of the civilians' fall that the troops feel")


class Strike(Section):
    """Workplace strike decisions as thresholds on what the worker sees."""

    enabled: bool = True
    threshold_mean: float = pos(0.8)
    threshold_sd: float = pos(0.25)
    grievance_weight: float = pos(1.0)
    own_weight: float = pos(1.0, "pull of the own factory's striking share")
    district_weight: float = pos(0.4, "pull of the district's striking share")
    delegate_weight: float = pos(0.3, "pull when delegates call the shop out")
    delegate_share: float = frac(0.3, "striking share at which a factory sends delegates")
    delegate_reach: int = Field(2, ge=0, description="factories each striking factory calls")
    memory: float = pos(0.2, "pull of having struck the day before")
    risk_weight: float = pos(0.3, "deterrence from casualties seen in the city")
    first_hour: int = Field(7, ge=0, le=23)
    last_hour: int = Field(16, ge=0, le=23)


class Walkout(Section):
    """The women textile workers' walkout on International Women's Day, an input."""

    enabled: bool = True
    day: int = Field(1, ge=1)
    hour: float = Field(9.0, ge=0.0, lt=24.0)
    size: int = Field(7_000, ge=0)
    district: str = "d_vyborg"
    industry: str = "textile"


class Lockout(Section):
    """The Putilov lockout of 22 February: an idle, angry pool counted among the strikers."""

    enabled: bool = True
    factory: str = "f_putilov"
    share: float = frac(1.0, "share of the factory locked out")


class Agitation(Section):
    """Night-time agitation by grassroots activists raising the next day's turnout."""

    enabled: bool = True
    effect: float = pos(3.0, "pull per activist share of the district's workers")
    cap: float = pos(0.4)


class Marching(Section):
    """Street movement: strikers and others march toward the centre; bridges and the ice."""

    enabled: bool = True
    first_hour: float = Field(9.0, ge=0.0, lt=24.0)
    last_hour: float = Field(18.0, ge=0.0, lt=24.0)
    sunday_first_hour: float = Field(12.0, ge=0.0, lt=24.0, description="Sundays start later")
    sundays: list[int] = Field(default_factory=lambda: [4], description="days that are Sundays")
    striker_share: float = frac(0.5, "chance a striker goes out on a given day")
    resident_threshold_mean: float = pos(1.2)
    resident_threshold_sd: float = pos(0.3)
    crowd_pull: float = pos(3.0, "pull of the district's crowd share on non-strikers")
    student_bonus: float = pos(0.3)
    ice_rate: float = frac(0.15, "chance per tick that a held crowd member crosses the ice")
    targets: list[str] = Field(
        default_factory=lambda: ["sq_znamenskaya", "st_nevsky", "sq_kazan"],
        description="the squares crowds march to",
    )


class Police(Section):
    """Police: blocking bridges, dispersal, arrests, beatings; routing; stations wrecked."""

    enabled: bool = True
    count: int = Field(3_500, ge=0)
    multiplier: float = pos(1.0, "counterfactual: police tripled is 3")
    bridge_share: float = frac(0.3, "share posted at the bridges")
    centre_share: float = frac(0.3, "share posted at the central squares")
    arrest_rate: float = pos(0.3, "arrests per police officer per tick")
    beat_rate: float = pos(0.05, "wounded per police officer per tick")
    rout_ratio: float = pos(60.0, "crowd per officer at which police start to break")
    rout_rate: float = frac(0.2)
    attack_rate: float = pos(0.01, "casualties per exposed officer per tick when outnumbered")
    armed_attack: float = pos(20.0, "how much more dangerous an armed crowd member is")
    kill_share: float = frac(0.2, "share of police casualties who die")
    return_fire: float = pos(0.05, "casualties per officer per tick among armed attackers")
    wreck_crowd: float = pos(2_000.0, "crowd (persons) that wrecks an abandoned station")
    defection_rate: float = frac(0.0, "chance per tick an officer joins the crowd; never")
    recover: float = frac(0.7, "chance a routed officer is back on duty the next morning")


class Cavalry(Section):
    """Cossacks and cavalry: ordered charges; compliance depends on orders and the crowd."""

    enabled: bool = True
    count: int = Field(2_500, ge=0)
    comply_mean: float = pos(0.6)
    comply_sd: float = pos(0.2)
    women_effect: float = pos(0.6, "fall in compliance per share of women in the crowd")
    contact_effect: float = pos(0.05, "fall in compliance per tick of contact with a crowd")
    charge_disperse: float = frac(0.05, "crowd share dispersed per charging rider per 100 people")
    charge_wound: float = frac(0.01, "share of those dispersed by a charge who are hurt")
    turn_rate: float = frac(0.01, "chance per tick a neutral rider turns on the police")
    kill_police: float = frac(0.05, "chance per tick a turned rider near police kills one")


class Fraternization(Section):
    """Crowds approach soldiers: questions, kin in the crowd, women's appeals."""

    enabled: bool = True
    rate: float = pos(0.02, "gain in defection pressure per tick of full contact")
    kin_weight: float = pos(1.0)
    women_weight: float = pos(0.5)
    contact_ratio: float = pos(5.0, "crowd per soldier that saturates contact")
    overnight: float = frac(0.5, "share of the pressure a soldier still feels the next day")


class Firing(Section):
    """Orders to fire answered by firing, firing in the air, or refusing; guilt afterwards."""

    enabled: bool = True
    lethality: float = pos(0.004, "deaths per aimed shot volley per soldier per tick")
    wounded_per_killed: float = pos(1.5)
    air_share: float = frac(0.5, "of those not refusing and not aiming, fire in the air")
    women_effect: float = pos(0.5, "refusal pressure per share of women in the crowd")
    guilt: float = pos(0.15, "defection pressure on every man of a unit that fired on a crowd")
    deterrence: float = pos(50.0, "share of a crowd that flees per casualty share")
    fear: float = pos(0.05, "city-wide fear per casualty per 100,000 inhabitants")
    fear_decay: float = frac(0.5, "share of the crowd's fear left after a night")
    kill_share: float = frac(0.3, "share of casualties among armed fighters who die")
    order_ratio: float = pos(5.0, "crowd per armed man at a post at which officers order fire")


class Defection(Section):
    """Soldiers' mutiny as a coordination threshold on the expected size of the mutiny."""

    enabled: bool = True
    threshold_mean: float = pos(0.6)
    threshold_sd: float = pos(0.15)
    grievance_weight: float = pos(1.0)
    risk_aversion: float = pos(1.0, "weight of the expected punishment")
    punish_k: float = pos(0.1, "k in 1 - exp(-k * loyal share / (expected mutiny + 0.02))")
    unit_weight: float = pos(1.0, "weight of the own unit's mutinous share")
    neighbour_weight: float = pos(0.5, "weight of the neighbouring barracks' share")
    city_weight: float = pos(0.5, "weight of the news of mutiny city-wide")
    unit_threshold: float = frac(0.3, "mutinous share at which a company goes over")
    reconsider: float = frac(0.1, "chance per tick that a soldier weighs the question anew")
    alarm: float = pos(0.3, "extra chance per unit of expected mutiny: news makes men decide")
    wavering_margin: float = pos(0.15, "how far below the threshold a soldier already wavers")
    return_margin: float = pos(0.3, "how far below it a mutineer goes back to the ranks")
    officer_kill: float = frac(0.05, "chance per tick a mutinous unit kills an officer")
    suppress_ratio: float = pos(3.0, "loyal men per armed rebel needed to disarm a mutiny")
    suppress_chance: float = frac(0.1, "chance per tick that the command acts where it can")


class Regime(Section):
    """Escalating orders and collapse when the loyal armed force is gone."""

    enabled: bool = True
    cavalry_ratio: float = pos(15.0, "street crowd per police officer that calls in cavalry")
    troops_ratio: float = pos(25.0, "street crowd per police + cavalry that calls in troops")
    deploy_share: float = frac(0.15, "share of the garrison sent to posts")
    live_fire_day: int = Field(3, ge=1, description="day of the Tsar's order to fire")
    live_fire_hour: float = Field(21.0, ge=0.0, lt=24.0)
    activist_arrests: int = Field(100, ge=0)
    arrest_day: int = Field(3, ge=1)
    collapse_share: float = frac(0.1, "loyal armed force, as a share of the start, at collapse")


class Arms(Section):
    """Mutineers arm workers, seize the Arsenal, open the prisons."""

    enabled: bool = True
    rifles_per_mutineer: float = pos(0.2, "rifles handed to workers per mutineer per tick")
    arsenal_rifles: int = Field(40_000, ge=0)
    arsenal_guard: int = Field(500, ge=0)
    prison_guard: int = Field(300, ge=0)
    prisoners: int = Field(2_400, ge=0)
    hunt_rate: float = pos(0.02, "police casualties per mutineer per tick where they meet")


class Party(Section):
    name: str
    influence: float = frac(0.1, "share of workers who heed its calls")
    lag: int = Field(1, ge=0, description="days it waits before reading the mood")
    call_at: float = frac(0.3, "stance at which it calls for a strike")


class Parties(Section):
    """Parties as organisations whose stance follows observed mobilisation with a lag."""

    enabled: bool = True
    adapt: float = frac(0.5, "share of the gap closed per day")
    call_effect: float = pos(0.3, "pull of a party's call on those who heed it")
    parties: list[Party] = Field(default_factory=list)


class Vanguard(Section):
    """An armed sect trying to take the centre without a mass strike (counterfactual)."""

    enabled: bool = False
    size: int = Field(3_000, ge=0)
    armed: bool = True


CITY_SECTIONS = (
    "city", "bread", "legitimacy", "strike", "walkout", "lockout", "agitation", "marching",
    "police", "cavalry", "fraternization", "firing", "defection", "regime", "arms", "parties",
    "vanguard",
)  # fmt: skip
