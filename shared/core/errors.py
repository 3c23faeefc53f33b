"""The project's own exceptions: every error motcua raises derives from MotcuaError.

Adapters turn library exceptions into these; the programs catch them at the edge
and show the message in plain words, in the reader's language when the error was
raised with a ``Phrase`` (``words``). Imports only ``shared.core.phrase`` and
``shared.core.config_words``.
"""

from __future__ import annotations

from shared.core.config_words import said
from shared.core.phrase import Lookup, Phrase, as_written


class MotcuaError(Exception):
    """Base of every error motcua raises on purpose: its message is plain text, or a
    ``Phrase`` the edge can word in the reader's language."""

    def __init__(self, message: Phrase | str = "") -> None:
        self.said = message if isinstance(message, Phrase) else Phrase("", message)
        super().__init__(str(self.said))

    def words(self, lookup: Lookup = as_written) -> str:
        """The message in the language of ``lookup`` (Vietnamese by default)."""
        return self.said.words(lookup)


class ConfigError(MotcuaError):
    """An office configuration file that cannot be used, and why."""

    def __init__(self, source: str, key: str, problem: Phrase | str,
                 line: int | None = None) -> None:
        self.source = source
        self.key = key
        self.line = line
        super().__init__(problem)
        self.problem = str(self.said)
        self.args = (self.words(),)

    def words(self, lookup: Lookup = as_written) -> str:
        where = (said("where_line", source=self.source, line=self.line).words(lookup)
                 if self.line is not None else self.source)
        problem = self.said.words(lookup)
        return f"{where}: {self.key}: {problem}" if self.key else f"{where}: {problem}"


class ManyConfigError(ConfigError):
    """Several problems in one file, all said at once (each a ``ConfigError``)."""

    def __init__(self, problems: list[ConfigError]) -> None:
        first = problems[0]
        self.problems = problems
        super().__init__(first.source, first.key, first.said, first.line)  # words() the lot

    def words(self, lookup: Lookup = as_written) -> str:
        head = said("many", source=self.source, count=len(self.problems)).words(lookup)
        return "\n".join([head] + [
            f"  - {p.words(lookup).removeprefix(self.source).lstrip(', :')}"
            for p in self.problems])


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
