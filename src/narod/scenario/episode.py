"""Episodes: a city and its days as a folder of data, run with the one shared behaviour file.

An episode folder holds ``episode.toml`` (the calendar, the population, the record's inputs,
the variants) beside its CSV files (places, edges, forces, the record) and the files that say
how to read the record (observables, milestones, narration). The behaviour of the city model
lives in ``narod/behaviour/street.toml``. Each file may set only the keys of its own scope: an
episode that sets a behavioural key is refused, and a variant that changes behaviour must say
so with ``changes_behaviour = true``.
"""

from __future__ import annotations

import string
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from narod.errors import ScenarioError
from narod.scenario import city_schema as cs

EPISODE_FILE = "episode.toml"
BEHAVIOUR_FILE = "street.toml"
VARIANT_WORDS = ("about", "changes_behaviour")  # what a variant says of itself
NARRATION_FIELDS = (
    "n",
    "crowd",
    "wounded",
    "unit",
    "party",
    "place",
    "who",
    "industry",
)  # a template's words


def episodes_root() -> Path:
    """The folder of the episodes shipped with the package."""
    return Path(str(resources.files("narod").joinpath("episodes")))


def behaviour_path() -> Path:
    return Path(str(resources.files("narod").joinpath("behaviour", BEHAVIOUR_FILE)))


def read_toml(path: Path) -> dict[str, Any]:
    """A TOML file as a dictionary; a missing or broken file is a :class:`ScenarioError`."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError(str(path), None, "no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(str(path), None, f"cannot read the file ({exc})") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(str(path), None, f"not valid TOML ({exc})") from None


def builtin_episodes() -> dict[str, Path]:
    """Name -> folder of every shipped episode."""
    root = episodes_root()
    return {p.name: p for p in sorted(root.iterdir()) if (p / EPISODE_FILE).is_file()}


def demo_episode() -> str:
    """The shipped episode ``make demo`` runs: the one whose ``[episode]`` says ``demo = true``."""
    chosen = [n for n, f in builtin_episodes().items() if episode_info(f).get("demo") is True]
    if len(chosen) != 1:
        found = ", ".join(chosen) or "none"
        raise ScenarioError("episodes", "episode.demo", f"expected one demo episode ({found})")
    return chosen[0]


def aliases() -> dict[str, str]:
    """Other names users know an episode by (its ``aliases``) -> the episode's name."""
    out: dict[str, str] = {}
    for name, folder in builtin_episodes().items():
        info = read_toml(folder / EPISODE_FILE).get("episode", {})
        for alias in info.get("aliases", []) if isinstance(info, dict) else []:
            out[str(alias)] = name
    return out


def find_episode(text: str) -> Path | None:
    """The folder of an episode given by name, alias or path; None if it is not one."""
    shipped = builtin_episodes()
    if text in shipped:
        return shipped[text]
    known = aliases()
    if text in known:
        return shipped[known[text]]
    path = Path(text)
    if path.is_dir() and (path / EPISODE_FILE).is_file():
        return path.resolve()
    return None


def episode_folder(reference: str) -> Path:
    """The folder a spec's ``scenario.episode`` names."""
    folder = find_episode(reference)
    if folder is None:
        raise ScenarioError(
            reference,
            None,
            "no such episode (a name from `narod episodes`, or a folder holding episode.toml)",
        )
    return folder


def _check_scope(raw: dict[str, Any], source: str, want_episode: bool) -> None:
    for section, body in raw.items():
        if section in ("scenario", "episode", "variants"):
            continue
        if section not in cs.SECTIONS:
            raise ScenarioError(
                source, section, "unknown section; expected one of: " + ", ".join(cs.SECTIONS)
            )
        keys = [None] if section in cs.EPISODE_SECTIONS or not isinstance(body, dict) else body
        for key in keys:
            if cs.is_episode_key(section, key) != want_episode:
                where = f"{section}.{key}" if key else section
                if want_episode:
                    raise ScenarioError(
                        source,
                        where,
                        "a behavioural key: it is set only in "
                        "the shared behaviour file (a variant may change it, "
                        "with changes_behaviour = true)",
                    )
                raise ScenarioError(
                    source,
                    where,
                    "an episode key: it is set in each "
                    "episode's episode.toml, not in the behaviour file",
                )


def check_variant(overlay: dict[str, Any], source: str, name: str) -> dict[str, Any]:
    """A variant's overrides, without what it says of itself; refuses unannounced behaviour."""
    changes = overlay.get("changes_behaviour", False)
    keys = {k: v for k, v in overlay.items() if k not in VARIANT_WORDS}
    behavioural = [
        k
        for k in keys
        if k.split(".")[0] in cs.SECTIONS
        and not cs.is_episode_key(k.split(".")[0], (k.split(".") + [None])[1])
    ]
    if behavioural and changes is not True:
        raise ScenarioError(
            source,
            f"variants.{name}",
            "sets the behavioural key(s) "
            f"{', '.join(behavioural)}: say so with changes_behaviour = true",
        )
    return keys


def read_episode(folder: Path) -> tuple[dict[str, Any], str]:
    """The raw scenario of an episode: the behaviour file and the episode's own data, merged."""
    source = str(folder / EPISODE_FILE)
    data = read_toml(folder / EPISODE_FILE)
    _check_scope(data, source, want_episode=True)
    behaviour = read_toml(behaviour_path())
    _check_scope(behaviour, str(behaviour_path()), want_episode=False)
    info = data.get("episode", {})
    if not isinstance(info, dict) or "name" not in info:
        raise ScenarioError(source, "episode.name", "expected an [episode] table with a name")
    raw: dict[str, Any] = {
        "scenario": {
            "name": str(info.get("aliases", [info["name"]])[0]),
            "model": "city",
            "description": str(info.get("title", "")),
            "episode": folder.name if folder.parent == episodes_root() else str(folder),
        }
    }
    for section, body in behaviour.items():
        raw[section] = dict(body) if isinstance(body, dict) else body
    for section, body in data.items():
        if section in ("episode",):
            continue
        if isinstance(body, dict) and isinstance(raw.get(section), dict):
            raw[section] = {**raw[section], **body}
        else:
            raw[section] = body
    calendar = raw.get("calendar", {})
    if isinstance(calendar, dict):
        try:
            per_day = 24 * 60 // int(calendar["tick_minutes"])
            raw["scenario"]["ticks"] = int(calendar["days"]) * per_day
        except (KeyError, TypeError, ValueError, ZeroDivisionError):
            pass  # validation names the missing or wrong calendar key
    return raw, source


def episode_info(folder: Path) -> dict[str, Any]:
    """The ``[episode]`` table of an episode folder."""
    info = read_toml(folder / EPISODE_FILE).get("episode", {})
    return info if isinstance(info, dict) else {}


def read_narration(folder: Path) -> dict[str, str]:
    """The chronicle's templates of an episode: strings using only the known fields."""
    path = folder / "narration.toml"
    templates = read_toml(path)
    for event, text in templates.items():
        if not isinstance(text, str):
            raise ScenarioError(str(path), event, "expected a string template")
        try:
            names = {name for _, name, _, _ in string.Formatter().parse(text) if name}
        except ValueError as exc:
            raise ScenarioError(str(path), event, f"not a valid template ({exc})") from None
        unknown = names - set(NARRATION_FIELDS)
        if unknown:
            raise ScenarioError(
                str(path),
                event,
                f"unknown field(s) {', '.join(sorted(unknown))};"
                f" expected some of: {', '.join(NARRATION_FIELDS)}",
            )
    return templates


def key_sources(path: Path) -> dict[str, str]:
    """The comment beside each ``key = value`` of a TOML file (its source, or "assumption"),
    by dotted key; tables of an array are numbered (``parties.parties[0].lag``)."""
    out: dict[str, str] = {}
    section, counts = "", {}
    for line in path.read_text(encoding="utf-8").splitlines():
        text = line.strip()
        if text.startswith("[["):
            name = text.strip("[] ")
            counts[name] = counts.get(name, -1) + 1
            section = f"{name}[{counts[name]}]"
        elif text.startswith("["):
            section = text.strip("[] ")
        elif "=" in text and not text.startswith("#"):
            key, _, rest = text.partition("=")
            key = key.strip().strip('"')
            comment = rest.split("  # ", 1)[1].strip() if "  # " in rest else ""
            out[f"{section}.{key}" if section else key] = comment
    return out


def flatten(table: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """A nested TOML table as dotted keys (tables of an array numbered)."""
    out: dict[str, Any] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out |= flatten(value, f"{name}.")
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            for i, item in enumerate(value):
                out |= flatten(item, f"{name}[{i}].")
        else:
            out[name] = value
    return out
