"""``motcua voice check PACK``: does the office's own voice pack say everything the
office's configuration can make the hall say, and are its clips good to hear?"""

from __future__ import annotations

from pathlib import Path

from shared.core.office import Office
from shared.voice.voice_pack import check, clip_name, load_pack

SHOWN = 40  # missing phrases listed in full; past that, a count


def check_pack(office: Office, folder: Path) -> int:
    """Say what the pack lacks and what is wrong with its clips; 0 when nothing is."""
    pack = load_pack(folder)
    found = check(pack, office)
    print(f"Gói giọng đọc “{pack.name}” ({folder}): {len(pack.clips)} đoạn ghi âm; cấu hình "
          f"cần {len(found.needed)} cụm từ. / Voice pack “{pack.name}”: {len(pack.clips)} "
          f"clips; the configuration needs {len(found.needed)} phrases.")
    if found.missing:
        print(f"\nThiếu {len(found.missing)} cụm từ (sẽ được đọc bằng giọng máy) / "
              f"{len(found.missing)} phrases missing (synthesised instead):")
        for phrase in found.missing[:SHOWN]:
            print(f"  - “{phrase.text}” ({phrase.why}) → {clip_name(phrase.text)}")
        if len(found.missing) > SHOWN:
            print(f"  … và {len(found.missing) - SHOWN} cụm từ nữa / and "
                  f"{len(found.missing) - SHOWN} more")
    if found.faulty:
        print(f"\n{len(found.faulty)} đoạn cần ghi lại / clips to record again:")
        for text, problems in found.faulty.items():
            print(f"  - “{text}”: {'; '.join(problems)}")
    if found.ok:
        print("\nĐủ và tốt: mọi câu gọi số đều đọc bằng giọng của văn phòng. / Complete and "
              "clean: every call is said in the office's own voice.")
        return 0
    return 1
