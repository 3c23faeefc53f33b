"""The hall display paints every word itself (no labels): all it paints is checked at
the sizes it runs at — the demo's strip, small and full-HD TVs, portrait, 4K — for
text that is cut, elided, overlapping or too small to read (issue 16)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from display import painting, wording
from tests.conftest import ThreadedServer
from tests.display.conftest import WAIT, MakeDisplay, act, issue
from tests.layout_check import PaintedText

DISPLAY_SIZES = [(1536, 540), (1024, 600), (1366, 768), (1920, 1080), (1080, 1920),
                 (3840, 2160)]  # the demo's first
SMALLEST_PX = 12  # the staff's note about the voice; everything a citizen reads is larger


@pytest.fixture(params=["vi", "en"])
def language(request: pytest.FixtureRequest) -> Iterator[str]:
    """The display's language, chosen at its start (``motcua display --language``)."""
    wording.use(request.param)
    yield request.param
    wording.use("vi")


@pytest.mark.parametrize("size", DISPLAY_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_nothing_painted_is_cut_elided_overlapping_or_tiny(
    qtbot: QtBot, make_display: MakeDisplay, server_thread: ThreadedServer,
    size: tuple[int, int], language: str,
) -> None:
    rig = make_display()
    issue(server_thread, *"ABCEABCE")
    for counter in (1, 2, 3, 4):
        act(server_thread, counter)
    window = rig.program.window
    qtbot.waitUntil(lambda: len(rig.program.controller.hall.recent) >= 4, timeout=WAIT)
    window.resize(*size)
    with PaintedText() as painted:
        window.grab()
    assert painted.drawn  # it did paint
    assert painted.problems(smallest_px=SMALLEST_PX) == []
    texts = {text for *_, text, _, _ in painted.drawn}
    words = {"vi": ("QUẦY ĐANG PHỤC VỤ", "Tư pháp – Hộ tịch"),
             "en": ("COUNTERS", "Justice – Civil status")}[language]
    assert set(words) <= texts, texts  # the titles, and a service by its name


class _Cramped(QWidget):
    """Paints a long name into a box far too small for it, as a broken panel would."""

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painting.draw(painter, QRectF(0, 0, 60, 20), "Tư pháp – Hộ tịch",
                      painting.font(30), "white")
        painter.end()


def test_the_check_sees_cut_and_elided_text(qtbot: QtBot) -> None:
    cramped = _Cramped()
    qtbot.addWidget(cramped)
    cramped.resize(200, 100)
    with PaintedText() as painted:
        cramped.grab()
        shown = painting.elided("Quầy tiếp nhận và trả kết quả", painting.font(40), 120)
    found = painted.problems(smallest_px=SMALLEST_PX)
    assert found[0].startswith("“Quầy tiếp nhận và trả kết quả” is elided to")
    assert shown in found[0]
    assert found[1].startswith("“Tư pháp – Hộ tịch” is cut:")
