"""``motcua demo``: a whole office on one machine, each program its own process.

The server on a fresh data directory with the embedded default office, then a kiosk,
two counters and the hall display, paired automatically and laid out to share one
screen. Closing any window, Ctrl+C or SIGTERM stops them all; nothing is left behind
(on Linux a child also dies if the demo itself is killed).

Starts programs only through the ``motcua`` command line, so it imports none of them.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from datetime import time as clock_time
from importlib import resources
from pathlib import Path
from typing import Final

from shared.cli.words import say
from shared.core.booking import Booking
from shared.core.config import load_office
from shared.core.errors import MotcuaError
from shared.core.pairing import load_or_create_secret
from shared.core.secret_hash import hash_secret
from shared.lan.health import HealthError, wait_until_answering
from shared.qt.window_placement import GEOMETRY_VARIABLE, format_geometry
from shared.server.booking_book import BookingBook
from shared.server.devices import DeviceRegistry

log = logging.getLogger(__name__)

STARTUP_SECONDS: Final = 30.0
STOP_SECONDS: Final = 5.0
Rect = tuple[int, int, int, int]


class DemoError(MotcuaError):
    """The demo office could not start; the message says what failed."""


@dataclass
class Child:
    name: str
    process: subprocess.Popen[bytes]


@dataclass
class DemoOffice:
    data_dir: Path
    port: int
    desk_port: int = 0
    children: list[Child] = field(default_factory=list)
    bookings: list[str] = field(default_factory=list)  # codes to check in with, for a try

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


# The counter program's smallest window with room for two lines of alerts (its own
# minimum follows its content: counter/window.py); the others adapt to any shape.
COUNTER_SIZE: Final = (760, 640)
DESK_USER: Final = "lanh-dao"
DESK_PASSWORD: Final = "motcua-demo"


def layout(screen: Rect) -> dict[str, Rect]:
    """Two counters side by side at the bottom left, the display above them, the kiosk
    in the column on the right (it turns to its portrait layout there)."""
    x, y, width, height = screen
    counter_width = max(COUNTER_SIZE[0], width * 2 // 5)
    counter_height = max(COUNTER_SIZE[1], height // 2)
    left = 2 * counter_width
    top = max(height - counter_height, height // 3)
    return {
        "display": (x, y, left, top),
        "kiosk": (x + left, y, max(width - left, 360), height),
        "counter-1": (x, y + top, counter_width, height - top),
        "counter-2": (x + counter_width, y + top, counter_width, height - top),
    }


def screen_geometry() -> Rect:
    """The primary screen's free area, asked of Qt in a short-lived child process so
    that this supervisor stays free of Qt's threads."""
    probe = (
        "from PySide6.QtGui import QGuiApplication\n"
        "app = QGuiApplication([])\n"
        "g = app.primaryScreen().availableGeometry()\n"
        "print(g.x(), g.y(), g.width(), g.height())\n"
    )
    try:
        out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                             timeout=20, check=True).stdout.split()
        x, y, width, height = (int(v) for v in out[-4:])
    except (subprocess.SubprocessError, ValueError, OSError) as problem:
        log.warning("screen size unknown (%s); assuming 1920×1080", problem)
        return (0, 0, 1920, 1080)
    return (x, y, width, height)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _die_with_parent() -> None:  # pragma: no cover - runs in the child
    """Linux: ask the kernel to end this child when the demo ends, however it ends."""
    import ctypes

    pr_set_pdeathsig = 1
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def spawn(name: str, arguments: Sequence[str], geometry: Rect | None = None) -> Child:
    env = dict(os.environ)
    if geometry is not None:
        env[GEOMETRY_VARIABLE] = format_geometry(geometry)
    command = [sys.executable, "-m", "shared.cli", *arguments]
    log.info("starting %s: motcua %s", name, " ".join(arguments))
    process = subprocess.Popen(
        command, env=env,
        # Ctrl+C reaches the demo alone, which then stops every program in order.
        start_new_session=True,
        preexec_fn=_die_with_parent if sys.platform == "linux" else None,
    )
    return Child(name, process)


def wait_until_healthy(office: DemoOffice, server: Child) -> None:
    try:
        wait_until_answering(server.process, office.port, STARTUP_SECONDS,
                             last_words=lambda: "see its messages above")
    except HealthError as problem:
        raise DemoError(str(problem)) from problem


DEMO_BOOKINGS: Final = ((0, "HEN1"), (-30, "HEN2"), (90, "HEN3"))  # minutes from now, code


def demo_office_file(data_dir: Path) -> Path:
    """The embedded office, with bookings for its first service (issue 15): the demo
    shows the check-in too. Written beside the demo's data."""
    text = resources.files("shared.core").joinpath("default_office.toml").read_text("utf-8")
    first = text.index("[[services]]")
    end = text.index("\n[[", first + 1) + 1  # the end of the first service's table
    text = (text[:end] + "\n[services.bookings]\nearly_minutes = 30\nlate_minutes = 15\n"
            + text[end:])
    path = data_dir / "demo-office.toml"
    path.write_text(text, encoding="utf-8")
    return path


def take_demo_bookings(data_dir: Path, config: Path) -> list[str]:
    """A few bookings for today around now, to check in at the kiosk; how to say them."""
    office = load_office(config)
    service = office.services[0]
    now = office.local_time(datetime.now().astimezone())
    bookings = []
    for minutes, code in DEMO_BOOKINGS:
        slot = (now + timedelta(minutes=minutes)).replace(second=0, microsecond=0)
        if slot.date() != now.date():
            continue  # near midnight: only today's
        end = (slot + timedelta(minutes=20)).time()
        bookings.append(Booking(code, service.code, now.date(), slot.time(),
                                end if end > slot.time() else clock_time(23, 59),
                                name="Công dân thử", source="demo"))
    book = BookingBook(data_dir)
    try:
        book.take(bookings, office, now)
    finally:
        book.close()
    return [f"{b.code} ({b.slot_start:%H:%M})" for b in bookings]


def start(office: DemoOffice, screen: Rect) -> None:
    """Start the server, wait for it, then the screens; ``office.children`` records each
    program as soon as it runs, so that a failure half-way still stops them all."""
    code = load_or_create_secret(office.data_dir)
    config = demo_office_file(office.data_dir)
    office.bookings = take_demo_bookings(office.data_dir, config)
    server = spawn("server", ["serve", "--data-dir", str(office.data_dir), "--host", "127.0.0.1",
                              "--port", str(office.port), "--desk-port", str(office.desk_port),
                              "--no-zeroconf", "--config", str(config)])
    office.children.append(server)
    wait_until_healthy(office, server)
    # A leader's account, so that the demo's desk can be opened at once.
    registry = DeviceRegistry(office.data_dir)
    try:
        registry.set_user(DESK_USER, "leader", hash_secret(DESK_PASSWORD), datetime.now())
    finally:
        registry.close()
    join = ["--server", f"127.0.0.1:{office.port}", "--pairing-code", code]
    places = layout(screen)
    office.children += [
        spawn("display", ["display", "--windowed", *join], places["display"]),
        spawn("kiosk", ["kiosk", "--windowed", *join], places["kiosk"]),
        spawn("counter 1", ["counter", "--counter", "1", *join], places["counter-1"]),
        # One desktop, one owner of Ctrl+Alt+1…4: counter 1 (issue 17).
        spawn("counter 2", ["counter", "--counter", "2", "--global-keys", "off", *join],
              places["counter-2"]),
    ]


def stop(office: DemoOffice) -> None:
    """Screens first, then the server: each gets SIGTERM, then SIGKILL if it lingers."""
    for child in reversed(office.children):
        if child.process.poll() is None:
            child.process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.process.wait(timeout=STOP_SECONDS)
        if child.process.poll() is None:
            log.warning("%s did not stop; killing it", child.name)
            child.process.kill()
            child.process.wait()


def supervise(office: DemoOffice, stopping: Callable[[], bool]) -> str:
    """Wait until a program ends (a window was closed) or the demo is asked to stop."""
    while not stopping():
        for child in office.children:
            if child.process.poll() is not None:
                return f"{child.name} ended"
        time.sleep(0.2)
    return "asked to stop"


def run(data_dir: Path | None = None) -> int:
    temporary = data_dir is None
    directory = Path(tempfile.mkdtemp(prefix="motcua-demo-")) if data_dir is None else data_dir
    requested: list[int] = []

    def on_signal(number: int, _frame: object) -> None:
        requested.append(number)

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    office = DemoOffice(directory, free_port(), free_port())
    try:
        start(office, screen_geometry())
        print(say("demo_running", url=office.url, folder=directory,
                  bookings=", ".join(office.bookings) or say("demo_no_bookings"),
                  desk=f"https://127.0.0.1:{office.desk_port}/desk", user=DESK_USER,
                  password=DESK_PASSWORD), flush=True)
        reason = supervise(office, lambda: bool(requested))
        log.info("demo stopping: %s", reason)
    finally:
        stop(office)
        for number, handler in previous.items():
            signal.signal(number, handler)
        if temporary:
            shutil.rmtree(directory, ignore_errors=True)
    with contextlib.suppress(OSError):  # whoever read our output may have gone
        print(say("demo_stopped"), flush=True)
    return 0
