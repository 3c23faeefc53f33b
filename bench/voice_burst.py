"""A burst of calls: four counters call within 1.5 s; when does each citizen hear their number?

``python -m bench.voice_burst [--keep-up | --no-keep-up]`` (both by default). A display's
connection (``ServerConnection``, Qt, offscreen) receives the ``ticket_called`` events
from a real server and hands them to the real ``Announcer`` with espeak-ng, as the hall
display does; four counter connections call one after another, 0.5 s apart. The audio
player plays in real time (it ends each WAV after its own duration) and records when it
starts one. A call's number is heard at the start of the WAV that holds it, plus the
chime (when the announcement begins with one: a burst's continuation does not), plus the
time espeak-ng takes to say the sentence up to that number (measured by synthesising that
part of the sentence alone). Issue 14's targets: a lone call's
number within 4 s, the fourth of a burst within 10 s (about 33 s without keep_up).
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.harness import run_child, start_server, temp_dir, write_office

COUNTERS = 4
SPACING_MS = 500


def _child(port: int, secret: str, config: Path, keep_up: bool) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication, QTimer

    from shared.core import wire
    from shared.core.config import load_office
    from shared.core.reading import read_ticket_number
    from shared.qt.connection import ServerConnection
    from shared.voice.announcement_audio import wav_duration
    from shared.voice.announcer import Announcer
    from shared.voice.chime import chime_path
    from shared.voice.speech import default_speech_engine

    app = QCoreApplication(sys.argv[:1])
    office = load_office(config)
    office = dataclasses.replace(
        office, announcement=dataclasses.replace(office.announcement, keep_up=keep_up))
    engine = default_speech_engine(office.voice)
    chime_s = wav_duration(chime_path())
    folder = Path(tempfile.mkdtemp(prefix="motcua-burst-"))

    def spoken_until(text: str) -> float:
        """How long espeak-ng takes to say ``text`` (the part before a number)."""
        if not text.strip():
            return 0.0
        wav = folder / "part.wav"
        engine.synthesize(text, wav)
        return wav_duration(wav)

    # (when a WAV started, the text it holds, whether the chime came first)
    played: list[tuple[float, str, bool]] = []

    class RealTimePlayer:
        def stop(self) -> None:
            pass  # the announcer never stops a call

        def play(self, wav: Path, done: Any) -> None:
            played.append((time.monotonic(), current["text"], announcer.chimed))
            QTimer.singleShot(round(wav_duration(wav) * 1000), lambda: done(None))

    current = {"text": ""}
    announcer = Announcer(office.announcement, office.voice, engine, player=RealTimePlayer())
    announcer.started.connect(lambda job, text: current.__setitem__("text", text))
    called_at: dict[str, float] = {}
    numbers: dict[str, str] = {}  # ticket number -> how it is read aloud

    display = ServerConnection("display", "bench-burst-tv", secret, speaks=True)
    kiosk = ServerConnection("kiosk", "bench-burst-kiosk", secret)
    counters = [ServerConnection("counter", f"bench-burst-{n}", secret, counter=n)
                for n in range(1, COUNTERS + 1)]

    def on_event(message: wire.Event) -> None:
        if not isinstance(message, wire.TicketCalled) or message.counter is None:
            return
        number = message.ticket.number
        called_at[number] = time.monotonic()
        numbers[number] = read_ticket_number(number, office.announcement.reading,
                                             southern=office.announcement.southern)
        where = office.counter(message.counter)
        assert where is not None
        announcer.announce(number, where)

    display.event_received.connect(on_event)
    state = {"online": 0}

    def burst() -> None:
        for index, counter in enumerate(counters):
            QTimer.singleShot(index * SPACING_MS, lambda c=counter: c.request("call_next"))

    def online() -> None:
        state["online"] += 1
        if state["online"] == len(counters) + 2:
            for _ in range(COUNTERS):
                kiosk.request("issue", service="A", priority=None)
            QTimer.singleShot(1000, burst)

    announcer.idle.connect(lambda: QTimer.singleShot(200, app.quit)
                           if len(called_at) == COUNTERS else None)
    for connection in (display, kiosk, *counters):
        connection.online.connect(online)
        connection.connect_to("127.0.0.1", port)
    QTimer.singleShot(120_000, app.quit)
    app.exec()
    heard: dict[str, float] = {}
    for started, text, chimed in played:
        for number, reading in numbers.items():
            at = text.find(reading)
            if number not in heard and at >= 0:
                heard[number] = (started + (chime_s if chimed else 0.0)
                                 + spoken_until(text[:at]))
    out = sorted(((number, heard.get(number, float("nan")) - called_at[number])
                  for number in called_at), key=lambda item: called_at[item[0]])
    announcer.close()
    for connection in (display, kiosk, *counters):
        connection.close()
    print(json.dumps({"keep_up": keep_up, "heard_after_s": out,
                      "announcements": len(played)}), flush=True)
    return 0


def run(keep_up: bool) -> dict[str, Any]:
    with temp_dir("burst") as folder:
        office = write_office(folder, services=6, counters=COUNTERS)
        server = start_server(folder / "data", office)
        try:
            result = run_child("bench.voice_burst", [str(server.port), server.secret,
                                                     str(office), "1" if keep_up else "0"],
                               folder)
        finally:
            server.stop()
    heard = ", ".join(f"{number} {seconds:.1f} s" for number, seconds in result["heard_after_s"])
    print(f"keep_up {'on ' if keep_up else 'off'}: {result['announcements']} announcements; "
          f"each number heard after its call: {heard}", flush=True)
    return result


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        sys.exit(_child(int(sys.argv[2]), sys.argv[3], Path(sys.argv[4]), sys.argv[5] == "1"))
    modes = {"--keep-up": [True], "--no-keep-up": [False]}.get(
        sys.argv[1] if len(sys.argv) > 1 else "", [False, True])
    for mode in modes:
        run(mode)
