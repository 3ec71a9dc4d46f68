"""Each mechanism of the city model on a tiny hand-built world, with the expected direction."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import narod
from narod.errors import ScenarioError
from narod.mechanisms import (
    agitation,
    allegiance,
    arms,
    cavalry,
    combat,
    command,
    defection,
    firing,
    fraternization,
    hardship,
    inputs,
    irregulars,
    legitimacy,
    marching,
    objectives,
    occupation,
    operations,
    parties,
    police,
    regime,
    strike,
)
from narod.models.city import build_state
from narod.scenario.episode import episode_folder
from narod.world import people as pp
from narod.world.places import build_city
from narod.world.state import CROWD, TROOPS, WOMEN
from narod.world.units import read_units

G = np.random.default_rng  # every kernel draws from the run's one generator
SPEC = narod.load_scenario("petrograd-1917", **{"city.scale": 0.01})
FOLDER = episode_folder(SPEC.scenario.episode)


def soldiers(n, threshold=0.5, risk=0.5, hardship_=0.5):
    """n soldiers of one unit and company, all loyal, at site 0."""
    return dict(
        kind=np.full(n, pp.SOLDIER, np.int8),
        state=np.full(n, pp.LOYAL, np.int8),
        loc=np.zeros(n, np.int16),
        company=np.zeros(n, np.int32),
        unit=np.zeros(n, np.int16),
        hardship=np.full(n, hardship_, np.float32),
        risk=np.full(n, risk, np.float32),
        threshold=np.full(n, threshold, np.float32),
        pressure=np.zeros(n, np.float32),
    )


def refusals(women_share: float, seed: int = 1) -> int:
    s = soldiers(2000, threshold=0.3)
    s["threshold"][:] = np.random.default_rng(seed).normal(0.4, 0.15, 2000)
    tallies = [np.zeros(1, np.int64) for _ in range(3)] + [np.zeros(1, np.int64)]
    firing.answer(G(seed), s["kind"], s["state"], s["loc"], s["company"], s["unit"], s["hardship"],
                  s["risk"], s["threshold"], s["pressure"], np.zeros(1, np.float32),
                  np.zeros(1), 0.5, np.array([women_share]), np.array([True]), 1.0, 1.0, 0.1,
                  0.5, 0.5, *tallies)  # fmt: skip
    return int(tallies[2][0])


def test_more_women_in_the_crowd_more_soldiers_refuse_to_fire():
    assert refusals(0.8) > refusals(0.1) + 100


def test_an_order_to_fire_is_answered_only_where_given():
    s = soldiers(100)
    tallies = [np.zeros(1, np.int64) for _ in range(4)]
    firing.answer(G(0), s["kind"], s["state"], s["loc"], s["company"], s["unit"], s["hardship"],
                  s["risk"], s["threshold"], s["pressure"], np.zeros(1, np.float32),
                  np.ones(1), 0.5, np.zeros(1), np.array([False]), 1.0, 1.0, 0.1, 0.5, 0.5,
                  *tallies)  # fmt: skip
    assert sum(int(t.sum()) for t in tallies) == 0


def test_casualties_follow_aimed_shots():
    kill, wound = firing.casualties(np.array([0, 100]), np.array([1000, 1000]), 0.01, 1.5)
    assert kill[0] == 0 and kill[1] == pytest.approx(0.001)
    assert wound[1] == pytest.approx(0.0015)


def test_fraternization_grows_with_kin_and_stops_when_switched_off():
    rules = SPEC.fraternization
    crowd, women, soldiers_ = np.array([1000.0]), np.array([300.0]), np.array([50.0])
    few = fraternization.pressure_gain(crowd, women, np.array([50.0]), soldiers_, rules)
    many = fraternization.pressure_gain(crowd, women, np.array([500.0]), soldiers_, rules)
    assert many[0] > few[0] > 0
    off = rules.model_copy(update={"enabled": False})
    assert fraternization.pressure_gain(crowd, women, np.array([500.0]), soldiers_, off)[0] == 0
    assert fraternization.pressure_gain(np.zeros(1), women, women, soldiers_, rules)[0] == 0


def test_expected_punishment_falls_as_the_mutiny_grows():
    values = [defection.punishment(1.0 - m, m, 0.1) for m in (0.0, 0.1, 0.3, 0.6)]
    assert all(a > b for a, b in zip(values, values[1:], strict=False))


def decide(s, company_mutiny, irreversible=False, neighbour=0.0, city=0.0):
    return defection.decide(
        G(3), s["kind"], s["state"], s["company"], s["unit"], s["hardship"], s["risk"],
        s["threshold"], s["pressure"], np.zeros(1, np.float32), np.array([company_mutiny]),
        np.array([1.0 - company_mutiny]), np.array([neighbour]), np.array([irreversible]),
        0.5, 1.0, 1.0, 0.1, 1.0, 1.0, 0.5, city, 0.4, 0.3, 1.0, 0.0, 1.0,
    )  # fmt: skip


def test_a_soldier_defects_when_certain_of_a_victorious_mass():
    alone, mass = soldiers(500, threshold=0.6), soldiers(500, threshold=0.6)
    decide(alone, 0.0)
    decide(mass, 0.6, neighbour=0.6, city=0.5)
    assert np.sum(alone["state"] == pp.MUTINIED) == 0
    assert np.sum(mass["state"] == pp.MUTINIED) == 500


def test_killing_an_officer_makes_a_mutiny_irreversible():
    free, bound = soldiers(100, threshold=0.9), soldiers(100, threshold=0.9)
    for s in (free, bound):
        s["state"][:] = pp.MUTINIED
    decide(free, 0.0)
    decide(bound, 0.0, irreversible=True)
    assert np.all(free["state"] == pp.LOYAL)
    assert np.all(bound["state"] == pp.MUTINIED)


def test_loyal_men_disarm_a_mutiny_they_outnumber_unless_blood_was_shed():
    kind = np.full(10, pp.SOLDIER, np.int8)
    loc = np.array([0] * 5 + [1] * 5, np.int16)
    company = np.array([0] * 5 + [1] * 5, np.int32)
    state = np.full(10, pp.MUTINIED, np.int8)
    rng = np.random.default_rng(0)
    irreversible = np.array([False, True])
    crushed = defection.suppress(state, kind, loc, company, irreversible, np.array([100, 100]),
                                 np.array([5, 5]), 3.0, 1.0, rng)  # fmt: skip
    assert set(crushed) == {0, 1, 2, 3, 4}
    assert np.all(state[:5] == pp.F_ARRESTED) and np.all(state[5:] == pp.MUTINIED)


def test_workers_strike_more_where_their_shop_and_neighbours_are_out():
    n = 1000
    rng = np.random.default_rng(0)

    def walkouts(own_share: float, called: bool) -> int:
        state = np.zeros(n, np.int8)
        return strike.decide(
            G(0), state, np.zeros(n, np.int8), np.zeros(n, np.int16), np.zeros(n, np.int16),
            np.full(n, -1, np.int8), np.zeros(n, bool), np.full(n, 0.4, np.float32),
            rng.normal(1.0, 0.25, n).astype(np.float32), np.full(n, 0.5, np.float32),
            np.zeros(n, bool), np.array([own_share]), np.zeros(1), np.array([called]),
            np.zeros(1), np.zeros(1), 0.0, 1.0, 1.0, 0.4, 0.3, 0.2, 0.3, 0.5,
        )  # fmt: skip

    assert walkouts(0.0, False) < walkouts(0.0, True) < walkouts(0.5, True)


def test_fear_deters_strikers():
    n = 1000
    state_calm, state_afraid = np.zeros(n, np.int8), np.zeros(n, np.int8)
    args = (np.zeros(n, np.int8), np.zeros(n, np.int16), np.zeros(n, np.int16),
            np.full(n, -1, np.int8), np.zeros(n, bool), np.full(n, 0.6, np.float32),
            np.linspace(0.5, 1.5, n).astype(np.float32), np.full(n, 0.5, np.float32),
            np.zeros(n, bool), np.array([0.3]), np.zeros(1), np.array([False]), np.zeros(1),
            np.zeros(1))  # fmt: skip
    calm = strike.decide(G(0), state_calm, *args, 0.0, 1.0, 1.0, 0.4, 0.3, 0.2, 0.3, 0.5)
    afraid = strike.decide(G(0), state_afraid, *args, 2.0, 1.0, 1.0, 0.4, 0.3, 0.2, 0.3, 0.5)
    assert afraid < calm


def test_delegates_call_out_the_nearest_factories():
    shares = np.array([0.9, 0.0, 0.0, 0.0])
    xy = np.array([[0.0, 0.0], [1.0, 0.0], [5.0, 0.0], [0.0, 2.0]])
    rules = SPEC.strike.model_copy(update={"delegate_reach": 2})
    assert list(strike.delegate_calls(shares, xy, rules)) == [False, True, False, True]


def test_the_walkout_puts_exactly_its_size_of_women_textile_workers_on_strike():
    spec = narod.load_scenario(
        "petrograd-1917",
        **{"city.scale": 0.01, "inputs.walkout.size": 2000, "inputs.putilov_lockout.enabled": 0},
    )
    state = build_state(spec, 0)
    state.tick = 18  # day 1, 09:00: the walkout's time
    before = state.people.state == pp.STRIKING
    inputs.walkouts(state, spec)
    out = (state.people.state == pp.STRIKING) & ~before
    p = state.people
    site = state.city.index("d_vyborg")
    assert out.sum() == 20
    assert np.all(p.female[out]) and np.all(p.home[out] == site)
    industries = np.asarray(state.layout.factory_industry)[p.factory[out]]
    assert set(industries) == {"textile"}
    assert [r.event for r in state.reports] == ["walkout"]
    state.tick = 19  # not its time: nobody more walks out
    inputs.walkouts(state, spec)
    assert np.sum(p.state == pp.STRIKING) == np.sum(out | before)


def narod_city():
    return build_city(FOLDER)


def test_police_break_when_outnumbered_and_armed_crowds_count_more():
    rules = SPEC.police
    cops = np.array([100.0, 100.0, 100.0])
    crowd = np.array([1000.0, 20000.0, 5000.0])
    armed = np.array([0.0, 0.0, 2000.0])
    swamped = police.overwhelmed(crowd, armed, cops, rules)
    assert swamped[0] == 0 and swamped[1] > 0
    assert swamped[2] > police.overwhelmed(crowd[2:], np.zeros(1), cops[2:], rules)[0]
    p_arrest, _ = police.dispersal(crowd, cops, swamped, rules)
    assert p_arrest[0] > p_arrest[1]
    hurt = police.casualties(cops, swamped, crowd, armed, rules)
    assert hurt[0] == 0 and hurt[1] > 0  # holding police are not hurt, swamped ones are
    unarmed = police.casualties(cops[2:], swamped[2:], crowd[2:], np.zeros(1), rules)
    assert hurt[2] > unarmed[0]  # an armed crowd hurts more


def test_riders_hold_back_more_from_a_crowd_of_women():
    def held(women: float) -> int:
        n = 1000
        comply = np.random.default_rng(0).normal(0.4, 0.2, n).astype(np.float32)
        counts = [np.zeros(1, np.int64) for _ in range(3)]
        cavalry.charge(G(0), np.full(n, pp.CAVALRY, np.int8), np.full(n, pp.LOYAL, np.int8),
                       np.zeros(n, np.int16), comply, np.zeros(n, np.float32), np.array([1000]),
                       np.array([women]), np.array([False]), np.array([0]), True, 0.6, 0.05,
                       0.0, 0.0, *counts, np.zeros(n, bool))  # fmt: skip
        return int(counts[1][0])

    assert held(800) > held(100)


def test_legitimacy_falls_more_when_the_victims_were_women_and_old():
    rules = SPEC.legitimacy
    hurt, crowd = np.array([10.0]), np.array([1000.0])
    men = legitimacy.violence_fall(hurt, crowd, np.zeros(1), np.zeros(1), 1e6, rules)
    women = legitimacy.violence_fall(hurt, crowd, np.array([800.0]), np.zeros(1), 1e6, rules)
    assert women > men > 0
    off = rules.model_copy(update={"enabled": False})
    assert legitimacy.violence_fall(hurt, crowd, crowd, crowd, 1e6, off) == 0
    assert legitimacy.update(0.1, 0.5, 0.3, rules) == (0.0, pytest.approx(0.35))


def test_a_bread_crisis_raises_hardship_more_for_women():
    base = np.full(2, 0.4, np.float32)
    female = np.array([False, True])
    crisis = hardship.daily_hardship(base, female, SPEC.bread)
    assert crisis[1] > crisis[0] > 0.4
    none = SPEC.bread.model_copy(update={"enabled": False})
    assert np.all(hardship.daily_hardship(base, female, none) == base)
    assert hardship.grievance(np.array([0.5]), 0.2)[0] == pytest.approx(0.4)


def test_arrested_activists_agitate_no_more():
    city = narod_city()
    civilians, _, _ = pp.build_people(
        SPEC, city, read_units(FOLDER, city), np.random.default_rng(0)
    )
    n = len(city.sites)
    share = np.ones(n)
    before = agitation.overnight_pull(civilians, share, n, SPEC.agitation)
    civilians.state[civilians.activist] = pp.ARRESTED
    after = agitation.overnight_pull(civilians, share, n, SPEC.agitation)
    assert before.sum() > 0 and after.sum() == 0


def test_parties_follow_the_crowd_with_a_lag():
    rules = SPEC.parties
    lags = np.array([p.lag for p in rules.parties])
    assert set(lags) == {1, 2}
    stances = np.zeros(len(rules.parties))
    # Two days seen (30 %, then 50 % out): a party reads the day `lag` days back.
    after = parties.update_stances(stances, [0.3, 0.5], rules)
    assert np.allclose(after[lags == 1], rules.adapt * 0.3) and np.all(after[lags == 2] == 0)
    after = parties.update_stances(after, [0.3, 0.5, 0.7], rules)
    assert np.allclose(after[lags == 2], rules.adapt * 0.3)
    assert np.allclose(
        after[lags == 1], rules.adapt * 0.3 + rules.adapt * (0.5 - rules.adapt * 0.3)
    )
    calls_at = np.array([p.call_at for p in rules.parties])
    pull = parties.call_pull(calls_at, rules)  # every party at its mark: all call
    assert np.allclose(pull, rules.call_effect * calls_at)
    assert np.all(parties.call_pull(calls_at - 0.01, rules) == 0)  # just below: none does
    off = rules.model_copy(update={"enabled": False})
    assert np.all(parties.call_pull(np.ones(len(lags)), off) == 0)


def test_mutineers_hand_out_rifles_and_objectives_fall_to_numbers():
    rules = SPEC.arms
    crowd, armed, stock = np.array([1000.0, 1000.0]), np.zeros(2), np.zeros(2)
    chance = arms.arming_chance(np.array([0.0, 500.0]), crowd, armed, stock, rules)
    assert chance[0] == 0 and chance[1] > 0
    state = build_state(SPEC, 0)
    arsenal = state.objectives.index("arsenal_liteiny")
    site = int(state.objective_site[arsenal])
    guard = state.city.place("arsenal_liteiny").guard * state.scale
    state.force_at = pp.force_counts(state.forces, state.n_sites)
    state.counts[site, 2] = int(guard)  # armed men at its site: as many as the guard, not more
    objectives.take(state, SPEC)
    assert not state.taken[arsenal] and state.stock[site] == 0
    state.counts[site, 2] = int(guard) + 1
    objectives.take(state, SPEC)
    assert state.taken[arsenal] and state.stock[site] == 40_000 * state.scale
    assert "arms_seized" in [r.event for r in state.reports]


def test_the_regime_escalates_when_the_street_outgrows_its_force_and_falls_without_it():
    rules = SPEC.regime
    assert regime.escalate(1, 1000, 3500, 0, rules) == 1
    assert regime.escalate(1, 100_000, 3500, 0, rules) == 2
    assert regime.escalate(2, 200_000, 3500, 2500, rules) == 3
    off = rules.model_copy(update={"enabled": False})
    assert regime.escalate(1, 10**7, 1, 0, off) == 1
    assert regime.collapsed(5, 100, rules) and not regime.collapsed(50, 100, rules)


def test_fire_is_authorised_from_the_order_on():
    state = build_state(SPEC, 0)
    state.level = TROOPS
    state.tick = 2 * 48 + 41  # day 3, 20:30: before the order
    assert not inputs.fire_authorised(state, SPEC)
    state.tick += 1  # 21:00: the order
    assert inputs.fire_authorised(state, SPEC)
    inputs.orders_to_fire(state, SPEC)
    assert [r.event for r in state.reports] == ["order_to_fire"]
    off = narod.load_scenario("petrograd-1917", **{"inputs.order_to_fire.enabled": False})
    assert not inputs.fire_authorised(state, off)


def test_a_held_bridge_is_crossed_on_the_ice_and_an_open_one_walked():
    def crossers(blocked: bool, ice: float) -> int:
        n = 1000
        hop = np.array([[0, 0], [0, 1]], np.int16)  # from site 1 (a bridge) step to site 0
        state = np.full(n, pp.STREET, np.int8)
        loc = np.ones(n, np.int16)
        marching.step(
            G(0), np.zeros(n, np.int8), np.zeros(n, bool), np.zeros(n, bool), np.zeros(n, bool),
            np.zeros(n, bool), np.zeros(n, np.int16), state, loc, np.zeros(n, np.int16),
            np.zeros(n, bool),
            np.ones(n, bool), np.zeros(n, np.float32), np.zeros(n, np.float32),
            np.ones(n, np.float32), np.zeros((2, 5)), np.array([False, blocked]), hop,
            np.zeros(2), 0.0, False, np.zeros(2), 1.0, 0.3, ice, np.zeros((2, 5), np.int64),
            np.zeros((2, 5), np.int64), np.zeros(2, np.int64),
        )  # fmt: skip
        return int(np.sum(loc == 0))

    assert crossers(False, 0.0) == 1000
    assert crossers(True, 0.0) == 0
    assert 100 < crossers(True, 0.2) < 300


TOY = "tests/episodes/toy-town"
CURFEW = {"inputs.night.type": "curfew", "inputs.night.day": 2, "inputs.night.hour": 12.0,
          "inputs.night.from_hour": 12.0, "inputs.night.until_hour": 7.0,
          "inputs.night.until_day": 3}  # fmt: skip
CUT = {
    "inputs.cut.type": "communications_cut",
    "inputs.cut.day": 1,
    "inputs.cut.hour": 0.5,
    "inputs.cut.until_day": 2,
    "inputs.cut.until_hour": 11.5,
    "inputs.blackout.enabled": False,
}  # fmt: skip (the toy's own cut, off)


def test_a_curfew_holds_in_its_hours_and_days_only():
    spec = narod.load_scenario(TOY, **CURFEW)
    state = build_state(spec, 0)

    def at(day, hour):
        state.tick = int((day - 1) * 48 + hour * 2)
        return inputs.curfew_now(state, spec)

    assert not at(1, 20.0) and not at(2, 11.5)  # before it was declared
    assert at(2, 12.0) and at(2, 23.5) and at(3, 6.5)  # its hours, across midnight
    assert not at(3, 7.0) and not at(3, 11.5)  # the morning of its last day: out of hours
    assert at(4, 6.5) and not at(4, 7.0)  # its last evening runs into the next morning
    assert at(3, 12.0)
    off = narod.load_scenario(TOY, **{**CURFEW, "inputs.night.enabled": False})
    assert not inputs.curfew_now(state, off)
    state.hazard = np.zeros((state.n_sites, 5))
    inputs.curfew(state, spec)  # at day 3, 12:00: in force
    assert np.all(state.hazard[:, 3] == spec.curfew.compliance)


def test_a_curfew_empties_the_streets_as_far_as_people_obey():
    def afternoon(**overrides) -> float:
        spec = narod.load_scenario(TOY, **{"city.scale": 0.2, **overrides})
        series = narod.simulate(spec, seed=4).table.to_pydict()
        return sum(series["on_streets"][48 + 26 : 48 + 36])  # day 2, 13:00-18:00

    free = afternoon()
    assert afternoon(**CURFEW) < 0.75 * free
    assert afternoon(**CURFEW, **{"curfew.compliance": 0.0}) > afternoon(**CURFEW)


def test_a_communications_cut_shortens_the_reach_of_news_while_it_lasts():
    spec = narod.load_scenario(TOY, **CUT)
    state = build_state(spec, 0)
    reach = []
    for day, hour in ((1, 0.0), (1, 0.5), (2, 11.0), (2, 11.5)):
        state.tick = int((day - 1) * 48 + hour * 2)
        reach.append(inputs.news_reach(state, spec))
    assert reach == [1.0, 1 - spec.communications.cut_effect, 0.5, 1.0]
    off = narod.load_scenario(TOY, **{**CUT, "communications.enabled": False})
    state.tick = 10
    assert inputs.news_reach(state, off) == 1.0
    with pytest.raises(ScenarioError, match="until_day"):
        narod.load_scenario(TOY, **{**CUT, "inputs.cut.until_day": 9})


# ----------------------------------------------------------------------------- the command
def test_the_commands_case_weighs_police_ranks_and_mass_alike():
    rules = SPEC.command
    assert command.case(0.0, 0.0, 0.0, rules) == 0.0
    assert command.case(1.0, 1.0, 1.0, rules) == pytest.approx(1.0)
    assert command.case(1.0, 0.0, 0.0, rules) == pytest.approx(1 / 3)
    assert command.case(0.0, 0.0, 1.0, rules) == command.case(0.0, 1.0, 0.0, rules)


def test_the_command_stands_aside_then_removes_the_ruler_and_can_come_back():
    OBEY, ASIDE, REMOVE = command.OBEY, command.STAND_ASIDE, command.REMOVE
    assert command.decide(OBEY, 0, False, 3) == (OBEY, 0)
    assert command.decide(OBEY, 0, True, 3) == (ASIDE, 0)
    assert command.decide(ASIDE, 1, True, 3) == (ASIDE, 2)
    assert command.decide(ASIDE, 2, True, 3) == (REMOVE, 3)
    assert command.decide(ASIDE, 2, False, 3) == (OBEY, 0)  # the case fell: it obeys again
    assert command.decide(REMOVE, 3, False, 3) == (REMOVE, 3)  # a removal is not undone


def _toy(**overrides):
    spec = narod.load_scenario(TOY, **{"city.scale": 0.5, **overrides})
    return narod.simulate(spec, seed=2)


def test_a_command_that_depends_little_on_the_ruler_passes_no_order_to_fire_and_removes_him():
    kept = _toy().outcome
    assert "troops_fire" in kept.events and "command_stands_aside" not in kept.events
    freed = _toy(**{"command.dependence": 0.0, "command.remove_after": 1})
    events = freed.outcome.events
    assert "command_stands_aside" in events and "troops_fire" not in events
    assert events["ruler_removed"][0] > events["command_stands_aside"][0]
    assert freed.outcome.collapse_tick == events["ruler_removed"][0]
    assert freed.outcome.fell_how == "removed_by_command"
    state = np.asarray(freed.column("command_state"))
    assert set(np.unique(state)) == {0.0, 1.0, 2.0} and np.all(np.diff(state) >= 0)
    off = _toy(**{"command.dependence": 0.0, "command.enabled": False}).outcome
    assert "command_stands_aside" not in off.events and "troops_fire" in off.events


# ----------------------------------------------------------------------------- occupation
def test_a_square_is_held_by_a_large_enough_crowd_that_nobody_contests():
    crowd, contest = np.array([5000, 5000, 500, 0]), np.array([0, 3, 0, 0])
    assert command.OBEY == 0  # (the contest counts obeying troops only; see the run below)
    assert occupation.held(crowd, contest, 1000).tolist() == [True, False, False, False]


def test_a_held_square_keeps_part_of_its_crowd_through_the_night_and_the_curfew():
    kw = {"police.centre_share": 0.0, "inputs.hired.enabled": False}  # nobody contests the square
    stays = np.asarray(_toy(**kw).column("occupying"))
    home = np.asarray(_toy(**kw, **{"occupation.nights_out": False}).column("occupying"))
    assert stays.max() > 0 and home.max() == 0
    night = slice(48 + 40, 48 + 48)  # day 2, 20:00-24:00, under the toy's curfew
    assert stays[night].min() > 0  # the curfew does not move them


# ----------------------------------------------------------------------------- irregulars
def test_irregulars_hurt_a_crowd_they_are_not_swamped_by_and_break_by_the_police_rule():
    rules = SPEC.irregulars
    crowd, hired = np.array([1000.0, 1000.0, 0.0]), np.array([100.0, 100.0, 100.0])
    kill, wound, flee = irregulars.attack(crowd, hired, np.array([0.0, 1.0, 0.0]), rules)
    assert kill[0] > 0 and wound[0] > kill[0] and flee[0] == rules.scare
    assert kill[1] == wound[1] == flee[1] == 0.0  # swamped: they do no harm
    assert kill[2] == wound[2] == flee[2] == 0.0  # nobody there to hurt
    swamped = police.overwhelmed(np.array([100.0, 10**6]), np.zeros(2), np.array([50.0, 50.0]),
                                 SPEC.police)  # fmt: skip
    assert swamped[0] == 0.0 and swamped[1] == 1.0


def test_irregulars_are_sent_in_at_their_hour_and_routed_by_a_big_enough_crowd():
    few = _toy(**{"strength.irregulars": 0.05}).outcome.events  # 15 hired men
    assert "irregulars_attack@sq_centre" in few
    assert few["irregulars_attack"][0] == 48 + 24  # day 2, 12:00
    assert "irregulars_routed@sq_centre" in few
    quiet = {"firing.enabled": False}  # no volleys: the hired men's victims alone
    many = _toy(**quiet, **{"strength.irregulars": 20.0})  # 6,000 hired men
    assert "irregulars_routed" not in many.outcome.events
    none = _toy(**quiet, **{"inputs.hired.enabled": False})
    hurt = [max(r.column("killed_civilians") + r.column("wounded_civilians")) for r in (many, none)]
    assert hurt[0] > 2 * hurt[1] + 10


def test_a_call_to_demonstrate_brings_its_core_out_from_each_district():
    spec = narod.load_scenario(TOY)
    state = build_state(spec, 0)
    state.tick = 24  # day 1, 12:00
    inputs.demonstrations(state, spec)
    out = state.people.state == pp.STREET
    assert out.sum() == 300
    homes = np.bincount(state.people.home[out], minlength=state.n_sites)
    assert sorted(homes[homes > 0].tolist()) == [150, 150]


def test_troops_called_out_by_an_input_go_to_their_posts_and_their_command_meets():
    spec = narod.load_scenario(TOY, **{"command.dependence": 0.0})
    state = build_state(spec, 0)
    state.tick = 2 * 48 + 16  # day 3, 08:00
    cops = np.flatnonzero(state.forces.kind == pp.POLICE)
    state.forces.state[cops[::2]] = pp.ROUTED  # half the police lost: a case against obeying
    inputs.deploy_troops(state, spec)
    f = state.forces
    assert state.level == TROOPS and np.any((f.kind == pp.SOLDIER) & (f.loc != f.home))
    events = [r.event for r in state.reports]
    assert events[0] == "army_deployed" and "command_stands_aside" in events


# ----------------------------------------------------------------------------- organised groups
RISING = {"inputs.rising.enabled": True}


def test_attackers_storm_at_the_assault_ratio_and_fire_kills_in_proportion():
    assert combat.storming(300, 100, 3.0) and not combat.storming(299, 100, 3.0)
    assert combat.storming(3, 0, 3.0) and not combat.storming(0, 10, 3.0)
    rng = G(0)
    few = np.array([combat.hits(10, 0.01, 0.25, rng) for _ in range(4000)])
    many = np.array([combat.hits(100, 0.01, 0.25, rng) for _ in range(4000)])
    assert 350 < few.sum() < 450 and 3800 < many.sum() < 4200  # 0.1 and 1 hit per tick
    assert 0.2 < many[:, 0].sum() / many.sum() < 0.3  # a quarter of those hit die


def test_an_operation_takes_its_places_in_order_and_the_seat_falling_is_a_surrender():
    run = _toy(**RISING, **{"strength.organised": 4.0})  # 1,200 red guards
    events = run.outcome.events
    sent = events["operation"][0]
    assert sent == 2 * 48 + 4  # day 3, 02:00
    assert sent <= events["objective_taken@telegraph"][0] < events["objective_taken@hall"][0]
    assert run.outcome.collapse_tick == events["authority_surrenders"][0]
    assert run.outcome.fell_how == "surrendered"
    quiet = _toy().outcome
    assert "operation" not in quiet.events and "objective_taken" not in quiet.events


def test_insurgents_who_storm_a_held_site_take_losses_flee_and_are_stormed_in_turn():
    run = _toy(**RISING)  # 300 red guards against the bridge picket, posted police and troops
    events = run.outcome.events
    assert events["assault"][0] < events["insurgents_flee"][0]
    assert "insurgents_stormed" in events  # the troops, under the order to fire
    assert "objective_taken@hall" not in events and run.outcome.collapse_tick is None
    active = np.asarray(run.column("insurgents_active"))
    assert active.max() > 0 and active[-1] == 0  # the rising is over
    assert max(run.column("killed_insurgents")) + max(run.column("wounded_insurgents")) > 0


def test_a_few_insurgents_besiege_a_strongly_held_seat_without_taking_it():
    run = _toy(**RISING, **{"strength.organised": 0.05, "strength.defenders": 3.0})  # 15 vs 180
    events = run.outcome.events
    assert "objective_taken@telegraph" in events  # 15 outnumber its guard of 5
    assert "objective_taken@hall" not in events and "assault" not in events
    assert run.outcome.collapse_tick is None


def test_a_units_vote_takes_its_obeying_men_over_and_they_march_as_a_cascade_tips():
    def voted(pressure: float):
        spec = narod.load_scenario(TOY, **RISING, **{"inputs.vote.enabled": True,
                                                     "city.scale": 0.5})  # fmt: skip
        state = build_state(spec, 2)
        f = state.forces
        foot = f.uid == state.layout.unit_ids.index("u_foot")
        state.tick = 48 + 40  # day 2, 20:00: the vote
        allegiance.resolutions(state, spec)
        assert np.all(f.state[foot] == pp.TURNED)
        assert pp.loyal_force(f) < foot.sum()  # they are no longer the authority's
        state.tick = 2 * 48 + 4  # day 3, 02:00: the rising
        f.pressure[foot] = pressure  # days of talk with the crowds, or none
        operations.orders(state, spec)
        assert np.all(f.target[f.kind == pp.ORGANISED] >= 0)  # the organised all go
        return np.mean(f.target[foot] >= 0)

    assert voted(0.0) < 0.05  # a vote is not every man's will: few go first, few follow
    assert voted(0.4) > 0.9  # enough go first, and the rest follow them
    neutral = narod.load_scenario(
        TOY, **{"inputs.vote.enabled": True, "inputs.vote.side": "neutral"}
    )
    state = build_state(neutral, 2)
    state.tick = 48 + 40
    allegiance.resolutions(state, neutral)
    foot = state.forces.uid == state.layout.unit_ids.index("u_foot")
    assert np.all(state.forces.state[foot] == pp.NEUTRAL)


def test_a_resolution_at_the_start_is_the_allegiance_the_run_starts_with():
    spec = narod.load_scenario(TOY, **{"inputs.vote.enabled": True, "inputs.vote.day": 1,
                                       "inputs.vote.hour": 0.0})  # fmt: skip
    state = build_state(spec, 0)
    foot = state.forces.uid == state.layout.unit_ids.index("u_foot")
    assert np.all(state.forces.state[foot] == pp.TURNED)
    assert state.initial_loyal == pp.loyal_force(state.forces)  # counted after the vote
    run = narod.simulate(spec, seed=0).outcome
    assert run.events["units_recognise_insurgents"] == [0]  # told once
    assert run.collapse_tick is None or run.collapse_tick > 0  # not a fall at the first tick


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("inputs.rising.units", ["u_police"], "expected a unit of role organised"),
        ("inputs.vote.units", ["u_nobody"], "no unit of forces.csv"),
        ("inputs.rising.targets", ["nowhere"], "names no place"),
    ],
)
def test_inputs_naming_units_or_places_are_checked(key, value, message):
    spec = narod.load_scenario(TOY, **{key: value})
    with pytest.raises(ScenarioError, match=message):
        build_state(spec, 0)


def test_reinforcements_are_not_in_the_city_until_they_arrive():
    spec = narod.load_scenario(TOY)
    state = build_state(spec, 0)
    f = state.forces
    relief = f.uid == state.layout.unit_ids.index("u_relief")
    assert relief.any() and np.all(f.state[relief] == pp.ABSENT)
    before = pp.loyal_force(f)
    assert state.initial_loyal == before  # the collapse is measured on the force in the city
    state.tick = 48 + 24  # day 2, 12:00
    allegiance.reinforcements(state, spec)
    assert np.all(f.state[relief] == pp.LOYAL) and pp.loyal_force(f) == before + relief.sum()
    assert [r.event for r in state.reports] == ["reinforcements_arrive"]
    off = narod.load_scenario(TOY, **{"inputs.relief.enabled": False})
    assert not np.any(build_state(off, 0).forces.state == pp.ABSENT)


def test_a_picket_holds_its_bridge_as_defenders_and_blocks_insurgents_there():
    state = build_state(narod.load_scenario(TOY), 0)
    f = state.forces
    picket = f.uid == state.layout.unit_ids.index("u_line")
    assert np.all(f.loc[picket] == state.city.index("br_river"))
    assert np.all(combat.holders(f)[picket])  # they hold the bridge from the start


# ----------------------------------------------------------------------------- the claims' levers
@given(
    st.integers(0, 5000), st.integers(0, 5000), st.floats(0.0, 10.0, allow_nan=False)
)  # fmt: skip
def test_women_in_front_stay_within_the_crowd_and_grow_with_the_front_weight(men, women, front):
    counts = np.zeros((1, 5), np.int64)
    counts[0, CROWD], counts[0, WOMEN] = men + women, women
    seen = marching.women_in_front(counts, front)[0]
    assert 0.0 <= seen <= men + women + 1e-9
    assert marching.women_in_front(counts, 1.0)[0] == women  # exactly the crowd's own count
    more = marching.women_in_front(counts, front + 1.0)[0]
    assert more >= seen - 1e-9
    if women and men and front > 1.0:
        assert seen > women


def test_women_who_stay_home_never_march_and_a_turnout_of_one_draws_nothing():
    city = narod_city()
    units = read_units(FOLDER, city)
    some = SPEC.model_copy(
        update={"marching": SPEC.marching.model_copy(update={"women_turnout": 0.0})}
    )
    civilians, _, _ = pp.build_people(some, city, units, np.random.default_rng(0))
    assert np.array_equal(civilians.stays_home, civilians.female)
    fitted, _, _ = pp.build_people(SPEC, city, units, np.random.default_rng(0))
    assert not fitted.stays_home.any()
    spec = narod.load_scenario(TOY, **{"city.scale": 0.2, "marching.women_turnout": 0.0,
                                       "inputs.walkout.enabled": False})  # fmt: skip
    run = narod.simulate(spec, seed=1)
    assert run.table.num_rows > 0
    state = build_state(spec, 1)
    assert np.array_equal(state.people.stays_home, state.people.female)


def test_a_mens_walkout_takes_only_men_and_is_told_as_theirs():
    spec = narod.load_scenario(
        "petrograd-1917:men-first", **{"city.scale": 0.01, "inputs.putilov_lockout.enabled": 0}
    )
    state = build_state(spec, 0)
    state.tick = 18
    inputs.walkouts(state, spec)
    p = state.people
    out = p.state == pp.STRIKING
    assert out.sum() == 37 and not p.female[out].any()
    assert state.reports[0].data == {"who": "men ", "industry": "metal"}


def officers(n, threshold=0.3):
    f = soldiers(n, threshold=threshold)
    f["kind"][:] = pp.POLICE
    return f


def police_decide(f, station_turned, city_expected, standing=1.0):
    return defection.police_decide(
        G(5), f["kind"], f["state"], f["unit"], f["hardship"], f["risk"], f["threshold"],
        f["pressure"], np.array([station_turned]), np.array([1.0 - station_turned]), 0.5,
        (1.0, 1.0, 0.1, 1.0, 0.1), city_expected, 1.0, standing,
    )  # fmt: skip


def test_police_who_may_defect_weigh_it_as_soldiers_do_and_never_otherwise():
    calm, swept = officers(300, threshold=0.6), officers(300, threshold=0.6)
    assert police_decide(calm, 0.0, 0.0) == 0
    assert police_decide(swept, 0.5, 0.4) == 300
    assert np.all(swept["state"] == pp.TURNED)
    # The fitted behaviour: police.defects is false and no officer leaves in a whole run.
    run = narod.simulate(narod.load_scenario(TOY, **{"city.scale": 0.2}), seed=2)
    assert not SPEC.police.defects
    assert "police_defect" not in {e["event"] for e in run.events}
    spec = narod.load_scenario(TOY, **{"city.scale": 0.2, "police.defects": True,
                                       "defection.threshold_mean": 0.0})  # fmt: skip
    turned = narod.simulate(spec, seed=2)
    assert "police_defect" in {e["event"] for e in turned.events}


def test_a_party_that_leads_calls_from_the_first_morning():
    spec = narod.load_scenario("petrograd-1917:parties-lead", **{"city.scale": 0.01})
    state = build_state(spec, 0)
    assert np.all(state.stances == 1.0)
    assert np.all(parties.call_pull(state.stances, spec.parties) == spec.parties.call_effect)
    assert np.all(build_state(SPEC, 0).stances == 0.0)
