"""How a city run ended, in one machine-readable record (``outcome.json``), the same keys for
every episode.

``authority_fell`` and ``how``: the authority falls when its loyal armed force has melted away
(``"melted_away"``) or when its armed forces' command removes the ruler
(``"removed_by_command"``, :mod:`narod.mechanisms.command`) or when its seat is taken
(``"surrendered"``, :mod:`narod.mechanisms.objectives`).
``ended_day`` is the day the contest ended: the day the authority fell, or, when it stood, the
first day from which nobody was on strike, in the street or in mutiny to the end of the run
(the insurgents defeated or dispersed); ``null`` if it was still open when the run ended.
Counts are persons, at one agent per person whatever the scale: ``peak_participants`` is the
largest number at once in the streets, in mutiny or on an insurgents' operation; ``killed`` and
``wounded`` split civilians, police, soldiers (loyal or mutinous), hired irregulars and
insurgents (members of organised groups).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from narod.models.city import CityRecord
from narod.results.city import Reading

KEYS = ("episode", "seed", "scale", "authority_fell", "how", "fell_day", "fell_hour",
        "ended_day", "peak_on_streets", "peak_participants", "killed", "wounded")  # fmt: skip


def _toll(series: dict[str, np.ndarray], what: str, vanguard: float) -> dict[str, float]:
    """By side; the vanguard's members are counted among the civilians in the series."""
    last = {k: float(v[-1]) for k, v in series.items()}
    toll = {
        "civilians": last[f"{what}_civilians"] - vanguard,
        "police": last[f"{what}_police"],
        "soldiers": last[f"{what}_soldiers"],
        "irregulars": last[f"{what}_irregulars"],
        "insurgents": vanguard + last[f"{what}_insurgents"],
    }
    toll = {k: round(v) for k, v in toll.items()}
    return {**toll, "total": sum(toll.values())}


def _ended_day(reading: Reading) -> int | None:
    """The first day from which the streets, the strike, the mutiny and the insurgents'
    operations stayed empty."""
    s = reading.series
    busy = (s["strikers"] > 0) | (s["on_streets"] > 0) | (s["soldiers_mutinied"] > 0)
    busy |= s["insurgents_active"] > 0
    if busy[-1]:
        return None
    quiet_from = int(np.flatnonzero(busy)[-1]) + 1 if busy.any() else 0
    day = int(s["day"][quiet_from])
    return day if quiet_from == (day - 1) * reading.per_day + 1 or quiet_from == 0 else day + 1


def outcome(record: CityRecord, episode: str, seed: int, scale: float) -> dict[str, Any]:
    """The outcome record of one run."""
    reading = Reading(record)
    s = record.series
    fell = record.collapse_tick is not None
    fell_day = reading.collapse_day
    ended = fell_day if fell else _ended_day(reading)
    if ended is not None and ended > reading.days:
        ended = None  # quiet only from a day the run did not reach
    return {
        "episode": episode,
        "seed": seed,
        "scale": scale,
        "authority_fell": fell,
        "how": record.fell_how if fell else None,
        "fell_day": fell_day,
        "fell_hour": (record.collapse_tick % reading.per_day) * reading.hours if fell else None,
        "ended_day": ended,
        "peak_on_streets": round(float(s["on_streets"].max())),
        "peak_participants": round(
            float((s["on_streets"] + s["soldiers_mutinied"] + s["insurgents_active"]).max())
        ),
        "killed": _toll(s, "killed", record.insurgents_killed),
        "wounded": _toll(s, "wounded", record.insurgents_wounded),
    }
