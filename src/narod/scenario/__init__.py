"""Scenarios: schema, loading, overrides and the built-in files."""

from narod.scenario.loading import builtin_names, load_scenario, to_toml
from narod.scenario.schema import Spec

__all__ = ["Spec", "builtin_names", "load_scenario", "to_toml"]
