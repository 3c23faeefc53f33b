"""Between the display's live calls and the announcer: every call said, in order.

``make_announcer`` builds the office's announcer (its speech engine, the sound
device) or a silent one when this screen must not speak (``[voice] enabled =
false`` or ``--no-voice``: only one display per hall speaks). ``connect_voice``
hands each live call from the controller to the announcer, in call order, and
puts the announcer's status on the screen. Snapshots never reach it: the
controller emits ``call_received`` for live ``ticket_called`` events only.

Imports QtCore and ``shared``; no widgets.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable

from PySide6.QtCore import QObject

from display import wording
from display.controller import DisplayController
from display.hall import Call
from shared.core.office import Counter, Office
from shared.voice.announcer import Announcer
from shared.voice.audio_player import NullAudioPlayer
from shared.voice.speech import NullSpeechEngine, default_speech_engine

log = logging.getLogger(__name__)


def make_announcer(office: Office, *, voice: bool = True,
                   parent: QObject | None = None) -> Announcer:
    """The announcer for this screen; silent when ``voice`` is off or the office says so."""
    if not voice or not office.voice.enabled:
        silent = dataclasses.replace(office.voice, enabled=False)
        return Announcer(office.announcement, silent, NullSpeechEngine(),
                         player=NullAudioPlayer(), parent=parent)
    engine = default_speech_engine(office.voice)
    return Announcer(office.announcement, office.voice, engine, parent=parent)


def connect_voice(
    controller: DisplayController, announcer: Announcer, office: Callable[[], Office]
) -> None:
    """Announce every live call; show the sound's status on the display. ``office``
    gives the office as the server last described it."""

    def announce(call: Call) -> None:
        if not controller.speaks_here:
            return  # one voice per hall: the server chose another display (or none)
        # The office's own counter (its reading rules need it); a counter not known
        # yet still gets called, by the server's name.
        counter = office().counter(call.counter) or Counter(call.counter, call.counter_name, ())
        try:
            announcer.announce(call.number, counter, recall=call.recall)
        except ValueError:
            log.warning("cannot read ticket number %r aloud; shown only", call.number)

    def still_called(number: str, counter: int) -> bool:
        # Done, absent, parked or transferred before its turn came: not said stale.
        return any(seat.number == counter and seat.serving == number
                   for seat in controller.hall.seats)

    announcer.still_called = still_called
    def show_status() -> None:
        if announcer.enabled and controller.speaker and not controller.speaks_here:
            controller.set_voice_status(wording.word("another_speaks"))
        else:
            controller.set_voice_status(announcer.status)

    controller.call_received.connect(announce)
    announcer.status_changed.connect(lambda _status: show_status())
    controller.speaker_changed.connect(show_status)
    show_status()
