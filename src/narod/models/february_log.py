"""The event log in words, derived from the state of a February run.

Each entry names the tick, the clock time, the place, who acted and what happened, with counts in
persons ("day 4, 15:30, Znamenskaya Square: a detachment of the Volynsky Guards reserve battalion
fires on a crowd of about 5,000; about 38 killed"). Nothing here changes the run; repeated
events are logged once per place and day so the log reads like a chronicle.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from narod.world import people as pp

if TYPE_CHECKING:
    from narod.models.february import FebruaryRun

LEVELS = {
    2: "the city command orders the Cossacks and cavalry out for the morning",
    3: "the city command orders troops of the garrison to posts in the morning",
}
STRIKE_MARKS = (0.1, 0.25, 0.55)


def _about(n: float) -> str:
    if n >= 1000:
        return f"{round(n, -2):,.0f}"
    if n >= 100:
        return f"{round(n, -1):,.0f}"
    return f"{n:,.0f}"


class EventLog:
    """The events of one run: tick, day, time, place, actor, event, count, text."""

    def __init__(self, run: FebruaryRun) -> None:
        self.run = run
        self.rows: list[dict[str, object]] = []
        self._seen: set[tuple] = set()
        self._forever: set[str] = set()
        self._companies_out: set[int] = set()
        self._units_out: set[int] = set()
        self._strike_marks = list(STRIKE_MARKS)
        self.milestones: dict[str, int] = {}
        self.riders: dict[int, list[int]] = {}  # day -> [riders who charged, who held back]

    # ---------------------------------------------------------------- helpers
    def _place(self, where: int | str) -> str:
        city = self.run.city
        if isinstance(where, str):
            if where == "city":
                return "Petrograd"
            return city.place(where).name
        return city.place(city.sites[int(where)]).name

    def _unit(self, unit: int) -> str:
        return self.run.city.place(self.run.layout.units[unit]).name

    def add(
        self,
        where: int | str,
        event: str,
        count: float,
        text: str,
        actor: str = "",
        once: bool = False,
    ) -> None:
        """Log an event; ``count`` is in agents and is reported in persons."""
        run = self.run
        tick = run.tick
        day = tick // 48 + 1
        key = (event, str(where), day)
        if once and (key in self._seen or event in self._forever):
            return
        self._seen.add(key)
        self.milestones.setdefault(event, tick)
        minutes = (tick % 48) * 30
        persons = float(count) / run.scale
        self.rows.append(
            {
                "tick": tick,
                "day": day,
                "time": f"{minutes // 60:02d}:{minutes % 60:02d}",
                "place": self._place(where),
                "actor": actor or event.split("_")[0],
                "event": event,
                "count": round(persons),
                "text": text.format(n=_about(persons)),
            }
        )

    def seen_forever(self, event: str) -> None:
        """Log ``event`` at most once in the whole run from now on."""
        self._forever.add(event)

    # ---------------------------------------------------------------- the chronicle
    def strike_level(self, share: float) -> None:
        while self._strike_marks and share >= self._strike_marks[0]:
            mark = self._strike_marks.pop(0)
            n = share * self.run.workers
            if mark == STRIKE_MARKS[-1]:
                self.add(
                    "city",
                    "general_strike",
                    n,
                    "general strike: about {n} workers are "
                    "out, more than half of the industrial workforce",
                    actor="workers",
                )
            else:
                self.add(
                    "city",
                    f"strike_{int(mark * 100)}pct",
                    n,
                    f"the strike reaches "
                    f"{int(mark * 100)}% of the industrial workforce (about {{n}})",
                    actor="workers",
                )

    def crossings(self, crossed: np.ndarray, blocked: np.ndarray, crowd: np.ndarray) -> None:
        for site in np.flatnonzero(crossed):
            self.add(
                int(site),
                "ice_crossing",
                crossed[site],
                "the bridge is held; about {n} cross the frozen Neva on foot",
                actor="crowd",
                once=True,
            )

    def routed(self, fled: np.ndarray, crowd: np.ndarray) -> None:
        for site in np.flatnonzero(fled):
            self.add(
                int(site),
                "police_routed",
                crowd[site],
                "police are routed by a crowd of about {n}",
                actor="police",
                once=True,
            )

    def police_hit(self, site: int, dead: int, wounded: int) -> None:
        if dead:
            self.add(site, "police_killed", dead, "the crowd kills {n} police", actor="crowd")
        elif wounded:
            self.add(
                site,
                "police_beaten",
                wounded,
                "the crowd beats police officers",
                actor="crowd",
                once=True,
            )

    def cavalry(self, charging, holding, crowd, kills) -> None:
        for site in np.flatnonzero(charging + holding):
            ordered = charging[site] + holding[site]
            if holding[site] > charging[site]:
                self.add(
                    int(site),
                    "cossacks_hold_back",
                    ordered,
                    "Cossacks ordered to charge a "
                    f"crowd of about {_about(crowd[site] / self.run.scale)} hold back; the "
                    "people dive under their horses",
                    actor="cossacks",
                    once=True,
                )
            else:
                self.add(
                    int(site),
                    "cossacks_charge",
                    charging[site],
                    "about {n} Cossacks "
                    f"charge a crowd of about {_about(crowd[site] / self.run.scale)}",
                    actor="cossacks",
                    once=True,
                )
        for site in np.flatnonzero(kills):
            self.add(
                int(site),
                "cossack_kills_police",
                kills[site],
                "a Cossack cuts down a police officer",
                actor="cossacks",
            )

    def firing(self, ordered, aimed, in_air, refused, crowd, p_kill, p_wound) -> None:
        f = self.run.forces
        for site in np.flatnonzero(ordered):
            size = crowd[site] / self.run.scale
            here = (f.loc == site) & (f.kind == pp.SOLDIER)
            units = np.bincount(f.unit[here], minlength=1)
            who = self._unit(int(np.argmax(units))) if here.any() else "the garrison"
            if aimed[site]:
                killed = p_kill[site] * crowd[site]
                wounded = p_wound[site] * crowd[site]
                self.add(
                    int(site),
                    "troops_fire",
                    killed,
                    f"a detachment of the {who} fires on "
                    f"a crowd of about {_about(size)}; about {{n}} killed and "
                    f"{_about(wounded / self.run.scale)} wounded",
                    actor="soldiers",
                )
            elif in_air[site]:
                self.add(
                    int(site),
                    "troops_fire_in_air",
                    in_air[site],
                    f"soldiers of the {who} fire over the heads of the crowd",
                    actor="soldiers",
                    once=True,
                )
            if refused[site]:
                self.add(
                    int(site),
                    "troops_refuse",
                    refused[site],
                    f"about {{n}} soldiers of the {who} refuse the order to fire",
                    actor="soldiers",
                    once=True,
                )

    def mutinies(self, company_share: np.ndarray, threshold: float) -> None:
        layout = self.run.layout
        for company in np.flatnonzero(company_share >= threshold):
            if company in self._companies_out:
                continue
            self._companies_out.add(int(company))
            unit = int(layout.company_unit[company])
            heads = np.sum(self.run.forces.company == company)
            if unit not in self._units_out:
                first = not self._units_out
                self._units_out.add(unit)
                # It spreads once a mutiny can no longer be undone (an officer killed).
                spreads = self.run.irreversible.any()
                event = (
                    "first_unit_mutiny" if first else "mutiny_spreads" if spreads else "unit_mutiny"
                )
                self.add(
                    int(layout.unit_site[unit]),
                    event,
                    heads,
                    f"a company of the {self._unit(unit)} (about {{n}} men) mutinies",
                    actor="soldiers",
                )

    def officer_killed(self, company: int) -> None:
        unit = int(self.run.layout.company_unit[company])
        self.add(
            int(self.run.layout.unit_site[unit]),
            "officer_killed",
            self.run.scale,
            f"mutineers of the {self._unit(unit)} kill an officer: there is no way back",
            actor="soldiers",
            once=True,
        )

    def suppressed(self, who: np.ndarray) -> None:
        site = int(np.bincount(self.run.forces.loc[who]).argmax())
        self.add(
            site,
            "mutiny_suppressed",
            who.size,
            "loyal troops disarm and arrest about {n} mutineers",
            actor="regime",
            once=True,
        )

    def escalation(self, level: int) -> None:
        if level in LEVELS:
            self.add("city", f"escalation_{level}", 0, LEVELS[level], actor="regime")

    def party_calls(self, before: np.ndarray, after: np.ndarray) -> None:
        for i, party in enumerate(self.run.spec.parties.parties):
            if before[i] < party.call_at <= after[i]:
                self.add(
                    "city",
                    f"party_call_{party.name}",
                    0,
                    f"the {party.name} call for the strike to go on",
                    actor=party.name,
                )
