"""A MkDocs hook: the reference page's table of every key, generated from the schema.

The descriptions live once, in ``narod.scenario.city_schema``; this writes them out.
"""

from __future__ import annotations

import typing

from narod.scenario import city_schema as cs

MARKER = "<!-- narod:reference -->"


def _type(annotation: object) -> str:
    name = getattr(annotation, "__name__", None) or str(annotation).replace("typing.", "")
    if typing.get_origin(annotation) is typing.Literal:
        return " or ".join(f"`{a!r}`" for a in typing.get_args(annotation))
    return name


def _bounds(field) -> str:
    marks = []
    for item in field.metadata:
        for word, attr in (("at least", "ge"), ("above", "gt"), ("at most", "le"), ("below", "lt")):
            value = getattr(item, attr, None)
            if value is not None:
                marks.append(f"{word} {value}")
        if getattr(item, "min_length", None):
            marks.append(f"at least {item.min_length} item(s)")
    return ", ".join(marks)


def _table(section: str, model) -> list[str]:
    """The model's docstring and one row per key."""
    doc = " ".join((model.__doc__ or "").split())
    lines = [doc, "", "| key | scope | type | bounds | meaning |", "|---|---|---|---|---|"]
    for key, field in model.model_fields.items():
        scope = "episode" if cs.is_episode_key(section, key) else "behaviour"
        meaning = (field.description or "").replace("|", "/")
        kind, bounds = _type(field.annotation), _bounds(field)
        lines.append(f"| `{key}` | {scope} | {kind} | {bounds} | {meaning} |")
    return [*lines, ""]


def reference() -> str:
    """Every section of the schema, then every input type."""
    lines: list[str] = []
    for name, model in cs.SECTIONS.items():
        if name != "inputs":
            lines += [f"## `[{name}]`", "", *_table(name, model)]
    lines += ["## `[inputs.NAME]`", "", "The record's institutional decisions, by `type`:", ""]
    for model in typing.get_args(typing.get_args(cs.AnyInput)[0]):
        kind = typing.get_args(model.model_fields["type"].annotation)[0]
        lines += [f'### `type = "{kind}"`', "", *_table("inputs", model)]
    return "\n".join(lines)


def on_page_markdown(markdown: str, page, config, files) -> str:  # noqa: ARG001 (MkDocs' API)
    return markdown.replace(MARKER, reference()) if MARKER in markdown else markdown
