"""The claims as experiments: the shipped claims file, paired effects, and a run end to end."""

import csv
import json
from pathlib import Path

import numpy as np
import pytest
from helpers import call_cli
from hypothesis import given
from hypothesis import strategies as st

from narod.errors import ScenarioError
from narod.experiments import claims as cl
from narod.experiments.claims_report import claims
from narod.experiments.paired import Effect, paired_effect, point_effects, same_sign_share
from narod.experiments.store import StoreError, connect

TOY = str(Path(__file__).parent / "episodes" / "toy-town")
TOY_CLAIMS = """
[[claim]]
id = "soldiers-decide"
claim = "Soldiers decide it."
source = "a test"

  [[claim.test]]
  name = "loyal-garrison"
  about = "no soldier mutinies"
  set = { "defection.enabled" = false }
  episodes = "all"
  expect = { collapsed = -1 }

  [[claim.test]]
  variant = "no-walkout"
  episodes = "all"
  expect = { collapse_day = 0 }

[uncertainty]
"defection.threshold_mean" = [0.6, 0.9]
"defection.enabled" = [0.0, 1.0]
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "claims.toml"
    path.write_text(text)
    return path


# ----------------------------------------------------------------------------- the claims file
def test_every_shipped_claim_builds_on_every_episode_it_names():
    p = cl.plan()
    ids = [c.id for c in p.claims]
    assert ids == ["women-spark", "women-front", "from-below", "police-caste",
                   "soldiers-decide", "no-vanguard-alone", "army-guarantor"]  # fmt: skip
    for claim in p.claims:
        for test in claim.tests:
            where = test.episodes or p.episodes
            for episode in where:
                spec = p.specs[episode, test.name]
                base = p.specs[episode, cl.BASELINE]
                assert spec != base, (claim.id, test.name, episode)  # the test changes something
    assert {q.key for q in p.sample} >= {"defection.threshold_mean", "firing.guilt"}
    assert all(q.low < q.high for q in p.sample)


def test_a_test_that_sets_keys_changes_them_after_the_users_overrides():
    p = cl.plan(["petrograd-1917"], ["soldiers-decide"], {"defection.threshold_mean": 0.7},
                {"petrograd-1917": 0.01})  # fmt: skip
    spec = p.specs["petrograd-1917-02", "bolder-soldiers"]
    assert spec.defection.threshold_mean == 0.6 and spec.city.scale == 0.01
    assert p.specs["petrograd-1917-02", cl.BASELINE].defection.threshold_mean == 0.7
    test = next(t for t in p.claims[0].tests if t.name == "bolder-soldiers")
    assert cl.changed_keys(spec, test) == {"defection.threshold_mean"}


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("[[claim]\n", None),
        ('[[claim]]\nid = "x"\nclaim = "y"\n', "claim[0].test"),
        ('[[claim]]\nid = "x"\nclaim = "y"\n[[claim.test]]\nname = "a"\nsize = 3\n', "size"),
        ('[[claim]]\nid = "x"\nclaim = "y"\n[[claim.test]]\nname = "a"\n', "claim[0].test[0]"),
        (
            '[[claim]]\nid = "x"\nclaim = "y"\n[[claim.test]]\nvariant = "v"\nset = {a = 1}\n',
            "claim[0].test[0]",
        ),
        (
            '[[claim]]\nid = "x"\nclaim = "y"\n[[claim.test]]\nname = "a"\nset = {"b.c" = 1}\n'
            "expect = { collapsed = 2 }\n",
            "expect",
        ),
        (
            '[[claim]]\nid = "x"\nclaim = "y"\n[[claim.test]]\nname = "a"\nset = {"b.c" = 1}\n'
            'episodes = ["atlantis"]\n',
            "episodes",
        ),
        ('[uncertainty]\n"a.b" = [2.0, 1.0]\n', "uncertainty.a.b"),
    ],
)
def test_a_broken_claims_file_is_refused_naming_the_file_and_key(tmp_path, text, key):
    path = _write(tmp_path, text)
    with pytest.raises(ScenarioError) as told:
        cl.load_claims(path)
    assert str(path) in str(told.value)
    if key:
        assert key in str(told.value)


def test_an_unknown_claim_or_a_missing_variant_fails_before_any_run(tmp_path):
    with pytest.raises(cl.NarodError, match="--claim nope: no such claim"):
        cl.plan(["petrograd-1917"], ["nope"])
    path = _write(tmp_path, TOY_CLAIMS.replace('variant = "no-walkout"', 'variant = "no-such"'))
    with pytest.raises(ScenarioError, match="no-such"):
        cl.plan([TOY], path=path)


# ----------------------------------------------------------------------------- paired effects
def test_a_paired_effect_is_the_mean_difference_on_shared_seeds():
    base = {0: 1.0, 1: 2.0, 2: 3.0, 3: 4.0, 4: float("nan")}
    var = {0: 2.0, 1: 3.0, 2: 4.0, 3: 5.0, 4: 9.0, 7: 1.0}
    e = paired_effect(base, var)
    assert e == Effect(2.5, 1.0, 1.0, 1.0, 4)  # a constant difference: a point interval
    few = paired_effect({0: 1.0, 1: 1.0}, {0: 0.0, 1: 1.0})
    assert few.pairs == 2 and few.effect == -0.5 and np.isnan(few.low)
    assert paired_effect({}, {0: 1.0}).pairs == 0


@given(st.lists(st.tuples(st.floats(-1e3, 1e3), st.floats(-1e3, 1e3)), min_size=3, max_size=40))
def test_the_interval_holds_the_effect_and_lies_within_the_differences(pairs):
    base = {i: b for i, (b, _) in enumerate(pairs)}
    var = {i: v for i, (_, v) in enumerate(pairs)}
    e = paired_effect(base, var)
    diff = [v - b for b, v in pairs]
    tol = 1e-9 * (1 + max(abs(d) for d in diff))
    assert min(diff) - tol <= e.low <= e.effect + tol
    assert e.effect - tol <= e.high <= max(diff) + tol


def test_the_same_sign_share_counts_the_sample_points_that_agree():
    base = {i: 0.0 for i in range(8)}
    var = {0: 1.0, 1: 1.0, 2: 1.0, 3: -3.0, 4: -1.0, 5: -1.0, 6: 0.0, 7: 0.0}
    at = point_effects(base, var, replicates=2)  # points (0,1) (2,3) (4,5) (6,7)
    assert at.tolist() == [1.0, -1.0, -1.0, 0.0]
    assert same_sign_share(0.5, at) == 0.25
    assert same_sign_share(-2.0, at) == 0.5
    assert same_sign_share(0.0, at) == 0.25
    assert np.isnan(same_sign_share(float("nan"), at))


@pytest.mark.parametrize(
    ("low", "high", "expect", "word"),
    [(-0.5, -0.1, -1, "agrees"), (0.1, 0.5, -1, "disagrees"), (-0.1, 0.2, -1, "not detected"),
     (-0.1, 0.2, 0, "agrees"), (0.1, 0.2, 0, "disagrees"), (0.1, 0.2, None, "")],
)  # fmt: skip
def test_a_finding_compares_the_interval_with_the_accounts_prediction(low, high, expect, word):
    assert cl.agreement(Effect(0.5, (low + high) / 2, low, high, 10), expect) == word
    assert cl.agreement(Effect(0.5, 0.3, float("nan"), float("nan"), 2), -1) == "too few pairs"


# ----------------------------------------------------------------------------- end to end
@pytest.mark.slow
def test_claims_run_pair_store_and_write_a_table_and_a_page(tmp_path):
    path = _write(tmp_path, TOY_CLAIMS.replace('"defection.enabled" = [0.0, 1.0]\n', ""))
    out = tmp_path / "out"
    kwargs = dict(overrides={"city.scale": 0.2}, sample_points=2, sample_seeds=1, sobol=1,
                  workers=0, command="narod claims toy", claims_file=path)  # fmt: skip
    written = claims([TOY], 3, out, **kwargs)
    assert set(written) >= {"claims.csv", "claims.md", "sobol.csv"}
    rows = list(csv.DictReader((out / "claims.csv").open()))
    assert {"claim", "episode", "variant", "outcome", "baseline", "effect", "low", "high",
            "seeds", "same_sign_share", "verdict"} <= set(rows[0])  # fmt: skip
    assert len(rows) == 2 * len(cl.OUTCOMES)
    loyal = next(r for r in rows if r["variant"] == "loyal-garrison" and r["outcome"] == "killed")
    assert loyal["episode"] == "toy-town" and loyal["seeds"] == "3"
    assert loyal["verdict"].startswith("in the model, 'no soldier mutinies'")
    assert loyal["sample_points"] == "2"
    # The runs are in the store, paired by seed: run i of the test and of the baseline agree.
    con = connect(out / "store")
    seeds = con.execute(
        "SELECT experiment, list(seed ORDER BY run) FROM runs GROUP BY experiment"
    ).fetchall()
    by_name = dict(seeds)
    assert (
        by_name["claims-toy-town-baseline-fitted"]
        == by_name["claims-toy-town-loyal-garrison-fitted"]
    )
    # The test that sets a sampled key is paired with a baseline holding it too.
    assert "claims-toy-town-baseline-sample" in by_name
    page = (out / "claims.md").read_text()
    assert "`narod claims toy`" in page and "## soldiers-decide" in page
    assert "Which parameters decide the outcome" in page
    # Run again: everything is in the store, nothing runs twice.
    before = {p: p.stat().st_mtime_ns for p in (out / "store").glob("*/runs/*.parquet")}
    claims([TOY], 3, out, **kwargs)
    after = {p: p.stat().st_mtime_ns for p in (out / "store").glob("*/runs/*.parquet")}
    assert before == after
    # The same names with other settings are refused, not mixed.
    with pytest.raises(StoreError, match="other settings"):
        claims([TOY], 4, out, **kwargs)


def test_the_command_line_refuses_bad_claims_options_with_one_line(capsys, tmp_path):
    code, _, err = call_cli(["claims", "petrograd-1917", "--claim", "nope", "--out",
                             str(tmp_path)], capsys)  # fmt: skip
    assert code == 2 and "no such claim" in err and "Traceback" not in err
    code, _, err = call_cli(["claims", "petrograd-1917", "--scale", "petrograd-1917=2"], capsys)
    assert code == 2 and "0 < SCALE <= 1" in err
    code, _, err = call_cli(["claims", "petrograd-1917", "--sobol", "48"], capsys)
    assert code == 2 and "power of 2" in err
    code, _, err = call_cli(["claims", "atlantis"], capsys)
    assert code == 2 and "atlantis" in err
    assert not any(tmp_path.iterdir())
    json.dumps(err)  # one plain line of text
