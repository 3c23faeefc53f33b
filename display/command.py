"""``motcua display``: the subcommand, registered through an entry point.

Light on purpose: ``motcua --help`` imports this module, so Qt and the window are
imported only inside ``run``. Must not import Qt at module level.
"""

from __future__ import annotations

import argparse
import logging
from typing import Any

from shared.languages.help_words import helped
from shared.qt.client_setup import add_connection_arguments

log = logging.getLogger(__name__)


def register(commands: Any) -> None:
    """Add ``display`` to the ``motcua`` command (``commands`` is argparse's subparsers)."""
    parser: argparse.ArgumentParser = commands.add_parser(
        "display",
        help=helped("display"),
        description=helped("display_description"),
    )
    parser.add_argument("--windowed", action="store_true",
                        help=helped("display_windowed"))
    parser.add_argument("--portrait", action="store_true",
                        help=helped("display_portrait"))
    parser.add_argument("--no-voice", action="store_true",
                        help=helped("display_no_voice"))
    parser.add_argument("--hall", metavar="CODE", default=None,
                        help=helped("display_hall"))
    parser.add_argument("--language", metavar="CODE", default="vi",
                        help=helped("display_language"))
    add_connection_arguments(parser)
    parser.set_defaults(run=run, log_level=logging.INFO)


def run(args: argparse.Namespace) -> int:
    from display.app import run as run_program

    return run_program(args)
