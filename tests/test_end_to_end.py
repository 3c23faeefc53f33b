"""The whole office as real processes: `motcua serve`, `kiosk`, `counter`, `display`.

Offscreen, on 127.0.0.1, finding each other by zeroconf on the loopback interface.
The test presses the kiosk's buttons and the counter's key through each program's
remote-control socket (what a person would do: a click, a key), reads the screens'
texts, and follows each program's log as a stream of events — no sleeps.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from shared.core.pairing import load_or_create_secret
from tests.kiosk.office_file import office_file

WAIT = 30.0  # seconds: a bound, never a pause


@dataclass
class Program:
    name: str
    process: subprocess.Popen[str]
    control: Path | None
    lines: queue.Queue[str] = field(default_factory=queue.Queue)
    seen: list[str] = field(default_factory=list)

    def follow(self) -> None:
        """Every log line the program writes, as it writes it."""
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.put(line.rstrip())

    def wait_for_log(self, pattern: str, timeout: float = WAIT) -> re.Match[str]:
        wanted = re.compile(pattern)
        for line in self.seen:
            if found := wanted.search(line):
                self.seen.remove(line)
                return found
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                break
            if found := wanted.search(line):
                return found
            self.seen.append(line)
        log = "\n".join(self.seen[-30:])
        raise AssertionError(f"{self.name} never logged /{pattern}/; its last lines:\n{log}")

    def ask(self, **request: Any) -> dict[str, Any]:
        assert self.control is not None
        with socket.socket(socket.AF_UNIX) as peer:
            peer.settimeout(WAIT)
            peer.connect(str(self.control))
            peer.sendall(json.dumps(request).encode() + b"\n")
            answer: dict[str, Any] = json.loads(peer.makefile().readline())
        assert "error" not in answer, f"{self.name}: {answer['error']}"
        return answer

    def texts(self) -> list[str]:
        return list(self.ask(op="texts")["texts"])


@dataclass
class Office:
    root: Path
    control: Path
    data_dir: Path
    port: int
    code: str
    config: Path  # the sample ward under an id of its own: no other run's server answers
    programs: list[Program] = field(default_factory=list)

    @property
    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "MOTCUA_ZEROCONF_INTERFACES": "127.0.0.1",
            "MOTCUA_REMOTE_CONTROL_DIR": str(self.control),
            "XDG_CONFIG_HOME": str(self.root / "config"),
            "XDG_DATA_HOME": str(self.root / "data-home"),
            "XDG_STATE_HOME": str(self.root / "state"),
            "PYTHONUNBUFFERED": "1",
        }

    def start(self, name: str, *arguments: str, control: str | None = None) -> Program:
        process = subprocess.Popen(
            [sys.executable, "-m", "shared.cli", arguments[0], "--config", str(self.config),
             *arguments[1:]],
            env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            cwd=Path(__file__).parents[1],
        )
        program = Program(name, process, None if control is None else self.control / control)
        threading.Thread(target=program.follow, daemon=True).start()
        self.programs.append(program)
        return program

    def serve(self) -> Program:
        server = self.start("server", "serve", "--data-dir", str(self.data_dir),
                            "--host", "127.0.0.1", "--port", str(self.port))
        server.wait_for_log(r"Advertising .* on port \d+")
        return server

    def stop(self) -> None:
        for program in reversed(self.programs):
            if program.process.poll() is None:
                program.process.send_signal(signal.SIGTERM)
        for program in self.programs:
            try:
                program.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                program.process.kill()
                program.process.wait()


@pytest.fixture
def place() -> Iterator[Office]:
    # Unix socket paths must stay short: a folder of our own under /tmp.
    with tempfile.TemporaryDirectory(prefix="mc-") as root:
        base = Path(root)
        (base / "rc").mkdir()
        data_dir = base / "server"
        config, _, port = office_file(base / "office", wait_seconds=60)
        place = Office(base, base / "rc", data_dir, port, load_or_create_secret(data_dir), config)
        yield place
        place.stop()


def eventually(check: Callable[[], bool], program: Program, what: str) -> None:
    """Ask the program again each time it logs something, until ``check`` holds."""
    deadline = time.monotonic() + WAIT
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"{program.name}: {what}; it shows {program.texts()}")
        with contextlib.suppress(queue.Empty):
            program.lines.get(timeout=1.0)  # the next thing it does, or a second passing


def test_an_office_issues_calls_shows_and_announces_then_survives_a_server_restart(
    place: Office,
) -> None:
    office = place
    server = office.serve()
    join = ["--pairing-code", office.code]
    display = office.start("display", "display", "--windowed", *join, control="display")
    counter = office.start("counter", "counter", "--counter", "1", *join, control="counter-1")
    kiosk = office.start("kiosk", "kiosk", "--windowed", "--no-touch",
                         "--data-dir", str(office.root / "kiosk-data"), *join, control="kiosk")
    for program in (display, counter, kiosk):
        program.wait_for_log(r"Online with ws://127\.0\.0\.1:\d+/ws")  # found by zeroconf

    # A citizen: the field, then the service.
    eventually(lambda: "Tư pháp – Chứng thực" in kiosk.texts(), kiosk, "no field menu")
    kiosk.ask(op="click", text="Tư pháp – Chứng thực")
    eventually(lambda: "Tư pháp – Hộ tịch" in kiosk.texts(), kiosk, "no service menu")
    kiosk.ask(op="click", text="Tư pháp – Hộ tịch")
    eventually(lambda: "A001" in kiosk.texts(), kiosk, "no ticket on screen")

    # The official: one key.
    eventually(lambda: "Gọi số tiếp theo" in " ".join(counter.texts()), counter, "no window")
    counter.ask(op="key", key="F1")
    eventually(lambda: "A001" in counter.texts(), counter, "did not call A001")

    # The hall: shown, and announced.
    display.wait_for_log(r"call A001 to counter 1")
    display.wait_for_log(r"announcing ")
    eventually(lambda: "A001" in " ".join(display.texts()), display, "does not show A001")

    # The server dies without warning and comes back on the same data.
    server.process.kill()
    server.process.wait()
    for program in (display, counter, kiosk):
        program.wait_for_log(r"Offline from")
    office.serve()
    for program in (display, counter, kiosk):
        program.wait_for_log(r"Online with")
    eventually(lambda: "A001" in counter.texts(), counter, "lost its current ticket")
    eventually(lambda: "A001" in " ".join(display.texts()), display, "lost the call")

    # And the office goes on: the next citizen gets the next number.
    eventually(lambda: "Tư pháp – Chứng thực" in kiosk.texts(), kiosk, "no menu after restart")
    kiosk.ask(op="click", text="Tư pháp – Chứng thực")
    eventually(lambda: "Tư pháp – Hộ tịch" in kiosk.texts(), kiosk, "no service menu")
    kiosk.ask(op="click", text="Tư pháp – Hộ tịch")
    eventually(lambda: "A002" in kiosk.texts(), kiosk, "numbering did not continue")
