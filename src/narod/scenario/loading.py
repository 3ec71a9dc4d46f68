"""Find, read, override and validate scenarios.

Every failure becomes a :class:`~narod.errors.ScenarioError` naming the file (or built-in name),
the key and what was expected.
"""

from __future__ import annotations

import copy
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import ValidationError

from narod.errors import ScenarioError
from narod.scenario import city_schema
from narod.scenario import episode as episodes
from narod.scenario.schema import PRESETS, ScheduleEntry, Spec

BUILTIN_PACKAGE = "narod.scenario.builtin"


def builtin_names() -> list[str]:
    """Names of the scenarios shipped with the package: the classic models' files and the
    episodes (by name and by alias)."""
    files = resources.files(BUILTIN_PACKAGE).iterdir()
    tomls = [f.name.removesuffix(".toml") for f in files if f.name.endswith(".toml")]
    return sorted([*tomls, *episodes.builtin_episodes(), *episodes.aliases()])


def builtin_summary(name: str) -> str:
    """The one-line description of a built-in scenario."""
    folder = episodes.find_episode(name)
    if folder is not None:
        return str(episodes.episode_info(folder).get("title", ""))
    raw = _read_toml(resources.files(BUILTIN_PACKAGE).joinpath(f"{name}.toml").read_text(), name)
    return str(raw.get("scenario", {}).get("description", ""))


def _read_toml(text: str, source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(source, None, f"not valid TOML ({exc})") from None


def split_variant(name_or_path: str | Path) -> tuple[str, str | None]:
    """``EPISODE:VARIANT`` -> (``EPISODE``, ``VARIANT``); a name without a variant, or a path."""
    text = str(name_or_path)
    base, sep, variant = text.rpartition(":")
    if sep and base and not Path(text).exists() and "/" not in variant and "\\" not in variant:
        return base, variant
    return text, None


def apply_variant(raw: dict[str, Any], variant: str, source: str) -> dict[str, Any]:
    """A scenario with one of its named counterfactual overlays applied."""
    variants = raw.get("variants", {})
    if not isinstance(variants, dict) or variant not in variants:
        known = ", ".join(variants) if isinstance(variants, dict) and variants else "none"
        raise ScenarioError(
            source, f"variants.{variant}", f"unknown variant; expected one of: {known}"
        )
    overlay = variants[variant]
    if not isinstance(overlay, dict):
        raise ScenarioError(source, f"variants.{variant}", "expected a table of key = value")
    overlay = episodes.check_variant(overlay, source, variant)
    out = apply_overrides(raw, overlay, source)
    info = out.setdefault("scenario", {})
    if isinstance(info, dict):
        info["name"] = f"{info.get('name', 'unnamed')}:{variant}"
    return out


def read_raw(name_or_path: str | Path) -> tuple[dict[str, Any], str]:
    """The raw dictionary of a scenario (with ``:variant`` applied) and its source's name."""
    text, variant = split_variant(name_or_path)
    raw, source = _read_base(text)
    if variant is not None:
        raw = apply_variant(raw, variant, source)
    return raw, source


def _read_base(text: str) -> tuple[dict[str, Any], str]:
    folder = episodes.find_episode(text)
    if folder is not None:
        return episodes.read_episode(folder)
    path = Path(text)
    if path.suffix == ".toml" or path.is_file() or (text not in builtin_names() and path.exists()):
        if not path.is_file():
            raise ScenarioError(text, None, "no such scenario file")
        try:
            content = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ScenarioError(text, None, f"cannot read the file ({exc})") from None
        return _read_toml(content, text), text
    if text in builtin_names():
        resource = resources.files(BUILTIN_PACKAGE).joinpath(f"{text}.toml")
        return _read_toml(resource.read_text(encoding="utf-8"), text), text
    raise ScenarioError(
        text,
        None,
        "unknown scenario; expected a built-in name (" + ", ".join(builtin_names()) + ") "
        "or the path of a .toml file or an episode folder",
    )


def parse_value(text: str) -> Any:
    """Read an override's value as TOML (numbers, booleans, inf, lists), else as a string."""
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text


def parse_assignment(assignment: str, source: str = "--set") -> tuple[str, Any]:
    """Split ``key=value`` as given on the command line."""
    key, sep, value = assignment.partition("=")
    if not sep or not key.strip():
        raise ScenarioError(source, assignment, "expected key=value, e.g. grievance.legitimacy=0.8")
    return key.strip(), parse_value(value.strip())


def apply_overrides(raw: dict[str, Any], overrides: dict[str, Any], source: str) -> dict[str, Any]:
    """A copy of ``raw`` with dotted keys set; unknown keys are caught by validation."""
    out = copy.deepcopy(raw)
    for dotted, value in overrides.items():
        parts = dotted.split(".")
        node = out
        for part in parts[:-1]:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                raise ScenarioError(source, dotted, f"'{part}' is not a section")
            node = child
        node[parts[-1]] = value
    return out


def _with_preset(raw: dict[str, Any], source: str) -> dict[str, Any]:
    info = raw.get("scenario", {})
    preset = info.get("preset", "none") if isinstance(info, dict) else "none"
    if preset == "none":
        return raw
    if not isinstance(preset, str) or preset not in PRESETS:
        raise ScenarioError(
            source,
            "scenario.preset",
            f"expected one of {', '.join(PRESETS)} or none, got {preset!r}",
        )
    out = copy.deepcopy(raw)
    for section, values in PRESETS[preset].items():
        node = out.setdefault(section, {})
        if isinstance(node, dict):
            for key, value in values.items():
                node.setdefault(key, value)
    return out


def _first_error(exc: ValidationError, source: str) -> ScenarioError:
    err = exc.errors()[0]
    loc = list(err["loc"])
    if loc[:1] == ["inputs"] and len(loc) > 3:
        del loc[2]  # the input's type, which the schema uses to pick its table
    key = ".".join(str(p) for p in loc) or None
    message = err["msg"].removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        message = "unknown key"
        section = str(err["loc"][0]) if err["loc"] else ""
        if section == "schedule":
            message += "; expected one of: " + ", ".join(ScheduleEntry.model_fields)
        elif len(err["loc"]) > 1 and section in Spec.model_fields:
            model = city_schema.SECTIONS.get(section, Spec.model_fields[section].annotation)
            if hasattr(model, "model_fields"):
                message += "; expected one of: " + ", ".join(model.model_fields)
        elif len(err["loc"]) == 1:
            message += "; expected one of the sections: " + ", ".join(Spec.model_fields)
    elif "input" in err and err["type"] not in ("value_error",):
        message += f" (got {err['input']!r})"
    return ScenarioError(source, key, message)


def validate(raw: dict[str, Any], source: str) -> Spec:
    """Validate a raw scenario (after presets) into a :class:`Spec`."""
    try:
        return Spec.model_validate(_with_preset(raw, source))
    except ValidationError as exc:
        raise _first_error(exc, source) from None


def load_scenario(name_or_path: str | Path | Spec, **overrides: Any) -> Spec:
    """Load a built-in scenario by name, or a scenario file, with ``section.key`` overrides.

    Overrides are passed with dots replaced by double underscores or as a dict:
    ``load_scenario("epstein-2", **{"grid.width": 80})``.
    """
    if isinstance(name_or_path, Spec):
        raw: dict[str, Any] = name_or_path.model_dump()
        source = name_or_path.scenario.name
    else:
        raw, source = read_raw(name_or_path)
    dotted = {key.replace("__", "."): value for key, value in overrides.items()}
    return validate(apply_overrides(raw, dotted, source), source)


def _tomlable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _tomlable(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_tomlable(v) for v in value]
    return value


_EPSTEIN = ("scenario", "grid", "population", "grievance", "activation", "arrest_probability",
            "vision", "movement", "arrest", "jail", "outbursts", "schedule")  # fmt: skip
SECTIONS_READ = {
    "civil_violence": _EPSTEIN,
    "communal_violence": (*_EPSTEIN, "killing", "reproduction", "ageing"),
    "threshold": ("scenario", "thresholds"),
    "threshold_grid": ("scenario", "grid", "thresholds"),
    "city": ("scenario", *city_schema.CITY_SECTIONS, "variants"),
}


def to_toml(spec: Spec) -> str:
    """The resolved parameters as TOML, only the sections the model reads.

    Reading it back gives the same run (the sections left out keep their defaults, which the
    model ignores anyway).
    """
    used = SECTIONS_READ[spec.scenario.model]
    body = tomli_w.dumps(_tomlable({k: v for k, v in spec.model_dump().items() if k in used}))
    if spec.scenario.model in ("civil_violence", "communal_violence"):
        body = (
            "# Resolved: every implementation choice is written out, so scenario.preset no\n"
            "# longer changes anything here (a preset only fills keys a file leaves unset).\n"
            + body
        )
    return body
