"""Shared helpers for the tests (imported as ``helpers``: pytest puts tests/ on the path)."""

from __future__ import annotations

import numpy as np

import narod


def run(name: str, seed: int = 0, ticks: int | None = None, **overrides) -> narod.Result:
    """Load a built-in scenario with ``section.key`` overrides and run it."""
    return narod.simulate(narod.load_scenario(name, **overrides), seed=seed, ticks=ticks)


def first_extinction(result: narod.Result) -> int | None:
    """The first tick at which one of Model II's groups has no member left."""
    a, b = result.column("group_a"), result.column("group_b")
    gone = np.flatnonzero((a == 0) | (b == 0))
    return int(gone[0]) if gone.size else None


def call_cli(args, capsys):
    """Run the command line in this process; returns (exit code, stdout, stderr)."""
    import sys

    from narod import cli

    old = sys.argv
    sys.argv = ["narod", *args]
    try:
        cli.main()
        code = 0
    except SystemExit as exc:
        code = exc.code
    finally:
        sys.argv = old
    captured = capsys.readouterr()
    return code, captured.out, captured.err
