"""How the kiosk looks: colours, type sizes and the grid, scaled to the screen.

Sizes are designed for 1920×1080 landscape and 1080×1920 portrait (scale 1.0) and
scaled for anything else, so that text stays readable from a step back on a small
screen and does not swim on a large one. Colours keep a high contrast (white on deep
blue, dark on light) for older eyes; a closed service is grey but still legible.

Pure: no Qt import (the stylesheet is text), so it can be checked without a screen.
"""

from __future__ import annotations

import logging
from typing import Final

log = logging.getLogger(__name__)

NAVY = "#0b3a75"
BLUE = "#0b5ed7"
BLUE_PRESSED = "#0846a3"
PAGE = "#eef2f7"
INK = "#0b2545"
MUTED = "#4a5568"
CLOSED_BG = "#d5dae1"
CLOSED_INK = "#39414d"
PRIORITY = "#b42318"
PRIORITY_PRESSED = "#8c1a12"
FAULT = "#b42318"
GOOD = "#0f7b3f"
AMBER = "#f5b301"
FONT_FAMILIES = ("DejaVu Sans", "Noto Sans", "Segoe UI", "Arial", "Tahoma")


def scale_for(width: int, height: int) -> float:
    """1.0 at 1920×1080 and 1080×1920; smaller or larger screens scale with them."""
    long_side, short_side = max(width, height), min(width, height)
    return max(0.35, min(long_side / 1920, short_side / 1080))


NARROW_COLUMN = 560  # pixels: a window this narrow (the demo's column) has one column


def grid_columns(count: int, width: int, height: int) -> int:
    """How many buttons side by side: fewer, wider ones on a portrait screen."""
    if width < NARROW_COLUMN:
        return 1
    if height > width:
        return 1 if count <= 4 else 2 if count <= 12 else 3
    if count <= 3:
        return max(1, count)
    if count == 4:
        return 2
    return 3 if count <= 9 else 4


def px(size: float, scale: float) -> int:
    return max(1, round(size * scale))


# No text on the kiosk is smaller than this, however small the window: a citizen reads
# it standing, some without their glasses (the web's body size; issue 16 found 10 px).
SMALLEST_TEXT_PX = 16


def text_px(size: float, scale: float) -> int:
    """A type size at ``scale``, never below ``SMALLEST_TEXT_PX``."""
    return max(SMALLEST_TEXT_PX, round(size * scale))


def number_cap(height: int, *, large_print: bool = False) -> int:
    """The largest type size for the ticket number that leaves room for the rest of the
    confirmation, larger in the large print (the width decides too: see ``TicketPage``)."""
    return max(60, round(height * (0.24 if large_print else 0.29)))


LARGE_PRINT: Final = 1.3  # the large-print mode: everything this much larger


def stylesheet(scale: float, *, header_scale: float | None = None,
               high_contrast: bool = False) -> str:
    """The whole window's stylesheet at ``scale`` (the ticket number is sized in code),
    its header at ``header_scale`` (the large print enlarges the page, not the band
    with the office's name and the switches); ``high_contrast``: light on black."""
    band = scale if header_scale is None else header_scale

    def s(size: float, at: float = scale) -> str:  # a length: margins, borders, corners
        return f"{px(size, at)}px"

    def t(size: float, at: float = scale) -> str:  # a type size, never too small to read
        return f"{text_px(size, at)}px"

    return f"""
QWidget#kiosk {{ background: {PAGE}; }}
QFrame#header {{ background: {NAVY}; }}
QLabel#officeName {{ color: white; font-size: {t(44, band)}; font-weight: bold; }}
QLabel#tagline {{ color: #cfe0ff; font-size: {t(28, band)}; }}
QLabel#clockTime {{ color: white; font-size: {t(50, band)}; font-weight: bold; }}
QLabel#clockDate {{ color: #cfe0ff; font-size: {t(24, band)}; }}
QPushButton#language, QPushButton#largePrint, QPushButton#readAloud {{
    background: white; color: {NAVY}; font-size: {t(30, band)}; font-weight: bold;
    border: none; border-radius: {s(32, band)}; padding: {s(12, band)} {s(34, band)};
    min-height: {s(44, band)};  /* a radius over half the height would draw no curve */
}}
QPushButton#language:pressed, QPushButton#largePrint:pressed,
QPushButton#readAloud:pressed {{ background: #cfe0ff; }}
QPushButton:focus {{ outline: none; }}
QLabel#pageTitle {{ color: {INK}; font-size: {t(54)}; font-weight: bold; }}
QLabel#banner {{
    background: {AMBER}; color: {INK}; font-size: {t(34)}; font-weight: bold;
    border-radius: {s(26)}; padding: {s(10)} {s(30)};
}}
QLabel#printerBanner {{
    background: {FAULT}; color: white; font-size: {t(32)}; font-weight: bold;
    padding: {s(18)};
}}
QPushButton[kind="item"] {{
    background: {BLUE}; border: {s(5)} solid {BLUE}; border-radius: {s(28)};
}}
QPushButton[kind="item"]:pressed {{ background: {BLUE_PRESSED}; }}
QPushButton[kind="item"]:focus {{ border-color: {AMBER}; }}
QPushButton[kind="item"]:disabled {{ background: {CLOSED_BG}; border-color: {CLOSED_BG}; }}
QPushButton[kind="priority"] {{
    background: {PRIORITY}; border: {s(5)} solid {PRIORITY}; border-radius: {s(28)};
}}
QPushButton[kind="priority"]:pressed {{ background: {PRIORITY_PRESSED}; }}
QPushButton[kind="priority"]:focus {{ border-color: {AMBER}; }}
QLabel[part="title"] {{ color: white; font-size: {t(48)}; font-weight: bold; }}
QLabel[part="detail"] {{ color: #dde9ff; font-size: {t(34)}; }}
QLabel[part="note"] {{ color: #c9dcff; font-size: {t(28)}; }}
QLabel[part="title"][closed="true"] {{ color: {CLOSED_INK}; }}
QLabel[part="detail"][closed="true"] {{ color: {CLOSED_INK}; font-size: {t(30)}; }}
QLabel[part="note"][closed="true"] {{ color: {CLOSED_INK}; }}
QPushButton#back, QPushButton#pageTurn {{
    background: white; color: {INK}; font-size: {t(40)}; font-weight: bold;
    border: {s(4)} solid {INK}; border-radius: {s(28)}; padding: {s(18)} {s(44)};
}}
QPushButton#back:pressed, QPushButton#pageTurn:pressed {{ background: #dfe6ef; }}
QPushButton#back:focus, QPushButton#pageTurn:focus {{ border-color: {AMBER}; }}
QPushButton#help {{
    background: {AMBER}; color: {INK}; font-size: {t(36)}; font-weight: bold;
    border: none; border-radius: {s(28)}; padding: {s(18)} {s(36)};
}}
QPushButton#help:pressed {{ background: #d89c00; }}
QLabel#codeField {{
    background: white; color: {NAVY}; font-size: {t(84)}; font-weight: bold;
    border: {s(5)} solid {NAVY}; border-radius: {s(28)}; padding: {s(14)} {s(30)};
}}
QLabel#codeField[empty="true"] {{ color: #9aa5b4; }}
QLabel#codeProblem {{ color: {FAULT}; font-size: {t(38)}; font-weight: bold; }}
QPushButton#key {{
    background: white; color: {INK}; font-size: {t(56)}; font-weight: bold;
    border: {s(4)} solid #9fb3cc; border-radius: {s(22)};
}}
QPushButton#key[role="control"] {{ background: #dfe6ef; font-size: {t(40)}; }}
QPushButton#key:pressed {{ background: #cfe0ff; }}
QPushButton#submit {{
    background: {GOOD}; color: white; font-size: {t(48)}; font-weight: bold;
    border: none; border-radius: {s(28)}; padding: {s(18)} {s(44)};
}}
QPushButton#submit:pressed {{ background: #0a5c2e; }}
QPushButton#submit:disabled {{ background: {CLOSED_BG}; color: {CLOSED_INK}; }}
QFrame#card {{ background: white; border-radius: {s(36)}; }}
QLabel#ticketHeading {{ color: {MUTED}; font-size: {t(44)}; }}
QLabel#ticketNumber {{ color: {NAVY}; }}
QLabel#ticketService {{ color: {INK}; font-size: {t(52)}; font-weight: bold; }}
QLabel#ticketPriority {{
    background: {AMBER}; color: {INK}; font-size: {t(34)}; font-weight: bold;
    border-radius: {s(24)}; padding: {s(8)} {s(28)};
}}
QLabel#ticketAhead {{ color: {INK}; font-size: {t(44)}; }}
QLabel#ticketBooking {{ color: {GOOD}; font-size: {t(40)}; font-weight: bold; }}
QLabel#printStatus {{
    color: white; background: {NAVY}; font-size: {t(38)}; font-weight: bold;
    border-radius: {s(22)}; padding: {s(20)} {s(30)};
}}
QLabel#printStatus[state="printed"] {{ background: {GOOD}; }}
QLabel#printStatus[state="failed"] {{ background: {FAULT}; font-size: {t(42)}; }}
QLabel#hint {{ color: {MUTED}; font-size: {t(30)}; }}
QLabel#noticeTitle {{ color: {NAVY}; font-size: {t(64)}; font-weight: bold; }}
QLabel#noticeBody {{ color: {INK}; font-size: {t(42)}; }}
QLabel#noticeMark {{
    color: white; background: {NAVY}; font-size: {t(96)}; font-weight: bold;
    border-radius: {s(70)}; min-width: {s(140)}; max-width: {s(140)};
    min-height: {s(140)}; max-height: {s(140)};
}}
""" + (HIGH_CONTRAST if high_contrast else "")


# Light on black, yellow for what to read first: the large-print mode's colours (they
# come after the others, and win). WCAG's enhanced contrast, 7:1, and more.
HIGH_CONTRAST: Final = """
QWidget#kiosk { background: black; }
QFrame#header { background: black; border-bottom: 3px solid #ffd400; }
QLabel#pageTitle { color: #ffd400; }
QLabel#banner { background: #ffd400; color: black; }
QPushButton[kind="item"] { background: black; border-color: white; }
QPushButton[kind="item"]:pressed { background: #333333; }
QPushButton[kind="priority"] { background: black; border-color: #ff8a7a; }
QLabel[part="title"] { color: #ffd400; }
QLabel[part="detail"] { color: white; }
QLabel[part="note"] { color: white; }
QPushButton#back, QPushButton#pageTurn {
    background: black; color: white; border-color: white;
}
QPushButton#help { background: #ffd400; color: black; }
QPushButton#language, QPushButton#largePrint, QPushButton#readAloud {
    background: white; color: black;
}
QFrame#card { background: black; border: 3px solid white; }
QLabel#codeField { background: black; color: #ffd400; border-color: white; }
QLabel#codeProblem { color: #ff8a7a; }
QPushButton#key { background: black; color: white; border-color: white; }
QPushButton#key[role="control"] { background: #222222; }
QLabel#ticketBooking { color: white; }
QLabel#ticketHeading, QLabel#ticketAhead, QLabel#ticketService, QLabel#hint { color: white; }
QLabel#ticketNumber { color: #ffd400; }
"""
