"""``motcua counter --language``: the counter in English, and one plain line for a
language it has no catalogue for."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from counter import app, wording
from counter.queue_state import Action
from shared.cli.main import build_parser, main
from shared.core.errors import MotcuaError

CODE = "K7QH-3MXP-9RTA-WC2D"


@pytest.fixture(autouse=True)
def vietnamese_afterwards() -> Iterator[None]:
    yield
    wording.use("vi")


def test_the_counter_is_vietnamese_unless_asked() -> None:
    assert build_parser().parse_args(["counter", "--counter", "1"]).language == "vi"
    assert build_parser().parse_args(
        ["counter", "--counter", "1", "--language", "en"]).language == "en"


def test_language_en_gives_an_english_counter(qtbot: QtBot,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """``motcua counter --language en`` as typed: the window it builds reads English.
    (It is closed once built, before the program would wait for the official.)"""
    seen: dict[str, str] = {}

    def look_and_stop(*args: Any, **kwargs: Any) -> app.CounterProgram:
        program = real(*args, **kwargs)
        window = program.shell.window
        seen["call_next"] = window.buttons[Action.CALL_NEXT].text_label.text()
        seen["recall"] = window.buttons[Action.RECALL].text_label.text()
        seen["serving"] = window.ticket.caption.text()
        program.close()
        raise MotcuaError("built")

    real = app.CounterProgram
    monkeypatch.setattr(app, "CounterProgram", look_and_stop)
    monkeypatch.setattr(app, "log_to_file", lambda name: None)  # not the tester's log
    qt = QApplication.instance()
    assert isinstance(qt, QApplication)
    monkeypatch.setattr(qt, "setApplicationName", lambda name: None)
    assert main(["counter", "--counter", "1", "--language", "en", "--global-keys", "off",
                 "--server", "127.0.0.1:9", "--pairing-code", CODE]) == 2
    assert seen == {"call_next": "Call next", "recall": "Recall", "serving": "SERVING"}


def test_an_unknown_language_is_one_plain_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["counter", "--counter", "1", "--language", "xx"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert err == "motcua: --language xx: quầy chỉ có vi, en (thêm ngôn ngữ: docs/languages.md)."
    assert wording.language() == "vi"  # nothing was changed
