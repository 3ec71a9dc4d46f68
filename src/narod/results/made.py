"""How a generated results page was made: the command, the date, narod's version and commit.

Every page narod writes from runs opens with this table, so a reader can tell which code and
which call produced its numbers, and make them again.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import narod


def commit() -> str:
    """The git commit of the code that runs (``+changes`` when the package's files differ from
    it; pages written into the docs do not count), or ``-`` outside a git checkout."""
    here = Path(__file__).resolve().parent
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=here,
            text=True,
            capture_output=True,
            timeout=10,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no", "--", str(here.parent)],
            cwd=here,
            text=True,
            capture_output=True,
            timeout=10,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return "-"
    return head + ("+changes" if dirty.strip() else "")  # fmt: skip


def made(command: str | None = None, **facts: str) -> dict[str, str]:
    """The facts of a page: the command (default: this process's), date, version, commit."""
    command = command or " ".join(["narod", *sys.argv[1:]])
    return {
        "command": f"`{command}`",
        "date": date.today().isoformat(),
        "narod": f"{narod.__version__} ({commit()})",
        **facts,
    }


def header(facts: dict[str, str]) -> list[str]:
    """The facts as a Markdown table."""
    return ["| made | |", "|---|---|", *[f"| {k} | {v} |" for k, v in facts.items()], ""]
