"""One program's words in every language that has a catalogue for it.

A text is found by its key (the catalogue's ``msgctxt``) *and* its Vietnamese
(``msgid``), as gettext does: when the Vietnamese in the code changes, an old
translation stops being used rather than saying something the code no longer says.
What a catalogue lacks, or has wrong, is said in Vietnamese.

A translator's mistake never reaches a citizen: an entry whose ``{placeholders}``
differ from the Vietnamese is left out (and logged), and a catalogue that cannot be
read is skipped with a plain message, so the program keeps working in the languages
it has (``motcua languages check`` shows the same problems to the translator).

Imports the standard library, platformdirs and Babel (to read ``.po`` files), and the
core's phrases for what it finds wrong.
"""

from __future__ import annotations

import logging
import os
import re
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from shared.core.phrase import Lookup, Phrase, as_written
from shared.core.system_words import said

log = logging.getLogger(__name__)

VI: Final = "vi"
EN: Final = "en"
PACKAGED: Final = Path(__file__).parent
NAME_KEY: Final = "language_name"  # each catalogue names its language in that language
# A language's code, as its folder is named: "hmn", "en", "zh_Hant", "pt-BR" (ISO 639,
# then a region or script); a folder "backup" or "hmn.old" is no language.
LANGUAGE_CODE: Final = re.compile(r"[a-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})*")
# Where an office's own catalogues are read from, besides ~/.config/motcua/languages.
FOLDER_VARIABLE: Final = "MOTCUA_LANGUAGES"


def office_folders() -> list[Path]:
    """The folders an office puts its catalogues in (``<folder>/<code>/<program>.po``)."""
    import platformdirs

    folders = [platformdirs.user_config_path("motcua", appauthor=False) / "languages"]
    if extra := os.environ.get(FOLDER_VARIABLE):
        folders += [Path(p) for p in extra.split(os.pathsep) if p]
    return folders


@dataclass(frozen=True)
class Problem:
    """Why one entry (or a whole file) of a catalogue is not used."""

    path: Path
    line: int | None
    said: Phrase

    def words(self, lookup: Lookup = as_written) -> str:
        """The problem in the language of ``lookup`` (Vietnamese by default)."""
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.said.words(lookup)}"

    def __str__(self) -> str:
        return self.words()


def placeholders(text: str) -> set[str]:
    """The ``{names}`` a text fills in, each with any format of its own (``{n:>3}``):
    a translation must have the very same, or filling it in could fail."""
    try:
        return {field + ("!" + conversion if conversion else "") + (":" + spec if spec else "")
                for _, field, spec, conversion in string.Formatter().parse(text)
                if field is not None}
    except ValueError:
        return {"{"}  # an unbalanced brace: never equal to a sound text's set


def read(path: Path) -> tuple[dict[tuple[str, str], str], list[Problem]]:
    """The usable translations of one ``.po`` file, keyed by (key, Vietnamese), and the
    problems of the rest."""
    from babel.messages.pofile import PoFileError, read_po

    try:
        with path.open("rb") as file:
            catalog = read_po(file, ignore_obsolete=True, abort_invalid=True)
    except (OSError, PoFileError, UnicodeDecodeError, ValueError) as error:
        return {}, [Problem(path, None, said("po_unreadable", error=error))]
    found: dict[tuple[str, str], str] = {}
    problems: list[Problem] = []
    for message in catalog:
        if not message.id or not isinstance(message.id, str):
            continue  # the header, or a plural form (motcua writes no plurals)
        key, vietnamese = message.context or "", message.id
        translation = message.string if isinstance(message.string, str) else ""
        if not translation or message.fuzzy:
            continue  # not translated yet: said in Vietnamese
        if placeholders(translation) != placeholders(vietnamese):
            want = ", ".join(sorted("{" + p + "}" for p in placeholders(vietnamese))) or "none"
            problems.append(Problem(path, message.lineno, said("po_places", key=key, want=want)))
            continue
        found[key, vietnamese] = translation
    return found, problems


class Catalogue:
    """The texts of one program (``domain``): Vietnamese from the code, the rest from
    ``<folder>/<code>/<domain>.po`` in the packaged folder, then the office's.

    The folders are looked at once, when a language is first asked for: a program
    started after a catalogue was added speaks it (``reload`` looks again)."""

    def __init__(self, domain: str, source: Mapping[str, str],
                 folders: Iterable[Path] | None = None) -> None:
        self.domain = domain
        self.source = dict(source)
        self._folders = None if folders is None else tuple(folders)
        self._languages: list[str] | None = None
        self._translations: dict[str, Mapping[tuple[str, str], str]] = {}

    def reload(self, folders: Iterable[Path] | None = None) -> None:
        """Forget what was read, and read from ``folders`` from now on (by default
        the packaged folder and the office's)."""
        self._folders = None if folders is None else tuple(folders)
        self._languages = None
        self._translations = {}

    def folders(self) -> tuple[Path, ...]:
        return self._folders if self._folders is not None else (
            PACKAGED, *office_folders())

    def paths(self, code: str) -> list[Path]:
        if not LANGUAGE_CODE.fullmatch(code):  # never a path of its own ("../x")
            return []
        return [p for f in self.folders() if (p := f / code / f"{self.domain}.po").is_file()]

    def languages(self) -> list[str]:
        """Vietnamese, English, then every other language with a catalogue, by code."""
        if self._languages is None:
            found = {d.name for f in self.folders() if f.is_dir() for d in f.iterdir()
                     if LANGUAGE_CODE.fullmatch(d.name) and (d / f"{self.domain}.po").is_file()}
            self._languages = [VI, *([EN] if EN in found else []),
                               *sorted(found - {VI, EN})]
        return self._languages

    def translations(self, code: str) -> Mapping[tuple[str, str], str]:
        """(key, Vietnamese) → text in ``code``; the office's catalogue wins over ours."""
        found = self._translations.get(code)
        if found is None:
            found = self._translations[code] = _load(self.domain, code, self.paths(code))
        return found

    def text(self, key: str, code: str, /, **values: object) -> str:
        """The text ``key`` in language ``code``, with ``values`` filled in."""
        vietnamese = self.source[key]
        text = self.word(key, vietnamese, code)
        if not values:
            return text
        try:
            return text.format(**values)
        except (KeyError, IndexError, ValueError, AttributeError):  # the check let it by
            log.warning("language %s of the %s: %r cannot be filled in; said in Vietnamese",
                        code, self.domain, key)
            return vietnamese.format(**values)

    def word(self, key: str, vietnamese: str, code: str) -> str:
        """``vietnamese`` in language ``code`` if a catalogue has it, else as it is. Also
        for words that are not the program's own, such as an office's service names
        (``msgctxt "name"``)."""
        if code == VI:
            return vietnamese
        return self.translations(code).get((key, vietnamese), vietnamese)

    def chosen(self, asked: str | None) -> str:
        """The language a page was asked for (``?lang=en``), if it has it; else
        Vietnamese."""
        return asked if asked and asked in self.languages() else VI

    def others(self, code: str) -> list[tuple[str, str]]:
        """(code, its own name) of each language to switch to from ``code``."""
        return [(other, self.language_name(other)) for other in self.languages()
                if other != code]

    def language_name(self, code: str) -> str:
        """"Tiếng Việt", "English", "Lus Hmoob": the language's name for itself."""
        if code == VI:
            return "Tiếng Việt"
        return self.translations(code).get((NAME_KEY, "Tiếng Việt"), code)

    def problems(self, code: str) -> list[Problem]:
        """What in ``code``'s catalogues is not used, and why; what they still lack."""
        problems: list[Problem] = []
        for path in self.paths(code):
            found, unusable = read(path)
            problems += unusable
            for key, vietnamese in found:
                if key == NAME_KEY or key == "name":
                    continue
                if key not in self.source:
                    problems.append(Problem(path, None, said("po_unknown_key", key=key,
                                                             domain=self.domain)))
                elif self.source[key] != vietnamese:
                    problems.append(Problem(path, None, said("po_changed", key=key)))
        return problems

    def missing(self, code: str) -> list[str]:
        """The keys still said in Vietnamese in ``code``."""
        have = self.translations(code)
        return [k for k, v in self.source.items() if (k, v) not in have]


def _load(domain: str, code: str, paths: Iterable[Path]) -> Mapping[tuple[str, str], str]:
    merged: dict[tuple[str, str], str] = {}
    for path in paths:  # packaged first: the office's own catalogue overrides it
        found, problems = read(path)
        for problem in problems:
            log.warning("language %s of the %s: %s", code, domain, problem)
        merged.update(found)
    return merged
