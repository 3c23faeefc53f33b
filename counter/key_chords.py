"""The keys that work outside the counter's window, written as people write them:
``Ctrl+Alt+1``, ``Pause``, ``Ctrl+Shift+F9``; and which of the official's actions each
one does (``motcua counter --global-keys call_next=Ctrl+Alt+1,recall=Ctrl+Alt+2``).

Only the four actions of the compact strip are offered: each is done at once, with
no dialog, so it makes sense while another program is in front.

Pure: no Qt, no X11, no Windows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from counter.queue_state import Action
from counter.wording import command_line
from shared.core.errors import MotcuaError

REMOTE_ACTIONS: Final = (Action.CALL_NEXT, Action.RECALL, Action.DONE, Action.ABSENT)
ACTION_NAMES: Final = {"call_next": Action.CALL_NEXT, "recall": Action.RECALL,
                       "done": Action.DONE, "absent": Action.ABSENT}
MODIFIERS: Final = ("ctrl", "alt", "shift", "super")
_ALIASES: Final = {"control": "ctrl", "win": "super", "meta": "super", "cmd": "super"}
# The keys a chord may end with, besides a letter or a digit: what X11 and Windows
# both name (F1–F24 too).
NAMED_KEYS: Final = ("Pause", "Scroll_Lock", "Insert", "Home", "End", "Prior", "Next",
                     "KP_0", "KP_1", "KP_2", "KP_3", "KP_4", "KP_5", "KP_6", "KP_7", "KP_8",
                     "KP_9", "KP_Add", "KP_Subtract", "KP_Multiply", "KP_Divide")
# Keys nobody types: they alone may be a global key without Ctrl, Alt or Super.
LONE_KEYS: Final = ("Pause", "Scroll_Lock", *(f"F{n}" for n in range(13, 25)))

# Ctrl+Alt with a digit: no browser, office suite or Vietnamese input method (Unikey,
# ibus-bamboo) uses them, and Ctrl+Alt+F1…F7 would switch Linux's consoles.
DEFAULT_KEYS: Final = "call_next=Ctrl+Alt+1,recall=Ctrl+Alt+2,done=Ctrl+Alt+3,absent=Ctrl+Alt+4"


@dataclass(frozen=True)
class Chord:
    modifiers: frozenset[str]  # of MODIFIERS
    key: str  # "1", "A", "F9", "Pause", "KP_1"

    def __str__(self) -> str:
        return "+".join([*(m.capitalize() for m in MODIFIERS if m in self.modifiers),
                         self.key])


def chord(text: str) -> Chord:
    """``Ctrl+Alt+1`` → Chord; a clear error for anything else."""
    parts = [p.strip() for p in text.split("+")]
    if not text.strip() or any(not p for p in parts):
        raise MotcuaError(command_line("cli_chord_shape", chord=repr(text)))
    *mods, key = parts
    modifiers = {_ALIASES.get(m.lower(), m.lower()) for m in mods}
    unknown = sorted(modifiers - set(MODIFIERS))
    if unknown:
        raise MotcuaError(command_line("cli_chord_modifier", chord=repr(text),
                                       keys=", ".join(unknown)))
    found = Chord(frozenset(modifiers), _key(key, text))
    if not found.modifiers & {"ctrl", "alt", "super"} and found.key not in LONE_KEYS:
        # Taken from the whole desktop, a bare "1" or "Shift+A" could no longer be typed.
        raise MotcuaError(command_line("cli_chord_alone", chord=repr(text)))
    return found


def _key(key: str, text: str) -> str:
    if len(key) == 1 and key.isascii() and key.isalnum():
        return key.upper()
    if key[:1] in "Ff" and key[1:].isdigit() and 1 <= int(key[1:]) <= 24:
        return f"F{int(key[1:])}"
    for name in NAMED_KEYS:
        if key.lower().replace("_", "") == name.lower().replace("_", ""):
            return name
    raise MotcuaError(command_line("cli_chord_key", chord=repr(text), key=repr(key),
                                   named=", ".join(NAMED_KEYS)))


def bindings(text: str) -> dict[Action, Chord]:
    """``call_next=Ctrl+Alt+1,recall=Ctrl+Alt+2`` → each action's chord. Every action
    named once, every chord used once."""
    found: dict[Action, Chord] = {}
    for item in filter(None, (i.strip() for i in text.split(","))):
        name, sep, keys = item.partition("=")
        action = ACTION_NAMES.get(name.strip().lower())
        if not sep or action is None:
            raise MotcuaError(command_line("cli_binding_shape", item=repr(item),
                                           names=", ".join(ACTION_NAMES)))
        if action in found:
            raise MotcuaError(command_line("cli_binding_twice", name=repr(name.strip())))
        found[action] = chord(keys)
    chords = list(found.values())
    for each in chords:
        if chords.count(each) > 1:
            raise MotcuaError(command_line("cli_chord_twice", chord=each))
    return found
