"""The record's institutional decisions, as typed inputs any episode can use.

An episode lists them in ``[inputs]`` (a walkout, a lockout, an order to fire, night arrests, a
curfew, a communications cut, a call to demonstrate, troops called out, irregulars sent in),
each at a day and hour of its calendar. Nothing in the model makes them happen; the rest of the
days has to follow from the other mechanisms. Most types are carried out here, once; the
armed groups' inputs (irregulars, allegiance, reinforcements, operations) in their own modules.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from narod.mechanisms import command
from narod.mechanisms.deployment import deploy
from narod.scenario.schema import Spec
from narod.world.people import ARRESTED, HOME, KILLED, STREET, STRIKING, WORKER
from narod.world.state import P_DISPERSE, TROOPS, CityState


def due(spec: Spec, kind: str, s: CityState) -> Iterator[tuple[str, object]]:
    """The enabled inputs of a type whose time is this tick."""
    for name, item in spec.inputs.items():
        if item.type == kind and item.enabled and (item.day, item.hour) == (s.day, s.hour):
            yield name, item


def walkouts(s: CityState, spec: Spec) -> None:
    """Workers of an industry in a district (its women, its men, or all) put down tools and go
    out: a spark given by the record."""
    p = s.people
    for _, item in due(spec, "walkout", s):
        mills = np.flatnonzero(np.asarray(s.layout.factory_industry) == item.industry)
        pool = (
            (p.kind == WORKER)
            & (p.home == s.city.index(item.place))
            & (p.state == HOME)
            & np.isin(p.factory, mills)
        )
        if item.who == "women":
            pool &= p.female
        elif item.who == "men":
            pool &= ~p.female
        chosen = s.rng.permutation(np.flatnonzero(pool))[: int(round(item.size * s.scale))]
        p.state[chosen] = STRIKING
        p.marching[chosen] = True
        who = {"women": "women ", "men": "men ", "all": ""}[item.who]
        s.report("walkout", item.place, chosen.size, "workers",
                 data={"who": who, "industry": item.industry})  # fmt: skip


def demonstrations(s: CityState, spec: Spec) -> None:
    """Those who answer a call first go out from each of its districts, in equal shares."""
    p = s.people
    for _, item in due(spec, "demonstration", s):
        each = int(round(item.size * s.scale / len(item.places)))
        for place in item.places:
            home = s.city.index(place)
            pool = np.flatnonzero((p.home == home) & (p.state == HOME) & (p.kind != WORKER))
            chosen = s.rng.permutation(pool)[:each]
            p.state[chosen] = STREET
            p.marching[chosen] = True
            s.report("demonstration", place, chosen.size, "crowd")


def lockouts(s: CityState, spec: Spec) -> None:
    """Each morning from its day, a locked-out factory's idle workers count among the strikers."""
    if not s.new_day:
        return
    p = s.people
    for item in spec.inputs.values():
        if item.type != "lockout" or not item.enabled or s.day < item.day:
            continue
        factory = s.layout.factories.index(item.factory)
        idle = (p.kind == WORKER) & (p.state == HOME) & (p.factory == factory)
        idle &= s.rng.random(p.state.size) < item.share
        p.state[idle] = STRIKING
        p.marching[idle] = s.rng.random(int(idle.sum())) < spec.marching.striker_share


def night_arrests(s: CityState, spec: Spec) -> None:
    """The political police arrest activists, if the authority stands and troops are out."""
    p = s.people
    for _, item in due(spec, "night_arrests", s):
        if s.level < TROOPS or not s.standing:
            continue
        free = np.flatnonzero(p.activist & (p.state != ARRESTED) & (p.state != KILLED))
        n = min(free.size, int(round(item.count * s.scale)))
        chosen = s.rng.choice(free, n, replace=False) if n else free[:0]
        p.state[chosen] = ARRESTED
        s.report("night_arrests", "city", n, "regime")


def fire_authorised(s: CityState, spec: Spec) -> bool:
    """Whether an order to fire on crowds is in force at this tick."""
    return any(
        item.type == "order_to_fire" and item.enabled and (s.day, s.hour) >= (item.day, item.hour)
        for item in spec.inputs.values()
    )


def orders_to_fire(s: CityState, spec: Spec) -> None:
    """The order itself, told when it is given."""
    for _, _item in due(spec, "order_to_fire", s):
        s.report("order_to_fire", "city", 0, "regime")


def _active(s: CityState, spec: Spec, kind: str) -> list:
    """The enabled inputs of a type in force at this tick (from their start to their end)."""
    now = (s.day, s.hour)
    out = []
    for item in spec.inputs.values():
        if item.type != kind or not item.enabled or now < (item.day, item.hour):
            continue
        if now < item.ends:
            out.append(item)
    return out


def curfew_now(s: CityState, spec: Spec) -> bool:
    """Whether a curfew forbids being out at this tick."""
    for item in _active(s, spec, "curfew"):
        start, end = item.from_hour, item.until_hour
        inside = start <= s.hour or s.hour < end if start > end else start <= s.hour < end
        if inside:
            return True
    return False


def declared(s: CityState, spec: Spec) -> None:
    """The curfews and communications cuts told when they begin (they act elsewhere)."""
    for kind, event in (
        ("curfew", "curfew_declared"),
        ("communications_cut", "communications_cut"),
    ):
        for _, _item in due(spec, kind, s):
            s.report(event, "city", 0, "regime")


def curfew(s: CityState, spec: Spec) -> None:
    """During curfew hours, part of every crowd obeys and goes home each tick; a crowd
    occupying a square does not (see :mod:`narod.mechanisms.occupation`)."""
    if spec.curfew.enabled and curfew_now(s, spec):
        s.hazard[~s.occupied, P_DISPERSE] += spec.curfew.compliance


def deploy_troops(s: CityState, spec: Spec) -> None:
    """The authority calls its troops out now; their command meets on the order."""
    for _, _item in due(spec, "deploy_troops", s):
        if not s.standing:
            continue
        s.level = max(s.level, TROOPS)
        deploy(s, spec)
        s.report("army_deployed", "city", 0, "regime")
        if spec.command.enabled:
            command.meet(s, spec)


def news_reach(s: CityState, spec: Spec) -> float:
    """How far city-wide news and calls travel now: 1, less while communications are cut."""
    if spec.communications.enabled and _active(s, spec, "communications_cut"):
        return 1.0 - spec.communications.cut_effect
    return 1.0
