"""``motcua counter --counter N``: the subcommand, registered through an entry point.

Light on purpose: ``motcua --help`` imports this module, so Qt and the windows are
imported only inside ``run``. Must not import Qt at module level.
"""

from __future__ import annotations

import argparse
import logging
from typing import Any

from counter.key_chords import DEFAULT_KEYS
from counter.keypad import DEFAULT_KEYPAD_KEYS
from shared.qt.client_setup import add_connection_arguments

log = logging.getLogger(__name__)


def register(commands: Any) -> None:
    """Add ``counter`` to the ``motcua`` command (``commands`` is argparse's subparsers)."""
    parser: argparse.ArgumentParser = commands.add_parser(
        "counter",
        help="the official's window at one counter: call the next citizen in one key",
        description="The counter program: call, recall, absent, transfer, park, done, "
        "a specific call with its reason, pause. F1 calls the next citizen.",
    )
    parser.add_argument("--counter", type=int, required=True, metavar="N",
                        help="the number of this counter, as in the office configuration")
    parser.add_argument("--printer", default=None, metavar="SPEC",
                        help="this counter's own ticket printer, for numbers given to "
                        "citizens at the counter (F11), e.g. usb:0x0416:0x5011 or "
                        "network:192.168.1.50 (see docs/deployment.md)")
    parser.add_argument("--compact", action="store_true",
                        help="start as the small always-on-top strip (remembered afterwards)")
    parser.add_argument(
        "--global-keys", default=DEFAULT_KEYS, metavar="SPEC|off",
        help="keys that call, recall, finish and mark absent while another program (the "
        f"national software) is in front; X11 and Windows (default: {DEFAULT_KEYS}; "
        "see docs/counter-keys.md)")
    parser.add_argument(
        "--keypad", default=None, metavar="VID:PID",
        help="a USB keypad or foot switch that only motcua reads, by its id as lsusb shows "
        "it, e.g. 1a86:e026 (Linux; see docs/counter-keys.md)")
    parser.add_argument(
        "--keypad-keys", default=DEFAULT_KEYPAD_KEYS, metavar="SPEC",
        help=f"what each keypad key does (default: {DEFAULT_KEYPAD_KEYS})")
    parser.add_argument("--language", metavar="CODE", default="vi",
                        help="the language of the counter's window: vi (default), en, or one "
                        "the office has a counter catalogue for (docs/languages.md)")
    add_connection_arguments(parser)
    parser.set_defaults(run=run, log_level=logging.INFO)


def run(args: argparse.Namespace) -> int:
    from counter.app import run as run_program

    return run_program(args)
