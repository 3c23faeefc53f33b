"""How the counter program looks: the font, the colours and one style sheet.

Widgets say what they are (``setObjectName`` or a ``role`` property) and this
module says how that looks, so that the full window, the strip and the dialogs
match. Imports QtGui/QtWidgets only.
"""

from __future__ import annotations

import logging
from typing import TypeVar

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QWidget

log = logging.getLogger(__name__)

# Sans fonts that carry every Vietnamese letter, best first; DejaVu Sans is on
# almost every Linux, Segoe UI on every Windows.
FONT_FAMILIES = ["Noto Sans", "Segoe UI", "DejaVu Sans", "Arial"]

INK = "#14213d"
MUTED = "#5b6577"
PAPER = "#eef1f6"
CARD = "#ffffff"
LINE = "#d5dbe5"
BLUE = "#1d4ed8"
BLUE_DARK = "#1e3a8a"
GREEN = "#15803d"
GREEN_SOFT = "#dcfce7"
RED = "#b91c1c"
RED_SOFT = "#fee2e2"
AMBER = "#b45309"
AMBER_SOFT = "#ffedd5"
YELLOW_SOFT = "#fef3c7"
YELLOW_LINE = "#eab308"

STYLE_SHEET = f"""
QWidget {{ color: {INK}; }}
QWidget#window, QWidget#strip, QDialog {{ background: {PAPER}; }}
QFrame#card {{ background: {CARD}; border: 1px solid {LINE}; border-radius: 10px; }}
QLabel#caption {{ color: {MUTED}; font-size: 10pt; font-weight: bold; letter-spacing: 1px; }}
QLabel#muted {{ color: {MUTED}; }}
QLabel#number {{ color: {INK}; font-weight: bold; }}
QLabel#number[paused="true"] {{ color: {AMBER}; }}
QLabel#title {{ font-size: 17pt; font-weight: bold; }}
QLabel#issuedNumber {{ color: #0b3a75; }}
QLabel#badge {{ background: {AMBER_SOFT}; color: {AMBER}; border-radius: 6px;
    padding: 3px 10px; font-weight: bold; }}
QLabel#note {{ background: #e0e7ff; color: {BLUE_DARK}; border-radius: 6px; padding: 3px 10px; }}
QLabel#code {{ background: #e0e7ff; color: {BLUE_DARK}; border-radius: 5px; padding: 2px 7px;
    font-weight: bold; }}
QLabel#count {{ font-size: 17pt; font-weight: bold; }}
QLabel#figure {{ font-size: 19pt; font-weight: bold; }}
QLabel#banner {{ background: {YELLOW_SOFT}; border: 1px solid {YELLOW_LINE}; border-radius: 8px;
    color: #713f12; padding: 8px 12px; font-weight: bold; }}
QLabel#offlineBanner {{ background: {RED_SOFT}; border: 1px solid #fca5a5; border-radius: 8px;
    color: {RED}; padding: 8px 12px; font-weight: bold; }}
QLabel#status {{ color: {MUTED}; padding: 4px 2px; }}
QLabel#status[error="true"] {{ color: {RED}; font-weight: bold; }}

QPushButton#link {{ border-radius: 13px; padding: 4px 14px; font-weight: bold; border: none; }}
QPushButton#link[state="online"] {{ background: {GREEN_SOFT}; color: {GREEN}; }}
QPushButton#link[state="connecting"] {{ background: #e5e7eb; color: {MUTED}; }}
QPushButton#link[state="offline"], QPushButton#link[state="refused"],
QPushButton#link[state="wrong_office"] {{
    background: {RED_SOFT}; color: {RED}; }}

QPushButton#official {{ border-radius: 13px; padding: 4px 14px; font-weight: bold;
    border: 1px solid #c9d0dc; background: {CARD}; color: {INK}; }}
QPushButton#official[signed="false"] {{ color: {MUTED}; border-style: dashed; }}
QPushButton#official:hover {{ border-color: {BLUE}; }}
QLabel#problem {{ color: {RED}; font-weight: bold; }}

QPushButton[role] {{ border-radius: 9px; border: 1px solid #b8c1d1; background: {CARD};
    padding: 6px 10px; text-align: left; }}
QPushButton[role]:hover {{ border-color: {BLUE}; background: #f5f8ff; }}
QPushButton[role]:pressed {{ background: #e0e7ff; }}
QPushButton[role]:disabled {{ background: #f3f4f6; border-color: #e2e5ea; }}
QPushButton[role="primary"] {{ background: {BLUE}; border-color: {BLUE_DARK}; }}
QPushButton[role="primary"]:hover {{ background: #2563eb; }}
QPushButton[role="primary"]:pressed {{ background: {BLUE_DARK}; }}
QPushButton[role="primary"]:disabled {{ background: #a7b4cf; border-color: #a7b4cf; }}
QPushButton[role="good"] {{ border-color: #86efac; }}
QPushButton[role="good"]:hover {{ background: #f0fdf4; border-color: {GREEN}; }}
QLabel#buttonText {{ font-size: 12pt; font-weight: bold; background: transparent; }}
QLabel#buttonText:disabled {{ color: #9aa3b2; }}
QLabel#buttonText[role="primary"] {{ color: white; }}
QLabel#key {{ font-size: 9pt; font-weight: bold; color: {MUTED}; background: #eef1f6;
    border: 1px solid #c9d0dc; border-radius: 4px; padding: 1px 5px; }}
QLabel#key:disabled {{ color: #b0b7c3; border-color: #e2e5ea; background: transparent; }}
QLabel#key[role="primary"] {{ color: white; background: rgba(255,255,255,0.18);
    border-color: rgba(255,255,255,0.5); }}

QListWidget, QTableWidget, QLineEdit {{ background: {CARD}; border: 1px solid #b8c1d1;
    border-radius: 6px; padding: 4px; font-size: 12pt; }}
QListWidget::item {{ padding: 7px 6px; }}
QListWidget::item:selected, QTableWidget::item:selected {{ background: {BLUE}; color: white; }}
QHeaderView::section {{ background: {PAPER}; border: none; border-bottom: 1px solid {LINE};
    padding: 6px; font-weight: bold; color: {MUTED}; }}
QTableWidget {{ outline: 0; }}
QTableWidget::item {{ padding: 6px 10px; }}
QDialog QPushButton {{ padding: 7px 16px; font-size: 11pt; border-radius: 6px;
    border: 1px solid #b8c1d1; background: {CARD}; }}
QDialog QPushButton:hover {{ border-color: {BLUE}; }}
QDialog QPushButton:default {{ background: {BLUE}; color: white; border-color: {BLUE_DARK}; }}
QDialog QPushButton:default:disabled {{ background: #a7b4cf; border-color: #a7b4cf; }}
QDialog QPushButton:disabled {{ color: #9aa3b2; }}
"""


def app_font(point_size: float = 11) -> QFont:
    """The first of FONT_FAMILIES that is installed (Qt falls back on the rest)."""
    installed = set(QFontDatabase.families())
    families = [f for f in FONT_FAMILIES if f in installed] or FONT_FAMILIES
    font = QFont()
    font.setFamilies(families)
    font.setPointSizeF(point_size)
    return font


def apply(app: QApplication) -> None:
    app.setFont(app_font())
    app.setStyleSheet(STYLE_SHEET)


def big_font(point_size: float, *, bold: bool = True) -> QFont:
    font = app_font(point_size)
    font.setBold(bold)
    return font


W = TypeVar("W", bound=QWidget)


def named(widget: W, name: str) -> W:
    """``widget`` with the object name the style sheet knows it by."""
    widget.setObjectName(name)
    return widget


def restyle(widget: QWidget) -> None:
    """Re-apply the style sheet after a property the sheet selects on has changed."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
