"""Throw generated bad input at every entry point and report what was tried and what failed.

Run on demand (``make fuzz``), not as a test: it takes minutes. Each target draws inputs with
Hypothesis and checks the contract of the README: bad input gets one clear line on stderr and
exit code 2 from the command line (a 4xx with a message from the explorer's API), never a
traceback, a hang or a partly written output. Every failure is kept (the drawing goes on), and
the report prints each distinct one with an example. Usage::

    .venv/bin/python fuzz/run.py [--examples 10000] [--seed 0] [--only NAME]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import random
import resource
import shutil
import signal
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

TIMEOUT = 60  # seconds an input may take before it counts as a hang
MEMORY = 8 * 2**30  # address space the fuzzer may use: a huge size must be refused, not tried
ROOT = Path(__file__).resolve().parent.parent
TOY = ROOT / "tests" / "episodes" / "toy-town"


class Hang(Exception):
    pass


def _alarm(signum, frame):
    raise Hang()


class Findings:
    """Failures by kind, each with its first example, and the number of inputs tried."""

    def __init__(self) -> None:
        self.tried: dict[str, int] = {}
        self.failures: dict[tuple[str, str], tuple[int, str]] = {}

    def add(self, target: str, kind: str, example: str) -> None:
        count, first = self.failures.get((target, kind), (0, example))
        self.failures[(target, kind)] = (count + 1, first)


FOUND = Findings()


def cli(args: list[str]) -> tuple[int, str, str]:
    """The command line in this process, with a time limit: (exit code, stdout, stderr)."""
    from narod import cli as narod_cli

    out, err = io.StringIO(), io.StringIO()
    old = sys.argv
    sys.argv = ["narod", *args]
    signal.alarm(TIMEOUT)
    code: int | str | None = 0
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            narod_cli.main()
    except SystemExit as exc:
        code = exc.code
    except Hang:
        code = "hang"
    except BaseException as exc:  # noqa: BLE001 - anything escaping main() is a finding
        code = f"escaped {type(exc).__name__}: {exc}"
    finally:
        signal.alarm(0)
        sys.argv = old
    return code, out.getvalue(), err.getvalue()  # type: ignore[return-value]


def check_cli(target: str, args: list[str], out_dir: Path | None = None) -> None:
    """One command line: exit 0, or exit 2 with one line on stderr and nothing half-written."""
    FOUND.tried[target] = FOUND.tried.get(target, 0) + 1
    code, _, err = cli(args)
    shown = " ".join(args)[:300]
    if code == "hang":
        FOUND.add(target, "hang", shown)
    elif isinstance(code, str):
        FOUND.add(target, code.split(":")[0], f"{shown}\n      {code[:300]}")
    elif "Traceback" in err:
        FOUND.add(target, "traceback", f"{shown}\n      {err.strip().splitlines()[-1][:300]}")
    elif code not in (0, 2):
        FOUND.add(target, f"exit code {code}", shown)
    elif code == 2:
        lines = err.strip().splitlines()
        if len(lines) != 1 or not lines[0].startswith("error:"):
            FOUND.add(target, "not one error line", f"{shown}\n      {err.strip()[:300]}")
        if out_dir is not None and out_dir.exists() and any(out_dir.iterdir()):
            FOUND.add(target, "output written on error", shown)


# ----------------------------------------------------------------------------- values
NUMBERS = st.one_of(
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, -1, 1, 2**31, 2**63, 1e308, -0.0, 0.5, 1e-300]),
)
VALUES = st.one_of(
    NUMBERS,
    st.booleans(),
    st.text(max_size=20),
    st.lists(st.integers(-5, 5), max_size=4),
    st.sampled_from(["inf", "nan", "[]", "{}", '"x"', "true", "1e999", "-inf"]),
)


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return {float("inf"): "inf", float("-inf"): "-inf"}.get(value, "nan" if value != value
                                                                 else repr(value))  # fmt: skip
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return json.dumps(value)


def flat_keys(raw: dict, prefix: str = "") -> list[str]:
    out = []
    for key, value in raw.items():
        if isinstance(value, dict):
            out += flat_keys(value, f"{prefix}{key}.")
        else:
            out.append(f"{prefix}{key}")
    return out


def builtin_toml(name: str) -> str:
    return (ROOT / "src" / "narod" / "scenario" / "builtin" / f"{name}.toml").read_text()


# ----------------------------------------------------------------------------- targets
def scenario_files(examples: int, seed: int, work: Path) -> None:
    """A real scenario file, mutated: values swapped, keys added or dropped, text broken."""
    base = {n: builtin_toml(n) for n in ("epstein-2", "epstein-7", "granovetter-normal")}
    keys = {n: flat_keys(tomllib.loads(t)) for n, t in base.items()}

    @settings(max_examples=examples, database=None, deadline=None, derandomize=False,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(st.sampled_from(sorted(base)), st.data())
    def one(name, data):
        lines = base[name].splitlines()
        how = data.draw(st.sampled_from(["value", "unknown", "drop", "cut", "bytes", "dup"]))
        if how == "value":
            key = data.draw(st.sampled_from(keys[name]))
            lines.append(f"[{key.rsplit('.', 1)[0]}]" if "." in key else "")
            lines.append(f"{key.rsplit('.', 1)[-1]} = {toml_value(data.draw(VALUES))}")
        elif how == "unknown":
            lines.append(f"[{data.draw(st.sampled_from(['grid', 'jail', 'nope', 'scenario']))}]")
            lines.append(f"{data.draw(st.from_regex(r'[a-z_]{1,12}', fullmatch=True))} = 1")
        elif how == "drop" and lines:
            del lines[data.draw(st.integers(0, len(lines) - 1))]
        elif how == "cut":
            text = "\n".join(lines)
            lines = [text[: data.draw(st.integers(0, len(text)))]]
        elif how == "bytes":
            lines.insert(data.draw(st.integers(0, len(lines))), data.draw(st.text(max_size=30)))
        else:
            lines += lines[:5]
        path = work / "mutant.toml"
        path.write_text("\n".join(lines))
        out = work / "out-file"
        shutil.rmtree(out, ignore_errors=True)
        check_cli("scenario files", ["run", str(path), "--ticks", "3", "--out", str(out)], out)

    one()


def overrides(examples: int, seed: int, work: Path) -> None:
    """``--set key=value`` on a classic model and on an episode, keys real and invented."""
    epstein = flat_keys(tomllib.loads(builtin_toml("epstein-2")))
    city = [f"{s}.{k}" for s, k in (line.split(".", 1) for line in _city_keys())]

    @settings(max_examples=examples, database=None, deadline=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(st.booleans(), st.data())
    def one(is_city, data):
        keys = city if is_city else epstein
        key = data.draw(st.one_of(st.sampled_from(keys), st.text(max_size=25)))
        value = data.draw(st.one_of(VALUES.map(toml_value), st.text(max_size=15)))
        if is_city:  # validated, then shown: building a city of any size is not the point here
            args = ["show", str(TOY), "--toml", "--set", f"{key}={value}"]
        else:
            args = ["run", "epstein-2", "--ticks", "2", "--set", f"{key}={value}"]
        check_cli("--set overrides", args)

    one()


def _city_keys() -> list[str]:
    import narod

    spec = narod.load_scenario(str(TOY))
    keys = []
    for section, body in spec.model_dump().items():
        if isinstance(body, dict) and section not in ("variants", "scenario"):
            keys += [f"{section}.{k}" for k in flat_keys(body)]
    return keys


def cli_options(examples: int, seed: int, work: Path) -> None:
    """Every command with options drawn from good, bad and absurd values."""
    store = work / "store"
    commands = {
        "run": ["epstein-2", "--ticks", "{int}", "--seed", "{int}", "--threads", "{int}"],
        "show": ["{name}"],
        "validate": ["epstein-2", "--seeds", "{int}", "--workers", "0"],
        "compare": ["{name}", "--variants", "{text}", "--seeds", "0"],
        "report": ["{path}"],
        "plot": ["{path}", "--metric", "{text}"],
        "animate": ["{path}", "--format", "{text}", "--fps", "{int}", "--every", "{int}"],
        "ensemble": [
            "epstein-2",
            "--runs",
            "{int}",
            "--ticks",
            "{int}",
            "--store",
            "{store}",
            "--workers",
            "0",
            "--batch",
            "{int}",
        ],  # fmt: skip
        "sweep": [
            "epstein-2",
            "--param",
            "{param}",
            "--ticks",
            "2",
            "--store",
            "{store}",
            "--workers",
            "0",
            "--replicates",
            "{int}",
        ],  # fmt: skip
        "sensitivity": [
            "epstein-2",
            "--method",
            "{text}",
            "--param",
            "{param}",
            "--output",
            "{text}",
            "--samples",
            "{int}",
            "--store",
            "{store}",
            "--workers",
            "0",
        ],  # fmt: skip
        "calibrate": [
            "epstein-2",
            "--targets",
            "{path}",
            "--param",
            "{param}",
            "--workers",
            "0",
            "--population",
            "{int}",
            "--generations",
            "{int}",
        ],  # fmt: skip
        "experiments": ["{store}"],
        "query": ["{store}", "{text}"],
        "claims": [
            "{name}",
            "--claim",
            "{text}",
            "--seeds",
            "{int}",
            "--sample",
            "0",
            "--scale",
            "{text}",
            "--out",
            "{store}",
            "--workers",
            "0",
        ],  # fmt: skip
    }
    fills = {
        "{int}": st.sampled_from(["-1", "0", "1", "3", "99999999999", "x", "1.5", ""]),
        "{name}": st.sampled_from(
            [
                "epstein-2",
                "petrograd-1917:nope",
                "nope",
                "/etc",
                str(TOY) + ":x",
                "",
                "../../etc/passwd",
            ]
        ),  # fmt: skip
        "{text}": st.text(max_size=12),
        "{path}": st.sampled_from(
            [str(work), "/nonexistent", "/etc/passwd", str(store), "", str(work / "mutant.toml")]
        ),  # fmt: skip
        "{store}": st.sampled_from([str(store), "/etc/passwd", str(work / "new-store")]),
        "{param}": st.sampled_from(
            [
                "grievance.legitimacy=0.7:0.9",
                "nope=1:2",
                "x",
                "grievance.legitimacy=0.9:0.7",
                "jail.max_term=a:b",
                "grievance.legitimacy=0.1:0.2:0",
                "=:",
            ]
        ),  # fmt: skip
    }

    @settings(max_examples=examples, database=None, deadline=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(st.sampled_from(sorted(commands)), st.data())
    def one(command, data):
        args = [command]
        for token in commands[command]:
            if token in fills and data.draw(st.booleans()):
                args.append(data.draw(fills[token]))
            elif token in fills:
                args.append(data.draw(fills[token]) if not token.startswith("{int") else "2")
            else:
                args.append(token)
        if command in ("ensemble", "sweep", "sensitivity"):  # a fresh name each time
            args += ["--name", f"f{random.getrandbits(40)}"]
        if command in ("ensemble",) and args[args.index("--runs") + 1].isdigit():
            args[args.index("--runs") + 1] = str(min(int(args[args.index("--runs") + 1]), 20))
        if "--ticks" in args and args[args.index("--ticks") + 1].isdigit():
            args[args.index("--ticks") + 1] = str(min(int(args[args.index("--ticks") + 1]), 50))
        check_cli("CLI options", args)

    one()


def http_api(examples: int, seed: int, work: Path) -> None:
    """The explorer's API: request bodies, parameters and paths, valid and not."""
    from fastapi.testclient import TestClient

    from narod.web.app import create_app
    from narod.web.runs import Limits

    client = TestClient(create_app(Limits(max_agents=20_000, max_runs=1)))
    bodies = st.fixed_dictionaries(
        {},
        optional={
            "scenario": st.one_of(
                st.sampled_from(["petrograd-1917", "epstein-2", "nope"]), st.text(max_size=10)
            ),  # fmt: skip
            "variant": st.one_of(
                st.none(), st.text(max_size=10), st.sampled_from(["loyal-garrison"])
            ),  # fmt: skip
            "seed": st.one_of(st.integers(-5, 2**40), st.text(max_size=5), st.none()),
            "params": st.one_of(
                st.dictionaries(
                    st.sampled_from(
                        [
                            "city.scale",
                            "strength.police",
                            "inputs.walkout.size",
                            "jail.max_term",
                            "x",
                        ]
                    ),
                    NUMBERS | st.text(max_size=5),
                    max_size=3,
                ),  # fmt: skip
                st.text(max_size=5),
            ),
            "path": st.text(max_size=10),
        },
    )
    paths = st.one_of(
        st.sampled_from(
            [
                "/",
                "/static/app.js",
                "/static/../x",
                "/api/runs/nope",
                "/api/runs/nope/stream",
                "/api/runs/x/download.exe",
                "/api/scenarios",
                "/static/%2e%2e/etc/passwd",
            ]
        ),  # fmt: skip
        st.from_regex(r"/[a-z/._%-]{0,30}", fullmatch=True),
    )

    @settings(max_examples=examples, database=None, deadline=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(st.booleans(), bodies, paths)
    def one(post, body, path):
        FOUND.tried["HTTP API"] = FOUND.tried.get("HTTP API", 0) + 1
        signal.alarm(TIMEOUT)
        try:
            if post:
                response = client.post("/api/runs", content=json.dumps(body, default=str),
                                       headers={"content-type": "application/json"})  # fmt: skip
            else:
                response = client.get(path)
        except Hang:
            FOUND.add("HTTP API", "hang", f"{post} {body if post else path}")
            return
        except Exception as exc:  # noqa: BLE001 - an exception through the app is a finding
            FOUND.add("HTTP API", f"exception {type(exc).__name__}", str(body if post else path))
            return
        finally:
            signal.alarm(0)
        if response.status_code >= 500:
            FOUND.add("HTTP API", f"status {response.status_code}", str(body if post else path))
        elif response.status_code >= 400:
            detail = response.json().get("detail") if "json" in response.headers.get(
                "content-type", "") else response.text  # fmt: skip
            if not detail:
                FOUND.add("HTTP API", "4xx without a message", str(body if post else path))
        if post and response.status_code == 200:  # wait for it: one run at a time
            run_id = response.json()["id"]
            deadline = time.time() + TIMEOUT
            while client.get(f"/api/runs/{run_id}").json()["status"] not in ("done", "failed"):
                if time.time() > deadline:
                    FOUND.add("HTTP API", "run hangs", str(body))
                    break
                time.sleep(0.05)

    one()


def damaged_copy(good: Path, copy: Path, name: str, how: str, cut: int) -> Path:
    """A copy of a folder with one file truncated, deleted, filled with junk or emptied."""
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(good, copy)
    path = copy / name
    data = path.read_bytes()
    if how == "truncate":
        path.write_bytes(data[: cut % max(len(data), 1)])
    elif how == "delete":
        path.unlink()
    elif how == "junk":
        path.write_bytes(bytes(random.getrandbits(8) for _ in range(cut % 200)))
    else:
        path.write_bytes(b"")
    return copy


def stores(examples: int, seed: int, work: Path) -> None:
    """Experiment stores left half-written: files truncated, removed or filled with junk."""
    good = work / "good-store"
    if not good.exists():
        cli(["ensemble", "epstein-2", "--runs", "6", "--ticks", "5", "--batch", "2",
             "--store", str(good), "--workers", "0", "--name", "e"])  # fmt: skip
    files = sorted(p.relative_to(good) for p in good.rglob("*") if p.is_file())

    @settings(max_examples=examples, database=None, deadline=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(st.sampled_from(files), st.sampled_from(["truncate", "delete", "junk", "empty"]),
           st.integers(0, 10_000), st.sampled_from(["experiments", "query", "resume", "report",
                                                    "plot"]))  # fmt: skip
    def one(name, how, cut, command):
        store = damaged_copy(good, work / "broken-store", name, how, cut)
        args = {
            "experiments": ["experiments", str(store)],
            "query": ["query", str(store), "SELECT count(*) FROM runs"],
            "resume": [
                "ensemble",
                "epstein-2",
                "--runs",
                "6",
                "--ticks",
                "5",
                "--batch",
                "2",
                "--store",
                str(store),
                "--workers",
                "0",
                "--name",
                "e",
                "--resume",
            ],  # fmt: skip
            "report": ["report", str(store / "e")],
            "plot": ["plot", str(store / "e")],
        }[command]
        check_cli("half-written stores", args)

    one()


def run_folders(examples: int, seed: int, work: Path) -> None:
    """A city run's folder with one of its files truncated, removed or filled with junk."""
    good = work / "good-run"
    if not good.exists():
        code, _, err = cli(["run", str(TOY), "--set", "city.scale=0.05", "--out", str(good)])
        assert code == 0, err
    files = sorted(p.name for p in good.iterdir() if p.is_file())

    @settings(max_examples=examples, database=None, deadline=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(st.sampled_from(files), st.sampled_from(["truncate", "delete", "junk"]),
           st.integers(0, 10_000), st.sampled_from(["report", "plot", "animate"]))  # fmt: skip
    def one(name, how, cut, command):
        folder = damaged_copy(good, work / "broken-run", name, how, cut)
        extra = ["--every", "24"] if command == "animate" else []
        check_cli("half-written run folders", [command, str(folder), *extra])

    one()


def episodes(examples: int, seed: int, work: Path) -> None:
    """An episode folder with one cell of one of its files broken."""
    names = ["places.csv", "edges.csv", "forces.csv", "record.csv", "episode.toml",
             "observables.toml", "milestones.toml", "narration.toml", "water.geojson"]  # fmt: skip

    @settings(max_examples=examples, database=None, deadline=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(st.sampled_from(names), st.data())
    def one(name, data):
        folder = work / "episode"
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(TOY, folder)
        path = folder / name
        lines = path.read_text().splitlines()
        i = data.draw(st.integers(0, len(lines) - 1))
        if name.endswith(".csv") and i > 0 and data.draw(st.booleans()):
            cells = lines[i].split(",")
            j = data.draw(st.integers(0, len(cells) - 1))
            cells[j] = data.draw(st.one_of(VALUES.map(toml_value), st.text(max_size=8)))
            lines[i] = ",".join(cells)
        elif data.draw(st.booleans()):
            lines[i] = data.draw(st.text(max_size=40))
        else:
            del lines[i]
        path.write_text("\n".join(lines))
        out = work / "out-episode"
        shutil.rmtree(out, ignore_errors=True)
        args = ["run", str(folder), "--set", "city.scale=0.02", "--ticks", "48"]
        if data.draw(st.integers(0, 9)) == 0:  # one in ten writes its outputs (plots, map, report)
            check_cli("episode folders", [*args, "--out", str(out)], out)
        else:
            check_cli("episode folders", args)

    one()


TARGETS: dict[str, tuple[Callable, float]] = {  # name -> (target, share of the examples)
    "scenario files": (scenario_files, 0.20),
    "--set overrides": (overrides, 0.25),
    "CLI options": (cli_options, 0.15),
    "HTTP API": (http_api, 0.15),
    "half-written stores": (stores, 0.05),
    "half-written run folders": (run_folders, 0.05),
    "episode folders": (episodes, 0.15),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", choices=sorted(TARGETS))
    args = parser.parse_args()
    random.seed(args.seed)
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    signal.signal(signal.SIGALRM, _alarm)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for name, (target, share) in TARGETS.items():
            if args.only and name != args.only:
                continue
            n = args.examples if args.only else max(1, round(args.examples * share))
            began = time.perf_counter()
            target(n, args.seed, Path(tmp))
            failed = sum(c for (t, _), (c, _) in FOUND.failures.items() if t == name)
            print(f"{name}: {FOUND.tried.get(name, 0)} inputs in "
                  f"{time.perf_counter() - began:.0f} s, {failed} failed", flush=True)  # fmt: skip
    print(f"\n{sum(FOUND.tried.values())} inputs in {time.perf_counter() - start:.0f} s; "
          f"{sum(c for c, _ in FOUND.failures.values())} failed, "
          f"{len(FOUND.failures)} distinct failures")  # fmt: skip
    for (target, kind), (count, example) in sorted(FOUND.failures.items()):
        print(f"- {target}: {kind} ({count}x), e.g.\n      {example}")
    sys.exit(1 if FOUND.failures else 0)


if __name__ == "__main__":
    main()
