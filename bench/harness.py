"""What every benchmark shares: the bench office, a server in its own process, a
lean WebSocket client for load, statistics and the machine's description.

The server under test always runs in a process of its own (``bench.server_process``),
as it does in an office, so that the load generator never shares its event loop or
its interpreter lock. Imports anything: the benchmarks are not part of the product.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import platform
import re
import socket
import sqlite3
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec

from shared.core import enrolment, wire

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

# The bench office's day: a Monday at 09:00 in Hanoi, so that every service issues.
BASE_DAY = "2026-03-02"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


# --- the bench office ---------------------------------------------------------------


def office_toml(
    *, services: int = 26, counters: int = 20, kiosk_rate_per_minute: int = 6000,
    office_id: str = "bench-office", name: str = "Trung tâm Phục vụ hành chính công (bench)",
) -> str:
    """A provincial centre: up to 26 letter services (A…Z, 999 numbers each a day),
    ``counters`` counters each serving every service, and the kiosk rate limit
    raised to the highest the configuration allows (6000 a minute, burst 500)."""
    parts = [
        "[office]",
        f'id = "{office_id}"',
        f'name = "{name}"',
        'timezone = "Asia/Ho_Chi_Minh"',
        "",
    ]
    codes = LETTERS[:services]
    for code in codes:
        parts += [
            "[[services]]",
            f'code = "{code}"',
            f'name = "Dịch vụ {code}"',
            f'name_en = "Service {code}"',
            'hours = ["00:00-23:59"]',
            "",
        ]
    listed = ", ".join(f'"{c}"' for c in codes)
    for number in range(1, counters + 1):
        parts += [
            "[[counters]]",
            f"number = {number}",
            f'name = "Quầy {number}"',
            f"services = [{listed}]",
            "",
        ]
    parts += [
        "[server]",
        f"kiosk_rate_per_minute = {kiosk_rate_per_minute}",
        "",
        "[voice]",
        "enabled = true",
        "",
    ]
    return "\n".join(parts)


def write_office(folder: Path, **options: Any) -> Path:
    path = folder / "office.toml"
    path.write_text(office_toml(**options), encoding="utf-8")
    return path


# --- a server in its own process ------------------------------------------------------


@dataclass
class ServerProcess:
    """``python -m bench.server_process``: an OfficeServer on 127.0.0.1 with a fixed clock."""

    process: subprocess.Popen[str]
    port: int
    secret: str
    started_in: float  # seconds from spawning the process to "listening"
    ready_line: dict[str, Any] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws"

    @property
    def pid(self) -> int:
        return self.process.pid

    def stop(self, timeout: float = 15.0) -> None:
        """SIGTERM: the server stops gracefully (and writes its profile if asked)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def kill(self) -> None:
        """SIGKILL: a crash or a power cut, as far as the server can tell."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def cpu_seconds(self) -> float:
        """User + system CPU the server process used so far."""
        fields_ = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks = os.sysconf("SC_CLK_TCK")
        return (int(fields_[11]) + int(fields_[12])) / ticks

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0


def start_server(
    data_dir: Path, office: Path, *, day: str = BASE_DAY, port: int = 0,
    advertise: bool = False, profile: Path | None = None, real_clock: bool = False,
    timeout: float = 120.0, env: dict[str, str] | None = None,
) -> ServerProcess:
    command = [
        PYTHON, "-m", "bench.server_process", "--data-dir", str(data_dir),
        "--config", str(office), "--day", day, "--port", str(port),
    ]
    if advertise:
        command.append("--advertise")
    if profile is not None:
        command += ["--profile", str(profile)]
    if real_clock:
        command.append("--real-clock")
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        env={**os.environ, **(env or {})},
    )
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            raise RuntimeError(f"the bench server exited with {process.wait()}")
        if line.startswith("READY "):
            ready = json.loads(line[6:])
            return ServerProcess(process, int(ready["port"]), ready["secret"],
                                 time.perf_counter() - started, ready)
    process.kill()
    raise RuntimeError("the bench server did not start in time")


def run_child(module: str, arguments: list[str], folder: Path,
              timeout: float = 200) -> dict[str, Any]:
    """Run ``python -m module --child …`` offscreen, with its own Qt settings folder,
    and return the JSON object it printed last (RuntimeError with its stderr if none)."""
    process = subprocess.run(
        [PYTHON, "-m", module, "--child", *arguments], cwd=ROOT, capture_output=True,
        text=True, timeout=timeout,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen",
             "XDG_CONFIG_HOME": str(folder / "config")},
    )
    lines = [line for line in process.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise RuntimeError(process.stderr[-2000:])
    result: dict[str, Any] = json.loads(lines[-1])
    return result


@contextmanager
def temp_dir(prefix: str) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix=f"motcua-bench-{prefix}-") as name:
        yield Path(name)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --- a lean WebSocket client ------------------------------------------------------------


class RawClient(asyncio.Protocol):
    """A protocol-v1 client that speaks WebSocket at the byte level.

    For load: with 64 kiosks, every ticket makes the server send 2 events to each of
    them, so one load process receives hundreds of thousands of frames a second;
    parsing each in Python would measure this client, not the server. After the
    welcome, this client finds the reply to its one outstanding request by searching
    the received bytes for ``"re":"<id>"`` and reads the number that follows; every
    event is received and dropped without being parsed.
    """

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.handshake_done = False
        self.frames: asyncio.Queue[bytes] = asyncio.Queue()
        self.waiting_for: bytes | None = None
        self.reply: asyncio.Future[bytes] | None = None
        self.closed = asyncio.get_running_loop().create_future()
        self.received_bytes = 0
        self.watches: dict[bytes, asyncio.Future[float]] = {}

    # asyncio.Protocol
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.closed.done():
            self.closed.set_result(None)
        if self.reply is not None and not self.reply.done():
            self.reply.set_exception(ConnectionError("connection lost"))

    def data_received(self, data: bytes) -> None:
        self.received_bytes += len(data)
        self.buffer += data
        if not self.handshake_done:
            self._parse_frames()
            return
        if self.watches:
            now = time.perf_counter()
            for watched, future in list(self.watches.items()):
                if self.buffer.find(watched) >= 0:
                    del self.watches[watched]
                    if not future.done():
                        future.set_result(now)
        key = self.waiting_for
        if key is None:
            # Nothing outstanding: keep only a tail in which a key could start.
            del self.buffer[:-256]
            return
        at = self.buffer.find(key)
        if at < 0:
            del self.buffer[:-(len(key) + 128)]
            return
        # The reply frame: {"type":"ticket","re":"ID","ticket":{…}}, its header before.
        buf = self.buffer
        start = buf.rfind(b'{"type":', max(0, at - 64), at)
        if start >= 2 and buf[start - 2] == 0x81 and buf[start - 1] < 126:
            length = buf[start - 1]
        elif start >= 4 and buf[start - 4] == 0x81 and buf[start - 3] == 126:
            length = struct.unpack_from(">H", buf, start - 2)[0]
        else:
            length = struct.unpack_from(">Q", buf, start - 8)[0]
        if len(buf) < start + length:
            del buf[:max(0, start - 10)]  # keep the header: the rest comes later
            return
        reply = bytes(buf[start:start + length])
        del buf[:start + length]
        self.waiting_for = None
        assert self.reply is not None
        if not self.reply.done():
            self.reply.set_result(reply)

    def _parse_frames(self) -> None:
        buf = self.buffer
        while len(buf) >= 2:
            length = buf[1] & 0x7F
            offset = 2
            if length == 126:
                if len(buf) < 4:
                    return
                length = struct.unpack_from(">H", buf, 2)[0]
                offset = 4
            elif length == 127:
                if len(buf) < 10:
                    return
                length = struct.unpack_from(">Q", buf, 2)[0]
                offset = 10
            if len(buf) < offset + length:
                return
            opcode = buf[0] & 0x0F
            payload = bytes(buf[offset:offset + length])
            del buf[:offset + length]
            if opcode == 1:
                self.frames.put_nowait(payload)
            elif opcode == 9:  # ping: answer, as every WebSocket library does
                self.send_frame(payload, opcode=0xA)

    def send_frame(self, payload: bytes, opcode: int = 1) -> None:
        assert self.transport is not None
        length = len(payload)
        if length < 126:
            header = struct.pack(">BB", 0x80 | opcode, 0x80 | length)
        elif length < 65536:
            header = struct.pack(">BBH", 0x80 | opcode, 0x80 | 126, length)
        else:
            header = struct.pack(">BBQ", 0x80 | opcode, 0x80 | 127, length)
        # A client must mask its frames; an all-zero mask leaves the payload as is.
        self.transport.write(header + b"\0\0\0\0" + payload)

    def watch(self, key: bytes) -> asyncio.Future[float]:
        """A future set to ``time.perf_counter()`` of the moment ``key`` arrives."""
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self.watches[key] = future
        return future

    async def request(self, key: bytes, payload: bytes, timeout: float = 30.0) -> bytes:
        """Send one request frame; return its reply frame's text (as bytes)."""
        self.reply = asyncio.get_running_loop().create_future()
        self.waiting_for = key
        self.send_frame(payload)
        async with asyncio.timeout(timeout):  # a benchmark never hangs
            return await self.reply

    def close(self) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.send_frame(struct.pack(">H", 1000), opcode=8)
            self.transport.close()


async def raw_connect(
    port: int, secret: str, role: str, client_id: str, counter: int | None = None,
) -> tuple[RawClient, dict[str, Any]]:
    """Connect, pass the handshake; the client and its welcome."""
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    stream = asyncio.StreamReaderProtocol(reader)
    transport, _ = await loop.create_connection(lambda: stream, "127.0.0.1", port)
    key = base64.b64encode(os.urandom(16)).decode()
    transport.write(
        f"GET /ws HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
        f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
        "Sec-WebSocket-Version: 13\r\n\r\n".encode()
    )
    head = await reader.readuntil(b"\r\n\r\n")
    if b" 101 " not in head.split(b"\r\n", 1)[0]:
        raise ConnectionError(head.decode(errors="replace"))
    client = RawClient()
    transport.set_protocol(client)
    client.connection_made(transport)
    leftover = reader._buffer  # bytes the stream read past the HTTP head
    if leftover:
        client.data_received(bytes(leftover))
    challenge = msgspec.json.decode(await client.frames.get(), type=wire.Challenge)
    # Enrol with the pairing code, then prove the device's own key (docs/protocol.md).
    pending = enrolment.start(secret, challenge, role, client_id, counter, "bench",
                              id=f"enrol-{client_id}")
    client.send_frame(wire.encode(pending.message))
    enrolled = wire.decode_server_message(await client.frames.get())
    if not isinstance(enrolled, wire.Enrolled):
        raise ConnectionError(str(enrolled))
    hello = wire.hello(pending.finish(enrolled), challenge, role,  # type: ignore[arg-type]
                       client_id, counter, id=f"hello-{client_id}")
    client.send_frame(wire.encode(hello))
    welcome = json.loads(await client.frames.get())
    if welcome.get("type") != "welcome":
        raise ConnectionError(str(welcome))
    client.handshake_done = True
    # Anything after the welcome that was already parsed as a frame is an event.
    client.buffer.clear()
    return client, welcome


# --- statistics -------------------------------------------------------------------------


def percentile(samples: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100)."""
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def summary_ms(samples: Sequence[float]) -> dict[str, float]:
    """p50, p99, max and mean of samples given in seconds, in milliseconds."""
    return {
        "n": len(samples),
        "p50_ms": round(percentile(samples, 50) * 1000, 3),
        "p99_ms": round(percentile(samples, 99) * 1000, 3),
        "max_ms": round(max(samples) * 1000, 3) if samples else float("nan"),
        "mean_ms": round(statistics.fmean(samples) * 1000, 3) if samples else float("nan"),
    }


# --- the machine --------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    cpu = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            mem_kb = int(line.split()[1])
    tmp = Path(tempfile.gettempdir())
    fs = "?"
    try:
        out = subprocess.run(["df", "-T", str(tmp)], capture_output=True, text=True).stdout
        parts = out.splitlines()[1].split()
        fs = f"{parts[1]} on {parts[0]} ({tmp})"
    except (OSError, IndexError):
        pass
    hypervisor = ""
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        match = re.search(r"Hypervisor vendor:\s*(\S+)", lscpu)
        hypervisor = match.group(1) if match else ""
    except OSError:
        pass
    import aiohttp
    import PySide6

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "hypervisor": hypervisor,
        "ram_gib": round(mem_kb / 1024 / 1024, 1),
        "filesystem": fs,
        "kernel": platform.release(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "aiohttp": aiohttp.__version__,
        "pyside6": PySide6.__version__,
    }


def fsync_ms(folder: Path, rounds: int = 200) -> float:
    """The cost of one fsync of a small write in ``folder``: the floor of a durable commit."""
    path = folder / "fsync-probe"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        started = time.perf_counter()
        for _ in range(rounds):
            os.write(fd, b"x" * 4096)
            os.fsync(fd)
        return (time.perf_counter() - started) / rounds * 1000
    finally:
        os.close(fd)
        path.unlink()


# --- results ------------------------------------------------------------------------------


@dataclass
class Row:
    """One line of the results table: what was measured, against which target."""

    measurement: str
    value: str
    target: str = ""
    met: bool | None = None  # None: no target, only a number to know

    def as_dict(self) -> dict[str, Any]:
        return {"measurement": self.measurement, "value": self.value, "target": self.target,
                "met": self.met}


def ms(value: float) -> str:
    return f"{value:.2f} ms" if value < 10 else f"{value:.1f} ms"
