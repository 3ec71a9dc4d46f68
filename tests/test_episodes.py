"""Episodes are data, the behaviour is shared: the files, their checks, a toy town end to end."""

import ast
import csv
import json
import re
import shutil
from pathlib import Path

import pytest
from helpers import call_cli

import narod
from narod.errors import ScenarioError
from narod.results.city import load_observables, validation_rows
from narod.scenario import city_schema as cs
from narod.scenario.episode import behaviour_path, builtin_episodes, read_toml

TOY = Path(__file__).parent / "episodes" / "toy-town"
SRC = Path(narod.__file__).parent
EPISODES = [*builtin_episodes().values(), TOY]


def numbered_lines(path: Path) -> list[str]:
    """Lines of a TOML file that set a number (outside the opening comment)."""
    out = []
    for line in path.read_text().splitlines():
        value = line.split("#")[0].split("=", 1)[-1].strip()
        if "=" in line and not line.lstrip().startswith("#") and not value.startswith('"'):
            if re.search(r"\d", value):
                out.append(line)
    return out


@pytest.mark.parametrize("folder", EPISODES, ids=lambda p: p.name)
def test_every_episode_documents_itself_and_sources_every_number(folder):
    text = (folder / "episode.toml").read_text()
    for heading in ("WHAT IT IS", "HOW IT WORKS", "THINGS TO TRY", "SOURCES"):
        assert heading in text, f"{folder.name} lacks {heading}"
    for line in numbered_lines(folder / "episode.toml"):
        assert "  # " in line, f"{folder.name}: unsourced number in {line!r}"
    for name, key in (("places.csv", "size"), ("forces.csv", "strength"), ("record.csv", "low")):
        for row in csv.DictReader(open(folder / name, encoding="utf-8")):
            if row[key].strip():  # every number carries its source or the word "assumption"
                sourced = row["source"].strip() or "assumption" in row.get("notes", "")
                assert sourced, f"{folder.name}/{name}: {row.get('id') or row['quantity']}"


@pytest.mark.parametrize("folder", EPISODES, ids=lambda p: p.name)
def test_every_episode_runs_on_the_shared_behaviour_and_reads_series_the_model_writes(folder):
    spec = narod.load_scenario(str(folder), **{"city.scale": 0.004})
    result = narod.simulate(spec, seed=0)
    written = set(result.table.column_names)
    for quantity, obs in load_observables(folder).items():
        assert set(obs.series) <= written, f"{folder.name}: {quantity} reads {obs.series}"
    rows = validation_rows(result.outcome)
    assert rows and all(r["inside"] in ("in", "out", "given") for r in rows)
    given = {r["quantity"] for r in rows if r["inside"] == "given"}
    marked = {q for q, o in load_observables(folder).items() if o.by_construction}
    assert given <= marked  # only rows an input makes true leave the score


def test_the_behaviour_file_sources_every_number_and_holds_every_behavioural_key():
    for line in numbered_lines(behaviour_path()):
        assert "  # " in line, f"unsourced number in {line!r}"
    behaviour = read_toml(behaviour_path())
    for section, model in cs.SECTIONS.items():
        if section in cs.EPISODE_SECTIONS:
            assert section not in behaviour
            continue
        for key in model.model_fields:
            if not cs.is_episode_key(section, key):
                assert key in behaviour[section], f"{section}.{key} is not in street.toml"


def test_one_source_of_truth_no_value_has_a_default_in_the_schema():
    """The values live in the files; the schema only says what a key is and its range."""
    for section, model in cs.SECTIONS.items():
        if not hasattr(model, "model_fields"):
            continue
        for key, field in model.model_fields.items():
            assert field.is_required(), f"{section}.{key} has a default in the schema"
    for kind in (cs.WalkoutInput, cs.LockoutInput, cs.OrderToFireInput, cs.NightArrestsInput):
        optional = {k for k, f in kind.model_fields.items() if not f.is_required()}
        assert optional <= {"enabled", "hour"}  # a switch, and midnight for a day's input


def copy_toy(tmp_path: Path) -> Path:
    folder = tmp_path / "toy"
    shutil.copytree(TOY, folder)
    return folder


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


BAD_DATA = [
    ("episode.toml", "[strength]", "[strike]\nown_weight = 2.0\n\n[strength]",
     "episode.toml: strike.own_weight: a behavioural key"),
    ("episode.toml", '"inputs.walkout.enabled" = false',
     '"inputs.walkout.enabled" = false\n"firing.guilt" = 0.9',
     "variants.no-walkout: sets the behavioural key(s) firing.guilt"),
    ("places.csv", "d_east,district,", "d_east,township,",
     "places.csv: line 4, column kind: unknown place kind 'township'"),
    ("edges.csv", "d_south,d_east,", "d_south,d_west,",
     "edges.csv: line 4, column b: 'd_west' names no place"),
    ("forces.csv", "Fort battalion,b_fort,", "Fort battalion,b_nowhere,",
     "forces.csv: line 4, column home: 'b_nowhere' names no place"),
    ("forces.csv", "police_south,150,", "police_south,-150,",
     "forces.csv: line 2, column strength: expected a number from 0 to 1e+15"),
    ("forces.csv", "u_horse,cavalry", "u_horse,dragoons",
     "forces.csv: line 3, column role: unknown role"),
    ("episode.toml", 'type = "lockout"', 'type = "strike_ban"', "inputs.lockout"),
    ("episode.toml", "day = 2  # assumption\nhour = 6.0", "day = 5  # assumption\nhour = 6.0",
     "inputs.order_to_fire.day: expected a day of the calendar, 1-3 (got 5)"),
    ("places.csv", ",50,arms:500,", ",50,rifles,",
     "places.csv: line 11, column effect"),
    ("record.csv", "killed_total,0,", "killed_total,none,",
     "record.csv: line 4, column low: expected a number"),
    ("narration.toml", "about {n} weavers", "about {n} {colour}",
     "narration.toml: walkout: unknown field(s) colour"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "old", "new", "message"), BAD_DATA)
def test_bad_episode_data_is_one_clear_line_naming_file_row_and_column(
    tmp_path, capsys, name, old, new, message
):
    folder = copy_toy(tmp_path)
    edit(folder / name, old, new)
    args = ["run", str(folder), "--out", str(tmp_path / "out")]
    if name == "episode.toml" and "firing.guilt" in new:
        args[1] += ":no-walkout"
    code, _, err = call_cli(args, capsys)
    assert code == 2, err
    assert message in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()  # nothing half-written


def test_a_missing_file_is_named(tmp_path):
    folder = copy_toy(tmp_path)
    (folder / "forces.csv").unlink()
    with pytest.raises(ScenarioError, match="forces.csv: no such file"):
        narod.simulate(narod.load_scenario(str(folder)), seed=0)


def test_a_variant_that_says_so_may_change_behaviour(tmp_path):
    folder = copy_toy(tmp_path)
    says_so = '"inputs.walkout.enabled" = false\nchanges_behaviour = true\n"firing.guilt" = 0.9'
    edit(folder / "episode.toml", '"inputs.walkout.enabled" = false', says_so)
    spec = narod.load_scenario(f"{folder}:no-walkout")
    assert spec.firing.guilt == 0.9 and not spec.inputs["walkout"].enabled


def test_the_toy_town_runs_every_phase_validates_and_draws_its_own_map(tmp_path, capsys):
    out = tmp_path / "toy"
    code, text, err = call_cli(["run", str(TOY), "--seed", "2", "--out", str(out)], capsys)
    assert code == 0, err
    assert "Toy town" in (out / "report.html").read_text()
    assert (out / "map.gif").read_bytes()[:6] == b"GIF89a"
    validation = (out / "validation.csv").read_text().splitlines()
    assert len(validation) == 4  # its three record rows, read by its own observables
    events = (out / "events.csv").read_text()
    assert "weavers walk out" in events and "Petrograd" not in events
    # The phases' own reports, in the toy's words where it has them: each of these mechanisms
    # acted (mutiny, objectives and collapse are exercised by Petrograd's headline test).
    record = narod.simulate(narod.load_scenario(str(TOY)), seed=2).outcome
    acted = {"walkout", "general_strike", "order_to_fire", "night_arrests", "police_routed",
             "cavalry_hold_back", "escalation_3", "troops_fire", "troops_refuse",
             "mutiny_suppressed", "party_call", "demonstration", "army_deployed",
             "irregulars_attack"}  # fmt: skip
    assert acted <= set(record.events)
    outcome = json.loads((out / "outcome.json").read_text())
    assert list(outcome) == ["episode", "seed", "scale", "authority_fell", "how", "fell_day",
                             "fell_hour", "ended_day", "peak_on_streets", "peak_participants",
                             "killed", "wounded"]  # fmt: skip
    assert outcome["seed"] == 2 and outcome["peak_on_streets"] > 0
    for toll in (outcome["killed"], outcome["wounded"]):
        assert set(toll) == {"civilians", "police", "soldiers", "irregulars", "insurgents", "total"}
        assert toll["total"] == sum(v for k, v in toll.items() if k != "total")
        assert min(toll.values()) >= 0


def test_the_scale_shrinks_people_and_forces_alike():
    from narod.models.city import build_state

    full = build_state(narod.load_scenario(str(TOY)), 0)
    tenth = build_state(narod.load_scenario(str(TOY), **{"city.scale": 0.1}), 0)
    for a, b in ((full.people, tenth.people), (full.forces, tenth.forces)):
        assert b.state.size == pytest.approx(a.state.size / 10, rel=0.02)


def test_the_cli_lists_episodes_and_shows_each_key_with_its_source(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")  # one line per key
    code, out, _ = call_cli(["episodes"], capsys)
    assert code == 0 and re.search(r"petrograd-1917-02\s+petrograd-1917\s+7\s", out)
    code, out, _ = call_cli(["show", "petrograd-1917"], capsys)
    assert code == 0
    rows = {line.split()[0]: line for line in out.splitlines() if line.strip()}
    for key, source in (
        ("inputs.putilov_lockout.share", "record: putilov_workers_locked_out, about 30,000"),
        ("calendar.start", "record: day 1 = 23 Feb 1917"),
        ("strike.own_weight", "assumption"),
        ("firing.guilt", "assumption: MODELS.md 5.4"),
    ):
        assert source in rows[key], (key, rows.get(key))


def test_nothing_in_the_code_names_a_place_unit_or_date_of_an_episode():
    names = {
        "Petrograd",
        "Neva",
        "Cossack",
        "Tsar",
        "1917",
        "Vyborg",
        "Putilov",
        "Volynsky",
        "February",
        "Okhrana",
        "Duma",
        "Znamenskaya",
    }
    episodes = set(builtin_episodes())
    for folder in builtin_episodes().values():
        episodes |= set(read_toml(folder / "episode.toml")["episode"].get("aliases", []))
        for csv_name in ("places.csv", "forces.csv"):
            lines = (folder / csv_name).read_text().splitlines()[1:]
            names |= {line.split(",")[0] for line in lines}
    for path in SRC.rglob("*.py"):
        text = path.read_text()
        for episode in episodes:  # an episode may be named (the demo runs one), not its contents
            text = text.replace(episode, "")
        found = sorted(n for n in names if re.search(rf"\b{re.escape(n)}\b", text))
        assert not found, f"{path.relative_to(SRC)} names {found}"


LEVEL = {"errors": 0, "scenario": 1, "world": 2, "rng": 2, "prefetch": 2, "mechanisms": 3,
         "models": 4, "results": 5, "engine": 6, "experiments": 7, "viz": 7, "web": 8,
         "cli": 8, "cli_city": 8}  # fmt: skip


def test_layers_only_look_down():
    """scenario < world < mechanisms < models < results < engine < experiments, viz < web, cli."""
    for path in SRC.rglob("*.py"):
        parts = path.relative_to(SRC).with_suffix("").parts
        own = LEVEL.get(parts[0])
        if own is None:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                modules = [node.module]
                if node.module == "narod":  # from narod import rng, engine ...
                    modules = [f"narod.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            else:
                continue
            for module in modules:
                names = module.split(".")
                if names[0] == "narod" and len(names) > 1 and names[1] in LEVEL:
                    assert LEVEL[names[1]] <= own, f"{'/'.join(parts)} imports {module}"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('gathering = ["sq_centre"]', 'gathering = ["sq_nowhere"]',
         "city.gathering: 'sq_nowhere' names no place"),
        ('factory = "f_works"', 'factory = "d_south"',
         "inputs.lockout.factory: 'd_south' is a district; expected a factory"),
    ],
)  # fmt: skip
def test_places_named_in_the_episode_file_must_exist(tmp_path, capsys, old, new, message):
    folder = copy_toy(tmp_path)
    edit(folder / "episode.toml", old, new)
    code, _, err = call_cli(["run", str(folder), "--out", str(tmp_path / "out")], capsys)
    assert code == 2 and message in err and not (tmp_path / "out").exists()


def test_the_table_across_episodes_puts_the_runs_beside_the_records_outcome(tmp_path, capsys):
    from narod.results.across import read_record_outcome, row

    fell = {"authority_fell": True, "how": "surrendered", "fell_day": 2, "fell_hour": 3.0,
            "peak_participants": 100, "killed": {"total": 5, "civilians": 1, "police": 1,
                                                 "soldiers": 2, "insurgents": 1}}  # fmt: skip
    stood = {**fell, "authority_fell": False, "how": None, "fell_day": None, "fell_hour": None}
    r = row("x", [fell, fell, stood, stood], {"authority_fell": True, "fell_day": [2, 3]})
    assert r["model_p_fell"] == 0.5 and r["model_how"] == "surrendered" and r["record_fell"]
    assert r["model_fell_day"] == 2
    assert (r["record_fell_day_low"], r["record_fell_day_high"]) == (2, 3)
    assert r["record_killed_total_low"] is None  # the record does not say
    record = read_record_outcome(builtin_episodes()["cairo-2011"])
    assert record["how"] == "removed_by_command" and record["fell_day"] == 18
    bad = copy_toy(tmp_path)
    (bad / "outcome.toml").write_text('how = "fled"\n')
    with pytest.raises(ScenarioError, match="outcome.toml: how"):
        read_record_outcome(bad)
    args = ["across", str(TOY), "--seeds", "2", "--workers", "0", "--set", "city.scale=0.2"]
    code, text, err = call_cli([*args, "--out", str(tmp_path / "a")], capsys)
    assert code == 0, err
    assert "Across episodes" in text and (tmp_path / "a" / "across.md").read_text().count("|") > 10


def test_an_observable_fixed_to_a_day_outside_the_calendar_is_refused(tmp_path):
    folder = copy_toy(tmp_path)
    with (folder / "observables.toml").open("a") as f:
        f.write('\n[late]\nseries = "killed"\nread = "end"\nday = 9\n')
    with (folder / "record.csv").open("a") as f:
        f.write("toy,,2000-05-01,late,0,10,5,persons,assumption,low,\n")
    result = narod.simulate(narod.load_scenario(str(folder), **{"city.scale": 0.2}), seed=0)
    with pytest.raises(ScenarioError, match=r"observables.toml: late.day: expected a day"):
        validation_rows(result.outcome)
