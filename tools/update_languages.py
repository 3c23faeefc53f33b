"""Bring the catalogues up to date with the words in the code.

    .venv/bin/python tools/update_languages.py

Rewrites each program's template (shared/languages/<program>.pot) and every packaged
catalogue (shared/languages/<code>/<program>.po): a text still the same keeps its
translation, a new or changed one is left empty for a translator, a removed one goes.
tests/shared/test_languages.py fails until this has been run after a change of words.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from shared.languages.catalogue import PACKAGED, Catalogue
from shared.languages.template import template, updated


def catalogues() -> list[Catalogue]:
    """Every program's words (imported here: shared/ imports no program)."""
    from counter import wording as counter_wording
    from display import wording
    from kiosk import texts
    from shared.central import texts as central_texts
    from shared.cli import words as cli_words
    from shared.languages import command_line, help_words
    from shared.printing import ticket_words
    from shared.server import desk_texts, page_texts

    return [texts.CATALOGUE, page_texts.CATALOGUE, desk_texts.CATALOGUE,
            central_texts.CATALOGUE, wording.CATALOGUE, ticket_words.CATALOGUE,
            counter_wording.CATALOGUE, *command_line.CORE, cli_words.CATALOGUE,
            help_words.CATALOGUE]


def main() -> int:
    for catalogue in catalogues():
        (PACKAGED / f"{catalogue.domain}.pot").write_bytes(
            template(catalogue.domain, catalogue.source))
        for folder in sorted(p for p in PACKAGED.iterdir() if p.is_dir()):
            po = folder / f"{catalogue.domain}.po"
            if po.is_file():
                po.write_bytes(updated(catalogue.domain, catalogue.source, po, folder.name))
                missing = catalogue.missing(folder.name)
                if missing:
                    print(f"{po}: {len(missing)} to translate: {', '.join(missing)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
