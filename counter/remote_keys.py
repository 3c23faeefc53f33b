"""The official's keys from outside the counter's window — global shortcuts and a USB
keypad — doing exactly what the window's own keys do: they trigger the same QActions,
so an action that does not apply now (``done`` with nobody called) does nothing here
either, and the official is told why on the status line.

Imports QtCore; the backends are ``counter.global_keys`` and ``counter.keypad``.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from counter import wording
from counter.actions import CounterActions
from counter.controller import CounterController
from counter.global_keys import GlobalKeys
from counter.key_chords import Chord
from counter.keypad import Keypad, UsbId
from counter.queue_state import Action

log = logging.getLogger(__name__)


class RemoteKeys(QObject):
    # The keypad's thread hands its presses and news to the Qt thread through these.
    _keypad_pressed = Signal(object)
    _keypad_said = Signal(str, bool)  # text, is a problem

    def __init__(self, actions: CounterActions, controller: CounterController,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.actions, self.controller = actions, controller
        self.global_keys = GlobalKeys(self)
        self.global_keys.pressed.connect(self.press)
        self.global_keys.problem.connect(controller.report_problem)
        self._keypad: Keypad | None = None
        self._keypad_pressed.connect(self.press)
        self._keypad_said.connect(self._keypad_news)

    def use_global_keys(self, chords: Mapping[Action, Chord], display: str | None = None,
                        environ: Mapping[str, str] = os.environ) -> bool:
        """Whether every chord was taken. A chord that was not is said (and stays said:
        no list of the others over it)."""
        grabbed = self.global_keys.start(chords, display, environ)
        if grabbed and len(grabbed) == len(chords):
            listing = "; ".join(f"{keys}: {wording.label(action)}"
                                for action, keys in chords.items())
            self.controller.inform(wording.word("keys_ready", listing=listing))
        return len(grabbed) == len(chords)

    def use_keypad(self, device: UsbId, keys: Mapping[int, Action], *,
                   nodes: Callable[[], Iterable[Path]] | None = None) -> None:
        self._keypad = Keypad(device, keys, self._keypad_pressed.emit, self._keypad_said.emit,
                              nodes=nodes)

    def _keypad_news(self, text: str, problem: bool) -> None:
        if problem:
            self.controller.report_problem(text)
        else:
            self.controller.inform(text)

    def press(self, action: Action) -> None:
        qaction = self.actions[action]
        if qaction.isEnabled():
            log.info("%s from outside the window", action.value)
            qaction.trigger()
        else:
            self.controller.report_problem(wording.word("not_now", action=wording.label(action)))

    def stop(self) -> None:
        self.global_keys.stop()
        if self._keypad is not None:
            self._keypad.stop()
            self._keypad = None
