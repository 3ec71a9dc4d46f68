"""The February days in Petrograd: the city model, one agent per person.

A tick is half an hour; day 1 starts at midnight on 23 February 1917 (Julian). Each tick runs the
mechanisms in a fixed order over the arrays of :mod:`narod.world.people`:

1. the day's inputs (bread, the women's walkout, night arrests, agitation, party stances);
2. workplace strike decisions (on the hour, in working hours);
3. what happens at each site: police, Cossacks, fraternization, orders to fire, mutiny, arms;
4. the civilians' pass (outcomes, marching, going home) and the counts for the next tick;
5. the regime's escalation and the check for its collapse; the record and the event log.

No line here sets an outcome: the regime falls only when the mechanisms leave it without a loyal
armed force.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from narod.mechanisms import (
    agitation,
    arms,
    cavalry,
    defection,
    firing,
    fraternization,
    hardship,
    legitimacy,
    marching,
    parties,
    police,
    regime,
    strike,
    walkout,
)
from narod.models.february_log import EventLog
from narod.results.february import Outcome
from narod.scenario.schema import Spec
from narod.world import people as pp
from narod.world.places import build_city

TICKS_PER_DAY = 48
HOURS_PER_TICK = 0.5
GENERAL_STRIKE_SHARE = 0.55  # strike share called "general" [assumption: between the record's
# day-2 high (0.558) and day-3 low (0.576)]
LAST_LOYAL_SHARE = 0.01  # loyal share of the garrison taken as "no loyal detachment left"
# [assumption: record, 1,000-2,000 loyal men on the evening of day 5, gone on day 6]
SITE_COLUMNS = ("crowd", "women", "armed", "police", "cossacks", "soldiers_posted", "mutineers")
REVEILLE, MORNING, EVENING = 6.0, 7.0, 21.0  # barracks wake; forces go to posts and back
# [assumption]


@njit(cache=True)
def _seed(seed):
    np.random.seed(seed)


class FebruaryRun:
    """One run of the February model; :meth:`advance` moves it on, :meth:`series` reads it."""

    def __init__(self, spec: Spec, seed: int) -> None:
        self.spec = spec
        sequence = np.random.SeedSequence(seed)
        build, kernels = sequence.spawn(2)
        self.rng = np.random.default_rng(build)
        _seed(int(kernels.generate_state(1)[0] % (2**31 - 1)))
        self.city = build_city()
        self.people, self.forces, self.layout = pp.build_people(spec, self.city, self.rng)
        self.scale = spec.city.scale
        n_sites = len(self.city.sites)
        self.n_sites = n_sites
        self.counts = np.zeros((n_sites, 5), np.int64)
        self.tally = np.zeros((n_sites, marching.N_OUTCOMES), np.int64)
        self.crossed = np.zeros(n_sites, np.int64)
        self.site_outcome = np.zeros((n_sites, marching.N_OUTCOMES))
        self.blocked = np.zeros(n_sites, np.bool_)
        self.stock = np.zeros(n_sites)
        self.tick = 0
        self.hour = 0.0
        self.level = regime.POLICE_ONLY
        self.live = False
        self.collapse_tick: int | None = None
        self.legit_civil = spec.legitimacy.civil
        self.legit_troops = spec.legitimacy.troops
        self.guilt = np.zeros(max(len(self.layout.units), 1), np.float32)  # per unit
        self.pending_guilt = np.zeros_like(self.guilt)
        self.irreversible = np.zeros(max(len(self.layout.company_unit), 1), np.bool_)
        self.stances = np.zeros(max(len(spec.parties.parties), 1))
        self.pull = np.zeros(n_sites)
        self.fear = 0.0
        self.mobilisation: list[float] = []
        self.day_peak = 0.0
        self.district_day = np.zeros(n_sites)
        self.grievance = np.zeros(self.people.state.size, np.float32)
        self.base_hardship = self.people.hardship.copy()
        self.ftarget = self.forces.home.copy()
        self.charged = np.zeros(self.forces.state.size, np.bool_)  # riders who charged today
        self.workers = int(np.sum(self.people.kind == pp.WORKER))
        self.garrison = int(np.sum(self.forces.company >= 0))
        self.factory_xy = np.asarray(
            [[p.lon, p.lat] for p in self.city.of_kind("factory")], dtype=float
        ).reshape(-1, 2)
        self.unit_neighbours = self._unit_neighbours()
        self.arsenal = self._sites_of("arsenal")[:1]
        self.prisons = self._sites_of("prison")
        self.arsenal_taken = False
        self.prisons_open = False
        self.wrecked = np.zeros(len(self.layout.stations), np.bool_)
        self.casualties = {
            "killed_civilians": 0,
            "wounded_civilians": 0,
            "killed_police": 0,
            "wounded_police": 0,
            "killed_soldiers": 0,
            "wounded_soldiers": 0,
            "arrested": 0,
        }
        self.initial_loyal = self._loyal_force()
        self.neutral_before = np.zeros(self.forces.state.size, np.bool_)
        self.log = EventLog(self)
        self.rows: list[dict[str, float]] = []
        self.district_rows: list[np.ndarray] = []
        self.site_rows: list[np.ndarray] = []
        self.agent_steps = 0
        self._new_day(1)
        self.street_peak = 0.0
        self._record()

    # ----------------------------------------------------------------- set-up helpers
    def _sites_of(self, kind: str) -> list[int]:
        return [self.city.index(p.id) for p in self.city.of_kind(kind)]

    def _unit_neighbours(self) -> np.ndarray:
        """Units in the same or a land-adjacent district: those a mutiny calls out."""
        sites = self.layout.unit_site
        n = sites.size
        near = np.zeros((n, n), np.bool_)
        for a in range(n):
            around = set(self.city.neighbours[sites[a]]) | {int(sites[a])}
            for b in range(n):
                near[a, b] = a != b and int(sites[b]) in around
        return near

    @property
    def n_agents(self) -> int:
        return int(self.people.state.size + self.forces.state.size)

    # ----------------------------------------------------------------- counts
    def _persons(self, agents: float) -> float:
        return agents / self.scale

    def _loyal_force(self) -> int:
        f = self.forces
        loyal = (f.state == pp.LOYAL) | ((f.state == pp.WAVERING) & (f.kind != pp.COSSACK))
        return int(np.sum(loyal))

    def _force_counts(self) -> dict[str, np.ndarray]:
        f = self.forces
        n = self.n_sites

        def at(mask: np.ndarray) -> np.ndarray:
            return np.bincount(f.loc[mask], minlength=n).astype(np.int64)

        soldier = (f.kind == pp.SOLDIER) | (f.kind == pp.OFFICER)
        loyal = (f.state == pp.LOYAL) | (f.state == pp.WAVERING)
        return {
            "police": at((f.kind == pp.POLICE) & (f.state == pp.LOYAL)),
            "cossacks": at((f.kind == pp.COSSACK) & (f.state == pp.LOYAL)),
            "soldiers": at(soldier & loyal),
            "loyal": at(soldier & (f.state == pp.LOYAL)),
            "deployed": at(soldier & loyal & (f.loc != f.home)),
            "mutineers": at(soldier & (f.state == pp.MUTINIED)),
        }

    # ----------------------------------------------------------------- the day's inputs
    def _new_day(self, day: int) -> None:
        spec, p = self.spec, self.people
        if day > 1:
            self.mobilisation.append(self.day_peak)
            if spec.parties.enabled:
                before = self.stances.copy()
                self.stances = parties.update_stances(self.stances, self.mobilisation, spec.parties)
                self.log.party_calls(before, self.stances)
            self.pull = agitation.overnight_pull(p, self.district_day, self.n_sites, spec.agitation)
            if (
                day == spec.regime.arrest_day + 1
                and self.level >= regime.TROOPS
                and self.collapse_tick is None
            ):
                self._arrest_activists()
        if day > 1:
            self._tally_riders(day - 1)
        self.day_peak = 0.0
        self.district_day[:] = 0.0
        hard = hardship.daily_hardship(self.base_hardship, p.female, spec.bread)
        p.hardship[:] = hard
        self.grievance[:] = hardship.grievance(hard, self.legit_civil)
        worker = p.kind == pp.WORKER
        out = (p.state == pp.STRIKING) | (p.state == pp.STREET)
        p.struck[:] = worker & out
        p.state[out & (p.kind != pp.VANGUARD)] = pp.HOME
        p.loc[:] = np.where(p.state == pp.HOME, p.home, p.loc)
        p.marching[:] = p.kind == pp.VANGUARD
        if spec.lockout.enabled:
            idle = worker & (p.state == pp.HOME)
            idle &= np.asarray(self.layout.factories)[np.maximum(p.factory, 0)] == (
                spec.lockout.factory
            )
            idle &= self.rng.random(p.state.size) < spec.lockout.share
            p.state[idle] = pp.STRIKING
            p.marching[idle] = self.rng.random(int(idle.sum())) < spec.marching.striker_share
        self.fear *= spec.firing.fear_decay
        self.forces.pressure[self.forces.kind == pp.SOLDIER] *= spec.fraternization.overnight
        f = self.forces
        routed = (f.kind == pp.POLICE) & (f.state == pp.ROUTED)
        routed = np.flatnonzero(routed)
        back = routed[~self.wrecked[f.unit[routed]]]
        back = back[self.rng.random(back.size) < spec.police.recover]
        f.state[back] = pp.LOYAL

    def _tally_riders(self, day: int) -> None:
        """Riders who charged at least once that day, and those who held back (went neutral)."""
        f = self.forces
        riders = f.kind == pp.COSSACK
        held = int(np.sum(riders & (f.state == pp.NEUTRAL) & ~self.neutral_before))
        self.log.riders[day] = [int(np.sum(self.charged & riders)), held]
        self.neutral_before = riders & (f.state == pp.NEUTRAL)
        self.charged[:] = False

    def _arrest_activists(self) -> None:
        p = self.people
        free = np.flatnonzero(p.activist & (p.state != pp.ARRESTED) & (p.state != pp.KILLED))
        n = min(free.size, int(round(self.spec.regime.activist_arrests * self.scale)))
        chosen = self.rng.choice(free, n, replace=False) if n else free[:0]
        p.state[chosen] = pp.ARRESTED
        self.log.add(
            "city",
            "activists_arrested",
            n,
            "the Okhrana arrests {n} activists in the "
            "night, members of the party committees among them",
            actor="regime",
        )

    # ----------------------------------------------------------------- deployment
    def _posts(self) -> np.ndarray:
        bridges = [self.city.index(p.id) for p in self.city.of_kind("bridge")]
        targets = [self.city.index(t) for t in self.spec.marching.targets]
        return np.asarray(targets + bridges, np.int16)

    def _deploy(self) -> None:
        """Send the force of the current level to its posts (morning, or on escalation)."""
        if self.collapse_tick is not None or not self.spec.regime.enabled:
            return
        f, spec, rng = self.forces, self.spec, self.rng
        posts = self._posts()
        bridges = posts[len(spec.marching.targets) :]
        targets = posts[: len(spec.marching.targets)]
        on_duty = (f.kind == pp.POLICE) & (f.state == pp.LOYAL)
        draw = rng.random(f.state.size)
        to_bridge = on_duty & (draw < spec.police.bridge_share) & (bridges.size > 0)
        to_centre = (
            on_duty & ~to_bridge & (draw < spec.police.bridge_share + spec.police.centre_share)
        )
        f.loc[on_duty] = f.home[on_duty]
        if bridges.size:
            f.loc[to_bridge] = bridges[rng.integers(0, bridges.size, int(to_bridge.sum()))]
        f.loc[to_centre] = targets[rng.integers(0, targets.size, int(to_centre.sum()))]
        if self.level >= regime.CAVALRY:
            riders = (f.kind == pp.COSSACK) & (f.state == pp.LOYAL)
            f.loc[riders] = posts[rng.integers(0, posts.size, int(riders.sum()))]
        if self.level >= regime.TROOPS:
            soldier = ((f.kind == pp.SOLDIER) | (f.kind == pp.OFFICER)) & (
                (f.state == pp.LOYAL) | (f.state == pp.WAVERING)
            )
            order = np.lexsort((f.company, ~f.training))  # training detachments first
            order = order[soldier[order]]
            n = int(round(spec.regime.deploy_share * self.garrison))
            chosen = order[:n]
            f.loc[chosen] = posts[f.company[chosen] % posts.size]

    def _stand_down(self) -> None:
        f = self.forces
        loyal = (f.state == pp.LOYAL) | (f.state == pp.WAVERING) | (f.state == pp.NEUTRAL)
        f.loc[loyal] = f.home[loyal]

    # ----------------------------------------------------------------- one tick
    def step(self) -> None:
        spec, p = self.spec, self.people
        t = self.tick
        day = t // TICKS_PER_DAY + 1
        hour = self.hour = (t % TICKS_PER_DAY) * HOURS_PER_TICK
        if t > 0 and t % TICKS_PER_DAY == 0:
            self._new_day(day)
        on_hour = hour == int(hour)
        if hour == REVEILLE:  # yesterday's firing weighs on the men after a night of talk
            self.guilt = np.maximum(self.guilt, self.pending_guilt)
        if hour == MORNING:
            self._deploy()
        if hour == EVENING:
            self._stand_down()
        w = spec.walkout
        if w.enabled and (day, hour) == (w.day, w.hour):
            n = walkout.walk_out(
                p,
                self.layout.factory_industry,
                self.city.index(w.district),
                w.industry,
                int(round(w.size * self.scale)),
                self.rng,
            )
            self.log.add(
                w.district,
                "walkout",
                n,
                "about {n} women textile workers walk out "
                "over bread and send delegates to the metal works",
            )
        if (
            spec.strike.enabled
            and on_hour
            and spec.strike.first_hour <= hour <= spec.strike.last_hour
        ):
            self._strike_round()
        self._sites(day, hour, on_hour)
        s = spec.marching
        first = s.sunday_first_hour if day in s.sundays else s.first_hour
        join = s.enabled and on_hour and first <= hour < s.last_hour
        street = self.counts[:, marching.CROWD].astype(np.float64)
        district_street = np.zeros(self.n_sites)
        district_pop = np.bincount(p.home, minlength=self.n_sites)
        np.add.at(district_street, self.city.site_district, street)
        district_street = np.divide(
            district_street, district_pop, out=np.zeros(self.n_sites), where=district_pop > 0
        )
        marching.step(
            p.kind,
            p.female,
            p.old,
            p.kin,
            p.home,
            p.state,
            p.loc,
            p.target,
            p.armed,
            p.marching,
            self.grievance,
            p.risk,
            p.threshold,
            self.site_outcome,
            self.blocked,
            self.city.next_hop,
            district_street,
            self.fear,
            join,
            hour >= s.last_hour,
            s.crowd_pull,
            s.student_bonus,
            s.ice_rate,
            self.counts,
            self.tally,
            self.crossed,
        )
        self._after_crowds(day, hour)
        self.agent_steps += self.n_agents
        self.tick += 1
        self._record()

    def _strike_round(self) -> None:
        spec, p = self.spec, self.people
        n_f = len(self.layout.factories)
        shares = strike.factory_shares(p.state, p.kind, p.factory, n_f)
        called = strike.delegate_calls(shares, self.factory_xy, spec.strike)
        workers = np.bincount(self.layout.factory_site, self.layout.factory_workers, self.n_sites)
        out = np.bincount(
            self.layout.factory_site, self.layout.factory_workers * shares, self.n_sites
        )
        district = np.divide(out, workers, out=np.zeros(self.n_sites), where=workers > 0)
        st = spec.strike
        strike.decide(
            p.state,
            p.kind,
            p.factory,
            p.home,
            p.party,
            p.struck,
            self.grievance,
            p.threshold,
            p.risk,
            p.marching,
            shares,
            district,
            called,
            self.pull,
            parties.call_pull(self.stances, spec.parties),
            self.fear,
            st.grievance_weight,
            st.own_weight,
            st.district_weight,
            st.delegate_weight,
            st.memory,
            st.risk_weight,
            spec.marching.striker_share,
        )

    def _sites(self, day: int, hour: float, on_hour: bool) -> None:
        """What the forces and the crowds at each site do to each other this tick."""
        spec, f = self.spec, self.forces
        c = self.counts
        crowd, women, armed = c[:, 0], c[:, 1], c[:, 2]
        force = self._force_counts()
        standing = self.collapse_tick is None
        size = np.maximum(crowd, 1)
        # Police.
        pol = force["police"]
        swamped = police.overwhelmed(crowd, armed, pol, spec.police)
        p_arrest, p_beaten = police.dispersal(crowd, pol, swamped, spec.police)
        if not standing:
            p_arrest = p_arrest * 0.0
        self._rout_police(swamped)
        hits = police.casualties(pol, swamped, crowd, armed, spec.police)
        hits = hits + np.minimum(pol, spec.arms.hunt_rate * force["mutineers"])
        self._police_casualties(self.rng.poisson(hits))
        # Cossacks.
        beating = (p_arrest + p_beaten) > 0
        charging = np.zeros(self.n_sites, np.int64)
        holding = np.zeros(self.n_sites, np.int64)
        cossack_kills = np.zeros(self.n_sites, np.int64)
        if spec.cavalry.enabled:
            cv = spec.cavalry
            cavalry.charge(
                f.kind,
                f.state,
                f.loc,
                f.comply,
                f.pressure,
                crowd,
                women,
                beating,
                pol,
                standing and self.level >= regime.CAVALRY,
                cv.women_effect,
                cv.contact_effect,
                cv.turn_rate,
                cv.kill_police,
                charging,
                holding,
                cossack_kills,
                self.charged,
            )
            self._police_casualties(cossack_kills, all_killed=True)
            self.log.cavalry(charging, holding, crowd, cossack_kills)
        p_charge = cavalry.dispersal(charging, crowd, spec.cavalry.charge_disperse)
        # Fraternization.
        soldier = (f.kind == pp.SOLDIER) & ((f.state == pp.LOYAL) | (f.state == pp.WAVERING))
        soldier &= f.loc != f.home  # on the street at a post, where the crowd can reach them
        gain = fraternization.pressure_gain(
            crowd, women, c[:, 3], force["soldiers"], spec.fraternization
        )
        f.pressure[soldier] += gain[f.loc[soldier]].astype(np.float32)
        # Orders to fire.
        p_kill = np.zeros(self.n_sites)
        p_wound = p_beaten + p_charge * spec.cavalry.charge_wound
        self.live = regime.live_fire(day, hour, self.level, spec.regime) and standing
        if self.live and spec.firing.enabled and on_hour:
            p_kill, p_fire_wound = self._fire(crowd, women, force, pol)
            p_wound = p_wound + p_fire_wound
        # Return fire at armed attackers (police holding a post against rifles).
        shooters = pol * (armed + force["mutineers"] > 0)
        hit_armed = np.minimum(armed + force["mutineers"], shooters * spec.police.return_fire)
        share_soldiers = force["mutineers"] / np.maximum(armed + force["mutineers"], 1)
        self._soldier_casualties(self.rng.poisson(hit_armed * share_soldiers))
        p_wound = p_wound + hit_armed * (1 - share_soldiers) / size * (1 - spec.firing.kill_share)
        p_kill = p_kill + hit_armed * (1 - share_soldiers) / size * spec.firing.kill_share
        # Mutiny.
        if spec.defection.enabled:
            self._mutiny(force)
        self._move_mutineers()
        force = self._force_counts()
        # Arms and objectives.
        p_arm = arms.arming_chance(force["mutineers"], crowd, armed, self.stock, spec.arms)
        self._objectives(force, crowd, armed)
        deterrence = np.minimum(0.9, spec.firing.deterrence * (p_kill + p_wound))
        o = self.site_outcome
        o[:, marching.P_KILL] = np.minimum(p_kill, 0.5)
        o[:, marching.P_WOUND] = np.minimum(p_wound, 0.5)
        o[:, marching.P_ARREST] = p_arrest
        o[:, marching.P_DISPERSE] = np.minimum(0.9, p_charge + deterrence)
        o[:, marching.P_ARM] = p_arm
        exclusive = o[:, : marching.P_ARM].sum(axis=1)
        o[:, : marching.P_ARM] /= np.maximum(exclusive, 1.0)[:, None]
        post_force = force["police"] + force["cossacks"] + force["deployed"]
        self.blocked[:] = False
        bridges = [self.city.index(b.id) for b in self.city.of_kind("bridge")]
        held = np.asarray(bridges, int)
        if held.size:
            swamped_now = police.overwhelmed(crowd, armed, post_force, spec.police)
            self.blocked[held] = (post_force[held] > 0) & (swamped_now[held] < 1.0) & standing

    def _rout_police(self, swamped: np.ndarray) -> None:
        f = self.forces
        cops = np.flatnonzero((f.kind == pp.POLICE) & (f.state == pp.LOYAL))
        if not cops.size:
            return
        chance = police.rout_chance(swamped, self.spec.police)[f.loc[cops]]
        fled = cops[self.rng.random(cops.size) < chance]
        if fled.size:
            self.log.routed(np.bincount(f.loc[fled], minlength=self.n_sites), self.counts[:, 0])
        f.state[fled] = pp.ROUTED
        f.loc[fled] = f.home[fled]
        rate = self.spec.police.defection_rate
        if rate > 0:
            gone = cops[self.rng.random(cops.size) < rate]
            f.state[gone] = pp.TURNED

    def _police_casualties(self, per_site: np.ndarray, all_killed: bool = False) -> None:
        f = self.forces
        if not per_site.any():
            return
        for site in np.flatnonzero(per_site):
            here = np.flatnonzero((f.kind == pp.POLICE) & (f.loc == site) & (f.state == pp.LOYAL))
            hit = self.rng.permutation(here)[: per_site[site]]
            dead = all_killed | (self.rng.random(hit.size) < self.spec.police.kill_share)
            f.state[hit[dead]] = pp.F_KILLED
            f.state[hit[~dead]] = pp.F_WOUNDED
            self.casualties["killed_police"] += int(np.sum(dead))
            self.casualties["wounded_police"] += int(np.sum(~dead))
            self.log.police_hit(site, int(np.sum(dead)), int(np.sum(~dead)))

    def _soldier_casualties(self, per_site: np.ndarray, kill_share=None) -> None:
        f = self.forces
        share = np.broadcast_to(
            self.spec.firing.kill_share if kill_share is None else kill_share, per_site.shape
        )
        for site in np.flatnonzero(per_site):
            here = np.flatnonzero(
                (f.kind == pp.SOLDIER) & (f.loc == site) & (f.state == pp.MUTINIED)
            )
            hit = self.rng.permutation(here)[: per_site[site]]
            dead = self.rng.random(hit.size) < share[site]
            f.state[hit[dead]] = pp.F_KILLED
            f.state[hit[~dead]] = pp.F_WOUNDED
            self.casualties["killed_soldiers"] += int(np.sum(dead))
            self.casualties["wounded_soldiers"] += int(np.sum(~dead))

    def _fire(self, crowd, women, force, pol):
        spec, f = self.spec, self.forces
        guard = pol + force["cossacks"] + force["deployed"]
        ordered = (force["deployed"] > 0) & (crowd > spec.firing.order_ratio * np.maximum(guard, 1))
        if not ordered.any():
            return np.zeros(self.n_sites), np.zeros(self.n_sites)
        n_c = len(self.layout.company_unit)
        _, loyal, _ = defection.company_shares(f.kind, f.state, f.company, max(n_c, 1))
        aimed = np.zeros(self.n_sites, np.int64)
        in_air = np.zeros(self.n_sites, np.int64)
        refused = np.zeros(self.n_sites, np.int64)
        by_unit = np.zeros(self.guilt.size, np.int64)
        d, fr = spec.defection, spec.firing
        deployed = f.loc != f.home
        if deployed.any():
            firing.answer(
                f.kind,
                f.state,
                f.loc,
                np.maximum(f.company, 0),
                f.unit,
                f.hardship,
                f.risk,
                f.threshold,
                f.pressure,
                self.guilt,
                loyal,
                self.legit_troops,
                women / np.maximum(crowd, 1),
                ordered,
                d.grievance_weight,
                d.risk_aversion,
                d.punish_k,
                fr.women_effect,
                fr.air_share,
                aimed,
                in_air,
                refused,
                by_unit,
            )
        # Volleys strike whoever stands there: civilians and mutinous soldiers alike.
        rebels = force["mutineers"]
        among = crowd + rebels
        p_kill, p_wound = firing.casualties(aimed, among, fr.lethality, fr.wounded_per_killed)
        self._soldier_casualties(
            self.rng.binomial(rebels, np.minimum(p_kill + p_wound, 1.0)),
            kill_share=p_kill / np.maximum(p_kill + p_wound, 1e-12),
        )
        self.pending_guilt[by_unit > 0] = fr.guilt  # felt after a night of talk in barracks
        self.log.firing(ordered, aimed, in_air, refused, crowd, p_kill, p_wound)
        return p_kill, p_wound

    def _mutiny(self, force: dict[str, np.ndarray]) -> None:
        f, d = self.forces, self.spec.defection
        n_c = len(self.layout.company_unit)
        if n_c == 0:
            return
        mutiny, loyal, heads = defection.company_shares(f.kind, f.state, f.company, n_c)
        unit_n = np.bincount(self.layout.company_unit, heads, len(self.layout.units))
        unit_m = np.bincount(self.layout.company_unit, heads * mutiny, len(self.layout.units))
        near_n = self.unit_neighbours @ unit_n
        near_m = self.unit_neighbours @ unit_m
        neighbour = np.divide(near_m, near_n, out=np.zeros_like(near_n), where=near_n > 0)
        city = float(unit_m.sum() / max(unit_n.sum(), 1))
        defection.decide(
            f.kind,
            f.state,
            np.maximum(f.company, 0),
            f.unit,
            f.hardship,
            f.risk,
            f.threshold,
            f.pressure,
            self.guilt,
            mutiny,
            loyal,
            neighbour,
            self.irreversible,
            self.legit_troops,
            d.grievance_weight,
            d.risk_aversion,
            d.punish_k,
            d.unit_weight,
            d.neighbour_weight,
            d.city_weight,
            city,
            d.wavering_margin,
            d.return_margin,
            1.0 if self.hour == REVEILLE else d.reconsider,  # at dawn every man decides
            d.alarm,
            float(self.collapse_tick is None),
        )
        mutiny, _, _ = defection.company_shares(f.kind, f.state, f.company, n_c)
        self.log.mutinies(mutiny, d.unit_threshold)
        # Officers of a company that has gone over stand aside (or hide); they command no one.
        over = mutiny >= d.unit_threshold
        aside = (f.kind == pp.OFFICER) & (f.state == pp.LOYAL) & over[np.maximum(f.company, 0)]
        f.state[aside] = pp.WAVERING
        gone_over = np.flatnonzero(over & ~self.irreversible)
        for company in gone_over:
            if self.rng.random() < d.officer_kill:
                officers = np.flatnonzero(
                    (f.company == company) & (f.kind == pp.OFFICER) & (f.state == pp.LOYAL)
                )
                # One officer dies; at a reduced scale an agent stands for 1/scale persons.
                if officers.size and self.rng.random() < self.scale:
                    f.state[officers[0]] = pp.F_KILLED
                    self.casualties["killed_soldiers"] += 1
                self.irreversible[company] = True
                self.log.officer_killed(int(company))
        force = self._force_counts()
        loyal_here = force["loyal"] + force["police"]
        crushed = defection.suppress(
            f.state,
            f.kind,
            f.loc,
            f.company,
            self.irreversible,
            loyal_here,
            force["mutineers"] + self.counts[:, 2],
            d.suppress_ratio,
            d.suppress_chance,
            self.rng,
        )
        if crushed.size:
            self.log.suppressed(crushed)

    def _move_mutineers(self) -> None:
        f = self.forces
        rebels = np.flatnonzero(f.state == pp.MUTINIED)
        if not rebels.size:
            return
        goals = self._objective_sites()
        self.ftarget[rebels] = goals[f.company[rebels] % goals.size]
        step = self.city.next_hop[self.ftarget[rebels], f.loc[rebels]]
        f.loc[rebels] = np.where(step >= 0, step, f.loc[rebels])

    def _objective_sites(self) -> np.ndarray:
        goals: list[int] = []
        if not self.arsenal_taken:
            goals += self.arsenal
        if not self.prisons_open:
            goals += self.prisons
        stations = self.layout.station_site[~self.wrecked]
        goals += [int(s) for s in stations[:3]]
        goals += [self.city.index(t) for t in self.spec.marching.targets]
        return np.asarray(goals, np.int16)

    def _objectives(self, force, crowd, armed) -> None:
        spec, p, f = self.spec, self.people, self.forces
        attackers = force["mutineers"] + armed
        if self.arsenal and not self.arsenal_taken and spec.arms.enabled:
            site = self.arsenal[0]
            if arms.falls(attackers[site : site + 1], spec.arms.arsenal_guard * self.scale)[0]:
                self.arsenal_taken = True
                self.stock[site] += spec.arms.arsenal_rifles * self.scale
                self.log.add(
                    site,
                    "arsenal_seized",
                    attackers[site],
                    "mutineers and workers, about {n}, seize the Arsenal and hand out its rifles",
                )
        if self.prisons and not self.prisons_open and spec.arms.enabled:
            sites = np.asarray(self.prisons)
            fallen = arms.falls(attackers[sites], spec.arms.prison_guard * self.scale)
            if fallen.any():
                self.prisons_open = True
                held = p.state == pp.ARRESTED
                p.state[held] = pp.HOME
                f.state[f.state == pp.F_ARRESTED] = pp.MUTINIED
                freed = int(held.sum()) + int(round(spec.arms.prisoners * self.scale))
                self.log.add(
                    int(sites[fallen][0]),
                    "prisons_opened",
                    freed,
                    "the crowd opens the prisons; about {n} prisoners walk free",
                )
        self.stock = np.maximum(0.0, self.stock - self.tally[:, marching.P_ARM])
        stations = self.layout.station_site
        for s, site in enumerate(stations):
            if self.wrecked[s]:
                continue
            empty = force["police"][site] == 0
            if empty and crowd[site] >= spec.police.wreck_crowd * self.scale and self.tick > 0:
                self.wrecked[s] = True
                self.log.add(
                    int(site),
                    "station_wrecked",
                    crowd[site],
                    "a crowd of about {n} wrecks the abandoned police station",
                )

    def _after_crowds(self, day: int, hour: float) -> None:
        spec = self.spec
        tally, c = self.tally, self.counts
        self.casualties["killed_civilians"] += int(tally[:, marching.P_KILL].sum())
        self.casualties["wounded_civilians"] += int(tally[:, marching.P_WOUND].sum())
        self.casualties["arrested"] += int(tally[:, marching.P_ARREST].sum())
        hurt = (tally[:, marching.P_KILL] + tally[:, marching.P_WOUND]).astype(float)
        population = float(self.people.state.size)
        fall = legitimacy.violence_fall(
            hurt, c[:, 0] + hurt, c[:, 1], c[:, 4], population, spec.legitimacy
        )
        self.legit_civil, self.legit_troops = legitimacy.update(
            self.legit_civil, self.legit_troops, fall, spec.legitimacy
        )
        self.fear += spec.firing.fear * float(hurt.sum()) / max(population / 100_000, 1e-9)
        self.log.crossings(self.crossed, self.blocked, c[:, 0])
        f = self.forces
        police_on = float(np.sum((f.kind == pp.POLICE) & (f.state == pp.LOYAL)))
        riders = float(np.sum((f.kind == pp.COSSACK) & (f.state == pp.LOYAL)))
        self.street_peak = max(self.street_peak, float(c[:, 0].sum()))
        if hour == EVENING:  # the city command reviews the day and orders the next morning
            before = self.level
            self.level = regime.escalate(
                self.level, self.street_peak, police_on, riders, spec.regime
            )
            self.street_peak = 0.0
            if self.level != before:
                self.log.escalation(self.level)
        rg = spec.regime
        if rg.enabled and (day, hour) == (rg.live_fire_day, rg.live_fire_hour):
            self.log.add(
                "city",
                "tsar_orders_fire",
                0,
                "the Tsar's telegram orders the disorders stopped by force from tomorrow",
                actor="regime",
            )
        loyal_soldiers = np.sum((f.company >= 0) & (f.state == pp.LOYAL))
        if loyal_soldiers < LAST_LOYAL_SHARE * self.garrison:
            self.log.add(
                "city",
                "last_loyal_detachment_gone",
                loyal_soldiers,
                "the last loyal detachments melt away (about {n} men left)",
                actor="soldiers",
                once=True,
            )
            self.log.seen_forever("last_loyal_detachment_gone")
        if self.collapse_tick is None and regime.collapsed(
            self._loyal_force(), self.initial_loyal, spec.regime
        ):
            self.collapse_tick = self.tick
            self.log.add(
                "city",
                "regime_collapse",
                self._loyal_force(),
                "the regime's loyal "
                "armed force is down to about {n} men: it can no longer hold the city",
            )
            self._stand_down()

    # ----------------------------------------------------------------- record
    def _record(self) -> None:
        p, f, s = self.people, self.forces, self.scale
        w = self.workers
        worker_state = p.state[:w]
        strikers = float(np.sum((worker_state == pp.STRIKING) | (worker_state == pp.STREET)))
        share = strikers / max(w, 1)
        self.day_peak = max(self.day_peak, share)
        site_out = np.bincount(
            p.home[:w], (worker_state == pp.STRIKING) | (worker_state == pp.STREET), self.n_sites
        )
        site_all = np.bincount(p.home[:w], minlength=self.n_sites)
        shares = np.divide(site_out, site_all, out=np.zeros(self.n_sites), where=site_all > 0)
        self.district_day = np.maximum(self.district_day, shares)
        self.log.strike_level(share)
        soldier = f.company >= 0

        def n(mask) -> float:
            return float(np.sum(mask)) / s

        mutinied = n(soldier & (f.state == pp.MUTINIED))
        cz = f.kind == pp.COSSACK
        pol = f.kind == pp.POLICE
        t = self.tick  # the state after t ticks: row 0 is the start, hour 24.0 ends a day
        cas = self.casualties
        row = {
            "tick": t,
            "day": max(t - 1, 0) // TICKS_PER_DAY + 1,
            "hour": (max(t - 1, 0) % TICKS_PER_DAY + (t > 0)) * HOURS_PER_TICK,
            "strikers": strikers / s,
            "strike_fraction": share,
            "on_streets": float(self.counts[:, 0].sum()) / s,
            "armed_workers": n(p.armed & (p.state != pp.KILLED)),
            "police_active": n(pol & (f.state == pp.LOYAL)),
            "police_routed": n(pol & (f.state == pp.ROUTED)),
            "police_killed": cas["killed_police"] / s,
            "cossacks_loyal": n(cz & (f.state == pp.LOYAL)),
            "cossacks_neutral": n(cz & (f.state == pp.NEUTRAL)),
            "cossacks_turned": n(cz & (f.state == pp.TURNED)),
            "soldiers_loyal": n(soldier & (f.state == pp.LOYAL)),
            "soldiers_wavering": n(soldier & (f.state == pp.WAVERING)),
            "soldiers_mutinied": mutinied,
            "garrison_mutinous_fraction": mutinied * s / max(self.garrison, 1),
            "killed": (cas["killed_civilians"] + cas["killed_police"] + cas["killed_soldiers"]) / s,
            "wounded": (cas["wounded_civilians"] + cas["wounded_police"] + cas["wounded_soldiers"])
            / s,
            "killed_civilians": cas["killed_civilians"] / s,
            "killed_police": cas["killed_police"] / s,
            "killed_soldiers": cas["killed_soldiers"] / s,
            "wounded_civilians": cas["wounded_civilians"] / s,
            "wounded_police": cas["wounded_police"] / s,
            "wounded_soldiers": cas["wounded_soldiers"] / s,
            "arrested": cas["arrested"] / s,
            "legitimacy_civil": self.legit_civil,
            "legitimacy_troops": self.legit_troops,
            "regime_level": float(self.level),
            "regime_collapsed": float(self.collapse_tick is not None),
        }
        for i, party in enumerate(self.spec.parties.parties):
            row[f"stance_{party.name}"] = float(self.stances[i])
        self.rows.append(row)
        force = self._force_counts()
        self.site_rows.append(
            np.stack(
                [
                    self.counts[:, marching.CROWD],
                    self.counts[:, marching.WOMEN],
                    self.counts[:, marching.ARMED],
                    force["police"],
                    force["cossacks"],
                    force["deployed"],
                    force["mutineers"],
                ]
            )
            / s
        )
        self.district_rows.append(
            np.stack(
                [
                    site_out / s,
                    np.bincount(self.city.site_district, self.counts[:, 0], self.n_sites) / s,
                ]
            )
        )

    def outcome(self) -> Outcome:
        """What the run says about the record (see :mod:`narod.results.february`)."""
        day = (self.tick - 1) // TICKS_PER_DAY + 1
        if day not in self.log.riders:
            self._tally_riders(day)
        return Outcome(
            self.series(),
            dict(self.log.milestones),
            dict(self.log.riders),
            self.collapse_tick,
            float(self.spec.city.population),
        )

    def district_table(self) -> dict[str, np.ndarray]:
        """Per tick and district: workers on strike and people on the street (persons)."""
        n_d = self.city.n_districts
        data = np.stack(self.district_rows)  # tick x (strikers, street) x site
        ticks = np.repeat(np.arange(data.shape[0]), n_d)
        return {
            "tick": ticks,
            "district": np.tile(np.asarray(self.city.sites[:n_d]), data.shape[0]),
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
            "site": np.tile(np.asarray(self.city.sites), n_ticks),
        }
        for i, name in enumerate(SITE_COLUMNS):
            out[name] = data[:, i, :].ravel()
        return out

    def advance(self, until: int) -> None:
        while self.tick < until:
            self.step()

    def series(self) -> dict[str, np.ndarray]:
        keys = self.rows[0].keys()
        return {k: np.asarray([r[k] for r in self.rows]) for k in keys}
