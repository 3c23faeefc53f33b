"""Asking a person for the office's pairing code, once, in Vietnamese.

Used by every screen program when no code is known yet or the server refused the
one it had. Imports QtWidgets; holds no state (the code is remembered by
``shared.client_setup``).
"""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget

from shared.pairing import normalize_code

log = logging.getLogger(__name__)

TITLE = "Mã ghép nối / Pairing code"
PROMPT = (
    "Nhập mã ghép nối của văn phòng (xem trên máy chủ bằng lệnh `motcua pair --show`).\n"
    "Enter the office's pairing code (shown on the server by `motcua pair --show`)."
)


def ask_pairing_code(parent: QWidget | None = None, problem: str = "") -> str | None:
    """The code a person typed, tidied (upper case, O→0 …), or None if they gave up."""
    label = f"{problem}\n\n{PROMPT}" if problem else PROMPT
    text, accepted = QInputDialog.getText(
        parent, TITLE, label, QLineEdit.EchoMode.Normal, ""
    )
    if not accepted or not text.strip():
        return None
    return normalize_code(text)
