"""narod: agent-based models of popular uprisings, fast enough to run a whole city.

The public API is four verbs::

    spec = narod.load_scenario("epstein-2", **{"grievance.legitimacy": 0.8})
    result = narod.simulate(spec, seed=1)
    result.table            # pyarrow.Table, one row per tick
    result.outbursts()      # Epstein's outburst statistics
"""

from narod.engine import simulate
from narod.errors import NarodError, ScenarioError
from narod.results.outbursts import Outbursts, outbursts
from narod.results.result import Result
from narod.scenario import Spec, builtin_names, load_scenario, to_toml

__version__ = "0.1.0"

__all__ = [
    "NarodError",
    "Outbursts",
    "Result",
    "ScenarioError",
    "Spec",
    "builtin_names",
    "load_scenario",
    "outbursts",
    "simulate",
    "to_toml",
]
