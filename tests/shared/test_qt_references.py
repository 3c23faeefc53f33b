"""Guards the Qt binding itself: PySide6 6.12 on Python 3.11 dropped a reference to
None on every Qt call returning nothing, and to True on every signal emitted, so a
screen that repaints aborted within minutes ("deallocating None"). pyproject.toml
keeps that release out; this test fails if a broken binding comes back."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

CALLS = 500


class Emitter(QObject):
    ticked = Signal(int)


def test_qt_calls_and_signals_keep_their_references(qtbot) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    emitter = Emitter()
    received: list[int] = []
    emitter.ticked.connect(received.append)

    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for n in range(CALLS):
        widget.update()
        emitter.ticked.emit(n)
    assert len(received) == CALLS
    # A few references come and go with the interpreter's own work; a broken
    # binding loses one per call.
    assert sys.getrefcount(None) - none_before > -CALLS // 2
    assert sys.getrefcount(True) - true_before > -CALLS // 2
