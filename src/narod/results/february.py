"""What a February run says about the record: the day-by-day table, the validation rows and the
order of the milestones.

Each quantity of the record that the model can speak to is read from the run's series the way the
sources counted it: strikers as the day's peak, mutineers at midday or in the evening where the
record says so, casualties as totals.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from narod.history import load_record

TICKS_PER_DAY = 48
DATES = {
    1: "1917-02-23",
    2: "1917-02-24",
    3: "1917-02-25",
    4: "1917-02-26",
    5: "1917-02-27",
    6: "1917-02-28",
    7: "1917-03-01",
    8: "1917-03-02",
}
DAILY_COLUMNS = (
    "strikers",
    "strike_fraction",
    "on_streets",
    "police_active",
    "police_routed",
    "police_killed",
    "cossacks_loyal",
    "cossacks_neutral",
    "cossacks_turned",
    "soldiers_loyal",
    "soldiers_wavering",
    "soldiers_mutinied",
    "garrison_mutinous_fraction",
    "armed_workers",
    "killed",
    "wounded",
    "killed_civilians",
    "killed_police",
    "killed_soldiers",
    "arrested",
    "legitimacy_civil",
    "legitimacy_troops",
)
PEAK_OF_DAY = ("strikers", "strike_fraction", "on_streets")
EVENING = 21.0

# The milestones of the issue, in the recorded order: (event, days on which it fits, wording).
MILESTONES = (
    ("cossacks_hold_back_day_2", (2,), "Cossacks do not charge on day 2"),
    ("general_strike", (3,), "general strike on day 3"),
    ("troops_fire", (4,), "troops fire on crowds on day 4"),
    ("first_unit_mutiny", (4, 5), "the first unit mutinies on day 4 or 5"),
    ("arsenal_seized", (5,), "the Arsenal falls on day 5"),
    ("last_loyal_detachment_gone", (5, 6), "the last loyal detachment is gone by day 6"),
)


@dataclass
class Outcome:
    """What one run gives for the record and for the counterfactual table."""

    series: dict[str, np.ndarray]
    milestones: dict[str, int]  # event -> first tick
    riders: dict[int, list[int]]
    collapse_tick: int | None
    population: float

    def at(self, column: str, day: int, hour: float) -> float:
        row = (day - 1) * TICKS_PER_DAY + int(hour * 2)  # row i: the state after i ticks
        tick = min(max(row, 0), len(self.series["tick"]) - 1)
        return float(self.series[column][tick])

    def end_of_day(self, column: str, day: int) -> float:
        return self.at(column, day, 24.0)

    def peak(self, column: str, day: int) -> float:
        days = self.series["day"]
        values = self.series[column][days == day]
        return float(values.max()) if values.size else float("nan")

    def day_of(self, event: str) -> int | None:
        if event == "cossacks_hold_back_day_2":
            charged, held = self.riders.get(2, [0, 0])
            return 2 if held > charged else None
        tick = self.milestones.get(event)
        return None if tick is None else tick // TICKS_PER_DAY + 1

    def hour_of(self, event: str) -> float | None:
        tick = self.milestones.get(event)
        return None if tick is None else (tick % TICKS_PER_DAY) / 2

    @property
    def collapse_day(self) -> int | None:
        return None if self.collapse_tick is None else self.collapse_tick // TICKS_PER_DAY + 1

    @property
    def days(self) -> int:
        return int(self.series["day"].max())


def daily_rows(outcome: Outcome) -> list[dict[str, object]]:
    """One row per day: peaks for strikers and crowds, end-of-day values for the rest."""
    rows = []
    for day in range(1, outcome.days + 1):
        if not np.any(outcome.series["day"] == day):
            continue
        row: dict[str, object] = {"day": day, "date": DATES.get(day, "")}
        for column in DAILY_COLUMNS:
            value = (
                outcome.peak(column, day)
                if column in PEAK_OF_DAY
                else outcome.end_of_day(column, day)
            )
            row[column] = (
                round(value, 4) if "fraction" in column or "legit" in column else round(value)
            )
        rows.append(row)
    return rows


def _deaths_on(outcome: Outcome, day: int) -> float:
    before = outcome.end_of_day("killed", day - 1) if day > 1 else 0.0
    return outcome.end_of_day("killed", day) - before


def model_value(outcome: Outcome, quantity: str, day: int | None) -> float | None:
    """The run's value for one row of the record, or None where the model cannot speak."""
    o = outcome
    if day is not None and day > o.days:
        return None
    last = o.days
    simple = {
        ("strikers", None): lambda d: o.peak("strikers", d),
        ("strike_fraction_of_industrial_workforce", None): lambda d: o.peak("strike_fraction", d),
        ("strikers_fraction_of_city_population", None): lambda d: (
            o.peak("strikers", d) / o.population
        ),
        ("deaths", None): lambda d: _deaths_on(o, d),
        # The day's peak: a mutiny disarmed by evening (the Pavlovsky company) still counts.
        ("garrison_mutinous_fraction", None): lambda d: o.peak("garrison_mutinous_fraction", d),
        ("garrison_mutinous_fraction_evening", None): lambda d: o.at(
            "garrison_mutinous_fraction", d, EVENING
        ),
        ("soldiers_mutinied_by_midday", None): lambda d: o.at("soldiers_mutinied", d, 12.0),
        ("soldiers_mutinied_by_evening", None): lambda d: o.at("soldiers_mutinied", d, EVENING),
        ("soldiers_mutinied", None): lambda d: o.end_of_day("soldiers_mutinied", d),
        ("loyal_troops_remaining_evening", None): lambda d: o.at("soldiers_loyal", d, EVENING),
        ("policemen_beaten_days_1_2", None): lambda d: (
            o.end_of_day("killed_police", 2) + o.end_of_day("wounded_police", 2)
        ),
    }
    totals = {
        "killed_total": lambda: o.end_of_day("killed", last),
        "wounded_total": lambda: o.end_of_day("wounded", last),
        "killed_and_wounded_total": lambda: (
            o.end_of_day("killed", last) + o.end_of_day("wounded", last)
        ),
        "police_killed": lambda: o.end_of_day("killed_police", last),
        "military_killed_and_wounded": lambda: (
            o.end_of_day("killed_soldiers", last) + o.end_of_day("wounded_soldiers", last)
        ),
    }
    events = {
        "event:cossacks_do_not_charge_crowd": "cossacks_hold_back_day_2",
        "event:general_strike": "general_strike",
        "event:cossack_kills_police_officer_znamenskaya": "cossack_kills_police",
        "event:troops_fire_on_crowds_znamenskaya": "troops_fire",
        "event:mutiny_spreads_to_neighbouring_barracks": "mutiny_spreads",
        "event:arsenal_seized": "arsenal_seized",
        "event:prisons_stormed_kresty": "prisons_opened",
        "event:last_loyal_detachment_dissolves": "last_loyal_detachment_gone",
    }
    if day is None and quantity in totals:
        return totals[quantity]()
    if (quantity, None) in simple and day is not None:
        return simple[(quantity, None)](day)
    if quantity in events and day is not None:
        return float(o.day_of(events[quantity]) == day)
    if quantity == "time:first_mass_firing" and day is not None:
        return o.hour_of("troops_fire") if o.day_of("troops_fire") == day else None
    if quantity == "time:first_unit_mutiny" and day is not None:
        return o.hour_of("first_unit_mutiny") if o.day_of("first_unit_mutiny") == day else None
    return None


def validation_rows(outcome: Outcome) -> list[dict[str, object]]:
    """Every record row the model can speak to: model value, range, in or out."""
    rows = []
    for r in load_record():
        if r.low is None or r.high is None or r.confidence == "unverified":
            continue
        value = model_value(outcome, r.quantity, r.day)
        if value is None:
            continue
        rows.append(
            {
                "quantity": r.quantity,
                "day": r.day,
                "model": value,
                "low": r.low,
                "high": r.high,
                "inside": "in" if r.low <= value <= r.high else "out",
                "source": r.source,
            }
        )
    return rows


def milestone_rows(outcome: Outcome) -> list[dict[str, object]]:
    """The issue's milestones: the day each came in the run and whether it fits the record."""
    rows = []
    for event, days, words in MILESTONES:
        day = outcome.day_of(event)
        rows.append({"milestone": words, "model_day": day, "fits": day in days})
    return rows


def district_daily_rows(districts: dict[str, np.ndarray]) -> list[dict[str, object]]:
    """Per day and district: the peak of strikers and of people on the street (persons)."""
    ticks = np.asarray(districts["tick"])
    days = np.maximum(ticks - 1, 0) // TICKS_PER_DAY + 1
    names = np.asarray(districts["district"])
    rows = []
    for day in np.unique(days):
        for name in dict.fromkeys(names.tolist()):
            here = (days == day) & (names == name)
            rows.append({
                "day": int(day), "district": name,
                "strikers": round(float(np.max(districts["strikers"][here]))),
                "on_streets": round(float(np.max(districts["on_streets"][here]))),
            })  # fmt: skip
    return rows
