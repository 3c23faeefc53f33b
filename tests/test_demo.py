"""`motcua demo`: a whole office comes up as separate processes and goes away entirely."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

WAIT = 60


def children(pid: int) -> set[int]:
    """The live child processes of ``pid`` (Linux /proc)."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text()
        found |= {int(child) for child in text.split()}
    return found


def alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status  # a zombie has ended


@pytest.fixture
def demo() -> Iterator[subprocess.Popen[str]]:
    with tempfile.TemporaryDirectory(prefix="mc-demo-") as root:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
               "XDG_CONFIG_HOME": f"{root}/config", "XDG_DATA_HOME": f"{root}/data",
               "XDG_STATE_HOME": f"{root}/state"}
        process = subprocess.Popen(
            [sys.executable, "-m", "shared.cli", "demo"], env=env, text=True,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=Path(__file__).parents[1],
        )
        assert process.stdout is not None
        first = process.stdout.readline()  # printed once every program has started
        assert "the office runs on http://127.0.0.1:" in first
        yield process
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads Linux /proc")
def test_ctrl_c_stops_every_program_of_the_demo(demo: subprocess.Popen[str]) -> None:
    programs = children(demo.pid)
    assert len(programs) == 5  # server, display, kiosk, two counters
    demo.send_signal(signal.SIGINT)
    assert demo.wait(timeout=WAIT) == 0
    assert not [pid for pid in programs if alive(pid)]


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads Linux /proc")
def test_closing_one_window_stops_the_whole_demo(demo: subprocess.Popen[str]) -> None:
    programs = children(demo.pid)
    os.kill(max(programs), signal.SIGTERM)  # the last one started: a counter window closes
    assert demo.wait(timeout=WAIT) == 0
    assert not [pid for pid in programs if alive(pid)]
