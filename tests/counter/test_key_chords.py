"""The keys written on the command line: what an IT person types is understood, or
refused in one plain line that says what to write instead."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from counter.global_keys import NO_DISPLAY, WAYLAND, why_unavailable, windows_key
from counter.key_chords import DEFAULT_KEYS, Chord, bindings, chord
from counter.keypad import DEFAULT_KEYPAD_KEYS, EV_KEY, EVENT, UsbId, find_nodes, key_map, presses
from counter.queue_state import Action
from shared.core.errors import MotcuaError


@pytest.mark.parametrize(("text", "expected"), [
    ("Ctrl+Alt+1", Chord(frozenset({"ctrl", "alt"}), "1")),
    ("control + ALT + f9", Chord(frozenset({"ctrl", "alt"}), "F9")),
    ("Pause", Chord(frozenset(), "Pause")),
    ("Win+kp_1", Chord(frozenset({"super"}), "KP_1")),
    ("Shift+Ctrl+q", Chord(frozenset({"ctrl", "shift"}), "Q")),
    ("F13", Chord(frozenset(), "F13")),
])
def test_chords_are_read_as_people_write_them(text: str, expected: Chord) -> None:
    assert chord(text) == expected


def test_a_chord_is_written_back_in_one_order() -> None:
    assert str(chord("alt+ctrl+1")) == "Ctrl+Alt+1"


@pytest.mark.parametrize(("text", "said"), [
    ("", "viết như Ctrl+Alt+1"),
    ("Ctrl++1", "viết như Ctrl+Alt+1"),
    ("Hyper+1", "không biết phím hyper"),
    ("Ctrl+Alt+Đ", "không biết phím 'Đ'"),
    ("Ctrl+F25", "không biết phím 'F25'"),
    ("1", "cần có Ctrl, Alt hoặc Super"),
    ("Shift+KP_1", "cần có Ctrl, Alt hoặc Super"),
    ("F9", "cần có Ctrl, Alt hoặc Super"),
])
def test_a_wrong_chord_says_what_to_write(text: str, said: str) -> None:
    with pytest.raises(MotcuaError, match=re.escape(said)):
        chord(text)


def test_the_default_keys_are_the_strips_four_actions() -> None:
    assert bindings(DEFAULT_KEYS) == {
        Action.CALL_NEXT: chord("Ctrl+Alt+1"), Action.RECALL: chord("Ctrl+Alt+2"),
        Action.DONE: chord("Ctrl+Alt+3"), Action.ABSENT: chord("Ctrl+Alt+4")}
    assert bindings("done=Pause") == {Action.DONE: chord("Pause")}


@pytest.mark.parametrize(("text", "said"), [
    ("transfer=Ctrl+Alt+5", "TÊN là call_next, recall, done, absent"),
    ("call_next", "viết TÊN=PHÍM"),
    ("done=Pause,done=Ctrl+Alt+3", "'done' có hai phím tắt"),
    ("done=Pause,recall=pause", "Pause dùng cho hai việc"),
])
def test_wrong_bindings_say_why(text: str, said: str) -> None:
    with pytest.raises(MotcuaError, match=re.escape(said)):
        bindings(text)


@pytest.mark.parametrize(("environ", "expected"), [
    ({"DISPLAY": ":0", "XDG_SESSION_TYPE": "x11"}, None),
    ({"DISPLAY": ":0", "XDG_SESSION_TYPE": "wayland"}, WAYLAND),
    ({"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}, WAYLAND),
    ({}, NO_DISPLAY),
])
def test_where_global_keys_cannot_work_it_is_said(environ: dict[str, str],
                                                   expected: str | None) -> None:
    assert why_unavailable(environ, "linux") == expected
    assert why_unavailable(environ, "win32") is None


def test_windows_virtual_keys() -> None:
    assert [windows_key(k) for k in ("1", "A", "F1", "F12", "KP_3", "Pause")] == [
        0x31, 0x41, 0x70, 0x7B, 0x63, 0x13]
    assert windows_key(chord("Ctrl+Alt+Scroll_Lock").key) == 0x91


# --- the keypad -----------------------------------------------------------------------


def test_keypad_keys_by_evtest_name_or_number() -> None:
    keys = key_map(DEFAULT_KEYPAD_KEYS)
    assert keys[79] is keys[96] is keys[28] is Action.CALL_NEXT  # KP1, KP Enter, Enter
    assert (keys[80], keys[81], keys[75]) == (Action.RECALL, Action.DONE, Action.ABSENT)
    assert key_map("call_next=KEY_B,done=183") == {48: Action.CALL_NEXT, 183: Action.DONE}
    with pytest.raises(MotcuaError, match="KEY_KP1 dùng cho hai việc"):
        key_map("call_next=KEY_KP1,done=KEY_KP1")
    with pytest.raises(MotcuaError, match="PHÍM như evtest"):
        key_map("call_next=KEY_NOPE")


def event(kind: int, code: int, value: int) -> bytes:
    return EVENT.pack(0, 0, kind, code, value)


def test_only_presses_count_not_repeats_releases_or_other_events() -> None:
    keys = {79: Action.CALL_NEXT, 81: Action.DONE}
    data = (event(EV_KEY, 79, 1) + event(0, 0, 0) + event(EV_KEY, 79, 2) + event(EV_KEY, 79, 0)
            + event(4, 4, 458840) + event(EV_KEY, 30, 1) + event(EV_KEY, 81, 1))
    assert presses(data, keys) == [Action.CALL_NEXT, Action.DONE]


def test_the_keypad_is_found_by_its_usb_id(tmp_path: Path) -> None:
    sys_input = tmp_path / "sys"
    for name, vendor, product in (("event3", "046d", "c31c"), ("event7", "1a86", "e026"),
                                  ("event8", "1a86", "e026")):
        ids = sys_input / name / "device" / "id"
        ids.mkdir(parents=True)
        (ids / "vendor").write_text(vendor + "\n")
        (ids / "product").write_text(product + "\n")
    (sys_input / "mouse0").mkdir()
    assert find_nodes(UsbId(0x1A86, 0xE026), sys_input, Path("/dev/input")) == [
        Path("/dev/input/event7"), Path("/dev/input/event8")]
    assert find_nodes(UsbId(0x1234, 0x5678), sys_input) == []
