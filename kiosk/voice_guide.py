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
from kiosk.guidance import menu_words, notice_words, ticket_words
from kiosk.screens import Page
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
        self._said = ""
        controller.changed.connect(self.follow)

    def follow(self) -> None:
        """Read the screen if it says something new; stop when the guidance is off."""
        if not self.controller.guidance:
            if self._said:
                self._said = ""
                self.reader.stop()
            return
        words = self.words()
        if words and words != self._said:
            self._said = words
            self.reader.say(words, self.controller.language.value)

    def words(self) -> str:
        controller = self.controller
        page = controller.page
        if page is Page.MENU:
            return menu_words(controller.menu, controller.language)
        if page is Page.TICKET:
            ticket = controller.ticket
            return "" if ticket is None else ticket_words(
                ticket, controller.office.announcement, controller.language)
        return notice_words(controller.notice)


def speech_engines(voice: Voice) -> Callable[[str], SpeechEngine]:
    """The office's voice for Vietnamese, the same speed and loudness in English."""
    engines = {"vi": default_speech_engine(voice),
               "en": default_speech_engine(dataclasses.replace(voice, voice=ENGLISH_VOICE))}
    return lambda language: engines.get(language, engines["vi"])
