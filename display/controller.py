"""The hall display's controller: the hall's state, kept in step with the server.

``DisplayController`` listens to a ``ServerConnection`` (role ``display``: it only
reads). Every snapshot — the welcome's after each (re)connect — replaces the whole
``Hall``; every pushed event moves it on (``display.hall.apply_event``). A live
``ticket_called`` event, and only that, is emitted as ``call_received`` for the
announcer: a snapshot shows state and never announces, so a reconnect can never
say a call twice.

A new business day starts at the office's midnight, but the server says nothing
then: when the date changes, the controller asks for a fresh snapshot so that the
morning does not start with yesterday's numbers on the wall.

It also keeps what the views need beyond the hall: whether the newest call is
still highlighted (for ``highlight_seconds`` after it was made, again after a
recall), the connection banner, and the sound's status line.

Imports QtCore and ``shared``; no widgets, no audio.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from PySide6.QtCore import QObject, QTimer, Signal

from display import wording
from display.hall import Call, Hall, apply_event, hall_from_snapshot
from shared.core import wire
from shared.core.link import Link, WrongOffice
from shared.core.office import Display
from shared.qt.connection import ServerConnection

log = logging.getLogger(__name__)



class DisplayController(QObject):
    """The state behind the hall display.

    Signals: ``changed()`` when anything shown changed (hall, highlight);
    ``call_received(Call)`` for each live call, in call order; ``banner_changed(str)``
    (empty when connected); ``voice_status_changed(str)`` (empty when the sound is fine).
    """

    changed = Signal()
    call_received = Signal(object)
    banner_changed = Signal(str)
    voice_status_changed = Signal(str)
    speaker_changed = Signal()  # another display (or this one) now says the calls

    def __init__(
        self,
        connection: ServerConnection,
        settings: Display,
        *,
        hall: Hall | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.connection = connection
        self.settings = settings
        self._hall = hall or Hall()
        self._highlighted = False
        self._banner = wording.word("connecting")
        self.link = Link.ONLINE if connection.is_online else Link.CONNECTING
        self._voice_status = ""
        self.speaker: str | None = None  # the display that says the calls (its client id)
        self._ever_online = False
        self._highlight = QTimer(self)
        self._highlight.setSingleShot(True)
        self._highlight.timeout.connect(self._end_highlight)
        connection.online.connect(self._online)
        connection.offline.connect(self._offline)
        connection.refused.connect(self._refused)
        connection.wrong_office.connect(self._wrong_office)
        connection.snapshot.connect(self._snapshot)
        connection.event_received.connect(self._event)

    # -- what the views read ----------------------------------------------------------

    @property
    def hall(self) -> Hall:
        return self._hall

    @property
    def area(self) -> str | None:
        """The hall this display shows: its own choice (``--hall``), else the one the
        leader's desk assigned it; None: the whole office."""
        return self.settings.hall or self.connection.assigned_hall

    @property
    def highlighted(self) -> bool:
        """Whether the newest call is fresh (shown in amber)."""
        return self._highlighted and self._hall.newest is not None

    @property
    def banner(self) -> str:
        """The connection's trouble in plain words; empty while connected."""
        return self._banner

    @property
    def speaks_here(self) -> bool:
        """Whether the server chose this display to say the calls (one voice a hall)."""
        return self.speaker is not None and self.speaker == self.connection.client_id

    @property
    def voice_status(self) -> str:
        return self._voice_status

    @property
    def recent_count(self) -> int:
        return self.settings.recent_calls

    def set_voice_status(self, status: str) -> None:
        """What the announcer says about the sound (empty when all is well)."""
        if status != self._voice_status:
            self._voice_status = status
            self.voice_status_changed.emit(status)

    def report_problem(self, text: str) -> None:
        """Something went wrong in this program itself: a banner until the next news."""
        self._set_banner(text)

    def mark_unpaired(self) -> None:
        """No pairing code was given: say so instead of "connecting" forever."""
        self.link = Link.REFUSED
        self._set_banner(wording.word("unpaired"))

    # -- the connection's signals ----------------------------------------------------

    def _online(self) -> None:
        self._ever_online = True
        self.link = Link.ONLINE
        self._set_banner("")

    def _offline(self, reason: str) -> None:
        log.info("offline: %s", reason)
        # What is on screen stays: the citizens still need the last numbers.
        self.link = Link.OFFLINE if self._ever_online else Link.CONNECTING
        self._set_banner(wording.word("offline" if self._ever_online else "connecting"))

    def _wrong_office(self, wrong: WrongOffice) -> None:
        log.warning("%s", wrong.english())
        self.link = Link.WRONG_OFFICE
        self._set_banner(wrong.brief())

    def _refused(self, reason: str) -> None:
        log.warning("the server refused the display: %s", reason)
        self.link = Link.REFUSED
        self._set_banner(wording.word("refused"))

    def _snapshot(self, snapshot: wire.Snapshot) -> None:
        hall = hall_from_snapshot(snapshot, self.area)
        before = self._hall.newest
        if before is not None and hall.newest is not None and _same_call(before, hall.newest):
            # The same call as before (a reconnect, say): it keeps its highlight and
            # its recall mark; the snapshot cannot tell a recall from a call.
            hall = replace(hall, newest=before)
        elif self._highlighted:
            self._highlight.stop()
            self._highlighted = False
        self._hall = hall
        area = self.area
        self._set_speaker(snapshot.speakers.get("", snapshot.speaker) if area is None
                          else snapshot.speakers.get(area))
        self.changed.emit()

    def _set_speaker(self, speaker: str | None) -> None:
        if speaker != self.speaker:
            self.speaker = speaker
            log.info("the calls are said by %s", "this display" if self.speaks_here
                     else speaker or "no display")
            self.speaker_changed.emit()

    def _event(self, event: wire.Event) -> None:
        if isinstance(event, wire.SpeakerChanged):
            if (event.hall or None) == self.area:  # this hall's voice
                self._set_speaker(event.speaker)
            return
        hall, call = apply_event(self._hall, event)
        self._hall = hall
        if call is not None:
            self._highlighted = True
            seconds = self.settings.highlight_seconds
            self._highlight.start(round(seconds * 1000))
        self.changed.emit()
        if call is not None:
            log.info("call %s to counter %s%s", call.number, call.counter,
                     " (recall)" if call.recall else "")
            self.call_received.emit(call)

    def _end_highlight(self) -> None:
        self._highlighted = False
        self.changed.emit()

    def _set_banner(self, text: str) -> None:
        if text != self._banner:
            self._banner = text
            self.banner_changed.emit(text)


def _same_call(shown: Call, fresh: Call) -> bool:
    return (shown.number, shown.counter) == (fresh.number, fresh.counter)
