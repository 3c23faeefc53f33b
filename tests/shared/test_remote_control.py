"""Driving a program's widgets through the remote-control socket, as the end-to-end
test does with real processes."""

from __future__ import annotations

import json
import socket
import threading
from pathlib import Path

from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from shared.qt.remote_control import RemoteControl


def ask(path: Path, request: dict[str, object], answers: list[dict[str, object]]) -> None:
    with socket.socket(socket.AF_UNIX) as peer:
        peer.connect(str(path))
        peer.sendall(json.dumps(request).encode() + b"\n")
        answers.append(json.loads(peer.makefile().readline()))


def test_a_button_is_pressed_by_name_and_the_texts_are_read(qtbot, tmp_path: Path) -> None:
    window = QWidget()
    label = QLabel("Chưa bấm", window)
    button = QPushButton("Lấy số", window)
    button.setObjectName("service-A")
    button.clicked.connect(lambda: label.setText("Đã bấm"))
    layout = QVBoxLayout(window)
    layout.addWidget(label)
    layout.addWidget(button)
    qtbot.addWidget(window)
    window.show()
    path = tmp_path / "kiosk"
    RemoteControl(path, window)

    answers: list[dict[str, object]] = []
    for request in ({"op": "click", "name": "service-A"}, {"op": "texts"},
                    {"op": "click", "name": "nothing"}, {"op": "grab",
                                                         "path": str(tmp_path / "s.png")}):
        expected = len(answers) + 1
        worker = threading.Thread(target=ask, args=(path, request, answers))
        worker.start()
        qtbot.waitUntil(lambda: len(answers) == expected, timeout=5000)  # noqa: B023
        worker.join()
    assert answers[0] == {"ok": True}
    assert label.text() == "Đã bấm"
    assert "Đã bấm" in answers[1]["texts"]  # type: ignore[operator]
    assert "no visible widget" in str(answers[2]["error"])
    assert answers[3] == {"ok": True}
    assert (tmp_path / "s.png").stat().st_size > 0
