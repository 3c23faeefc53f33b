"""Writing catalogues: the template a translator starts from (``kiosk.pot``), and a
language's catalogue brought up to date with it (``en/kiosk.po``).

Imports the standard library and Babel.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from shared.languages.catalogue import NAME_KEY, read

# Fixed, so that a template is rewritten only when the words change (git shows why).
_DATE: Final = datetime(2026, 12, 1, tzinfo=UTC)
_HEADER: Final = ("The words of motcua's {domain}, for translators. Copy this file to "
                  "<code>/{domain}.po\n(for example hmn/{domain}.po), fill in each msgstr "
                  "and keep every {{name}} as it is.\nSee docs/languages.md.")


def _catalog(domain: str, source: Mapping[str, str], code: str | None,
             translations: Mapping[tuple[str, str], str]) -> Catalog:
    catalog = Catalog(locale=code, domain=domain, project="motcua", version="1",
                      header_comment="# " + _HEADER.format(domain=domain).replace(
                          "\n", "\n# "),
                      creation_date=_DATE, revision_date=_DATE,
                      language_team="", last_translator="", fuzzy=False)
    entries = {NAME_KEY: "Tiếng Việt", **source}
    for key, vietnamese in entries.items():
        catalog.add(vietnamese, translations.get((key, vietnamese), ""), context=key,
                    auto_comments=["The language's own name, on the kiosk's language "
                                   "button."] if key == NAME_KEY else [])
    return catalog


def _text(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=88, omit_header=False, sort_output=False,
             include_lineno=False)
    # Which Babel wrote it is no word of ours: a template stays the same across versions.
    return b"".join(line for line in out.getvalue().splitlines(keepends=True)
                    if not line.startswith(b'"Generated-By:'))


def template(domain: str, source: Mapping[str, str]) -> bytes:
    """The ``.pot`` of a program: every key with its Vietnamese, nothing translated."""
    return _text(_catalog(domain, source, None, {}))


def updated(domain: str, source: Mapping[str, str], path: Path, code: str) -> bytes:
    """``path``'s catalogue with the program's keys as they are now: what is still
    translated kept, new texts empty, texts gone dropped."""
    found = read(path)[0] if path.is_file() else {}
    return _text(_catalog(domain, source, code, found))
