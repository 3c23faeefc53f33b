"""The results table as Markdown, for docs/performance.md: ``python -m bench.report``.

Reads ``bench/results.json`` (or the file given) as written by ``python -m bench``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bench.__main__ import RESULTS


def markdown(path: Path = RESULTS) -> str:
    document = json.loads(path.read_text(encoding="utf-8"))
    lines = ["| measurement | result | target | |", "|---|---|---|---|"]
    for row in document["table"]:
        met = "" if row["met"] is None else ("met" if row["met"] else "**MISSED**")
        lines.append(f"| {row['measurement']} | {row['value']} | {row['target']} | {met} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown(Path(sys.argv[1]) if len(sys.argv) > 1 else RESULTS))
