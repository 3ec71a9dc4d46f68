"""Errors a user can cause, reported as one line naming where and what was expected."""

from __future__ import annotations


class NarodError(Exception):
    """Base class of the errors that the CLI turns into one line and exit code 2."""


class ScenarioError(NarodError):
    """A scenario file, name or override is wrong.

    The message always names the source (file or built-in name), the key, and what was expected,
    so a user can fix the input without reading a traceback.
    """

    def __init__(self, source: str, key: str | None, expected: str) -> None:
        self.source = source
        self.key = key
        self.expected = expected
        where = f"{source}: {key}" if key else source
        super().__init__(f"{where}: {expected}")
