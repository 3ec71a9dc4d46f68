"""City plots and the HTML report, on a synthetic run folder built to the run contract."""

import re

import numpy as np
import pandas as pd
import pytest

from narod.errors import NarodError
from narod.scenario.loading import load_scenario, to_toml
from narod.viz.city_plots import day_label, plot_city, read_ranges
from narod.viz.report import write_report

PNG = b"\x89PNG\r\n\x1a\n"
DAYS = 7
TICKS_PER_DAY = 48
DATES = [f"1917-02-{d}" for d in range(23, 29)] + ["1917-03-01"]
PLOTS = ["strikers.png", "mutiny.png", "police.png", "casualties.png"]

EVENTS = [
    (10, 1, "05:00", "Vyborg side", "workers", "strike", 7000, "Women textile workers walk out."),
    (60, 2, "06:00", "Liteiny bridge", "crowd", "cross", 40000, "A crowd crosses the frozen Neva."),
    (
        130,
        3,
        "17:00",
        "Znamenskaya Square",
        "cossacks",
        "turn",
        1,
        "Cossacks cut down <b>Krylov</b>.",
    ),
    (200, 5, "04:00", "Volynsky barracks", "soldiers", "mutiny", 600, "The Volynsky men mutiny."),
]

STRIKE = "strike_fraction_of_industrial_workforce"
MUTINY = "garrison_mutinous_fraction"
VALIDATION = [
    (STRIKE, 1, 0.25, 0.187, 0.334, "in", "strike_fraction", "peak"),
    (STRIKE, 2, 0.60, 0.38, 0.558, "out", "strike_fraction", "peak"),
    (STRIKE, 3, 0.70, 0.576, 0.794, "in", "strike_fraction", "peak"),
    (MUTINY, 4, 0.01, 0.0, 0.02, "in", MUTINY, "peak"),
    ("garrison_mutinous_fraction_evening", 5, 0.40, 0.3, 0.5, "in", MUTINY, "at"),
    (MUTINY, 7, 0.95, 0.9, 1.0, "in", MUTINY, "peak"),
    ("killed_total", None, 1500.0, 1300.0, 1500.0, "in", "killed", "final"),
    ("killed_and_wounded_total", None, 2500.0, 1400.0, 2000.0, "out", "killed+wounded", "final"),
]  # fmt: skip


def _logistic(x: np.ndarray, mid: float, width: float) -> np.ndarray:
    return 1 / (1 + np.exp(-(x - mid) / width))


@pytest.fixture
def run_dir(tmp_path):
    """A run folder as the city model writes it: 7 days of 30-minute ticks of Petrograd."""
    d = tmp_path / "run"
    d.mkdir()
    tick = np.arange(DAYS * TICKS_PER_DAY)
    day = tick // TICKS_PER_DAY + 1
    hour = (tick % TICKS_PER_DAY) / 2
    x = day - 1 + hour / 24
    strike_fraction = 0.9 * _logistic(x, 1.5, 0.4)
    mutinous = _logistic(x, 4.5, 0.2)
    killed = np.round(1400 * _logistic(x, 4.0, 0.5))
    ts = pd.DataFrame(
        {
            "tick": tick,
            "day": day,
            "hour": hour,
            "strikers": np.round(392_000 * strike_fraction).astype(int),
            "strike_fraction": strike_fraction,
            "on_streets": np.round(100_000 * strike_fraction).astype(int),
            "police_active": np.round(3500 * (1 - mutinous)).astype(int),
            "police_routed": np.round(3000 * mutinous).astype(int),
            "police_killed": np.round(100 * mutinous).astype(int),
            "soldiers_mutinied": np.round(160_000 * mutinous).astype(int),
            "garrison_mutinous_fraction": mutinous,
            "killed": killed,
            "wounded": 2 * killed,
            "unknown_column": 0.0,
            "phase": np.where(day < 5, "strike", "mutiny"),
        }
    )
    ts.to_parquet(d / "timeseries.parquet")
    ends = ts.groupby("day").last().reset_index()
    daily = ends.drop(columns=["tick", "hour", "unknown_column", "phase"])
    daily.insert(1, "date", DATES)
    for name in ("cavalry_loyal", "cavalry_neutral", "cavalry_turned", "soldiers_loyal"):
        daily[name] = 1000
    daily["soldiers_wavering"] = 12_345
    daily["armed_workers"] = 40_000
    daily["legitimacy_civil"] = 0.3
    daily["legitimacy_troops"] = 0.6
    daily.to_csv(d / "daily.csv", index=False)
    pd.DataFrame(
        EVENTS, columns=["tick", "day", "time", "place", "actor", "event", "count", "text"]
    ).to_csv(d / "events.csv", index=False)
    validation = pd.DataFrame(
        VALIDATION, columns=["quantity", "day", "model", "low", "high", "inside", "series", "read"]
    )
    validation["day"] = validation["day"].astype("Int64")
    validation["source"] = "Trotsky HRR vol.1 ch.7 & Leiberov"
    validation.to_csv(d / "validation.csv", index=False)
    spec = load_scenario("petrograd-1917", **{"scenario.name": "petrograd-1917 <feb>"})
    (d / "params.toml").write_text(to_toml(spec))
    (d / "summary.txt").write_text("The regime fell on day 5.\n")
    return d


def test_day_labels_run_from_23_february_to_1_march():
    calendar = load_scenario("petrograd-1917").calendar
    assert [day_label(calendar, d) for d in range(1, 8)] == [
        "23 Feb",
        "24 Feb",
        "25 Feb",
        "26 Feb",
        "27 Feb",
        "28 Feb",
        "1 Mar",
    ]


def test_ranges_keep_the_day_or_none_for_episode_totals(run_dir):
    ranges = {(r.quantity, r.day): r for r in read_ranges(run_dir)}
    assert len(ranges) == len(VALIDATION)
    assert ranges[("garrison_mutinous_fraction_evening", 5)].high == 0.5
    assert ranges[("killed_total", None)].low == 1300.0


def test_plots_are_pngs(run_dir, tmp_path):
    paths = plot_city(run_dir, tmp_path / "plots", ensemble=[run_dir])
    assert [p.name for p in paths] == PLOTS
    for p in paths:
        assert p.parent == tmp_path / "plots"
        assert p.read_bytes().startswith(PNG)


def test_report_is_self_contained(run_dir):
    out = write_report(run_dir)
    assert out == run_dir / "report.html"
    page = out.read_text(encoding="utf-8")
    for name in PLOTS:  # drawn for the report because they were missing
        assert (run_dir / name).read_bytes().startswith(PNG)
    assert page.count('src="data:image/png;base64,') == 4
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.IGNORECASE)
    assert "<link" not in page and "<script" not in page and "@import" not in page


def test_report_shows_the_runs_tables_and_texts(run_dir):
    page = write_report(run_dir, run_dir / "out" / "r.html", title="Test <run>").read_text()
    assert "<title>Test &lt;run&gt;</title>" in page
    assert "The regime fell on day 5." in page
    assert "12,345" in page and "392,000" not in page.split("Day by day")[0]
    assert '<table class="validation">' in page
    assert "6 of 8 rows inside the historical range" in page
    assert page.count('<td class="in">in</td>') == 6
    assert page.count('<td class="out">out</td>') == 2
    assert "killed_and_wounded_total" in page
    for *_, text in EVENTS:
        assert text.replace("<b>", "&lt;b&gt;").replace("</b>", "&lt;/b&gt;") in page
    assert "Cossacks cut down &lt;b&gt;Krylov&lt;/b&gt;." in page
    assert "<b>Krylov" not in page
    assert "Trotsky HRR vol.1 ch.7 &amp; Leiberov" in page
    assert "name = &quot;petrograd-1917 &lt;feb&gt;&quot;" in page
    assert "The February Revolution in Petrograd" in page  # the episode's own title and words
    assert "Counterfactuals" not in page


def test_counterfactuals_are_shown_when_present(run_dir):
    pd.DataFrame(
        {
            "variant": ["no mutiny", "loyal Cossacks"],
            "collapse_probability": [0.05, 0.4],
            "collapse_day_median": [float("nan"), 6.0],
            "killed_median": [5200.0, 2100.0],
            "killed_low": [3000.0, 1500.0],
            "killed_high": [9000.0, 2600.0],
            "peak_strikers_median": [310_000, 300_000],
            "peak_low": [250_000, 240_000],
            "peak_high": [350_000, 340_000],
        }
    ).to_csv(run_dir / "counterfactuals.csv", index=False)
    page = write_report(run_dir).read_text()
    assert "<h2>Counterfactuals</h2>" in page
    assert "loyal Cossacks" in page and "40.0%" in page and "5,200" in page


def test_a_directory_that_is_not_a_run_is_named_in_the_error(tmp_path):
    with pytest.raises(NarodError, match="timeseries.parquet"):
        plot_city(tmp_path)
    with pytest.raises(NarodError, match="daily.csv"):
        write_report(tmp_path)
