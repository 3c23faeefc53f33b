"""``motcua languages``: the languages each program speaks, and a translator's check of
a catalogue before it is put in the office's languages folder (docs/languages.md).

The programs' words are read from the templates shipped with motcua (``kiosk.pot``,
``counter.pot``, ``help.pot`` …, one per entry of ``PROGRAMS``), so this needs none of
the programs.
"""

from __future__ import annotations

from pathlib import Path

from shared.cli.words import say
from shared.core.errors import MotcuaError
from shared.languages.catalogue import PACKAGED, Catalogue, office_folders
from shared.languages.command_line import language, lookup

PROGRAMS = {"kiosk": "máy cấp số / the kiosk", "pages": "trang theo dõi lượt / the ticket's page",
            "desk": "bàn làm việc lãnh đạo / the leader's desk",
            "display": "màn hình sảnh / the hall display",
            "ticket": "vé in / the printed ticket",
            "counter": "chương trình quầy / the counter program",
            "central": "trang các điểm của tỉnh / the province's central view",
            "config": "lỗi trong tệp cấu hình / the office file's problems",
            "system": "lỗi của máy chủ, giọng đọc, máy in / the machinery's problems",
            "cli": "dòng lệnh / the command line",
            "help": "trợ giúp dòng lệnh / the command line's help"}


def _source(domain: str) -> dict[str, str]:
    """key → Vietnamese of a program, from its shipped template."""
    from babel.messages.pofile import read_po

    with (PACKAGED / f"{domain}.pot").open("rb") as file:
        return {m.context: m.id for m in read_po(file)
                if m.id and m.context and isinstance(m.id, str)}


def list_languages() -> int:
    print(say("languages_folders"))
    for folder in office_folders():
        print(f"  {folder}{'' if folder.is_dir() else say('not_made_yet')}")
    for domain, what in PROGRAMS.items():
        catalogue = Catalogue(domain, _source(domain))
        print(f"{domain} ({what}):")
        for code in catalogue.languages():
            missing = len(catalogue.missing(code)) if code != "vi" else 0
            have = len(catalogue.source) - missing
            print(f"  {code:5} {catalogue.language_name(code):14} "
                  f"{have}/{len(catalogue.source)}")
    return 0


def check(path: Path) -> int:
    """Every problem of one catalogue, ``<code>/<program>.po``, by line."""
    domain, code = path.stem, path.parent.name
    if domain not in PROGRAMS:
        raise MotcuaError(say("po_named", path=path,
                              names=", ".join(p + ".po" for p in PROGRAMS)))
    if not path.is_file():
        raise MotcuaError(say("no_such_file", path=path))
    catalogue = Catalogue(domain, _source(domain), [path.parent.parent])
    problems, missing = catalogue.problems(code), catalogue.missing(code)
    total = len(catalogue.source)
    print(say("translated", path=path, language=catalogue.language_name(code), code=code,
              done=total - len(missing), total=total))
    for problem in problems:
        print(f"  {problem.words(lookup(language()))}")
    if missing:
        print(say("still_vietnamese", keys=", ".join(missing)))
    return 1 if problems else 0
