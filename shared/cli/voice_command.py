"""``motcua voice check PACK``: does the office's own voice pack say everything the
office's configuration can make the hall say, and are its clips good to hear?"""

from __future__ import annotations

from pathlib import Path

from shared.cli.words import say
from shared.core.office import Office
from shared.voice.voice_pack import check, clip_name, load_pack

SHOWN = 40  # missing phrases listed in full; past that, a count


def check_pack(office: Office, folder: Path) -> int:
    """Say what the pack lacks and what is wrong with its clips; 0 when nothing is."""
    pack = load_pack(folder)
    found = check(pack, office)
    print(say("pack_summary", name=pack.name, folder=folder, clips=len(pack.clips),
              needed=len(found.needed)))
    if found.missing:
        print("\n" + say("pack_missing", count=len(found.missing)))
        for phrase in found.missing[:SHOWN]:
            print(f"  - “{phrase.text}” ({phrase.why}) → {clip_name(phrase.text)}")
        if len(found.missing) > SHOWN:
            print(say("pack_more", count=len(found.missing) - SHOWN))
    if found.faulty:
        print("\n" + say("pack_faulty", count=len(found.faulty)))
        for text, problems in found.faulty.items():
            print(f"  - “{text}”: {'; '.join(problems)}")
    if found.ok:
        print("\n" + say("pack_ok"))
        return 0
    return 1
