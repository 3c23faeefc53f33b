"""Calling from anywhere: the counter's keys while another program has the focus.

The official spends the day in the national one-stop software; these keys reach
motcua whichever window is in front, and no other program sees them:

- **X11**: the keys are grabbed on the root window (``XGrabKey``, through
  python-xlib), on a connection of our own read by a thread.
- **Windows**: ``RegisterHotKey`` (user32, through ctypes), on a thread with its own
  message loop.
- **Wayland**: no program may take another's keys, by design; we say so, and what to
  do instead (a USB keypad, ``counter.keypad``, or an X11 session).

Each backend reports a press as an ``Action``, from its own thread; ``GlobalKeys``
hands it to the Qt thread. A key another program already holds is said plainly and
the others keep working. Imports QtCore; python-xlib only on X11.
"""

from __future__ import annotations

import logging
import os
import selectors
import sys
import threading
from collections.abc import Callable, Mapping
from typing import Any, Final, Protocol

from PySide6.QtCore import QObject, Signal

from counter import wording
from counter.key_chords import Chord
from counter.queue_state import Action

log = logging.getLogger(__name__)

Press = Callable[[Action], None]

# Why global keys cannot work here: keys of the counter's words (``counter.wording``).
WAYLAND: Final = "keys_wayland"
NO_DISPLAY: Final = "keys_no_display"


class Backend(Protocol):
    @property
    def grabbed(self) -> list[Action]: ...

    def stop(self) -> None: ...


def why_unavailable(environ: Mapping[str, str] = os.environ,
                    platform: str = sys.platform) -> str | None:
    """None where global keys can work; else the key of what to tell the official
    (``WAYLAND``, ``NO_DISPLAY``)."""
    if platform == "win32":
        return None
    if environ.get("XDG_SESSION_TYPE") == "wayland" or environ.get("WAYLAND_DISPLAY"):
        # XWayland's DISPLAY exists, but it sees keys only while an X window has focus.
        return WAYLAND
    return None if environ.get("DISPLAY") else NO_DISPLAY


# --- X11 -------------------------------------------------------------------------------

class X11Keys:
    """The chords grabbed on the X server ``display`` (default: $DISPLAY)."""

    def __init__(self, chords: Mapping[Action, Chord], pressed: Press,
                 problem: Callable[[str], None], display: str | None = None) -> None:
        from Xlib import XK, X
        from Xlib import display as xdisplay
        from Xlib import error as xerror

        self._x = X
        self._pressed = pressed
        self._display = xdisplay.Display(display)
        try:
            self._grab(chords, problem, X, XK, xerror)
        except BaseException:
            self._display.close()
            raise
        self._wake_read, self._wake_write = os.pipe()
        self._thread = threading.Thread(target=self._run, name="x11-keys", daemon=True)
        self._thread.start()

    def _grab(self, chords: Mapping[Action, Chord], problem: Callable[[str], None],
              X: Any, XK: Any, xerror: Any) -> None:  # noqa: N803 (python-xlib's names)
        root = self._display.screen().root
        masks = {"ctrl": X.ControlMask, "alt": X.Mod1Mask, "shift": X.ShiftMask,
                 "super": X.Mod4Mask}
        # Caps Lock and Num Lock must not change what a chord is: grab it with each.
        self._ignored = X.LockMask | X.Mod2Mask
        variants = (0, X.LockMask, X.Mod2Mask, X.LockMask | X.Mod2Mask)
        self._grabs: dict[tuple[int, int], Action] = {}
        for action, keys in chords.items():
            keycode = self._display.keysym_to_keycode(XK.string_to_keysym(
                keys.key.lower() if len(keys.key) == 1 else keys.key))
            if not keycode:
                problem(wording.word("keys_no_such_key", key=keys.key))
                continue
            mask = 0
            for modifier in keys.modifiers:
                mask |= masks[modifier]
            taken = xerror.CatchError(xerror.BadAccess)
            for extra in variants:
                root.grab_key(keycode, mask | extra, False, X.GrabModeAsync, X.GrabModeAsync,
                              onerror=taken)
            self._display.sync()
            if taken.get_error():
                # Some variants may be ours: let them go, or nobody gets the chord.
                for extra in variants:
                    root.ungrab_key(keycode, mask | extra)
                self._display.sync()
                problem(wording.word("keys_taken", chord=keys))
                continue
            self._grabs[keycode, mask] = action
            log.info("global key %s: %s", keys, action.value)

    @property
    def grabbed(self) -> list[Action]:
        return list(self._grabs.values())

    def _run(self) -> None:
        x, display = self._x, self._display
        held: set[int] = set()
        released: dict[int, int] = {}  # keycode → X time of its last release
        waiting = selectors.DefaultSelector()  # epoll: any descriptor number, unlike select()
        waiting.register(display.fileno(), selectors.EVENT_READ)
        waiting.register(self._wake_read, selectors.EVENT_READ)
        try:
            while True:
                if any(key.fd == self._wake_read for key, _ in waiting.select()):
                    return
                while display.pending_events():
                    event = display.next_event()
                    if event.type == x.KeyRelease:
                        held.discard(event.detail)
                        released[event.detail] = event.time
                    elif event.type == x.KeyPress:
                        # A held key repeats: as presses while held, or (without X's
                        # detectable repeat) as a release and a press at the same time.
                        repeat = event.detail in held or released.get(event.detail) == event.time
                        held.add(event.detail)
                        # The modifier bits only: not Caps/Num Lock, buttons or layout group.
                        modifiers = event.state & 0xFF & ~self._ignored
                        action = self._grabs.get((event.detail, modifiers))
                        if action is not None and not repeat:
                            self._pressed(action)
        except Exception as error:  # the X server went away: the window's keys still work
            log.warning("global keys stopped: %r", error)
        finally:
            waiting.close()
            display.close()

    def stop(self) -> None:
        os.write(self._wake_write, b"x")
        self._thread.join(5)
        if not self._thread.is_alive():  # else the thread may still read the pipe
            os.close(self._wake_read)
            os.close(self._wake_write)


# --- Windows ---------------------------------------------------------------------------

_VK_NAMED: Final = {"Pause": 0x13, "Scroll_Lock": 0x91, "Insert": 0x2D, "Home": 0x24,
                    "End": 0x23, "Prior": 0x21, "Next": 0x22, "KP_Add": 0x6B,
                    "KP_Subtract": 0x6D, "KP_Multiply": 0x6A, "KP_Divide": 0x6F}


def windows_key(key: str) -> int:
    """The Windows virtual-key code of a chord's key."""
    if len(key) == 1:
        return ord(key.upper())  # VK_0…VK_9 and VK_A…VK_Z are their ASCII codes
    if key.startswith("F") and key[1:].isdigit():
        return 0x70 + int(key[1:]) - 1  # VK_F1 …
    if key.startswith("KP_") and key[3:].isdigit():
        return 0x60 + int(key[3:])  # VK_NUMPAD0 …
    return _VK_NAMED[key]


class WindowsKeys:
    """The chords as Windows hot keys, on a thread with its own message loop."""

    def __init__(self, chords: Mapping[Action, Chord], pressed: Press,
                 problem: Callable[[str], None]) -> None:
        self._chords, self._pressed, self._problem = dict(chords), pressed, problem
        self._thread_id = 0
        self.grabbed: list[Action] = []
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="windows-keys", daemon=True)
        self._thread.start()
        self._ready.wait(5)

    def _run(self) -> None:
        import ctypes
        from ctypes import wintypes

        user32: Any = ctypes.windll.user32  # type: ignore[attr-defined]
        kernel32: Any = ctypes.windll.kernel32  # type: ignore[attr-defined]
        mods = {"alt": 0x1, "ctrl": 0x2, "shift": 0x4, "super": 0x8}
        no_repeat, hotkey_message = 0x4000, 0x0312
        self._thread_id = kernel32.GetCurrentThreadId()
        actions: dict[int, Action] = {}
        for number, (action, keys) in enumerate(self._chords.items(), 1):
            flags = no_repeat
            for modifier in keys.modifiers:
                flags |= mods[modifier]
            if user32.RegisterHotKey(None, number, flags, windows_key(keys.key)):
                actions[number] = action
                self.grabbed.append(action)
            else:
                self._problem(wording.word("keys_taken", chord=keys))
        self._ready.set()
        message = wintypes.MSG()
        try:
            while user32.GetMessageW(ctypes.byref(message), None, 0, 0) > 0:
                if message.message == hotkey_message and message.wParam in actions:
                    self._pressed(actions[message.wParam])
        finally:
            for number in actions:
                user32.UnregisterHotKey(None, number)

    def stop(self) -> None:
        import ctypes

        quit_message = 0x0012
        self._ready.wait(5)
        if self._thread_id:
            ctypes.windll.user32.PostThreadMessageW(  # type: ignore[attr-defined]
                self._thread_id, quit_message, 0, 0)
            self._thread.join(5)


# --- the Qt side -----------------------------------------------------------------------

class GlobalKeys(QObject):
    """Presses of the global keys, delivered on the Qt thread as ``pressed(Action)``;
    ``problem(str)`` when a key, or all of them, cannot work here."""

    pressed = Signal(object)
    problem = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._backend: Backend | None = None

    def start(self, chords: Mapping[Action, Chord], display: str | None = None,
              environ: Mapping[str, str] = os.environ) -> list[Action]:
        """Take the keys (a signal's emit from another thread is queued to this one);
        the actions whose keys were taken."""
        self.stop()
        why = why_unavailable(environ) if display is None else None
        if why is not None:
            log.warning("%s", wording.english(why))
            self.problem.emit(wording.word(why))
            return []
        try:
            if sys.platform == "win32":
                self._backend = WindowsKeys(chords, self.pressed.emit, self.problem.emit)
            else:
                self._backend = X11Keys(chords, self.pressed.emit, self.problem.emit, display)
        except Exception as error:  # no X server there, or it refused us
            log.warning("%s", wording.english("keys_failed", error=error))
            self.problem.emit(wording.word("keys_failed", error=error))
            return []
        return self._backend.grabbed

    def grabbed(self) -> list[Action]:
        """The actions whose keys are ours now."""
        return [] if self._backend is None else self._backend.grabbed

    def stop(self) -> None:
        if self._backend is not None:
            self._backend.stop()
            self._backend = None
