"""``motcua voice check|record PACK``: the office's own recorded voice, registered
through an entry point (the recorder is a window of the display's program).

Light on purpose: ``motcua --help`` imports this module; Qt only inside ``run``.
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path
from typing import Any

from shared.languages.help_words import helped

log = logging.getLogger(__name__)


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "voice",
        help=helped("voice"),
        description=helped("voice_description"),
    )
    parser.add_argument("action", choices=("check", "record"))
    parser.add_argument("pack", type=Path, metavar="PACK", help=helped("voice_pack"))
    parser.add_argument("--config", type=Path, default=None, metavar="FILE",
                        help=helped("config"))
    parser.add_argument("--again", action="store_true",
                        help=helped("voice_again"))
    parser.add_argument("--from-wav", type=Path, nargs="+", default=None, metavar="WAV",
                        help=helped("voice_from_wav"))
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from shared.core.config import load_office

    office = load_office(args.config)
    if args.action == "check":
        from shared.cli.voice_command import check_pack

        return check_pack(office, args.pack)
    import sys

    from PySide6.QtWidgets import QApplication

    from display.voice_recorder import QtMicrophone, Recorder, RecorderWindow, WavMicrophone
    from shared.voice.audio_player import QtAudioPlayer

    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    microphone = WavMicrophone(args.from_wav) if args.from_wav else QtMicrophone()
    recorder = Recorder(args.pack, office, microphone, QtAudioPlayer(), again=args.again)
    window = RecorderWindow(recorder)
    window.show()
    return int(app.exec())
