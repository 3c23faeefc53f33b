"""The words the counter says, in Vietnamese and in English (``--language en``): times,
the status line's sentences, the labels. Pure, no Qt, no server. (Today's figures
themselves are the server's: tests/shared/test_office_service.py.)"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import msgspec
import pytest

from counter import wording
from counter.queue_state import Action, ServiceLine
from shared.core import wire

HANOI = timezone(timedelta(hours=7))
NINE = datetime(2026, 11, 23, 9, 0, tzinfo=HANOI)


def ticket(number: str, status: str, counter: int | None = 1, **more: Any) -> wire.Ticket:
    return msgspec.convert({
        "number": number, "service": number[0], "service_name": number[0], "status": status,
        "counter": counter, "issued_at": NINE.isoformat(), "called_at": NINE.isoformat(),
        **more,
    }, wire.Ticket)


@pytest.mark.parametrize(("seconds", "text"), [
    (0, "0:00"), (42, "0:42"), (725, "12:05"), (3723, "1:02:03"), (-5, "0:00"),
])
def test_the_running_clock(seconds: int, text: str) -> None:
    assert wording.elapsed_text(seconds) == text


@pytest.mark.parametrize(("seconds", "text"), [
    (None, "—"), (44.6, "45 giây"), (390, "6 phút 30 giây"), (360, "6 phút"),
    (61, "1 phút 01 giây"),
])
def test_the_mean_service_time_in_words(seconds: float | None, text: str) -> None:
    assert wording.duration_text(seconds) == text


@pytest.fixture
def english() -> Iterator[None]:
    """A counter started with ``--language en``."""
    wording.use("en")
    yield
    wording.use("vi")


@pytest.mark.parametrize(("seconds", "text"), [
    (None, "—"), (44.6, "45 s"), (390, "6 min 30 s"), (360, "6 min"), (61, "1 min 01 s"),
])
def test_the_mean_service_time_in_english(english: None, seconds: float | None,
                                          text: str) -> None:
    assert wording.duration_text(seconds) == text


def test_the_status_line_in_vietnamese() -> None:
    absent = ticket("A003", "absent")
    assert wording.called(ticket("A001", "called"), "Hộ tịch", recall=False) == (
        "Đã gọi số A001 — Hộ tịch.")
    assert wording.done(absent, Action.ABSENT, "Hộ tịch") == (
        "Số A003: công dân vắng mặt. Nếu công dân quay lại, đưa số vào hàng trong danh sách "
        "(F9).")
    assert wording.paused(True) == ("Quầy đang tạm dừng. Bấm Tiếp tục (F8) hoặc Gọi số tiếp "
                                    "theo (F1) để mở lại.")


def test_the_status_line_in_english(english: None) -> None:
    called = ticket("A001", "called", recalls=2)
    assert wording.called(called, "Civil status", recall=False) == "Called A001 — Civil status."
    assert wording.called(called, "Civil status", recall=True) == "Recalled A001 (recall 2)."
    assert wording.finished_then("A000", wording.called(called, "Civil status", recall=False)) \
        == "Finished A000. Called A001 — Civil status."
    assert wording.done(ticket("A003", "absent"), Action.ABSENT, "Civil status") == (
        "A003: the citizen is absent. If they come back, put the number back in the queue "
        "from the list (F9).")
    assert wording.done(ticket("B002", "waiting", ahead=3), Action.RETURN, "Land") == (
        "Put B002 back in the queue (3 ahead of it).")
    assert wording.paused(True) == ("The counter is paused. Press Resume (F8) or Call next (F1) "
                                    "to open it again.")
    assert wording.signed(wire.Official(id="an", name="Nguyễn Văn An"), 2) == (
        "Nguyễn Văn An signed in at counter 2.")  # the name as the office wrote it


def test_labels_are_looked_up_in_the_language_chosen_at_the_start() -> None:
    assert wording.label(Action.CALL_NEXT) == "Gọi số tiếp theo"
    assert wording.label(Action.PARK) == "Chờ\u00a0bổ\u00a0sung hồ\u00a0sơ"  # kept whole
    wording.use("en")
    try:
        assert wording.label(Action.CALL_NEXT) == "Call next"
        assert wording.label(Action.PARK) == "Waiting for documents"
        assert wording.status_word("parked") == "Waiting for documents"
        assert wording.link_word("offline") == "Offline"
    finally:
        wording.use("vi")
    assert wording.label(Action.CALL_NEXT) == "Gọi số tiếp theo"


def test_the_offices_names_in_english_come_from_name_en(english: None) -> None:
    assert wording.service_name(ServiceLine("A", "Tư pháp – Hộ tịch", name_en="Justice")) == (
        "Justice")
    assert wording.service_name(ServiceLine("Z", "Đất đai")) == "Đất đai"  # no name_en
    wording.use("vi")
    assert wording.service_name(ServiceLine("A", "Tư pháp – Hộ tịch", name_en="Justice")) == (
        "Tư pháp – Hộ tịch")


def test_a_command_line_mistake_is_said_in_the_command_lines_language(
        english: None, monkeypatch: pytest.MonkeyPatch) -> None:
    # The screen is English here (--language en); the command line is not asked to be.
    monkeypatch.delenv("MOTCUA_LANG", raising=False)
    assert wording.command_line("cli_chord_twice", chord="Pause") == (
        "Phím tắt Pause dùng cho hai việc.")
    monkeypatch.setenv("MOTCUA_LANG", "en")
    assert wording.command_line("cli_chord_twice", chord="Pause") == (
        "Shortcut Pause is given to two actions.")
