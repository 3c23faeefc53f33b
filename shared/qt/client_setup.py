"""How a screen program joins its office: where the server is, the pairing code, who it is.

Shared by the kiosk, the counter and the display, so that all three take the same
command-line options and remember the same things the same way:

- the server: ``--server HOST:PORT``, else ``[server] host``/``port`` of the office
  config, else zeroconf discovery;
- the pairing code, needed only to enrol (once; the device then has a key of its
  own, ``shared.core.device_keys``): ``--pairing-code``, else ``MOTCUA_PAIRING_CODE``,
  else the one remembered from an earlier start, else the one in ``--data-dir`` when
  the server runs on this very machine; a code given on the command line or typed
  is remembered until the device is enrolled, then forgotten;
- a stable client id per program (and counter), made once and remembered, so the
  server can match a retried request to its first answer.

Remembered values live in QSettings (organisation "motcua"): the registry on Windows,
``~/.config/motcua/`` on Linux. Imports QtCore only when a function needs it; no widgets.
"""

from __future__ import annotations

import argparse
import logging
import os
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from shared.core.errors import MotcuaError
from shared.core.office import Office
from shared.core.pairing import PairingError, normalize_code, read_secret
from shared.core.system_words import said
from shared.languages.help_words import helped

if TYPE_CHECKING:  # Qt is imported when a program runs, not when `motcua --help` lists it
    from PySide6.QtCore import QSettings

    from shared.qt.connection import ServerConnection

log = logging.getLogger(__name__)

ORGANISATION = "motcua"
CODE_KEY = "pairing_code"


class ClientSetupError(MotcuaError):
    """A screen cannot be started as asked; the message says what to change."""


def add_connection_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--server", metavar="HOST:PORT", default=None,
                        help=helped("client_server"))
    parser.add_argument("--pairing-code", metavar="CODE", default=None,
                        help=helped("client_pairing_code"))
    parser.add_argument("--data-dir", type=Path, default=None, metavar="DIR",
                        help=helped("client_data_dir"))
    parser.add_argument("--config", type=Path, default=None, metavar="FILE",
                        help=helped("config"))


def settings(program: str) -> QSettings:
    from PySide6.QtCore import QSettings

    return QSettings(ORGANISATION, program)


def client_id(program: str, counter: int | None = None) -> str:
    """This installation's stable id: made once, then remembered."""
    store = settings(program)
    key = "client_id" if counter is None else f"client_id_counter_{counter}"
    value = store.value(key)
    if not isinstance(value, str) or not value:
        value = f"{program}-{uuid.uuid4().hex[:12]}"
        store.setValue(key, value)
    return value


def pairing_code(program: str, args: argparse.Namespace) -> str | None:
    """The pairing code from the first place that has one, or None to ask a person."""
    store = settings(program)
    given = args.pairing_code or os.environ.get("MOTCUA_PAIRING_CODE")
    if given:
        code = normalize_code(given)
        store.setValue(CODE_KEY, code)
        return code
    remembered = store.value(CODE_KEY)
    if isinstance(remembered, str) and remembered:
        return remembered
    if args.data_dir is not None:
        try:
            return read_secret(args.data_dir)
        except PairingError as problem:
            log.debug("%s", problem)  # normal before this machine's server first ran
    return None


def forget_pairing_code(program: str) -> None:
    """The device is enrolled: its key opens the door, the code need not be kept."""
    store = settings(program)
    if store.contains(CODE_KEY):
        store.remove(CODE_KEY)
        log.info("forgot the remembered pairing code: this device has its own key now")


def remember_pairing_code(program: str, code: str) -> str:
    code = normalize_code(code)
    settings(program).setValue(CODE_KEY, code)
    return code


def server_address(args: argparse.Namespace, office: Office) -> tuple[str, int] | None:
    """host:port when given or configured; None means: find it by zeroconf."""
    if args.server:
        host, _, port = str(args.server).rpartition(":")
        if not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise ClientSetupError(said("server_address", address=args.server))
        return host.strip("[]"), int(port)
    if office.server.host:
        return office.server.host, office.server.port
    return None


def start_connection(connection: ServerConnection, address: tuple[str, int] | None) -> None:
    if address is None:
        connection.discover()
    else:
        connection.connect_to(*address)
