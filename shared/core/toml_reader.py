"""Reading a TOML file with errors that say where: the file, the line, the key.

``parse_toml(text, source)`` reads TOML text into a ``Table``; its getters check each
value's type and range and raise a ``ConfigError`` naming the key
(``services[2].daily_cap``; indexes count the ``[[...]]`` tables from 1, as a person
reading the file does), the line where it is defined (when it can be found for
sure) and what is wrong, in plain words. What the keys mean is the business of the
reader's caller (``shared.core.config`` for the office file).

Pure: imports only the standard library and the core's errors and words; no Qt, no network,
no database.
"""

from __future__ import annotations

import difflib
import logging
import re
import tomllib
import unicodedata
from collections.abc import Iterable
from enum import StrEnum
from typing import TypeVar

from shared.core.config_words import said
from shared.core.errors import ConfigError
from shared.core.phrase import Phrase, plain

log = logging.getLogger(__name__)

KeyPath = tuple[str | int, ...]  # ("services", 2, "daily_cap"); ints count from 1
_E = TypeVar("_E", bound=StrEnum)


def parse_toml(text: str, source: str) -> Table:
    """The root table of TOML ``text``; ``source`` names it in error messages."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _syntax_error(exc, text, source) from exc
    return Table(Document(source, text, data), data, ())


def _syntax_error(exc: tomllib.TOMLDecodeError, text: str, source: str) -> ConfigError:
    message = str(exc)
    found = re.search(r"\s*\(at line (\d+), column (\d+)\)$", message)
    if found:
        problem = message[: found.start()]
        return ConfigError(source, "", said("toml_at", column=found[2], problem=problem),
                           int(found[1]))
    if message.endswith("(at end of document)"):
        problem = message.removesuffix("(at end of document)").rstrip()
        return ConfigError(source, "", said("toml_at_end", problem=problem),
                           max(1, len(text.splitlines())))
    return ConfigError(source, "", said("toml", problem=message))


def _key_text(path: KeyPath) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}" if out else part
    return out


def _describe(value: object) -> Phrase:
    kinds = ((bool, "kind_bool"), (int, "kind_integer"), (float, "kind_number"),
             (str, "kind_text"), (list, "kind_list"), (dict, "kind_table"))
    kind = said(next((key for cls, key in kinds if isinstance(value, cls)), "kind_date"))
    shown = repr(value) if isinstance(value, str) else str(value).lower()
    return kind if isinstance(value, list | dict) else plain("{kind} ({shown})", kind=kind,
                                                             shown=shown)


class Document:
    """The text and parsed data of one file, and where its keys are defined."""

    def __init__(self, source: str, text: str, data: dict[str, object]) -> None:
        self.source = source
        self.text = text
        self.data = data
        self._lines: LineIndex | None = None

    def error(self, path: KeyPath, problem: Phrase | str,
              line_of: KeyPath | None = None) -> ConfigError:
        """A ConfigError at ``path``, on the line of ``line_of`` (a missing key's table)."""
        if self._lines is None:
            self._lines = LineIndex(self.text, self.data)
        line = self._lines.find(path if line_of is None else line_of)
        return ConfigError(self.source, _key_text(path), problem, line)


class LineIndex:
    """Best-effort map from key paths to the line defining them: headers and ``key =``.

    A simple scan of the text, trusted only if it counts the same ``[[...]]`` tables as
    the TOML parser; anything it does not find for sure gives None.
    """

    _HEADER = re.compile(r"\s*(\[\[?)([^\[\]]+)\]\]?\s*(#.*)?")
    _PART = r"""(?:[A-Za-z0-9_-]+|"[^"\\]*"|'[^']*')"""
    _KEY = re.compile(rf"\s*({_PART}(?:\s*\.\s*{_PART})*)\s*=")

    def __init__(self, text: str, data: dict[str, object]) -> None:
        self.lines: dict[KeyPath, int] = {}
        arrays: dict[KeyPath, int] = {}
        table: KeyPath = ()
        in_string: str | None = None  # the quotes of a multi-line string we are inside
        for number, line in enumerate(text.splitlines(), start=1):
            if in_string is None:
                header = self._HEADER.fullmatch(line)
                key = self._KEY.match(line)
                if header:
                    table = self._resolve(self._parts(header[2]), arrays, header[1] == "[[")
                    self.lines.setdefault(table, number)
                elif key:
                    self.lines.setdefault(table + self._parts(key[1]), number)
            for quotes in ('"""', "'''"):
                if (in_string in (None, quotes)) and line.count(quotes) % 2:
                    in_string = None if in_string else quotes
        self.reliable = all(_length(data, path) == n for path, n in arrays.items())

    def _parts(self, dotted: str) -> tuple[str, ...]:
        return tuple(p.strip("\"'") for p in re.findall(self._PART, dotted))

    @staticmethod
    def _resolve(parts: tuple[str, ...], arrays: dict[KeyPath, int], new: bool) -> KeyPath:
        path: KeyPath = ()
        for i, part in enumerate(parts):
            path += (part,)
            if new and i == len(parts) - 1:
                arrays[path] = arrays.get(path, 0) + 1
            if path in arrays:
                path += (arrays[path],)
        return path

    def find(self, path: KeyPath) -> int | None:
        if not self.reliable:
            return None
        while path and path not in self.lines and isinstance(path[-1], int):
            path = path[:-1]  # services[1].hours[2] is on the line of services[1].hours
        return self.lines.get(path)


def _length(data: object, path: KeyPath) -> int:
    for part in path:
        if isinstance(part, int) and isinstance(data, list) and 0 < part <= len(data):
            data = data[part - 1]
        elif isinstance(part, str) and isinstance(data, dict) and part in data:
            data = data[part]
        else:
            return -1
    return len(data) if isinstance(data, list) else -1


class Table:
    """One TOML table being read; every getter checks the type and names the key."""

    def __init__(self, doc: Document, data: dict[str, object], path: KeyPath) -> None:
        self.doc = doc
        self.data = data
        self.path = path

    def __contains__(self, key: str) -> bool:
        return key in self.data

    def error(self, key: str | int | None, problem: Phrase | str) -> ConfigError:
        path = self.path if key is None else (*self.path, key)
        return self.doc.error(path, problem, None if key in self.data else self.path)

    def check_keys(self, allowed: Iterable[str]) -> None:
        allowed = sorted(allowed)
        for key in self.data:
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1)
                raise self.error(key, said("unknown_key_close", close=close[0]) if close
                                 else said("unknown_key", allowed=", ".join(allowed)))

    def _get(self, key: str, default: object) -> object:
        value = self.data.get(key, default)
        if value is None:
            raise self.error(key, said("required"))
        return value

    def _wrong(self, key: str, value: object, expected: Phrase) -> ConfigError:
        return self.error(key, said("wrong_kind", expected=expected, found=_describe(value)))

    def text(self, key: str, default: str | None = None, *, empty: bool = True) -> str:
        value = self._get(key, default)
        if not isinstance(value, str):
            raise self._wrong(key, value, said("kind_text_quoted"))
        if not empty and not value.strip():
            raise self.error(key, said("empty"))
        return unicodedata.normalize("NFC", value)  # a Mac may write decomposed accents

    def code(self, key: str, pattern: re.Pattern[str], like: Phrase) -> str:
        value = self.text(key)
        if not pattern.fullmatch(value):
            raise self.error(key, said("bad_code", value=value, like=like))
        return value

    def optional_text(self, key: str) -> str | None:
        return self.text(key, empty=False) if key in self.data else None

    def integer(self, key: str, default: int | None, low: int, high: int) -> int:
        value = self._get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self._wrong(key, value, said("kind_integer"))
        if not low <= value <= high:
            raise self.error(key, said("between", low=low, high=high, value=value))
        return value

    def optional_integer(self, key: str, low: int, high: int) -> int | None:
        return self.integer(key, None, low, high) if key in self.data else None

    def number(self, key: str, default: float, low: float, high: float) -> float:
        value = self._get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self._wrong(key, value, said("kind_number"))
        if not low <= value <= high:
            raise self.error(key, said("between", low=low, high=high, value=value))
        return float(value)

    def optional_number(self, key: str, low: float, high: float) -> float | None:
        return self.number(key, 0.0, low, high) if key in self.data else None

    def boolean(self, key: str, default: bool) -> bool:
        value = self._get(key, default)
        if not isinstance(value, bool):
            raise self._wrong(key, value, said("kind_bool_bare"))
        return value

    def choice(self, key: str, kind: type[_E], default: _E) -> _E:
        value = self.text(key, default.value)
        allowed = [member.value for member in kind]
        if value not in allowed:
            listed = ", ".join(repr(a) for a in allowed)
            raise self.error(key, said("one_of", listed=listed, value=value))
        return kind(value)

    def texts(self, key: str) -> list[str]:
        value = self.data.get(key, [])
        if not isinstance(value, list):
            raise self._wrong(key, value, said("kind_texts"))
        for i, item in enumerate(value, start=1):
            if not isinstance(item, str):
                raise self.doc.error((*self.path, key, i), said(
                    "wrong_kind", expected=said("kind_text"), found=_describe(item)))
        return [unicodedata.normalize("NFC", item) for item in value]

    def integers(self, key: str) -> list[int]:
        value = self.data.get(key, [])
        if not isinstance(value, list):
            raise self._wrong(key, value, said("kind_integers"))
        for i, item in enumerate(value, start=1):
            if not isinstance(item, int) or isinstance(item, bool):
                raise self.doc.error((*self.path, key, i), said(
                    "wrong_kind", expected=said("kind_integer"), found=_describe(item)))
        return list(value)

    def table(self, key: str) -> Table:
        value = self.data.get(key, {})
        if isinstance(value, list):
            raise self.doc.error((*self.path, key), said("one_table", key=key),
                                 (*self.path, key, 1))
        if not isinstance(value, dict):
            raise self._wrong(key, value, said("kind_table_written", key=key))
        return Table(self.doc, value, (*self.path, key))

    def tables(self, key: str) -> list[Table]:
        value = self.data.get(key, [])
        name = _key_text((*self.path, key))
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.error(key, said("tables", name=name))
        return [Table(self.doc, v, (*self.path, key, i)) for i, v in enumerate(value, start=1)]
