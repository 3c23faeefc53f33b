"""Full screen on a kiosk box or a TV's PC, with or without a window manager.

``showFullScreen`` asks the window manager to make the window cover the screen; a
bare kiosk box runs an X server with no window manager at all, where nobody answers
and the window stays at its old size (a 346×268 kiosk in a corner, issue 16). So the
window is first given the whole screen itself, then asked to be full-screen, which a
window manager, where there is one, honours as usual.

Imports QtGui and QtWidgets.
"""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget


def show_full_screen(window: QWidget) -> None:
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        window.setGeometry(screen.geometry())
    window.showFullScreen()
