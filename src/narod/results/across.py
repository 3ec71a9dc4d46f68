"""One table across episodes: did the authority fall, how, when, how many took part, how many
died, in the model (median and 90% interval over seeds) beside the record.

The record's side is each episode's ``outcome.toml``: the record's outcome in the keys of
``outcome.json`` (``authority_fell``, ``how``, ``fell_day``, ``fell_hour``,
``peak_participants``, ``killed_total`` and the killed by side), each a value or a
``[low, high]`` range with its source in a comment. A key the record does not give is left out,
and its cell reads "-".
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np

from narod.errors import ScenarioError
from narod.scenario.episode import read_toml

RANGES = ("fell_day", "fell_hour", "peak_participants", "killed_total", "killed_civilians",
          "killed_police", "killed_soldiers", "killed_insurgents")  # fmt: skip


def read_record_outcome(folder: Path) -> dict[str, object]:
    """An episode's ``outcome.toml``, checked; ``{}`` if it has none."""
    path = folder / "outcome.toml"
    if not path.is_file():
        return {}
    record = read_toml(path)
    for key, value in record.items():
        if key == "authority_fell" and isinstance(value, bool):
            continue
        if key == "how" and value in ("melted_away", "removed_by_command", "surrendered"):
            continue
        if key in RANGES and _range(value) is not None:
            continue
        raise ScenarioError(str(path), key, "expected authority_fell (true/false), how "
                            "(melted_away, removed_by_command, surrendered) or a number or "
                            f"[low, high] for one of: {', '.join(RANGES)}")  # fmt: skip
    return record


def _range(value: object) -> tuple[float, float] | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value), float(value)
    if (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
    ):
        low, high = float(value[0]), float(value[1])
        return (low, high) if low <= high else None
    return None


def _interval(values: list[float]) -> tuple[float, float, float] | None:
    if not values:
        return None
    a = np.asarray(values, float)
    return float(np.median(a)), float(np.percentile(a, 5)), float(np.percentile(a, 95))


def model_side(outcomes: list[dict]) -> dict[str, object]:
    """What the runs say: the share that fell, the commonest way, and intervals."""
    fell = [o for o in outcomes if o["authority_fell"]]
    hows = Counter(o["how"] for o in fell)
    out: dict[str, object] = {
        "seeds": len(outcomes),
        "p_fell": len(fell) / max(len(outcomes), 1),
        "how": hows.most_common(1)[0][0] if hows else None,
        "fell_day": _interval([o["fell_day"] for o in fell]),
        "fell_hour": _interval([o["fell_hour"] for o in fell]),
        "peak_participants": _interval([o["peak_participants"] for o in outcomes]),
        "killed_total": _interval([o["killed"]["total"] for o in outcomes]),
    }
    for side in ("civilians", "police", "soldiers", "insurgents"):
        out[f"killed_{side}"] = _interval([o["killed"][side] for o in outcomes])
    return out


def row(name: str, outcomes: list[dict], record: dict[str, object]) -> dict[str, object]:
    """One episode (or variant): the model's figures and the record's, side by side."""
    model = model_side(outcomes)
    out: dict[str, object] = {"episode": name, "seeds": model["seeds"]}
    out["model_p_fell"] = model["p_fell"]
    out["record_fell"] = record.get("authority_fell")
    out["model_how"] = model["how"]
    out["record_how"] = record.get("how")
    for key in RANGES:
        interval = model.get(key)
        out[f"model_{key}"], out[f"model_{key}_low"], out[f"model_{key}_high"] = (
            interval if interval else (None, None, None)
        )
        span = _range(record[key]) if key in record else None
        out[f"record_{key}_low"], out[f"record_{key}_high"] = span if span else (None, None)
    return out
