"""`motcua demo`: a whole office comes up as separate processes and goes away entirely."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from shared.cli.demo import demo_office_file, take_demo_bookings
from shared.core.config import load_office
from shared.server.booking_book import BookingBook

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
        try:
            assert process.stdout is not None
            first = process.stdout.readline()  # printed once every program has started
            assert "motcua demo: văn phòng chạy ở http://127.0.0.1:" in first
            yield process
        finally:  # also when the greeting was wrong: no demo is left running
            if process.poll() is None:
                process.send_signal(signal.SIGINT)  # the demo stops its programs
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
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


def test_the_demo_office_takes_bookings_and_has_some_to_try(tmp_path: Path) -> None:
    config = demo_office_file(tmp_path)
    office = load_office(config)
    assert office.services[0].bookings is not None  # "Tôi đã đặt lịch" on the kiosk
    assert [s.code for s in office.services] == [s.code for s in load_office().services]
    said = take_demo_bookings(tmp_path, config)
    book = BookingBook(tmp_path)
    today = office.local_time(datetime.now().astimezone()).date()
    assert len(said) == len(book.day(today)) >= 1  # fewer only in the last hours of a day
    book.close()
