"""The language of the person at the command line, and the words of errors in it.

Vietnamese, unless ``MOTCUA_LANG`` names another language that has catalogues
(``MOTCUA_LANG=en motcua check-config office.toml``). The environment rather than
an option: one IT person's choice holds for every command they type, and the programs'
own ``--language`` is already the screen's, which the people in the hall read.

The core says its problems as phrases (``shared.core.phrase``); ``lookup`` finds their
words in the catalogues given: by default the office file's problems (``config``) and
the machinery's (``system``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Final

from shared.core import config_words, system_words
from shared.core.errors import MotcuaError
from shared.core.phrase import Lookup
from shared.languages.catalogue import Catalogue

VARIABLE: Final = "MOTCUA_LANG"
CONFIG: Final = Catalogue("config", config_words.TEXTS)
SYSTEM: Final = Catalogue("system", system_words.TEXTS)
CORE: Final = (CONFIG, SYSTEM)  # the catalogues of the core's phrases


def language(environ: Mapping[str, str] = os.environ,
             catalogues: Sequence[Catalogue] = (CONFIG,)) -> str:
    """The language asked for in the environment, if the catalogues have it; else
    Vietnamese."""
    asked = environ.get(VARIABLE, "").strip()
    return catalogues[0].chosen(asked or None)


def text(catalogue: Catalogue, key: str, /, **values: object) -> str:
    """``catalogue``'s text ``key`` in the command line's language, ``values`` filled in."""
    return catalogue.text(key, language(catalogues=(catalogue,)), **values)


def lookup(code: str, catalogues: Sequence[Catalogue] = CORE) -> Lookup:
    """(key, Vietnamese) → the words in ``code`` from the catalogue that has the key."""

    def find(key: str, vietnamese: str) -> str:
        for catalogue in catalogues:
            if key in catalogue.source:
                return catalogue.word(key, vietnamese, code)
        return vietnamese

    return find


def error_words(problem: MotcuaError, code: str,
                catalogues: Sequence[Catalogue] = CORE) -> str:
    """``problem``'s message in language ``code``."""
    return problem.words(lookup(code, catalogues))
