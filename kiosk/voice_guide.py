"""Between the kiosk's screens and its voice: with the spoken guidance on, each new
screen is read aloud (``kiosk.guidance``) through a ``Reader``; switched off, or the
next citizen, the voice stops at once.

Imports QtCore; no widgets, no rules of its own.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable

from PySide6.QtCore import QObject

from kiosk.controller import KioskController
from kiosk.guidance import menu_words, notice_words, screen_of, ticket_words
from kiosk.screens import Menu, Notice, Page, TicketView
from shared.core.office import Voice
from shared.voice.reader import Reader
from shared.voice.speech import SpeechEngine, default_speech_engine

log = logging.getLogger(__name__)

ENGLISH_VOICE = "en"  # eSpeak NG's English, for the English screens


class VoiceGuide(QObject):
    """Kept by the program that makes it (not a child of the controller it follows:
    the two would keep each other alive)."""

    def __init__(self, controller: KioskController, reader: Reader) -> None:
        super().__init__()
        self.controller = controller
        self.reader = reader
        self._screen: tuple[object, ...] | None = None  # the screen last read aloud
        controller.changed.connect(self.follow)

    def follow(self) -> None:
        """Read the screen when it is a new one; stop when the guidance is off."""
        if not self.controller.guidance:
            if self._screen is not None:
                self._screen = None
                self.reader.stop()
            return
        shown = self._shown()
        if shown is None:
            return
        screen = screen_of(self.controller.page, self.controller.language, shown)
        if screen != self._screen:
            self._screen = screen
            self.reader.say(self.words(), self.controller.language.value)

    def words(self) -> str:
        """What the voice says of the screen shown now ("" before a ticket exists)."""
        shown = self._shown()
        language = self.controller.language
        if isinstance(shown, Menu):
            return menu_words(shown, language)
        if isinstance(shown, TicketView):
            return ticket_words(shown, self.controller.office.announcement, language)
        return notice_words(shown) if shown is not None else ""

    def _shown(self) -> Menu | TicketView | Notice | None:
        page = self.controller.page
        if page is Page.MENU:
            return self.controller.menu
        if page is Page.TICKET:
            return self.controller.ticket
        if page is Page.CHECK_IN:  # the question and what to do; why a code was refused
            view = self.controller.check_in
            return Notice(view.title, " ".join(filter(None, (view.problem, view.hint))))
        return self.controller.notice


def speech_engines(voice: Voice) -> Callable[[str], SpeechEngine]:
    """The office's voice for Vietnamese, the same speed and loudness in English; by
    synthesis, never from the hall's voice pack (its clips say the calls' words only)."""
    voice = dataclasses.replace(voice, pack=None)
    engines = {"vi": default_speech_engine(voice),
               "en": default_speech_engine(dataclasses.replace(voice, voice=ENGLISH_VOICE))}
    return lambda language: engines.get(language, engines["vi"])
