"""An error in a slot or in a worker thread is logged and said calmly; the program
goes on processing events."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from shared.qt.error_guard import CALM_MESSAGE, install

WAIT = 5000


@pytest.fixture
def restored_hooks() -> Iterator[None]:
    hooks = sys.excepthook, threading.excepthook
    yield
    sys.excepthook, threading.excepthook = hooks


@pytest.mark.qt_no_exception_capture
@pytest.mark.usefixtures("restored_hooks")
def test_an_error_in_a_slot_and_in_a_thread_is_logged_and_shown_and_the_program_goes_on(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    shown: list[tuple[str, bool]] = []
    install(lambda text: shown.append((text, threading.current_thread() is
                                       threading.main_thread())))

    def broken_slot() -> None:
        raise ValueError("a bug in a slot")

    with caplog.at_level(logging.ERROR, logger="shared.qt.error_guard"):
        QTimer.singleShot(0, broken_slot)
        qtbot.waitUntil(lambda: len(shown) == 1, timeout=WAIT)

        def broken_worker() -> None:
            raise OSError("a bug in a worker")

        worker = threading.Thread(target=broken_worker)
        worker.start()
        worker.join()
        qtbot.waitUntil(lambda: len(shown) == 2, timeout=WAIT)

    assert shown == [(CALM_MESSAGE, True), (CALM_MESSAGE, True)]  # on the GUI thread
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert [str(r.exc_info[1]) for r in errors if r.exc_info] == [
        "a bug in a slot", "a bug in a worker"]
    ticked: list[int] = []
    QTimer.singleShot(0, lambda: ticked.append(1))  # still running events
    qtbot.waitUntil(lambda: ticked == [1], timeout=WAIT)
