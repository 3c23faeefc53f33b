"""Asking a person for the office's pairing code, once, in Vietnamese.

Used by every screen program when no code is known yet or the server refused the
one it had. Imports QtWidgets; holds no state (the code is remembered by
``shared.qt.client_setup``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget

from shared.core.pairing import PairingError, normalize_code

log = logging.getLogger(__name__)

TITLE = "Mã ghép nối / Pairing code"
PROMPT = (
    "Nhập mã ghép nối của văn phòng (xem trên máy chủ bằng lệnh `motcua pair --show`).\n"
    "Enter the office's pairing code (shown on the server by `motcua pair --show`)."
)


def ask_pairing_code(parent: QWidget | None = None, problem: str = "") -> str | None:
    """The code a person typed, tidied (upper case, O→0 …), or None if they gave up.

    A mistyped code is explained and asked again, with what was typed kept for fixing.
    """
    typed = ""
    while True:
        label = f"{problem}\n\n{PROMPT}" if problem else PROMPT
        typed, accepted = QInputDialog.getText(
            parent, TITLE, label, QLineEdit.EchoMode.Normal, typed
        )
        if not accepted or not typed.strip():
            return None
        try:
            return normalize_code(typed)
        except PairingError as mistake:
            problem = str(mistake)


AskCode = Callable[[QWidget | None, str], "str | None"]


def ask_and_remember(
    ask: AskCode, remember: Callable[[str], str], parent: QWidget | None, problem: str
) -> str | None:
    """Ask until a code of the right shape is given (then remember it) or the person
    gives up (None). ``ask`` is ``ask_pairing_code`` in the programs, a stub in tests."""
    while True:
        try:
            code = ask(parent, problem)
            return remember(code) if code else None
        except PairingError as wrong:  # not even the shape of a pairing code
            problem = str(wrong)
