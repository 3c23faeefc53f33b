"""The counter's window never cuts or overlaps a word, at any size it is run at: the
demo's, a small laptop's, a full-HD and a 4K screen (issue 16), and it is never made
smaller than its content needs."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from counter.queue_state import Action
from tests.conftest import ThreadedServer
from tests.counter.conftest import WAIT, OpenCounter
from tests.layout_check import problems

COUNTER_SIZES = [(760, 640), (1024, 600), (1280, 720), (1366, 768), (1920, 1080),
                 (3840, 2160)]  # the demo's first


@pytest.mark.parametrize("size", COUNTER_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_no_text_is_cut_or_overlaps_at_any_size(
    qtbot: QtBot, open_counter: OpenCounter, issue: Callable[..., str],
    server_thread: ThreadedServer, size: tuple[int, int],
) -> None:
    for service in "ABAC":  # C: nobody serves it, so the alerts have a line
        issue(service)
    server_thread.request("kiosk", "printer_fault", fault=True, message="Máy in hết giấy",
                          client_id="kiosk-sanh-chinh")
    counter = open_counter(1)
    window = counter.window
    window.resize(*size)
    qtbot.waitUntil(lambda: window.banner.isVisible(), timeout=WAIT)
    found = [f"idle: {p}" for p in problems(window)]
    window.buttons[Action.CALL_NEXT].click()
    qtbot.waitUntil(lambda: counter.controller.current is not None, timeout=WAIT)
    QApplication.processEvents()  # the layouts settle: one pass of events
    found += [f"serving: {p}" for p in problems(window)]
    assert found == []


def test_the_window_is_never_smaller_than_what_it_shows(
    qtbot: QtBot, open_counter: OpenCounter,
) -> None:
    # It was 760×560 at least, while its panels needed about 606 pixels: they were
    # squeezed into each other in the demo.
    window = open_counter(1).window
    window.resize(760, 400)
    QApplication.processEvents()
    assert window.height() >= window.layout().minimumSize().height()
    assert problems(window) == []
