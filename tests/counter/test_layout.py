"""The counter's window never cuts or overlaps a word, at any size it is run at: the
demo's, a small laptop's, a full-HD and a 4K screen (issue 16), in Vietnamese and in
English (``motcua counter --language en``), and it is never made smaller than its
content needs."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from counter import wording
from counter.queue_state import Action
from counter.window import OfficeName
from tests.conftest import ThreadedServer
from tests.counter.conftest import WAIT, OpenCounter
from tests.layout_check import problems

COUNTER_SIZES = [(760, 640), (1024, 600), (1280, 720), (1366, 768), (1920, 1080),
                 (3840, 2160)]  # the demo's first
# What the official must read in each language, serving A001: the call-next button, a
# panel's caption, the service by its name, the compact button, the status line.
WORDS = {
    "vi": ("Gọi số tiếp theo", "ĐANG CHỜ", "Tư pháp – Hộ tịch", "Thu gọn",
           "Đã gọi số A001 — Tư pháp – Hộ tịch."),
    "en": ("Call next", "WAITING", "Justice – Civil status", "Shrink",
           "Called A001 — Justice – Civil status."),
}


@pytest.fixture(params=["vi", "en"])
def language(request: pytest.FixtureRequest) -> Iterator[str]:
    """The counter's language, chosen at its start (``motcua counter --language``)."""
    wording.use(request.param)
    yield request.param
    wording.use("vi")


def shown_texts(window: QWidget) -> str:
    """Every label the official can see, one per line."""
    return "\n".join(label.text() for label in window.findChildren(QLabel)
                     if label.isVisibleTo(window) and label.text())


@pytest.mark.parametrize("size", COUNTER_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_no_text_is_cut_or_overlaps_at_any_size(
    qtbot: QtBot, open_counter: OpenCounter, issue: Callable[..., str],
    server_thread: ThreadedServer, size: tuple[int, int], language: str,
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
    shown = shown_texts(window)
    for words in WORDS[language]:
        assert words in shown, (words, shown)
    assert window.buttons[Action.CALL_NEXT].text_label.text() == WORDS[language][0]


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


def test_a_long_office_name_gives_way_with_an_ellipsis_not_a_cut(qtbot: QtBot) -> None:
    header = QWidget()
    qtbot.addWidget(header)
    name = OfficeName(header)
    whole = "UBND Phường Bến Nghé, Quận 1, Thành phố Hồ Chí Minh"
    name.set_name(whole)
    header.resize(140, 30)
    name.resize(140, 30)
    header.show()
    QApplication.processEvents()
    assert name.text().endswith("…")
    assert whole.startswith(name.text()[:-1])
    assert name.toolTip() == whole  # the whole name, on hovering
    assert problems(header) == []
    name.resize(1000, 30)
    assert name.text() == whole
