"""``motcua kiosk``: the subcommand, registered through the ``motcua.commands`` entry point.

Kept light on purpose: Qt and the kiosk's window are imported only when the command
runs, so ``motcua --help`` stays instant.
"""

from __future__ import annotations

import argparse
import logging
from typing import Any

from shared.languages.help_words import helped, refusal
from shared.qt.client_setup import add_connection_arguments

log = logging.getLogger(__name__)


def _size(text: str) -> tuple[int, int]:
    width, sep, height = text.lower().partition("x")
    if not sep or not width.isdigit() or not height.isdigit() or int(width) < 320 or (
            int(height) < 320):
        raise argparse.ArgumentTypeError(refusal("size_wrong", text=text))
    return int(width), int(height)


def register(commands: Any) -> None:
    parser = commands.add_parser("kiosk", help=helped("kiosk"),
                                 description=helped("kiosk_description"))
    add_connection_arguments(parser)
    parser.add_argument(
        "--printer", metavar="SPEC", default=None,
        help=helped("printer"),
    )
    parser.add_argument("--windowed", action="store_true",
                        help=helped("kiosk_windowed"))
    parser.add_argument("--touch", action=argparse.BooleanOptionalAction, default=None,
                        help=helped("kiosk_touch"))
    parser.add_argument("--size", type=_size, default=None, metavar="WIDTHxHEIGHT",
                        help=helped("kiosk_size"))
    parser.set_defaults(run=run, log_level=logging.INFO)


def run(args: argparse.Namespace) -> int:
    from kiosk.app import run as run_kiosk

    return run_kiosk(args)
