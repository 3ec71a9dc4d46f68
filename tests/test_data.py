"""The data shipped with the package: readable, sourced, in the right place."""

import csv
from importlib import resources


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("narod.data").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def test_places_are_unique_sourced_and_in_petrograd():
    rows = _rows("petrograd_1917_places.csv")
    assert len({r["id"] for r in rows}) == len(rows) > 50
    kinds = {"district", "factory", "barracks", "bridge", "ice_crossing", "square", "street",
             "police_station", "arsenal", "prison", "palace", "station", "government"}  # fmt: skip
    for r in rows:
        assert r["kind"] in kinds, r["id"]
        assert r["source"].strip(), f"{r['id']} has no source"
        assert r["confidence"] in {"high", "medium", "low", "unverified"}, r["id"]
        lat, lon = float(r["lat"]), float(r["lon"])
        assert 59.8 < lat < 60.1 and 29.7 < lon < 30.6, r["id"]  # Petrograd and Oranienbaum
        if r["size"] and "size: assumption" not in r["notes"]:
            assert r["confidence"] != "unverified", r["id"]


def test_the_historical_record_keeps_its_sources():
    rows = _rows("petrograd_1917_february.csv")
    assert rows and all(r["scenario"] == "petrograd_feb1917" for r in rows)
    assert all(r["source"].strip() for r in rows)
