"""Between the kiosk's screens and its voice: with the spoken guidance on, each new
screen is read aloud (``kiosk.guidance``) through a ``Reader``; switched off, or the
next citizen, the voice stops at once.

Imports QtCore; no widgets, no rules of its own.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from typing import Final

from PySide6.QtCore import QObject

from kiosk.controller import KioskController
from kiosk.guidance import menu_words, notice_words, screen_of, ticket_words
from kiosk.screens import Menu, Notice, TicketView
from kiosk.texts import EN, VI, Language
from shared.core.office import Voice
from shared.voice.reader import Reader
from shared.voice.speech import SpeechEngine, default_speech_engine

log = logging.getLogger(__name__)

ENGLISH_VOICE = "en"  # eSpeak NG's English, for the English screens
VOICED: Final = (VI, EN)  # the languages the guidance speaks (speech_engines)


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
            self.reader.say(self.words(), self.spoken_language())

    def spoken_language(self) -> Language:
        """The screen's language if the voice speaks it; else Vietnamese, which the
        voice reads well, rather than another language's words in a Vietnamese voice."""
        language = self.controller.language
        return language if language in VOICED else VI

    def words(self) -> str:
        """What the voice says of the screen shown now ("" before a ticket exists)."""
        language = self.spoken_language()
        shown = self._shown(language)
        if isinstance(shown, Menu):
            return menu_words(shown, language)
        if isinstance(shown, TicketView):
            return ticket_words(shown, self.controller.office.announcement, language)
        return notice_words(shown) if shown is not None else ""

    def _shown(self, language: Language | None = None) -> Menu | TicketView | Notice | None:
        return self.controller.screen_in(language or self.controller.language)


def speech_engines(voice: Voice) -> Callable[[str], SpeechEngine]:
    """The office's voice for Vietnamese, the same speed and loudness in English; by
    synthesis, never from the hall's voice pack (its clips say the calls' words only)."""
    voice = dataclasses.replace(voice, pack=None)
    engines = {VI: default_speech_engine(voice),
               EN: default_speech_engine(dataclasses.replace(voice, voice=ENGLISH_VOICE))}
    return lambda language: engines.get(language, engines[VI])
