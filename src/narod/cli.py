"""The command line: parse, call the Python API, render. No model logic lives here."""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, ProgressColumn, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from narod.engine import simulate
from narod.errors import NarodError
from narod.results.city import tally
from narod.results.files import write_atomic
from narod.results.result import Result
from narod.scenario.loading import (
    apply_overrides,
    builtin_names,
    builtin_summary,
    parse_assignment,
    read_raw,
    to_toml,
    validate,
)
from narod.scenario.schema import Spec

# Typer bundles its own Click; its usage errors derive from this class (found, not imported,
# because the bundled module is private).
_CLICK_ERROR = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="narod: agent-based models of popular uprisings.",
    pretty_exceptions_enable=False,
)
out = Console()
err = Console(stderr=True)

SetOption = Annotated[
    list[str] | None,
    typer.Option("--set", help="Override a parameter: section.key=value (repeatable)."),
]


VariantOption = Annotated[
    str | None,
    typer.Option(
        "--variant", help="A named counterfactual of the scenario (see its \\[variants])."
    ),
]


def _spec(scenario: str, assignments: list[str] | None, variant: str | None = None) -> Spec:
    if variant:
        scenario = f"{scenario}:{variant}"
    raw, source = read_raw(scenario)
    overrides = dict(parse_assignment(a) for a in assignments or [])
    return validate(apply_overrides(raw, overrides, source), source)


@app.command()
def scenarios() -> None:
    """List the built-in scenarios."""
    table = Table("scenario", "description", box=None)
    for name in builtin_names():
        table.add_row(name, builtin_summary(name))
    out.print(table)


@app.command()
def episodes() -> None:
    """List the episodes of the city model: each a folder of data, run with the shared behaviour."""
    from narod.scenario import episode as ep

    table = Table("episode", "also known as", "days", "title", box=None)
    for name, folder in ep.builtin_episodes().items():
        info = ep.episode_info(folder)
        days = str(ep.read_toml(folder / ep.EPISODE_FILE).get("calendar", {}).get("days", ""))
        table.add_row(name, ", ".join(info.get("aliases", [])), days, str(info.get("title", "")))
    out.print(table)


@app.command()
def show(
    scenario: Annotated[str, typer.Argument(help="A built-in name, episode or .toml file.")],
    set_: SetOption = None,
    toml: Annotated[bool, typer.Option("--toml", help="An episode's resolved TOML.")] = False,
) -> None:
    """Print a scenario's parameters; for an episode, its data and the shared behaviour, each key
    with its source (or the resolved TOML with --toml)."""
    from narod.scenario.episode import find_episode

    spec = _spec(scenario, set_)
    folder = find_episode(scenario.partition(":")[0]) if not toml else None
    if folder is None:
        sys.stdout.write(to_toml(spec))
        return
    from narod import cli_city

    for table in cli_city.episode_tables(folder):
        out.print(table)


def _run_with_progress(spec: Spec, seed: int, ticks: int | None, threads: int | None) -> Result:
    total = spec.scenario.ticks if ticks is None else ticks
    columns = (TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/"
               "{task.total} ticks"), TimeRemainingColumn())  # fmt: skip
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task(spec.scenario.name, total=total)
        return simulate(spec, seed, ticks=ticks, threads=threads,
                        progress=lambda done, _: bar.update(task, completed=done))  # fmt: skip


def _summary(result: Result) -> Table:
    table = Table("", "", box=None, show_header=False)
    last = {name: result.column(name)[-1] for name in result.table.column_names}
    for name, value in last.items():
        if name != "tick":
            table.add_row(
                f"final {name}", f"{value:.4g}" if isinstance(value, float) else str(value)
            )
    if "active" in result.table.column_names:
        for name, value in result.outbursts().summary().items():
            shown = "-" if isinstance(value, float) and math.isnan(value) else f"{value:.4g}"
            table.add_row(name.replace("_", " "), shown)
    table.add_row("ticks", str(int(last["tick"])))
    table.add_row("agents", f"{result.agents:,}")
    table.add_row("wall time", f"{result.wall_time:.3f} s")
    table.add_row("agent-steps/s", f"{result.steps_per_second:,.0f}")
    return table


@app.command()
def run(
    scenario: Annotated[str, typer.Argument(help="A built-in name or a .toml file.")],
    seed: Annotated[int, typer.Option(min=0, max=2**63 - 1, help="Fixes every random draw.")] = 0,
    ticks: TicksOption = None,
    set_: SetOption = None,
    out_dir: Annotated[Path | None, typer.Option("--out", help="Write the series here.")] = None,
    threads: Annotated[
        int | None, typer.Option(min=1, max=1024, help="Threads (synchronous).")
    ] = None,
    plot: Annotated[bool, typer.Option(help="Also write series.png to --out.")] = False,
    variant: VariantOption = None,
) -> None:
    """Run a scenario once and print a summary; with --out, write the time series."""
    if plot and out_dir is None:
        raise NarodError("--plot: also give --out DIR, where the plot is written")
    spec = _spec(scenario, set_, variant)
    result = _run_with_progress(spec, seed, ticks, threads)
    if result.outcome is not None:
        _show_city(result, out_dir)
        return
    out.print(_summary(result))
    if out_dir is not None:
        written = result.write(out_dir)
        if plot:
            from narod.viz.plots import plot_series

            written.append(plot_series(result, out_dir / "series.png"))
        out.print("wrote " + ", ".join(str(p) for p in written))


def _show_city(result: Result, out_dir: Path | None) -> None:
    from narod import cli_city as feb

    out.print(feb.day_table(result))
    out.print(feb.record_table(result))
    out.print(feb.summary_text(result))
    if out_dir is not None:
        written = feb.write_run(result, out_dir)
        out.print("wrote " + ", ".join(str(p) for p in written))


@app.command("validate")
def validate_against_record(
    scenario: Annotated[
        str, typer.Argument(help="An episode of the city model (narod episodes lists them).")
    ],
    seeds: Annotated[
        int, typer.Option(min=1, max=100_000, help="Number of seeds (0, 1, ...).")
    ] = 20,
    set_: SetOption = None,
    variant: VariantOption = None,
    workers: WorkersOption = None,
    scheduler: SchedulerOption = None,
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="Write validation.csv and validation.md.")
    ] = None,
) -> None:
    """Run N seeds and compare each row of the historical record with the runs."""
    from narod import cli_city as feb
    from narod.experiments.city import run_seeds

    spec = _city_spec(scenario, set_, variant)
    summaries = _seeds_with_progress(spec, seeds, workers, scheduler, run_seeds)
    table, order, rows = feb.validation_view(spec, summaries)
    out.print(table)
    out.print(order)
    inside, scored = tally(rows)
    given = len(rows) - scored
    note = f" ({given} more made true by an input, not scored)" if given else ""
    out.print(f"{inside} of {scored} record rows have the median inside the range{note}")
    if out_dir is not None:
        from narod.experiments.city import milestone_table
        from narod.results.made import made

        out.print(f"wrote {feb.write_rows(out_dir / 'validation.csv', rows)}")
        facts = made(seeds=f"{seeds} (0-{seeds - 1})", scale=f"{spec.city.scale:g}")
        text = feb.validation_markdown(rows, milestone_table(spec, summaries), facts)
        path = out_dir / "validation.md"
        write_atomic(path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
        out.print(f"wrote {path}")


@app.command()
def compare(
    scenario: Annotated[
        str, typer.Argument(help="An episode of the city model (narod episodes lists them).")
    ],
    variants: Annotated[str, typer.Option(help="Comma-separated variant names, or 'all'.")] = "all",
    seeds: Annotated[int, typer.Option(min=1, max=100_000, help="Seeds per variant.")] = 20,
    set_: SetOption = None,
    workers: WorkersOption = None,
    scheduler: SchedulerOption = None,
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="Write counterfactuals.csv.")
    ] = None,
) -> None:
    """The counterfactual table: each variant's chance of collapse, its day, killed, strikers."""
    from narod import cli_city as feb
    from narod.experiments.city import run_seeds

    base = _city_spec(scenario, set_, None)
    names = list(base.variants) if variants == "all" else [v.strip() for v in variants.split(",")]
    specs = {"historical defaults": base} | {
        name: _city_spec(scenario, set_, name) for name in names
    }
    results = {}
    for name, spec in specs.items():
        out.print(f"[bold]{name}[/bold]")
        results[name] = _seeds_with_progress(spec, seeds, workers, scheduler, run_seeds)
    table, rows = feb.counterfactual_view(results)
    out.print(table)
    if out_dir is not None:
        out.print(f"wrote {feb.write_rows(out_dir / 'counterfactuals.csv', rows)}")


@app.command()
def across(
    episodes: Annotated[
        list[str] | None,
        typer.Argument(help="Episodes, each optionally EPISODE:VARIANT (default: every episode)."),
    ] = None,
    seeds: Annotated[int, typer.Option(min=1, max=100_000, help="Seeds per episode.")] = 20,
    set_: SetOption = None,
    workers: WorkersOption = None,
    scheduler: SchedulerOption = None,
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="Write across.csv and across.md.")
    ] = None,
) -> None:
    """One table across episodes: did the authority fall, how, when, who took part, who died."""
    from narod import cli_city as feb
    from narod.experiments.city import run_seeds
    from narod.results.across import read_record_outcome, row
    from narod.scenario.episode import builtin_episodes, episode_folder

    rows = []
    for name in episodes or list(builtin_episodes()):
        scenario, _, variant = name.partition(":")
        spec = _city_spec(scenario, set_, variant or None)
        # A counterfactual has no record to stand beside; a broken one is told before any run.
        record = {} if variant else read_record_outcome(episode_folder(spec.scenario.episode))
        summaries = _seeds_with_progress(spec, seeds, workers, scheduler, run_seeds)
        rows.append(row(name, [s.outcome for s in summaries], record))
    out.print(feb.across_view(rows))
    if out_dir is not None:
        out.print(f"wrote {feb.write_rows(out_dir / 'across.csv', rows)}")
        from narod.results.made import made

        path, text = out_dir / "across.md", feb.across_markdown(rows, made(seeds=str(seeds)))
        write_atomic(path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
        out.print(f"wrote {path}")


@app.command()
def claims(
    episodes: Annotated[
        list[str] | None,
        typer.Argument(help="Episodes to test the claims on (default: every episode)."),
    ] = None,
    seeds: Annotated[
        int, typer.Option(min=1, max=100_000, help="Paired seeds at the fitted behaviour.")
    ] = 20,
    set_: SetOption = None,
    scale: Annotated[
        list[str] | None,
        typer.Option(help="EPISODE=SCALE: that episode's city.scale (repeatable)."),
    ] = None,
    claim: Annotated[
        list[str] | None, typer.Option(help="Only this claim (repeatable; default: all).")
    ] = None,
    sample: Annotated[
        int, typer.Option(min=0, max=100_000, help="Latin-hypercube points of behaviour (0: none).")
    ] = 16,
    sample_seeds: Annotated[
        int, typer.Option(min=1, max=1000, help="Paired seeds per sampled point.")
    ] = 2,
    sobol: Annotated[
        int, typer.Option(min=0, max=100_000, help="Sobol' base sample, a power of 2 (0: none).")
    ] = 0,
    sobol_episode: Annotated[
        list[str] | None,
        typer.Option(help="Episodes for the Sobol' analysis (default: the first)."),
    ] = None,
    seed: MasterSeedOption = 0,
    out_dir: Annotated[Path, typer.Option("--out", help="Where to write.")] = Path("claims"),
    store: Annotated[
        Path | None, typer.Option("--store", help="The results store (default: OUT/store).")
    ] = None,
    workers: WorkersOption = None,
    scheduler: SchedulerOption = None,
) -> None:
    """Test the account's claims: each claim's variants against the baseline on the same seeds,
    at the fitted behaviour and over a sample of it; writes claims.csv and claims.md."""
    from narod.experiments.claims_report import claims as run

    overrides = dict(parse_assignment(a) for a in set_ or [])
    scales = {}
    for item in scale or []:
        name, sep, value = item.partition("=")
        try:
            scales[name] = float(value)
        except ValueError:
            sep = ""
        if not sep or not 0 < scales.get(name, 0) <= 1:
            raise NarodError(f"--scale {item}: expected EPISODE=SCALE with 0 < SCALE <= 1")
    columns = (TextColumn("{task.description}"), BarColumn(),
               TextColumn("{task.completed}/{task.total} runs"), TimeRemainingColumn())  # fmt: skip
    with Progress(*columns, console=err, transient=True) as bar:
        tasks: dict[str, object] = {}

        def progress(name: str, done: int, total: int) -> None:
            if name not in tasks:
                tasks[name] = bar.add_task(name, total=total)
            bar.update(tasks[name], completed=done, total=total, visible=done < total)

        written = run(episodes, seeds, out_dir, store=store, overrides=overrides, scales=scales,
                      only=claim, sample_points=sample, sample_seeds=sample_seeds, sobol=sobol,
                      sobol_episodes=sobol_episode, master_seed=seed, workers=workers,
                      scheduler=scheduler, progress=progress,
                      command=" ".join(["narod", *sys.argv[1:]]))  # fmt: skip
    _claims_summary(written["claims.csv"])
    for path in written.values():
        out.print(f"wrote {path}")


def _claims_summary(path: Path) -> None:
    import csv

    table = Table("claim", "episode", "variant", "P(collapse) effect [90%]", "account",
                  "finding", box=None)  # fmt: skip
    with path.open(newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["outcome"] != "collapsed" or not r["seeds"] or r["seeds"] == "0":
                continue
            cells = (float(r[k]) * 100 for k in ("effect", "low", "high"))
            effect = "{:+.0f} [{:+.0f}, {:+.0f}]".format(*cells)
            expect = {"-1": "lower", "0": "no change", "1": "higher"}.get(r["expect"], "")
            table.add_row(r["claim"], r["episode"], r["variant"], effect, expect, r["agreement"])
    out.print(table)


@app.command()
def report(
    run_dir: Annotated[Path, typer.Argument(help="A folder written by narod run --out.")],
) -> None:
    """Write one self-contained HTML report of a city run folder or an experiment."""
    from narod.viz.report import write_report

    if not run_dir.is_dir():
        raise NarodError(f"{run_dir}: no such run folder")
    if (run_dir / "manifest.json").is_file():
        from narod.viz.experiment_report import write_experiment_report

        out.print(f"wrote {write_experiment_report(run_dir)}")
        return
    out.print(f"wrote {write_report(run_dir)}")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port.")] = 8000,
    max_agents: Annotated[
        int, typer.Option(min=1, max=10**9, help="Largest run allowed.")
    ] = 3_000_000,
    max_runs: Annotated[int, typer.Option(min=1, max=64, help="Runs at once.")] = 2,
) -> None:
    """Start the explorer: a web page that runs the city model and streams it."""
    import uvicorn

    from narod.web.app import create_app
    from narod.web.runs import Limits

    app_ = create_app(Limits(max_agents=max_agents, max_runs=max_runs))
    out.print(f"narod explorer on http://{host}:{port}/ (Ctrl-C stops it)")
    uvicorn.run(app_, host=host, port=port, log_level="warning")


@app.command()
def plot(
    path: Annotated[Path, typer.Argument(help="A run folder (narod run --out) or an experiment.")],
    metric: Annotated[str | None, typer.Option(help="Metric of a sweep's heat map.")] = None,
    series: Annotated[
        list[str] | None, typer.Option("--series", help="Series of an ensemble fan (repeatable).")
    ] = None,
) -> None:
    """Plot a run (series with historical bands) or an experiment (fan or heat map)."""
    from narod.experiments.store import read_manifest

    if (path / "daily.csv").is_file():
        from narod.viz.city_plots import plot_city

        written = plot_city(path)
    elif (path / "manifest.json").is_file():
        from narod.viz import experiments as ex

        manifest = read_manifest(path)
        if len(manifest.get("params", [])) == 2:
            if metric is None:
                raise NarodError("--metric: name the metric to map (see narod query)")
            written = [ex.heat_map(path, metric, path / f"heatmap-{metric}.png")]
        else:
            written = [ex.fan(path, series or ["active"], path / "fan.png")]
    elif (path / "timeseries.parquet").is_file():
        from narod.results.files import read_parquet
        from narod.scenario.loading import load_scenario
        from narod.viz.plots import plot_series

        spec = load_scenario(path / "params.toml")
        result = Result(spec, 0, read_parquet(path / "timeseries.parquet"), 0.0, 0, 0)
        written = [plot_series(result, path / "series.png")]
    else:
        raise NarodError(f"{path}: neither a run folder nor an experiment")
    out.print("wrote " + ", ".join(str(p) for p in written))


@app.command()
def animate(
    run_dir: Annotated[Path, typer.Argument(help="A folder written by narod run --out.")],
    format_: Annotated[str, typer.Option("--format", help="gif or mp4.")] = "gif",
    fps: Annotated[int, typer.Option(min=1, max=60, help="Frames per second.")] = 12,
    every: Annotated[int, typer.Option(min=1, max=10**8, help="Draw every Nth tick.")] = 1,
) -> None:
    """Write the city map of a city run as an animation, one frame per tick."""
    from narod.viz.citymap import animate as write_animation

    out.print(f"wrote {write_animation(run_dir, fmt=format_, fps=fps, every=every)}")


def _city_spec(scenario: str, set_: list[str] | None, variant: str | None) -> Spec:
    spec = _spec(scenario, set_, variant)
    if spec.scenario.model != "city":
        raise NarodError(f"{scenario}: not an episode of the city model (scenario.model is "
                         f"{spec.scenario.model!r})")  # fmt: skip
    return spec


def _seeds_with_progress(spec, seeds, workers, scheduler, run_seeds):
    done = TextColumn("{task.completed}/{task.total} seeds")
    columns = (TextColumn("{task.description}"), BarColumn(), done, TimeRemainingColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task(spec.scenario.name, total=seeds)
        return run_seeds(spec, list(range(seeds)), workers, scheduler,
                         progress=lambda done, _: bar.update(task, completed=done))  # fmt: skip


@app.command()
def demo(
    out_dir: Annotated[Path, typer.Option("--out", help="Where to write.")] = Path("out"),
) -> None:
    """The main job: the demo episode at one agent per person, against its record."""
    import time

    from narod.scenario.episode import demo_episode

    spec = _spec(demo_episode(), None)
    out.print(f"[bold]{spec.scenario.description}[/bold]")
    start = time.perf_counter()
    err.print("building the city and compiling the kernels (compiled once, then cached) ...")
    per_day = spec.calendar.ticks_per_day
    days = spec.calendar.days

    told = [0]  # days told so far

    def progress(done: int, total: int) -> None:
        day = math.ceil(done / per_day) if done == total else done // per_day
        if day > told[0]:
            told[0] = day
            err.print(f"  day {day} of {days} simulated ({time.perf_counter() - start:.1f} s)")

    result = simulate(spec, 0, progress=progress)
    err.print(f"writing tables, plots, the map animation and the report to {out_dir}/ ...")
    _show_city(result, out_dir)
    err.print(f"demo done in {time.perf_counter() - start:.0f} s")


ParamOption = Annotated[
    list[str] | None,
    typer.Option("--param", help="A swept parameter: KEY=LOW:HIGH[:N] (repeatable)."),
]
StoreOption = Annotated[Path, typer.Option("--store", help="The results store (a folder).")]
NameOption = Annotated[str | None, typer.Option(help="Experiment name (default: derived).")]
WorkersOption = Annotated[
    int | None, typer.Option(min=0, max=1024, help="Local Dask workers (0: run in this process).")
]
SchedulerOption = Annotated[
    str | None,
    typer.Option(envvar="NAROD_SCHEDULER", help="Address of an existing Dask scheduler."),
]
TicksOption = Annotated[
    int | None, typer.Option(min=0, max=100_000_000, help="Overrides scenario.ticks.")
]
MasterSeedOption = Annotated[int, typer.Option(min=0, max=2**63 - 1, help="Master seed.")]
ReplicatesOption = Annotated[
    int, typer.Option(min=1, max=100_000, help="Runs per point (averaged).")
]
BatchOption = Annotated[int, typer.Option(min=1, max=100_000, help="Runs per Dask task.")]
ResumeOption = Annotated[bool, typer.Option(help="Continue a killed experiment.")]


def _swept(scenario: str, param: list[str] | None, set_: list[str] | None, ticks: int | None):
    """The scenario and its swept parameters; an unknown or ill-typed key fails before any run."""
    from narod.experiments.design import Param

    if not param:
        raise NarodError("--param: give at least one KEY=LOW:HIGH[:N]")
    params = [Param.parse(p) for p in param]
    assignments = [*(set_ or []), *([f"scenario.ticks={ticks}"] if ticks is not None else [])]
    for p in params:
        _spec(scenario, [*assignments, f"{p.key}={p.low}"])
    return _spec(scenario, assignments), params


class _RateColumn(ProgressColumn):
    """Runs per second."""

    def render(self, task) -> Text:
        return Text(f"{task.speed:.1f} runs/s" if task.speed else "")


def _experiment(spec: Spec, points: list[dict], store: Path, **kwargs) -> Path:
    from narod.experiments.runner import run_experiment
    from narod.experiments.store import open_store, status

    open_store(store)  # a bad store path fails before the progress bar starts
    done = TextColumn("{task.completed}/{task.total} runs, {task.fields[failed]} failed")
    rate = _RateColumn()
    columns = (TextColumn("{task.description}"), BarColumn(), done, rate, TimeRemainingColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task(spec.scenario.name, total=None, failed=0)

        def progress(done: int, failed: int, total: int) -> None:
            bar.update(task, completed=done, total=total, failed=failed)

        folder = run_experiment(spec, points, store, progress=progress, **kwargs)
    row = next(r for r in status(store) if r["experiment"] == folder.name)
    out.print(f"{folder}: {row['ok']} runs done, {row['failed']} failed, {row['status']}")
    return folder


@app.command()
def ensemble(
    scenario: Annotated[str, typer.Argument(help="A built-in name or a .toml file.")],
    runs: Annotated[int, typer.Option(min=1, max=10_000_000, help="Number of runs.")] = 100,
    seed: Annotated[
        int,
        typer.Option(min=0, max=2**63 - 1, help="Master seed; run i gets a seed derived from it."),
    ] = 0,
    ticks: TicksOption = None,
    set_: SetOption = None,
    store: StoreOption = Path("results"),
    name: NameOption = None,
    workers: WorkersOption = None,
    scheduler: SchedulerOption = None,
    batch: BatchOption = 10,
    resume: ResumeOption = False,
    series: Annotated[bool, typer.Option(help="Also store every run's time series.")] = True,
) -> None:
    """Run a scenario many times with seeds derived from one master seed."""
    assignments = [*(set_ or []), *([f"scenario.ticks={ticks}"] if ticks is not None else [])]
    spec = _spec(scenario, assignments)
    _experiment(spec, [{}], store, name=name, design="ensemble", replicates=runs,
                master_seed=seed, batch_size=batch, workers=workers, scheduler=scheduler,
                resume=resume, keep_series=series)  # fmt: skip


@app.command()
def sweep(
    scenario: Annotated[str, typer.Argument(help="A built-in name or a .toml file.")],
    param: ParamOption = None,
    design: Annotated[str, typer.Option(help="grid, lhs, sobol or morris.")] = "grid",
    samples: Annotated[
        int, typer.Option(min=1, max=1_000_000, help="Points (lhs) or base size (sobol).")
    ] = 16,
    replicates: ReplicatesOption = 1,
    seed: MasterSeedOption = 0,
    ticks: TicksOption = None,
    set_: SetOption = None,
    store: StoreOption = Path("results"),
    name: NameOption = None,
    workers: WorkersOption = None,
    scheduler: SchedulerOption = None,
    batch: BatchOption = 10,
    resume: ResumeOption = False,
    series: Annotated[bool, typer.Option(help="Also store every run's time series.")] = False,
) -> None:
    """Run a scenario over a design of parameter values."""
    from narod.experiments.design import points

    if design not in ("grid", "lhs", "sobol", "morris"):
        raise NarodError(f"--design {design}: expected grid, lhs, sobol or morris")
    spec, params = _swept(scenario, param, set_, ticks)
    _experiment(spec, points(params, design, samples, seed), store, name=name, design=design,
                params=[vars(p) for p in params], replicates=replicates, master_seed=seed,
                batch_size=batch, workers=workers, scheduler=scheduler, resume=resume,
                keep_series=series)  # fmt: skip


@app.command()
def sensitivity(
    scenario: Annotated[str, typer.Argument(help="A built-in name or a .toml file.")],
    param: ParamOption = None,
    output: Annotated[str, typer.Option(help="The metric to explain, e.g. outbursts.")] = "",
    method: Annotated[str, typer.Option(help="sobol or morris.")] = "sobol",
    samples: Annotated[int, typer.Option(min=2, max=1_000_000, help="Base sample size.")] = 64,
    replicates: ReplicatesOption = 1,
    seed: MasterSeedOption = 0,
    ticks: TicksOption = None,
    set_: SetOption = None,
    store: StoreOption = Path("results"),
    name: NameOption = None,
    workers: WorkersOption = None,
    scheduler: SchedulerOption = None,
    batch: BatchOption = 10,
    resume: ResumeOption = False,
) -> None:
    """Sobol' or Morris sensitivity of a metric to the swept parameters (SALib)."""
    import numpy as np

    from narod.experiments.design import points
    from narod.experiments.metrics import metrics_for
    from narod.experiments.sensitivity import analyze, plot
    from narod.experiments.store import connect

    if method not in ("sobol", "morris"):
        raise NarodError(f"--method {method}: expected sobol or morris")
    spec, params = _swept(scenario, param, set_, ticks)
    known = metrics_for(spec)
    if output not in known:
        raise NarodError(f"--output {output!r}: expected one of {', '.join(known)}")
    pts = points(params, method, samples, seed)
    folder = _experiment(spec, pts, store, name=name, design=method,
                         params=[vars(p) for p in params], replicates=replicates,
                         master_seed=seed, batch_size=batch, workers=workers,
                         scheduler=scheduler, resume=resume, keep_series=False)  # fmt: skip
    query = f"SELECT run, status, \"{output}\" FROM runs WHERE experiment = '{folder.name}'"
    rows = connect(store).sql(query + " ORDER BY run").fetchall()
    if any(r[1] != "ok" for r in rows):
        raise NarodError(f"{folder}: some runs failed; see `narod query` for their errors")
    y = np.array([r[2] for r in rows], dtype=float).reshape(len(pts), replicates).mean(axis=1)
    x = np.array([[pt[p.key] for p in params] for pt in pts])
    indices = analyze(params, x, y, method, seed)
    table = Table(*indices[0].keys(), box=None)
    for r in indices:
        table.add_row(*(f"{v:.3f}" if isinstance(v, float) else v for v in r.values()))
    out.print(table)
    path = plot(indices, folder / f"sensitivity-{output}.png", f"{spec.scenario.name}: {output}")
    out.print(f"wrote {path}")


@app.command()
def calibrate(
    scenario: Annotated[str, typer.Argument(help="A built-in name or a .toml file.")],
    targets: Annotated[Path, typer.Option(help="CSV with columns metric,value.")],
    param: ParamOption = None,
    out_dir: Annotated[Path, typer.Option("--out", help="Where to write.")] = Path("calibration"),
    population: Annotated[
        int, typer.Option(min=2, max=100_000, help="Particles per generation.")
    ] = 100,
    generations: Annotated[int, typer.Option(min=1, max=1000, help="ABC-SMC generations.")] = 5,
    replicates: Annotated[
        int, typer.Option(min=1, max=100_000, help="Runs averaged per particle.")
    ] = 1,
    seed: MasterSeedOption = 0,
    ticks: TicksOption = None,
    set_: SetOption = None,
    workers: WorkersOption = None,
    scheduler: SchedulerOption = None,
) -> None:
    """Fit parameters to targets by ABC-SMC (pyABC); write the posterior and a plot."""
    from narod.experiments.calibration import calibrate as run_calibration
    from narod.experiments.calibration import read_targets
    from narod.experiments.runner import dask_client

    spec, params = _swept(scenario, param, set_, ticks)
    wanted = read_targets(targets, spec)
    kwargs = dict(population=population, generations=generations, replicates=replicates,
                  seed=seed)  # fmt: skip
    if workers == 0 and scheduler is None:
        summary = run_calibration(spec, params, wanted, out_dir, **kwargs)
    else:
        with dask_client(workers, scheduler) as client:
            summary = run_calibration(spec, params, wanted, out_dir, client=client, **kwargs)
    table = Table("parameter", "mean", "sd", "5 %", "95 %", box=None)
    for key, s in summary.items():
        table.add_row(key, *(f"{s[k]:.4g}" for k in ("mean", "sd", "q05", "q95")))
    out.print(table)
    out.print(f"wrote {out_dir / 'posterior.csv'}, {out_dir / 'posterior.png'}")


@app.command()
def experiments(store: Annotated[Path, typer.Argument(help="The results store.")]) -> None:
    """List the experiments of a store, with their status."""
    from narod.experiments.store import status

    table = Table("experiment", "scenario", "design", "runs", "ok", "failed", "status", box=None)
    for r in status(store):
        table.add_row(r["experiment"], r["scenario"], r["design"], str(r["runs"]), str(r["ok"]),
                      str(r["failed"]), r["status"])  # fmt: skip
    out.print(table)


@app.command()
def query(
    store: Annotated[Path, typer.Argument(help="The results store.")],
    sql: Annotated[str, typer.Argument(help="SQL over the views runs, series, experiments.")],
    csv: Annotated[bool, typer.Option(help="Print CSV instead of a table.")] = False,
) -> None:
    """Query a store with DuckDB SQL."""
    import duckdb

    from narod.experiments.store import connect

    try:
        relation = connect(store).sql(sql)
    except duckdb.Error as exc:
        raise NarodError(f"query: {str(exc).splitlines()[0]}") from None
    if relation is None:
        return
    names, rows = relation.columns, relation.fetchall()
    if csv:
        import csv as csv_module

        writer = csv_module.writer(sys.stdout)
        writer.writerow(names)
        writer.writerows(rows)
        return
    table = Table(*names, box=None)
    for row in rows:
        table.add_row(*(f"{v:.6g}" if isinstance(v, float) else str(v) for v in row))
    out.print(table)


def one_line(text: str) -> str:
    """A message on one line: line breaks (a key typed with one, a library's message) shown."""
    return " ".join(part.strip() for part in text.strip().splitlines())


def main() -> None:
    """Entry point: user errors become one line on stderr and exit code 2."""
    try:
        code = app(standalone_mode=False)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        print("interrupted: finished work is kept", file=sys.stderr)
        sys.exit(130)
    except _CLICK_ERROR as exc:
        if type(exc).__name__ == "NoArgsIsHelpError" and getattr(exc, "ctx", None):
            print(exc.ctx.get_help(), file=sys.stderr)
        else:
            print(f"error: {one_line(exc.format_message())}", file=sys.stderr)
        sys.exit(2)
    except (NarodError, OSError) as exc:
        print(f"error: {one_line(str(exc))}", file=sys.stderr)
        sys.exit(2)
    except MemoryError:
        print("error: not enough memory for this run (try a smaller grid or fewer ticks)",
              file=sys.stderr)  # fmt: skip
        sys.exit(2)
    except KeyboardInterrupt:
        print("interrupted: finished work is kept", file=sys.stderr)
        sys.exit(130)
    if code == 130:  # Typer turns Ctrl-C into exit code 130
        print("interrupted: finished work is kept", file=sys.stderr)
    sys.exit(code if isinstance(code, int) else 0)
