"""A city as a place graph: districts, squares, bridges, and what stands in them.

Crowds stand at *sites*: districts, squares and streets, and bridges (a bridge is a site so that
a blocking force and the crowd held at it meet there). Everything else (a factory, a barracks,
a prison, a police station) sits in a district and acts through that district's site. The places
come from an episode's ``places.csv``; the links between sites from its ``edges.csv`` (a square
or street is also linked to its own district). Each number carries its source in the file.
"""

from __future__ import annotations

import csv
from collections import deque
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from narod.errors import ScenarioError

PLACE_KINDS = (
    "district",
    "square",
    "street",
    "bridge",
    "crossing",
    "factory",
    "barracks",
    "police_station",
    "railway_station",
    "arsenal",
    "prison",
    "palace",
    "government",
)
SITE_KINDS = ("district", "square", "street", "bridge")
EDGE_KINDS = ("land", "bridge", "crossing")
EFFECTS = ("arms", "free_prisoners", "wreck", "seat")  # what taking an objective does
PLACE_COLUMNS = (
    "id",
    "kind",
    "name",
    "district",
    "lat",
    "lon",
    "size",
    "share_women",
    "industry",
    "guard",
    "effect",
    "source",
)
EDGE_COLUMNS = ("a", "b", "kind", "source")
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
    guard: float  # persons who hold it, for an objective
    effect: str  # "", "wreck", "seat" (the authority's seat), or "arms:N" / "free_prisoners:N"

    @property
    def effect_kind(self) -> str:
        return self.effect.partition(":")[0]

    @property
    def effect_amount(self) -> float:
        amount = self.effect.partition(":")[2]
        return float(amount) if amount else 0.0


@dataclass
class City:
    """The place graph: places, the sites crowds stand at, and the routes between sites."""

    places: list[Place]
    sites: list[str]  # place ids of the sites, districts first
    site_district: np.ndarray  # for each site, the site index of its district
    neighbours: list[list[int]]  # site adjacency
    next_hop: np.ndarray  # [target site, site] -> the next site on a shortest route

    def __post_init__(self) -> None:
        self._by_id = {p.id: p for p in self.places}
        self._site = {s: i for i, s in enumerate(self.sites)}

    def index(self, place_id: str) -> int:
        """The site index of a place (a non-site place maps to its district's site)."""
        place = self.place(place_id)
        return self._site[place.id if place.kind in SITE_KINDS else place.district]

    def place(self, place_id: str) -> Place:
        return self._by_id[place_id]

    def of_kind(self, *kinds: str) -> list[Place]:
        return [p for p in self.places if p.kind in kinds]

    @property
    def districts(self) -> list[Place]:
        return self.of_kind("district")

    @property
    def n_districts(self) -> int:
        return len(self.districts)


def read_rows(path: Path, columns: tuple[str, ...]) -> list[dict[str, str]]:
    """The rows of a CSV file that must have ``columns``; errors name the file."""
    try:
        text = path.read_text(encoding="utf-8")
        reader = csv.DictReader(text.splitlines())
        rows = list(reader)
    except FileNotFoundError:
        raise ScenarioError(str(path), None, "no such file") from None
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ScenarioError(str(path), None, f"cannot read the file ({exc})") from None
    missing = [c for c in columns if c not in (reader.fieldnames or [])]
    if missing:
        raise ScenarioError(str(path), "header", f"expected the columns {', '.join(missing)}")
    for line, row in enumerate(rows, start=2):
        if None in row or any(v is None for v in row.values()):
            raise ScenarioError(str(path), f"line {line}", "expected one value per column")
    return rows


def number(
    path: Path, line: int, column: str, text: str, low: float = 0.0, high: float = 1e15
) -> float:
    """A number of a CSV cell (blank is 0) in [low, high]; errors name file, row and column."""
    try:
        value = float(text) if text.strip() else 0.0
    except ValueError:
        value = float("nan")
    if not low <= value <= high:
        raise ScenarioError(
            str(path),
            f"line {line}, column {column}",
            f"expected a number from {low:g} to {high:g} (got {text!r})",
        )
    return value


def _place(path: Path, line: int, row: dict[str, str], districts: set[str]) -> Place:
    def where(column: str) -> str:
        return f"line {line}, column {column}"

    if row["kind"] not in PLACE_KINDS:
        raise ScenarioError(
            str(path),
            where("kind"),
            f"unknown place kind {row['kind']!r}; expected one of: " + ", ".join(PLACE_KINDS),
        )
    district = row["id"] if row["kind"] == "district" else row["district"]
    if district not in districts:
        raise ScenarioError(
            str(path), where("district"), f"{row['district']!r} names no district of this file"
        )
    effect = row["effect"].strip()
    kind, _, amount = effect.partition(":")
    if effect and (kind not in EFFECTS or (kind not in ("wreck", "seat")) != bool(amount)):
        raise ScenarioError(
            str(path),
            where("effect"),
            f"expected blank, wreck, seat, arms:N or free_prisoners:N (got {effect!r})",
        )
    if amount:
        number(path, line, "effect", amount)
    return Place(
        id=row["id"],
        kind=row["kind"],
        name=row["name"],
        district=district,
        lat=number(path, line, "lat", row["lat"], low=-90.0, high=90.0),
        lon=number(path, line, "lon", row["lon"], low=-180.0, high=180.0),
        size=number(path, line, "size", row["size"]),
        share_women=number(path, line, "share_women", row["share_women"], high=1.0),
        industry=row["industry"],
        guard=number(path, line, "guard", row["guard"]),
        effect=effect,
    )


def read_places(folder: Path) -> list[Place]:
    """The places of an episode folder, checked."""
    path = folder / "places.csv"
    rows = read_rows(path, PLACE_COLUMNS)
    districts = {r["id"] for r in rows if r["kind"] == "district"}
    places, seen = [], set()
    for line, row in enumerate(rows, start=2):
        if row["id"] in seen or not row["id"].strip():
            raise ScenarioError(
                str(path),
                f"line {line}, column id",
                f"expected a unique, non-empty id (got {row['id']!r})",
            )
        seen.add(row["id"])
        places.append(_place(path, line, row, districts))
    if not districts:
        raise ScenarioError(str(path), "kind", "expected at least one district")
    return places


def read_edges(folder: Path, places: list[Place]) -> list[tuple[str, str, str]]:
    """The links of an episode folder: (a, b, kind), each end a place of the file."""
    path = folder / "edges.csv"
    known = {p.id for p in places}
    edges = []
    for line, row in enumerate(read_rows(path, EDGE_COLUMNS), start=2):
        for column in ("a", "b"):
            if row[column] not in known:
                raise ScenarioError(
                    str(path),
                    f"line {line}, column {column}",
                    f"{row[column]!r} names no place of places.csv",
                )
        if row["kind"] not in EDGE_KINDS:
            raise ScenarioError(
                str(path),
                f"line {line}, column kind",
                f"expected one of {', '.join(EDGE_KINDS)} (got {row['kind']!r})",
            )
        edges.append((row["a"], row["b"], row["kind"]))
    return edges


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


def build_city(folder: Path) -> City:
    """The place graph of an episode folder."""
    places = read_places(folder)
    edges = read_edges(folder, places)
    districts = [p.id for p in places if p.kind == "district"]
    others = [p.id for p in places if p.kind in SITE_KINDS and p.kind != "district"]
    sites = districts + others
    at = {site: i for i, site in enumerate(sites)}
    neighbours: list[set[int]] = [set() for _ in sites]

    def link(a: str, b: str) -> None:
        if a in at and b in at and a != b:
            neighbours[at[a]].add(at[b])
            neighbours[at[b]].add(at[a])

    for a, b, kind in edges:
        if kind != "crossing":  # a crossing is a way around a held bridge, not a site
            link(a, b)
    site_district = np.zeros(len(sites), dtype=np.int16)
    for place in places:
        if place.kind in ("square", "street"):
            link(place.id, place.district)
        if place.id in at:
            site_district[at[place.id]] = at[place.district]
    return City(places, sites, site_district, [sorted(n) for n in neighbours], _routes(neighbours))
