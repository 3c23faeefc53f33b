"""A USB keypad or foot switch that only motcua reads (Linux).

A cheap HID keypad is a keyboard to the computer: its keys would type into the
national software. motcua finds it by its USB vendor and product id, opens its
``/dev/input/event*`` nodes and grabs them (``EVIOCGRAB``), so its presses reach
motcua alone, whichever window is in front, on X11 and on Wayland alike. It is read
on a thread; a keypad unplugged is looked for again every few seconds.

The kernel's events are read as they are (``struct input_event``), so the same code
reads a recorded stream in the tests. Reading needs permission: see
docs/counter-keys.md (a udev rule). Imports the standard library only.
"""

from __future__ import annotations

import errno
import logging
import os
import selectors
import stat
import struct
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from counter import wording
from counter.key_chords import ACTION_NAMES
from counter.queue_state import Action
from shared.core.errors import MotcuaError

log = logging.getLogger(__name__)

EVENT: Final = struct.Struct("@llHHi")  # struct input_event: time, type, code, value
EV_KEY: Final = 1
PRESS, REPEAT = 1, 2  # an EV_KEY's value; 0 is a release
EVIOCGRAB: Final = 0x40044590  # _IOW('E', 0x90, int)
LOOK_AGAIN_SECONDS: Final = 3.0
# Linux's key codes (linux/input-event-codes.h) of what keypads and foot switches send.
KEY_CODES: Final = {
    "KEY_ENTER": 28, "KEY_SPACE": 57, "KEY_BACKSPACE": 14, "KEY_TAB": 15, "KEY_ESC": 1,
    "KEY_KP0": 82, "KEY_KP1": 79, "KEY_KP2": 80, "KEY_KP3": 81, "KEY_KP4": 75,
    "KEY_KP5": 76, "KEY_KP6": 77, "KEY_KP7": 71, "KEY_KP8": 72, "KEY_KP9": 73,
    "KEY_KPENTER": 96, "KEY_KPPLUS": 78, "KEY_KPMINUS": 74, "KEY_KPASTERISK": 55,
    "KEY_KPSLASH": 98, "KEY_KPDOT": 83, "KEY_NUMLOCK": 69,
    "KEY_1": 2, "KEY_2": 3, "KEY_3": 4, "KEY_4": 5, "KEY_5": 6, "KEY_6": 7, "KEY_7": 8,
    "KEY_8": 9, "KEY_9": 10, "KEY_0": 11, "KEY_A": 30, "KEY_B": 48, "KEY_C": 46,
    "KEY_PAGEUP": 104, "KEY_PAGEDOWN": 109, "KEY_LEFT": 105, "KEY_RIGHT": 106,
    "KEY_UP": 103, "KEY_DOWN": 108,
    **{f"KEY_F{n}": 58 + n for n in range(1, 11)}, "KEY_F11": 87, "KEY_F12": 88,
}
# A number pad: 1 call next, 2 recall, 3 done, 4 absent (as F1–F4 in the window); Enter
# also calls next, which is what a one-pedal foot switch usually sends.
DEFAULT_KEYPAD_KEYS: Final = ("call_next=KEY_KP1,call_next=KEY_KPENTER,call_next=KEY_ENTER,"
                              "recall=KEY_KP2,done=KEY_KP3,absent=KEY_KP4")


@dataclass(frozen=True)
class UsbId:
    vendor: int
    product: int

    def __str__(self) -> str:
        return f"{self.vendor:04x}:{self.product:04x}"


@dataclass(frozen=True)
class Problem:
    """What is wrong with the keypad: a text of the counter's catalogue and its values,
    said to the official in the counter's language and logged in English."""

    key: str
    values: dict[str, object] = field(default_factory=dict)

    def said(self) -> str:
        return wording.word(self.key, **self.values)

    def logged(self) -> str:
        return wording.english(self.key, **self.values)


def usb_id(text: str) -> UsbId:
    """``1a86:e026`` (as ``lsusb`` shows it) → UsbId."""
    vendor, _, product = text.strip().partition(":")
    try:
        return UsbId(int(vendor, 16), int(product, 16))
    except ValueError:
        raise MotcuaError(wording.command_line("cli_usb_id", text=repr(text))) from None


def key_map(text: str) -> dict[int, Action]:
    """``call_next=KEY_KP1,done=KEY_KP3`` (names as ``evtest`` shows them, or numbers)
    → the action of each key code. An action may have several keys."""
    found: dict[int, Action] = {}
    for item in filter(None, (i.strip() for i in text.split(","))):
        name, sep, key = item.partition("=")
        action = ACTION_NAMES.get(name.strip().lower())
        key = key.strip().upper()
        code = KEY_CODES.get(key if key.startswith("KEY_") else f"KEY_{key}")
        if code is None and key.isdigit():
            code = int(key)
        if not sep or action is None or code is None:
            raise MotcuaError(wording.command_line("cli_keypad_binding", item=repr(item),
                                                   names=", ".join(ACTION_NAMES)))
        if code in found and found[code] is not action:
            raise MotcuaError(wording.command_line("cli_key_twice", key=key))
        found[code] = action
    return found


def find_nodes(device: UsbId, sys_input: Path = Path("/sys/class/input"),
               dev_input: Path = Path("/dev/input")) -> list[Path]:
    """The event nodes of the USB device ``device`` (a keypad often has several)."""
    nodes = []
    for entry in sorted(sys_input.glob("event*")):
        ids = entry / "device" / "id"
        try:
            vendor = int((ids / "vendor").read_text().strip(), 16)
            product = int((ids / "product").read_text().strip(), 16)
        except (OSError, ValueError):
            continue
        if (vendor, product) == (device.vendor, device.product):
            nodes.append(dev_input / entry.name)
    return nodes


def presses(data: bytes, keys: Mapping[int, Action]) -> list[Action]:
    """The actions of the key presses among ``data``'s whole events (a held key's
    repeats and every release are nothing)."""
    done = []
    for offset in range(0, len(data) - EVENT.size + 1, EVENT.size):
        _, _, kind, code, value = EVENT.unpack_from(data, offset)
        if kind == EV_KEY and value == PRESS and code in keys:
            done.append(keys[code])
    return done


class Keypad:
    """Reads the keypad ``device`` on a thread: ``pressed(action)`` for each press,
    ``said(text, is_problem)`` when it is found, lost, or cannot be read (and why)."""

    def __init__(self, device: UsbId, keys: Mapping[int, Action],
                 pressed: Callable[[Action], None], said: Callable[[str, bool], None], *,
                 nodes: Callable[[], Iterable[Path]] | None = None) -> None:
        self.device, self._keys = device, dict(keys)
        self._pressed, self._said = pressed, said
        self._nodes = nodes or (lambda: find_nodes(device))
        self._stop = threading.Event()
        self._wake_read, self._wake_write = os.pipe()
        self._thread = threading.Thread(target=self._run, name="keypad", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._watch()
        except Exception as error:  # a fault of ours must not end the keypad in silence
            log.exception("the keypad stopped")
            self._said(wording.word("keypad_stopped", error=repr(error)), True)

    def _watch(self) -> None:
        last: Problem | None = None
        while not self._stop.is_set():
            files, problem = self._open()
            if files:
                self._said(wording.word("keypad_ready", device=self.device), False)
                last = None
                problem = self._read(files)
            if problem is not None and problem != last:  # said once, not every few seconds
                log.warning("%s", problem.logged())
                self._said(problem.said(), True)
                last = problem
            self._stop.wait(LOOK_AGAIN_SECONDS)

    def _open(self) -> tuple[list[int], Problem | None]:
        nodes = list(self._nodes())
        device = str(self.device)
        if not nodes:
            return [], Problem("keypad_missing", {"device": device})
        files: list[int] = []
        for node in nodes:
            try:
                fd = os.open(node, os.O_RDONLY | os.O_NONBLOCK)
            except PermissionError:
                self._close(files)
                return [], Problem("keypad_permission", {"node": str(node)})
            except OSError as error:
                self._close(files)
                return [], Problem("keypad_cannot_open",
                                   {"node": str(node), "error": error.strerror})
            files.append(fd)
            if stat.S_ISCHR(os.fstat(fd).st_mode):
                import fcntl  # Linux's: this module is imported on Windows too

                try:  # ours alone: its keys no longer type into other programs
                    fcntl.ioctl(fd, EVIOCGRAB, 1)
                except OSError:
                    self._close(files)
                    return [], Problem("keypad_held", {"device": device})
        return files, None

    def _read(self, files: list[int]) -> Problem | None:
        buffers = dict.fromkeys(files, b"")
        waiting = selectors.DefaultSelector()  # epoll: any descriptor number, unlike select()
        for fd in (*files, self._wake_read):
            waiting.register(fd, selectors.EVENT_READ)
        try:
            while not self._stop.is_set():
                for ready, _ in waiting.select():
                    fd = int(ready.fd)
                    if fd == self._wake_read:
                        return None
                    try:
                        data = os.read(fd, EVENT.size * 64)
                    except OSError as error:
                        if error.errno in (errno.EAGAIN, errno.EINTR):
                            continue
                        return Problem("keypad_unplugged", {"device": str(self.device)})
                    if not data:
                        return Problem("keypad_unplugged", {"device": str(self.device)})
                    data = buffers[fd] + data
                    whole = len(data) - len(data) % EVENT.size
                    buffers[fd] = data[whole:]
                    for action in presses(data[:whole], self._keys):
                        self._pressed(action)
            return None
        finally:
            waiting.close()
            self._close(files)

    @staticmethod
    def _close(files: list[int]) -> None:
        for fd in files:
            os.close(fd)
        files.clear()

    def stop(self) -> None:
        self._stop.set()
        os.write(self._wake_write, b"x")
        self._thread.join(5)
        if not self._thread.is_alive():  # else the thread may still read the pipe
            os.close(self._wake_read)
            os.close(self._wake_write)
