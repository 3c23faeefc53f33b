"""Write ``sounds/chime.wav``: the rising three-tone chime played before every call.

Run from the repository root (or anywhere): ``python sounds/make_chime.py``.
The tones come from ``shared.voice.chime`` so that an installed program without this
folder synthesises exactly the same chime. Standard library only.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from shared.voice.chime import CHIME_FILE, DURATION_SECONDS, SAMPLE_RATE, write_chime


def main() -> int:
    write_chime(CHIME_FILE)
    print(f"wrote {CHIME_FILE}: {DURATION_SECONDS:.2f} s, {SAMPLE_RATE} Hz, 16-bit mono")
    return 0


if __name__ == "__main__":
    sys.exit(main())
