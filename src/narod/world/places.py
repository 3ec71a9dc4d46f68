"""Petrograd in 1917 as a place graph: districts, factories, barracks, bridges, squares.

Crowds stand at *sites*: districts, the central squares and streets, and the bridges (a bridge is
a site so that a blocking force and the crowd held at it meet there). Everything else (a factory,
a barracks, the Arsenal, a prison, a police station) sits in a district and acts through that
district's site. The graph and the sizes come from ``data/petrograd_1917_places.csv``, where each
number carries its source or the word "assumption".
"""

from __future__ import annotations

import csv
import re
from collections import deque
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from narod.errors import ScenarioError

PLACES_FILE = "petrograd_1917_places.csv"
SITE_KINDS = ("district", "square", "street", "bridge")
NO_HOP = -1


@dataclass(frozen=True)
class Place:
    id: str
    kind: str
    name: str
    district: str  # the id of the district it lies in
    lat: float
    lon: float
    size: float
    share_women: float
    industry: str
    notes: str


@dataclass
class City:
    """The place graph: places, the sites crowds stand at, and the routes between sites."""

    places: list[Place]
    sites: list[str]  # place ids of the sites, districts first
    site_district: np.ndarray  # for each site, the site index of its district
    neighbours: list[list[int]]  # site adjacency
    next_hop: np.ndarray  # [target site, site] -> the next site on a shortest route

    def index(self, place_id: str) -> int:
        """The site index of a place (a non-site place maps to its district's site)."""
        place = self.place(place_id)
        key = place.id if place.kind in SITE_KINDS else place.district
        return self.sites.index(key)

    def place(self, place_id: str) -> Place:
        for place in self.places:
            if place.id == place_id:
                return place
        raise KeyError(place_id)

    def of_kind(self, *kinds: str) -> list[Place]:
        return [p for p in self.places if p.kind in kinds]

    @property
    def districts(self) -> list[Place]:
        return self.of_kind("district")

    @property
    def n_districts(self) -> int:
        return len(self.districts)


def _number(text: str) -> float:
    return float(text) if text.strip() else 0.0


def _marker(notes: str, key: str) -> list[str]:
    found = re.search(rf"{key}=([A-Za-z0-9_;]+)", notes)
    return [part for part in found.group(1).split(";") if part] if found else []


def read_places(path: Path | None = None) -> list[Place]:
    """Read the places file (the packaged one by default)."""
    source = str(path) if path else PLACES_FILE
    try:
        if path is None:
            text = resources.files("narod.data").joinpath(PLACES_FILE).read_text("utf-8")
        else:
            text = Path(path).read_text("utf-8")
        rows = list(csv.DictReader(text.splitlines()))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ScenarioError(source, None, f"cannot read the places file ({exc})") from None
    by_name = {r["district"]: r["id"] for r in rows if r["kind"] == "district"}
    places = []
    for number, row in enumerate(rows, start=2):
        if row["district"].startswith("Outside"):
            continue  # e.g. the 1st Machine-gun regiment at Oranienbaum: not a city place
        try:
            district = row["id"] if row["kind"] == "district" else by_name[row["district"]]
            places.append(
                Place(
                    id=row["id"],
                    kind=row["kind"],
                    name=row["name"],
                    district=district,
                    lat=_number(row["lat"]),
                    lon=_number(row["lon"]),
                    size=_number(row["size"]),
                    share_women=_number(row["share_women"]),
                    industry=row["industry"],
                    notes=row["notes"],
                )
            )
        except (KeyError, ValueError) as exc:
            raise ScenarioError(
                source, f"line {number}", f"expected a place row with valid fields ({exc})"
            ) from None
    return places


def _routes(neighbours: list[list[int]]) -> np.ndarray:
    """next_hop[target, site] by breadth-first search from every target."""
    n = len(neighbours)
    hop = np.full((n, n), NO_HOP, dtype=np.int16)
    for target in range(n):
        hop[target, target] = target
        queue = deque([target])
        while queue:
            here = queue.popleft()
            for there in neighbours[here]:
                if hop[target, there] == NO_HOP:
                    hop[target, there] = here  # from `there`, step to `here`
                    queue.append(there)
    return hop


def build_city(places: list[Place] | None = None) -> City:
    """The place graph of Petrograd from the places file."""
    places = read_places() if places is None else places
    districts = [p.id for p in places if p.kind == "district"]
    others = [p.id for p in places if p.kind in SITE_KINDS and p.kind != "district"]
    sites = districts + others
    at = {site: i for i, site in enumerate(sites)}
    neighbours: list[set[int]] = [set() for _ in sites]

    def link(a: str, b: str) -> None:
        if a in at and b in at and a != b:
            neighbours[at[a]].add(at[b])
            neighbours[at[b]].add(at[a])

    site_district = np.zeros(len(sites), dtype=np.int16)
    for place in places:
        if place.kind == "district":
            for other in _marker(place.notes, "adjacent"):
                link(place.id, other)
        elif place.kind == "bridge":
            for end in _marker(place.notes, "links"):
                link(place.id, end)
        elif place.kind in SITE_KINDS:
            link(place.id, place.district)
        if place.id in at:
            site_district[at[place.id]] = at[place.district]
    return City(places, sites, site_district, [sorted(n) for n in neighbours], _routes(neighbours))
