"""Where a program's window goes when another program lays out the screen.

``motcua demo`` puts the kiosk, two counters and the display side by side on one
screen: it tells each child its rectangle in the environment variable
``MOTCUA_WINDOW_GEOMETRY`` ("x,y,width,height"), and each program applies it to its
main window before showing it. Imports QtCore only.
"""

from __future__ import annotations

import logging
import os
from typing import Final

from PySide6.QtCore import QRect

log = logging.getLogger(__name__)

GEOMETRY_VARIABLE: Final = "MOTCUA_WINDOW_GEOMETRY"


def format_geometry(rect: tuple[int, int, int, int]) -> str:
    return ",".join(str(value) for value in rect)


def requested_geometry() -> QRect | None:
    """The rectangle asked for by a parent program, or None to place the window freely."""
    text = os.environ.get(GEOMETRY_VARIABLE, "").strip()
    if not text:
        return None
    try:
        x, y, width, height = (int(part) for part in text.split(","))
    except ValueError:
        log.warning("%s=%r is not x,y,width,height; ignored", GEOMETRY_VARIABLE, text)
        return None
    if width <= 0 or height <= 0:
        log.warning("%s=%r has no area; ignored", GEOMETRY_VARIABLE, text)
        return None
    return QRect(x, y, width, height)
