"""6. Screens: cold start to first frame, and resident memory, of kiosk, counter, display.

Each program is started as ``motcua kiosk|counter|display`` would start it, offscreen
(``QT_QPA_PLATFORM=offscreen``), against a running server given by ``--server`` (no
discovery wait), through ``bench.screen_probe``, which notes the first paint of a
window from outside the program. Cold start: from spawning the process to that first
paint. Memory: resident set size three seconds after the first frame (connected, the
server's state shown), and its peak. Each program is started ``rounds`` times; the
file cache is warm after the first (a real cold boot is slower to read the libraries).
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path
from typing import Any

from bench.harness import PYTHON, ROOT, Row, start_server, temp_dir, write_office

PROGRAMS = {
    "kiosk": ["--windowed", "--printer", "none"],
    "counter": ["--counter", "1"],
    "display": ["--windowed"],
}


def _once(program: str, extra: list[str], port: int, secret: str, office: Path,
          folder: Path) -> dict[str, Any]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "XDG_CONFIG_HOME": str(folder / f"config-{program}"),
           "XDG_DATA_HOME": str(folder / f"data-{program}"),
           "XDG_STATE_HOME": str(folder / f"state-{program}"),
           "MOTCUA_ZEROCONF_INTERFACES": "127.0.0.1"}
    command = [PYTHON, "-m", "bench.screen_probe", program, *extra,
               "--server", f"127.0.0.1:{port}", "--pairing-code", secret,
               "--config", str(office)]
    spawned = time.monotonic()
    process = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=90,
                             env=env)
    lines = [line for line in process.stdout.splitlines() if line.startswith("PROBE ")]
    if not lines:
        raise RuntimeError(f"{program} printed no probe line (exit {process.returncode}): "
                           f"{process.stderr[-1500:]}")
    report = json.loads(lines[-1][6:])
    if "first_paint_t" not in report:
        raise RuntimeError(f"{program} never painted a window (exit {process.returncode}): "
                           f"{process.stderr[-1500:]}")
    return {
        "first_frame_s": round(report["first_paint_t"] - spawned, 3),
        "event_loop_s": round(report["event_loop_t"] - spawned, 3),
        "rss_mb": round(report["settled"]["rss_mb"] if "settled" in report
                        else report["at_first_frame"]["rss_mb"], 1),
        "peak_rss_mb": round(report.get("settled", report["at_first_frame"])["peak_rss_mb"], 1),
        "rss_at_first_frame_mb": round(report["at_first_frame"]["rss_mb"], 1),
        "painted": report.get("first_paint_widget"),
        "exit": process.returncode,
    }


def run(rounds: int = 3) -> dict[str, Any]:
    results: dict[str, Any] = {}
    with temp_dir("screens") as folder:
        office = write_office(folder, services=6, counters=4)
        server = start_server(folder / "data", office)
        try:
            for program, extra in PROGRAMS.items():
                runs = [_once(program, extra, server.port, server.secret, office, folder)
                        for _ in range(rounds)]
                results[program] = {
                    "runs": runs,
                    "first_frame_s": max(r["first_frame_s"] for r in runs),
                    "first_frame_first_run_s": runs[0]["first_frame_s"],
                    "rss_mb": max(r["rss_mb"] for r in runs),
                    "peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
                }
                r = results[program]
                print(f"  {program}: first frame {r['first_frame_s']:.2f} s (worst of {rounds}),"
                      f" RSS {r['rss_mb']:.0f} MB (peak {r['peak_rss_mb']:.0f} MB)", flush=True)
        finally:
            server.stop()
    return results


def rows(result: dict[str, Any]) -> list[Row]:
    out = []
    for program in PROGRAMS:
        r = result.get(program)
        if r is None:
            out.append(Row(f"{program}: cold start → first frame", "not measured", "≤ 1.5 s"))
            continue
        n = len(r["runs"])
        out.append(Row(f"{program}: start → first frame (worst of {n})",
                       f"{r['first_frame_s']:.2f} s", "≤ 1.5 s", r["first_frame_s"] <= 1.5))
        out.append(Row(f"{program}: resident memory, connected (peak)",
                       f"{r['rss_mb']:.0f} MB ({r['peak_rss_mb']:.0f} MB)", "≤ 150 MB",
                       r["rss_mb"] <= 150))
    return out


if __name__ == "__main__":
    print(json.dumps(run(), indent=1))
