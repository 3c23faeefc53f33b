"""7. Voice: from the call event to the first sample of the chime, and of the speech.

A display's connection (``ServerConnection``, Qt, offscreen, its own process) receives
``ticket_called`` and hands the call to the real ``Announcer`` with the office's
speech engine (espeak-ng), as the hall display does; a counter's connection in the
same process makes the calls, one at a time. The audio player records when
``play()`` is given the announcement's WAV — that is the chime's first sample, since
the WAV starts with the chime — and reads the WAV to find where the speech begins
(the chime's length, plus the silence espeak-ng puts before the first word). The
sound card's own output latency is not included: there is no sound card here.

The design, as measured: the announcer synthesises the sentence and assembles
chime + speech × repeat into one WAV in a worker *before* playing anything, so the
chime waits for the synthesis; the speech then follows the chime directly.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from bench.harness import Row, ms, run_child, start_server, summary_ms, temp_dir, write_office

CALLS = 8
SILENCE = 0.01  # of full scale: quieter than this is not a sample of speech


def _child(url_port: int, secret: str, config: Path, calls: int) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication, QTimer

    from shared.core import wire
    from shared.core.config import load_office
    from shared.qt.connection import ServerConnection
    from shared.voice.announcement_audio import read_mono16, wav_duration
    from shared.voice.announcer import Announcer
    from shared.voice.chime import chime_path
    from shared.voice.speech import default_speech_engine

    app = QCoreApplication(sys.argv[:1])
    office = load_office(config)
    engine = default_speech_engine(office.voice)
    synth_times: list[float] = []

    class TimedEngine:
        """The office's engine, timed."""

        def synthesize(self, text: str, wav_path: Path) -> None:
            began = time.monotonic()
            engine.synthesize(text, wav_path)
            synth_times.append(time.monotonic() - began)

    chime_rate, chime = read_mono16(chime_path())
    chime_seconds = len(chime) / chime_rate
    records: list[dict[str, Any]] = []
    event_at: dict[str, float] = {}

    class RecordingPlayer:
        def stop(self) -> None:
            pass  # the announcer never stops a call

        def play(self, wav: Path, done: Any) -> None:
            if wav.name.endswith("-again.wav"):  # a lone call said once more: not a call
                QTimer.singleShot(0, lambda: done(None))
                return
            began = time.monotonic()
            rate, samples = read_mono16(wav)
            start = round(chime_seconds * rate)
            threshold = SILENCE * 32767
            first = next((i for i in range(start, len(samples))
                          if abs(samples[i]) > threshold), None)
            records.append({"play_at": began, "rate": rate, "wav_s": wav_duration(wav),
                            "speech_offset_s": None if first is None else first / rate})
            QTimer.singleShot(0, lambda: done(None))

    announcer = Announcer(office.announcement, office.voice, TimedEngine(),
                          player=RecordingPlayer())
    display = ServerConnection("display", "bench-hall-tv", secret)
    counter = ServerConnection("counter", "bench-quay-1", secret, counter=1)
    kiosk = ServerConnection("kiosk", "bench-kiosk-voice", secret)
    announced: list[tuple[str, float]] = []

    def on_event(message: wire.Event) -> None:
        if not isinstance(message, wire.TicketCalled) or message.counter is None:
            return
        received = time.monotonic()
        number = message.ticket.number
        event_at[number] = received
        where = office.counter(message.counter)
        assert where is not None
        announcer.announce(number, where, recall=message.recall)
        announced.append((number, received))

    display.event_received.connect(on_event)
    state = {"calls": 0, "online": 0}

    def call() -> None:
        if state["calls"] >= calls:
            app.quit()
            return
        state["calls"] += 1
        counter.request("call_next")

    announcer.idle.connect(lambda: QTimer.singleShot(300, call))

    def online() -> None:
        state["online"] += 1
        if state["online"] == 3:
            for _ in range(calls + 2):
                kiosk.request("issue", service="A", priority=None)
            QTimer.singleShot(500, call)

    for connection in (display, counter, kiosk):
        connection.online.connect(online)
        connection.connect_to("127.0.0.1", url_port)
    QTimer.singleShot(120_000, app.quit)
    app.exec()
    announcer.close()
    for connection in (display, counter, kiosk):
        connection.close()
    out = []
    for (number, received), record in zip(announced, records, strict=False):
        out.append({"number": number, "event_to_chime_s": record["play_at"] - received,
                    "event_to_speech_s": (record["play_at"] - received
                                          + (record["speech_offset_s"] or float("nan"))),
                    "speech_offset_s": record["speech_offset_s"], "wav_s": record["wav_s"]})
    print(json.dumps({"calls": out, "synthesis_s": synth_times,
                      "chime_s": chime_seconds, "engine": type(engine).__name__}), flush=True)
    return 0


def run(calls: int = CALLS) -> dict[str, Any]:
    with temp_dir("voice") as folder:
        office = write_office(folder, services=6)
        server = start_server(folder / "data", office)
        try:
            data = run_child("bench.voice", [str(server.port), server.secret, str(office),
                                             str(calls)], folder, timeout=180)
        finally:
            server.stop()
    calls_ = data["calls"][1:]  # the first call also starts espeak-ng's cache cold
    result = {
        "engine": data["engine"],
        "chime_s": round(data["chime_s"], 3),
        "calls": len(calls_),
        "event_to_chime": summary_ms([c["event_to_chime_s"] for c in calls_]),
        "event_to_speech": summary_ms([c["event_to_speech_s"] for c in calls_]),
        "synthesis": summary_ms(data["synthesis_s"][1:]),
        "speech_offset_in_wav": summary_ms([c["speech_offset_s"] for c in calls_]),
        "first_call_event_to_chime_ms": round(data["calls"][0]["event_to_chime_s"] * 1000, 1),
        "announcement_wav_s": round(calls_[0]["wav_s"], 2) if calls_ else None,
    }
    print(f"  voice: event → chime p50 {result['event_to_chime']['p50_ms']} ms, → speech p50 "
          f"{result['event_to_speech']['p50_ms']} ms (synthesis p50 "
          f"{result['synthesis']['p50_ms']} ms, {result['engine']})", flush=True)
    return result


def rows(result: dict[str, Any]) -> list[Row]:
    c, s, y = result["event_to_chime"], result["event_to_speech"], result["synthesis"]
    return [
        Row("voice: ticket_called event → first sample of the chime: p50 / max",
            f"{ms(c['p50_ms'])} / {ms(c['max_ms'])}"),
        Row("voice: ticket_called event → first sample of speech: p50 / max",
            f"{s['p50_ms'] / 1000:.2f} / {s['max_ms'] / 1000:.2f} s"),
        Row("voice: of which speech synthesis (espeak-ng, before the chime) / chime length",
            f"{ms(y['p50_ms'])} / {result['chime_s']:.2f} s"),
    ]


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        port, secret, config, count = sys.argv[2:6]
        sys.exit(_child(int(port), secret, Path(config), int(count)))
    print(json.dumps(run(), indent=1))
