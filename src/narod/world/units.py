"""An episode's armed forces, unit by unit, from its ``forces.csv``.

Every rule of the city model refers to a unit's *role*, never to its name: ``police`` (disperse,
arrest, are routed, never won over), ``cavalry`` (ordered to charge; may hold back or turn),
``infantry`` (posted, ordered to fire, may mutiny, company by company), ``irregulars`` (hired men
sent against a crowd by an input; they break as police do), ``organised`` (armed insurgents who
act on a plan of objectives), ``defenders`` (the authority's men holding one place: a building,
or a line across a square, street or bridge).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from narod.errors import ScenarioError
from narod.world.places import City, number, read_rows

ROLES = ("police", "cavalry", "infantry", "irregulars", "organised", "defenders")
HELD_KINDS = ("palace", "government", "arsenal", "railway_station", "prison", "barracks", "factory")
HOMES = {
    "police": ("police_station",),
    "cavalry": ("barracks",),
    "infantry": ("barracks",),
    "irregulars": ("district",),
    "organised": ("district", "barracks", "factory"),
    "defenders": (*HELD_KINDS, "square", "street", "bridge"),  # the place they hold
}
COLUMNS = (
    "id",
    "role",
    "name",
    "home",
    "strength",
    "company_size",
    "training_share",
    "officer_share",
    "source",
)


@dataclass(frozen=True)
class Unit:
    id: str
    role: str
    name: str
    home: str  # the place it is quartered at
    strength: float  # persons
    company_size: float  # persons per company (infantry)
    training_share: float  # share in a training detachment, sent out first (infantry)
    officer_share: float  # officers per man (infantry)


def read_units(folder: Path, city: City) -> list[Unit]:
    """The units of an episode folder, checked against its places."""
    path = folder / "forces.csv"
    units, seen = [], set()
    for line, row in enumerate(read_rows(path, COLUMNS), start=2):

        def where(column: str, line: int = line) -> str:
            return f"line {line}, column {column}"

        if row["id"] in seen or not row["id"].strip():
            raise ScenarioError(str(path), where("id"), f"expected a unique id (got {row['id']!r})")
        seen.add(row["id"])
        role = row["role"]
        if role not in ROLES:
            raise ScenarioError(
                str(path),
                where("role"),
                f"unknown role {role!r}; expected one of: {', '.join(ROLES)}",
            )
        try:
            home = city.place(row["home"])
        except KeyError:
            raise ScenarioError(
                str(path), where("home"), f"{row['home']!r} names no place of places.csv"
            ) from None
        if home.kind not in HOMES[role]:
            raise ScenarioError(
                str(path),
                where("home"),
                f"a {role} unit is quartered at a {' or '.join(HOMES[role])} (got a {home.kind})",
            )
        infantry = role == "infantry"
        company = number(path, line, "company_size", row["company_size"])
        if infantry and company < 1:
            raise ScenarioError(str(path), where("company_size"), "expected persons per company")
        training = number(path, line, "training_share", row["training_share"])
        officers = number(path, line, "officer_share", row["officer_share"])
        for column, share in (("training_share", training), ("officer_share", officers)):
            if share > 1:
                raise ScenarioError(
                    str(path), where(column), f"expected a share in [0, 1] (got {share})"
                )
        units.append(
            Unit(
                id=row["id"],
                role=role,
                name=row["name"],
                home=home.id,
                strength=number(path, line, "strength", row["strength"]),
                company_size=company,
                training_share=training,
                officer_share=officers,
            )
        )
    return units
