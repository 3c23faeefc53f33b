"""Run every benchmark: ``.venv/bin/python -m bench`` (see docs/performance.md).

Prints a table of the results against the targets of issue 8 and writes them, with
the raw numbers and the machine, to ``bench/results.json``. ``--only NAME …`` runs a
subset (issue, fanout, history, discovery, print, screens, voice); ``--quick`` uses
smaller sizes (history up to 1 M tickets, shorter load runs) for a trial run.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import call_fanout, discovery_recovery, history, issue_load, print_path, screens, voice
from bench.harness import Row, fsync_ms, machine, temp_dir

RESULTS = Path(__file__).resolve().parent / "results.json"

Bench = tuple[Callable[..., dict[str, Any]], Callable[[dict[str, Any]], list[Row]]]


def benches(quick: bool) -> dict[str, Bench]:
    return {
        "issue": (lambda: issue_load.run(seconds=1.5 if quick else 3.0, repeats=1 if quick else 3),
                  issue_load.rows),
        "fanout": (lambda: call_fanout.run(calls=100 if quick else 300), call_fanout.rows),
        "history": (lambda: history.run(sizes=(0, 100_000, 1_000_000) if quick
                                        else history.SIZES), history.rows),
        "discovery": (lambda: discovery_recovery.run(trials=3 if quick else 5),
                      discovery_recovery.rows),
        "print": (lambda: print_path.run(presses=10 if quick else 30), print_path.rows),
        "voice": (lambda: voice.run(calls=4 if quick else 8), voice.rows),
        "screens": (lambda: screens.run(rounds=1 if quick else 3), screens.rows),
    }


def table(rows: list[Row]) -> str:
    headers = ("measurement", "result", "target", "")
    cells = [(r.measurement, r.value, r.target,
              "" if r.met is None else ("met" if r.met else "MISSED")) for r in rows]
    widths = [max(len(h), *(len(c[i]) for c in cells)) if cells else len(h)
              for i, h in enumerate(headers)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.ljust(w) for c, w in zip(cell, widths, strict=True)) for cell in cells]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--only", nargs="+", metavar="NAME",
                        choices=list(benches(False)), help="run only these benchmarks")
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a trial run")
    parser.add_argument("--output", type=Path, default=RESULTS, help="the JSON results file")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    chosen = benches(args.quick)
    names = args.only or list(chosen)
    began = time.monotonic()
    with temp_dir("fsync") as folder:
        floor = fsync_ms(folder)
    about = {**machine(), "fsync_ms": round(floor, 3), "load_average_before": os.getloadavg()}
    print(f"motcua benchmarks on {about['cpu']} ({about['cores']} cores), Python "
          f"{about['python']}, SQLite {about['sqlite']}; fsync {floor:.3f} ms", flush=True)
    results: dict[str, Any] = {}
    rows: list[Row] = []
    failed = []
    for name in names:
        run, to_rows = chosen[name]
        print(f"{name} …", flush=True)
        started = time.monotonic()
        try:
            result = run()
        except Exception as problem:  # one broken benchmark must not hide the others
            traceback.print_exc()
            failed.append(name)
            results[name] = {"error": f"{type(problem).__name__}: {problem}"}
            rows.append(Row(f"{name}: not measured", f"failed: {problem}", "", False))
            continue
        result["seconds"] = round(time.monotonic() - started, 1)
        results[name] = result
        rows.extend(to_rows(result))
    total = time.monotonic() - began
    about["load_average_after"] = os.getloadavg()
    document = {
        "command": "python -m bench " + " ".join(argv if argv is not None else sys.argv[1:]),
        "finished": time.strftime("%Y-%m-%d %H:%M:%S %z"),
        "seconds": round(total, 1),
        "machine": about,
        "table": [row.as_dict() for row in rows],
        "results": results,
    }
    args.output.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n",
                           encoding="utf-8")
    print()
    print(table(rows))
    print(f"\n{len(names)} benchmarks in {total:.0f} s; results in {args.output}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
