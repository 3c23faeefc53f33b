"""``motcua kiosk`` as an office with one PC runs it: built from the command line, it finds
no server, starts its own, shows the start screen; when that server dies it says calmly
that the system is interrupted, starts it again and comes back by itself."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk import server_link
from kiosk.app import build
from kiosk.controller import Page
from shared.cli.main import build_parser
from shared.lan.health import answers
from tests.conftest import ThreadedServer
from tests.kiosk.office_file import office_file
from tests.kiosk.rig import visible_texts

START = 30_000  # ms: a child Python process, a database, the zeroconf duplicate check


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="kills the server like a crash")
def test_a_one_pc_office_kiosk_runs_its_own_server_and_recovers_when_it_dies(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(server_link, "WATCH_SECONDS", 0.3)
    config, _office_id, port = office_file(tmp_path)
    args = build_parser().parse_args([
        "kiosk", "--config", str(config), "--data-dir", str(tmp_path / "data"),
        "--windowed", "--size", "1280x720", "--printer", "none",
    ])
    kiosk = build(args)
    try:
        kiosk.start()
        assert kiosk.window.isVisible()
        assert not kiosk.touch
        assert "Đang khởi động hệ thống…" in visible_texts(kiosk.window)

        qtbot.waitUntil(lambda: kiosk.controller.page is Page.MENU, timeout=START)
        assert kiosk.link.uses_own_server
        assert kiosk.link.embedded is not None
        assert "Mời chọn lĩnh vực cần giải quyết" in visible_texts(kiosk.window)
        first = kiosk.link.embedded.pid
        assert first is not None

        os.kill(first, signal.SIGKILL)  # the server crashes
        qtbot.waitUntil(lambda: kiosk.controller.page is Page.UNAVAILABLE, timeout=START)
        assert "Hệ thống tạm thời gián đoạn" in visible_texts(kiosk.window)

        qtbot.waitUntil(lambda: kiosk.controller.page is Page.MENU, timeout=START)
        assert kiosk.link.embedded.pid not in (None, first)
        kiosk.controller.choose("field:TP")
        kiosk.controller.press_service("A")
        qtbot.waitUntil(lambda: kiosk.controller.page is Page.TICKET, timeout=START)
        assert kiosk.window.ticket_page.number.text() == "A001"
    finally:
        kiosk.shutdown()
    assert not kiosk.link.embedded.running
    assert not answers(port)


def test_a_refused_kiosk_asks_the_operator_once_and_says_so_when_no_code_is_given(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    server_thread: ThreadedServer,
) -> None:
    asked: list[str] = []
    answers_given = [None, server_thread.secret]  # cancelled first, then the right code

    def ask(parent: object, problem: str) -> str | None:
        asked.append(problem)
        return answers_given.pop(0)

    monkeypatch.setattr("kiosk.app.ask_pairing_code", ask)
    monkeypatch.setattr("kiosk.app.remember_pairing_code", lambda program, code: code)
    args = build_parser().parse_args([
        "kiosk", "--server", f"127.0.0.1:{server_thread.port}", "--pairing-code",
        "AAAA-BBBB-CCCC-DDDD", "--data-dir", str(tmp_path / "data"), "--windowed",
        "--printer", "none",
    ])
    kiosk = build(args)
    try:
        kiosk.start()
        qtbot.waitUntil(lambda: kiosk.controller.page is Page.NOT_PAIRED, timeout=START)
        assert asked == ["Máy chủ không nhận mã ghép nối của máy cấp số này. / The server "
                         "refused this kiosk's pairing code."]
        assert "Máy cấp số chưa được ghép nối" in visible_texts(kiosk.window)

        assert kiosk.join is not None
        kiosk.join.ask_for_code("")  # the operator tries again, with the right code
        qtbot.waitUntil(lambda: kiosk.controller.page is Page.MENU, timeout=START)
    finally:
        kiosk.shutdown()
