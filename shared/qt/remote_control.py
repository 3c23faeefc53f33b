"""Driving a running program from outside, for end-to-end tests and scripted screenshots.

Off unless the environment variable ``MOTCUA_REMOTE_CONTROL_DIR`` names a folder:
then the program listens on a local socket ``<folder>/<program>`` (a Unix socket on
Linux, a named pipe on Windows) for one JSON request per line, and answers each
with one JSON line. What it can do is what a person at the screen can do — press a
widget by its object name, type a key — plus reading the visible texts and saving
a screenshot. It never reaches past the widgets into the program's state.

Requests: ``{"op": "click", "name": "<objectName>"}`` or ``{"op": "click", "text":
"<caption>"}``, ``{"op": "key", "key": "F1"}``,
``{"op": "texts"}``, ``{"op": "grab", "path": "<file.png>"}``.
Imports QtCore, QtNetwork and QtWidgets; QtTest only once a request arrives (so a
normal run, where the variable is unset, never loads it). Used only by the programs' roots.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any, Final

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget

log = logging.getLogger(__name__)

DIRECTORY_VARIABLE: Final = "MOTCUA_REMOTE_CONTROL_DIR"


def socket_path(directory: Path, program: str) -> Path:
    return directory / program


class RemoteControl(QObject):
    def __init__(self, path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._server = QLocalServer(self)
        QLocalServer.removeServer(str(path))
        if not self._server.listen(str(path)):
            log.warning("remote control cannot listen on %s: %s", path,
                        self._server.errorString())
        self._server.newConnection.connect(self._accept)
        self._buffers: dict[QLocalSocket, bytes] = {}

    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            peer = self._server.nextPendingConnection()
            self._buffers[peer] = b""
            peer.readyRead.connect(lambda peer=peer: self._read(peer))
            peer.disconnected.connect(lambda peer=peer: self._buffers.pop(peer, None))

    def _read(self, peer: QLocalSocket) -> None:
        data = self._buffers.get(peer, b"") + bytes(peer.readAll().data())
        while b"\n" in data:
            line, data = data.split(b"\n", 1)
            try:
                answer = self.handle(json.loads(line))
            except Exception as problem:  # the answer says what went wrong
                answer = {"error": f"{type(problem).__name__}: {problem}"}
            peer.write(json.dumps(answer, ensure_ascii=False).encode() + b"\n")
            peer.flush()
        self._buffers[peer] = data

    def handle(self, request: dict[str, Any]) -> dict[str, Any]:
        # QtTest only where a test drives the program, never in a normal run.
        from PySide6.QtTest import QTest

        op = request.get("op")
        if op == "click":
            wanted = str(request.get("name") or request.get("text"))
            widget = (find_widget(wanted) if "name" in request
                      else find_button(wanted))
            if widget is None:
                return {"error": f"no visible widget named or showing {wanted!r}"}
            if not widget.isEnabled():
                return {"error": f"{wanted!r} is disabled"}
            QTest.mouseClick(widget, Qt.MouseButton.LeftButton)
            return {"ok": True}
        if op == "key":
            target = QApplication.activeWindow() or _main_window()
            if target is None:
                return {"error": "no window to type into"}
            QTest.keySequence(target, QKeySequence(str(request["key"])))
            return {"ok": True}
        if op == "texts":
            return {"texts": visible_texts()}
        if op == "grab":
            window = _main_window()
            if window is None:
                return {"error": "no window"}
            return {"ok": bool(window.grab().save(str(request["path"])))}
        return {"error": f"unknown op {op!r}; use click, key, texts or grab"}


def _windows() -> list[QWidget]:
    return [w for w in QApplication.topLevelWidgets() if w.isVisible()]


def _main_window() -> QWidget | None:
    windows = _windows()
    return max(windows, key=lambda w: w.width() * w.height()) if windows else None


def find_widget(name: str) -> QWidget | None:
    for window in _windows():
        found = window if window.objectName() == name else window.findChild(QWidget, name)
        if found is not None and found.isVisible():
            return found
    return None


def find_button(text: str) -> QAbstractButton | None:
    """The visible button whose caption, or one of whose own labels, reads ``text``."""
    for window in _windows():
        for button in window.findChildren(QAbstractButton):
            if not button.isVisible():
                continue
            captions = [button.text(), *(label.text() for label in button.findChildren(QLabel))]
            if text in (_as_read(caption) for caption in captions):
                return button
    return None


def _as_read(text: str) -> str:
    """A text as a person reads it: a no-break space (which keeps a short phrase
    whole on screen) is a space."""
    return text.replace("\u00a0", " ").strip()


def visible_texts() -> list[str]:
    texts: list[str] = []
    for window in _windows():
        for widget in window.findChildren(QWidget):
            if not widget.isVisible():
                continue
            if isinstance(widget, QLabel | QAbstractButton):
                text = _as_read(widget.text())
            else:  # a painted widget says what it shows through its accessible name
                text = _as_read(widget.accessibleName())
            if text:
                texts.append(text)
    return texts


def install(program: str, parent: QObject | None = None) -> RemoteControl | None:
    """Listen for remote requests when ``MOTCUA_REMOTE_CONTROL_DIR`` is set; else nothing."""
    directory = os.environ.get(DIRECTORY_VARIABLE)
    if not directory:
        return None
    path = socket_path(Path(directory), program)
    log.info("remote control listening on %s", path)
    return RemoteControl(path, parent)
