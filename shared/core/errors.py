"""The project's own exceptions: every error motcua raises derives from MotcuaError.

Adapters turn library exceptions into these; the programs catch them at the edge
and show the message in plain words. Imports nothing of the project.
"""

from __future__ import annotations


class MotcuaError(Exception):
    """Base of every error motcua raises on purpose."""


class ConfigError(MotcuaError):
    """An office configuration file that cannot be used, and why."""

    def __init__(self, source: str, key: str, problem: str, line: int | None = None) -> None:
        self.source = source
        self.key = key
        self.problem = problem
        self.line = line
        where = f"{source}, line {line}" if line is not None else source
        super().__init__(f"{where}: {key}: {problem}" if key else f"{where}: {problem}")


class ManyConfigError(ConfigError):
    """Several problems in one file, all said at once (each a ``ConfigError``)."""

    def __init__(self, problems: list[ConfigError]) -> None:
        first = problems[0]
        super().__init__(first.source, first.key, first.problem, first.line)
        self.problems = problems
        lines = [f"{first.source}: {len(problems)} lỗi / problems:"]
        lines += [f"  - {str(p).removeprefix(first.source).lstrip(', :')}" for p in problems]
        self.args = ("\n".join(lines),)

    def __str__(self) -> str:
        return str(self.args[0])


class QueueError(MotcuaError):
    """A request the queue rules refuse; ``code`` is the protocol's error code and
    ``closed`` (a ``shared.core.wire.Closed``) says why a service issues no number,
    ``refusal`` (a ``shared.core.booking.Refusal``) why a booking gives no ticket."""

    def __init__(self, code: str, message: str, closed: object = None, *,
                 refusal: object = None) -> None:
        self.code = code
        self.message = message
        self.closed = closed
        self.refusal = refusal
        super().__init__(message)


class StoreError(MotcuaError):
    """The database cannot be opened or written."""
