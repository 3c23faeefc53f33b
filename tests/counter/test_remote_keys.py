"""Calling from anywhere (issue 17): the official's keys work while another program —
the national one-stop software — has the focus, and that program never sees them.

On a real X server (Xvfb, no window manager): another client's window holds the
focus, XTest types the chord as a keyboard would, and the counter calls the next
citizen. The keypad is read from a stream of the kernel's own events, the same bytes
a USB keypad's /dev/input node gives."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from Xlib import XK, X
from Xlib import display as xdisplay
from Xlib.ext import xtest

from counter import keypad
from counter.global_keys import WAYLAND
from counter.key_chords import DEFAULT_KEYS, bindings
from counter.keypad import DEFAULT_KEYPAD_KEYS, EV_KEY, EVENT, UsbId, key_map, presses
from counter.queue_state import Action
from tests.counter.conftest import WAIT, OpenCounter

SYN = EVENT.pack(0, 0, 0, 0, 0)


class OtherProgram:
    """Another X client with a focused window of its own, noting the keys it gets."""

    def __init__(self, display: str) -> None:
        self.display = xdisplay.Display(display)
        screen = self.display.screen()
        self.window = screen.root.create_window(
            0, 0, 800, 600, 0, screen.root_depth,
            event_mask=X.KeyPressMask | X.KeyReleaseMask | X.FocusChangeMask)
        self.window.map()
        self.window.set_input_focus(X.RevertToParent, X.CurrentTime)
        self.display.sync()

    def keycode(self, name: str) -> int:
        return int(self.display.keysym_to_keycode(XK.string_to_keysym(name)))

    def type_chord(self, *names: str) -> None:
        """Press the keys in order and release them in reverse, as fingers do."""
        codes = [self.keycode(n) for n in names]
        for code in codes:
            xtest.fake_input(self.display, X.KeyPress, code)
        for code in reversed(codes):
            xtest.fake_input(self.display, X.KeyRelease, code)
        self.display.sync()

    def keys_received(self) -> list[int]:
        got = []
        while self.display.pending_events():
            event = self.display.next_event()
            if event.type == X.KeyPress:
                got.append(event.detail)
        return got

    def grab(self, *names: str, num_lock: bool = False) -> None:
        """Hold a chord, as a program that took it first would (only with Num Lock on,
        with ``num_lock``)."""
        *mods, key = names
        mask = X.ControlMask if "Control_L" in mods else 0
        mask |= X.Mod2Mask if num_lock else 0
        mask |= X.Mod1Mask if "Alt_L" in mods else 0
        self.display.screen().root.grab_key(self.keycode(key), mask, False,
                                            X.GrabModeAsync, X.GrabModeAsync)
        self.display.sync()

    def close(self) -> None:
        self.display.close()


@pytest.fixture
def other_program(bare_x_server: str) -> Iterator[OtherProgram]:
    other = OtherProgram(bare_x_server)
    yield other
    other.close()


def test_a_global_key_calls_the_next_citizen_while_another_program_has_the_focus(
    qtbot: QtBot, bare_x_server: str, other_program: OtherProgram,
    open_counter: OpenCounter, issue: Callable[..., str],
) -> None:
    issue("A")
    issue("A")
    counter = open_counter(1)
    assert counter.program.remote_keys.use_global_keys(bindings(DEFAULT_KEYS),
                                                       display=bare_x_server)
    assert "Ctrl+Alt+1: Gọi số tiếp theo; Ctrl+Alt+2: Gọi lại" in counter.controller.last_message[0]

    other_program.type_chord("Control_L", "Alt_L", "1")
    qtbot.waitUntil(lambda: counter.shown_number() == "A001", timeout=WAIT)
    counter.settle()
    other_program.type_chord("Control_L", "Alt_L", "3")  # done
    qtbot.waitUntil(lambda: counter.shown_number() != "A001", timeout=WAIT)
    other_program.type_chord("Control_L", "Alt_L", "1")
    qtbot.waitUntil(lambda: counter.shown_number() == "A002", timeout=WAIT)

    one = other_program.keycode("1")
    three = other_program.keycode("3")
    received = other_program.keys_received()
    assert one not in received  # the national software never saw the digits
    assert three not in received
    other_program.type_chord("1")  # a 1 typed alone is the other program's, as always
    qtbot.waitUntil(lambda: one in other_program.keys_received(), timeout=WAIT)
    assert counter.shown_number() == "A002"


def test_a_chord_another_program_holds_is_said_and_the_others_still_work(
    qtbot: QtBot, bare_x_server: str, other_program: OtherProgram,
    open_counter: OpenCounter, issue: Callable[..., str],
) -> None:
    issue("A")
    other_program.grab("Control_L", "Alt_L", "2")
    counter = open_counter(1)
    said: list[str] = []
    counter.controller.message.connect(lambda text, _error: said.append(text))

    assert not counter.program.remote_keys.use_global_keys(bindings(DEFAULT_KEYS),
                                                           display=bare_x_server)
    assert any("Ctrl+Alt+2 đang được chương trình khác dùng" in text for text in said), said
    # What stays on the status line is the problem, not a list that includes the key.
    assert "Ctrl+Alt+2 đang được chương trình khác dùng" in counter.controller.last_message[0]
    assert counter.program.remote_keys.global_keys.grabbed() == [
        Action.CALL_NEXT, Action.DONE, Action.ABSENT]
    other_program.type_chord("Control_L", "Alt_L", "1")
    qtbot.waitUntil(lambda: counter.shown_number() == "A001", timeout=WAIT)


def test_a_chord_half_held_by_another_program_is_let_go_not_lost(
    qtbot: QtBot, bare_x_server: str, other_program: OtherProgram, open_counter: OpenCounter,
) -> None:
    """The other program holds Ctrl+Alt+2 only with Num Lock on: we cannot have the
    chord whole, so we keep none of it, and with Num Lock off it still reaches the
    window in front."""
    other_program.grab("Control_L", "Alt_L", "2", num_lock=True)
    counter = open_counter(1)
    counter.program.remote_keys.use_global_keys(bindings(DEFAULT_KEYS), display=bare_x_server)
    assert Action.RECALL not in counter.program.remote_keys.global_keys.grabbed()

    other_program.type_chord("Control_L", "Alt_L", "2")
    two = other_program.keycode("2")
    qtbot.waitUntil(lambda: two in other_program.keys_received(), timeout=WAIT)


def test_a_key_for_an_action_that_does_not_apply_now_says_so(
    qtbot: QtBot, bare_x_server: str, other_program: OtherProgram, open_counter: OpenCounter,
) -> None:
    counter = open_counter(1)
    counter.program.remote_keys.use_global_keys(bindings(DEFAULT_KEYS), display=bare_x_server)
    other_program.type_chord("Control_L", "Alt_L", "3")  # done, with nobody called
    qtbot.waitUntil(lambda: counter.controller.last_message
                    == ("Hoàn thành: chưa làm được lúc này.", True), timeout=WAIT)


def test_under_wayland_the_official_is_told_what_to_do_instead(
    open_counter: OpenCounter,
) -> None:
    counter = open_counter(1)
    started = counter.program.remote_keys.use_global_keys(
        bindings(DEFAULT_KEYS), environ={"XDG_SESSION_TYPE": "wayland", "DISPLAY": ":0"})
    assert not started
    said, problem = counter.controller.last_message
    assert problem
    assert said.startswith("Phím tắt toàn cục không dùng được trong phiên Wayland")
    assert "--keypad" in said
    assert "Xorg" in said
    assert WAYLAND == "keys_wayland"  # the text of counter.wording said


# --- the USB keypad -------------------------------------------------------------------


def test_the_kernels_event_layout() -> None:
    """struct input_event on 64-bit Linux, as the kernel writes it: 24 bytes, time
    (two longs), type, code, value — written here by hand, not with our own struct."""
    kp1_pressed = (b"\x10\x00\x00\x00\x00\x00\x00\x00" b"\x20\x00\x00\x00\x00\x00\x00\x00"
                   b"\x01\x00" b"\x4f\x00" b"\x01\x00\x00\x00")
    assert EVENT.size == 24
    assert presses(kp1_pressed, key_map(DEFAULT_KEYPAD_KEYS)) == [Action.CALL_NEXT]


def key(code: int, value: int) -> bytes:
    now = time.time()
    return EVENT.pack(int(now), int(now % 1 * 1e6), EV_KEY, code, value) + SYN


def test_a_keypad_only_motcua_reads_calls_and_finishes(
    qtbot: QtBot, open_counter: OpenCounter, issue: Callable[..., str], tmp_path: Path,
) -> None:
    issue("A")
    issue("A")
    node = tmp_path / "event7"  # as /dev/input/event7 gives them
    os.mkfifo(node)
    counter = open_counter(1)
    said: list[str] = []
    counter.controller.message.connect(lambda text, _error: said.append(text))
    counter.program.remote_keys.use_keypad(UsbId(0x1A86, 0xE026), key_map(DEFAULT_KEYPAD_KEYS),
                                           nodes=lambda: [node])
    keypad = os.open(node, os.O_WRONLY)  # the keypad plugged in
    qtbot.waitUntil(lambda: any("Đã nhận bàn phím số 1a86:e026" in t for t in said),
                    timeout=WAIT)

    kp1, kp3 = 79, 81
    # A press held down repeats (value 2), then is released: one call, not three.
    os.write(keypad, key(kp1, 1) + key(kp1, 2) + key(kp1, 2) + key(kp1, 0))
    qtbot.waitUntil(lambda: counter.shown_number() == "A001", timeout=WAIT)
    counter.settle()
    # Events may arrive cut anywhere: half an event now, the rest later.
    data = key(kp3, 1) + key(kp3, 0)
    os.write(keypad, data[:10])
    os.write(keypad, data[10:])
    qtbot.waitUntil(lambda: counter.controller.last_message[0] != "" and
                    counter.shown_number() != "A001", timeout=WAIT)
    assert counter.window.status.text()  # the official sees where things stand

    os.close(keypad)  # unplugged
    qtbot.waitUntil(lambda: any("đã bị rút ra" in t for t in said), timeout=WAIT)
    node.unlink()


def test_a_keypad_that_is_not_there_is_said_once(
    qtbot: QtBot, open_counter: OpenCounter, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(keypad, "LOOK_AGAIN_SECONDS", 0.01)
    looks: list[int] = []

    def nodes() -> list[Path]:
        looks.append(1)
        return []

    counter = open_counter(1)
    said: list[str] = []
    counter.controller.message.connect(lambda text, _error: said.append(text))
    counter.program.remote_keys.use_keypad(UsbId(0x1A86, 0xE026), key_map(DEFAULT_KEYPAD_KEYS),
                                           nodes=nodes)
    qtbot.waitUntil(lambda: len(looks) >= 20, timeout=WAIT)  # looked for again and again …
    assert sum("Không thấy bàn phím số 1a86:e026" in text for text in said) == 1  # … said once
    assert counter.controller.last_message[1] is True  # shown as a problem to fix
