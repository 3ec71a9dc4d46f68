"""The chronicle of a city run: what the phases reported, in the episode's words.

Each row names the tick, the day and clock time, the place, who acted, the event and its count
in persons ("day 4, 15:30, the central square: a detachment of the garrison fires on a crowd
of about 5,000; about 38 killed"). The words come from the episode's
``narration.toml``; an event without a template is not told. Reports marked ``once`` are told
once per place and day, so the log reads like a chronicle. Nothing here changes the run.
"""

from __future__ import annotations

from narod.scenario.city_schema import Calendar
from narod.world.places import City
from narod.world.state import Report

PERSONS = ("crowd", "wounded")  # fields given in persons, told as "about N"


def about(n: float) -> str:
    """A count as a chronicle tells it: rounded to what the sources could know."""
    if n >= 1000:
        return f"{round(n, -2):,.0f}"
    if n >= 100:
        return f"{round(n, -1):,.0f}"
    return f"{n:,.0f}"


class Chronicle:
    """The told events of one run, row by row."""

    def __init__(
        self,
        city: City,
        calendar: Calendar,
        scale: float,
        templates: dict[str, str],
        city_name: str,
    ) -> None:
        self.city, self.calendar, self.scale = city, calendar, scale
        self.templates, self.city_name = templates, city_name
        self.rows: list[dict[str, object]] = []
        self._seen: set[tuple[str, str, int]] = set()

    def _place(self, where: int | str) -> str:
        if where == "city":
            return self.city_name
        if isinstance(where, str):
            return self.city.place(where).name
        return self.city.place(self.city.sites[int(where)]).name

    def tell(self, report: Report, tick: int) -> None:
        """Add a report made at ``tick`` (unless its event has no words, or was told today)."""
        template = self.templates.get(report.event)
        if template is None:
            return
        per_day = self.calendar.ticks_per_day
        day = tick // per_day + 1
        key = (report.event, str(report.where), day)
        if report.once and key in self._seen:
            return
        self._seen.add(key)
        minutes = (tick % per_day) * self.calendar.tick_minutes
        persons = float(report.count) / self.scale
        words = {k: about(v) if k in PERSONS else v for k, v in (report.data or {}).items()}
        place = self._place(report.where)
        self.rows.append(
            {
                "tick": tick,
                "day": day,
                "time": f"{minutes // 60:02d}:{minutes % 60:02d}",
                "place": place,
                "actor": report.actor,
                "event": report.event,
                "count": round(persons),
                "text": template.format(**{"place": place, **words, "n": about(persons)}),
            }
        )
