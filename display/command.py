"""``motcua display``: the subcommand, registered through an entry point.

Light on purpose: ``motcua --help`` imports this module, so Qt and the window are
imported only inside ``run``. Must not import Qt at module level.
"""

from __future__ import annotations

import argparse
import logging
from typing import Any

from shared.qt.client_setup import add_connection_arguments

log = logging.getLogger(__name__)


def register(commands: Any) -> None:
    """Add ``display`` to the ``motcua`` command (``commands`` is argparse's subparsers)."""
    parser: argparse.ArgumentParser = commands.add_parser(
        "display",
        help="the hall TV: shows and announces every call",
        description="The hall display: the newest call large, the counters, the last calls "
        "and the number waiting per service, with a chime and a Vietnamese voice. "
        "Full-screen; F11 switches full screen, Esc leaves it, Ctrl+Q quits.",
    )
    parser.add_argument("--windowed", action="store_true",
                        help="an ordinary window instead of full screen (to try it out)")
    parser.add_argument("--portrait", action="store_true",
                        help="the portrait layout, whatever the screen's shape "
                        "(default: chosen by the screen's shape)")
    parser.add_argument("--no-voice", action="store_true",
                        help="show calls without announcing them (a second screen in the "
                        "same hall; the same as [voice] enabled = false)")
    parser.add_argument("--hall", metavar="CODE", default=None,
                        help="in a centre with several halls ([[halls]]), the hall this TV "
                        "is in: it shows and says only that hall's counters and calls")
    parser.add_argument("--language", metavar="CODE", default="vi",
                        help="the language painted on the screen: vi (default), en, or one "
                        "the office has a display catalogue for; the voice stays Vietnamese")
    add_connection_arguments(parser)
    parser.set_defaults(run=run, log_level=logging.INFO)


def run(args: argparse.Namespace) -> int:
    from display.app import run as run_program

    return run_program(args)
