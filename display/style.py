"""How the hall display looks: colours, the type family, proportions and scale.

A hall TV is read from ten metres by people of every age: light type on a deep,
calm blue, numbers in warm yellow, the fresh call in amber with dark type (the
strongest contrast on the screen, and nowhere else), red only for a lost
connection. Sizes are fractions of the window, so 1920×1080, 1366×768 and
1080×1920 keep the same look.

Pure: no Qt import (colours are hex strings), so it can be checked without a screen.
"""

from __future__ import annotations

import logging
from typing import Final

log = logging.getLogger(__name__)

BACKGROUND: Final = "#081a33"
HEADER: Final = "#0b3a75"
PANEL: Final = "#0f2a52"
PANEL_EDGE: Final = "#1f4a85"
TILE: Final = "#14345f"
TILE_IDLE: Final = "#0d2446"
INK: Final = "#ffffff"
MUTED: Final = "#b4c6e0"
FAINT: Final = "#7f97b8"
NUMBER: Final = "#ffd54a"
HIGHLIGHT: Final = "#ffb300"
HIGHLIGHT_GLOW: Final = "#ffd166"
HIGHLIGHT_INK: Final = "#0a1a33"
PAUSED: Final = "#ffab70"
OFFLINE: Final = "#c62828"
CONNECTING: Final = "#8a5a00"
TICKER: Final = "#04101f"
WARNING_INK: Final = "#ffcc80"

FONT_FAMILIES: Final = ("DejaVu Sans", "Noto Sans", "Segoe UI", "Arial", "Tahoma")


def is_portrait(width: int, height: int) -> bool:
    return height > width


def scale_for(width: int, height: int) -> float:
    """1.0 at 1920×1080 (and 1080×1920); other windows scale with their short side."""
    long_side, short_side = max(width, height), min(width, height)
    return max(0.3, min(long_side / 1920, short_side / 1080))


def px(size: float, scale: float) -> int:
    return max(1, round(size * scale))
