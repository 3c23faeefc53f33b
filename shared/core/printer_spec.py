"""Printer spec strings: one line names a printer, the same in the config and on the
command line.

``usb:VID:PID``, ``serial:DEVICE[:BAUD]``, ``network:HOST[:PORT]``, ``file:PATH``,
``cups:NAME``, ``win32:NAME`` or ``none``. :func:`parse_spec` turns one into a frozen
dataclass, or raises :class:`PrinterSpecError` naming the accepted forms.

Pure: imports no printer library and touches no device.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import ClassVar

from shared.core.config_words import said
from shared.core.errors import MotcuaError
from shared.core.phrase import Phrase

log = logging.getLogger(__name__)

DEFAULT_PORT = 9100  # the raw-printing port of every network receipt printer
DEFAULT_BAUD = 9600  # the factory setting of most serial receipt printers
_BAUDS = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600)

FORMS = said("printer_forms")  # the accepted ways to write a printer


class PrinterSpecError(MotcuaError):
    """A printer spec string that names no printer, and why."""

    def __init__(self, spec: str, problem: Phrase | str) -> None:
        self.spec = spec
        self.problem = problem
        super().__init__(said("printer_spec", spec=spec, problem=problem, forms=FORMS))


@dataclass(frozen=True)
class UsbSpec:
    kind: ClassVar[str] = "usb"
    vendor_id: int
    product_id: int

    def __str__(self) -> str:
        return f"usb:{self.vendor_id:#06x}:{self.product_id:#06x}"


@dataclass(frozen=True)
class SerialSpec:
    kind: ClassVar[str] = "serial"
    device: str
    baud: int = DEFAULT_BAUD

    def __str__(self) -> str:
        return f"serial:{self.device}:{self.baud}"


@dataclass(frozen=True)
class NetworkSpec:
    kind: ClassVar[str] = "network"
    host: str
    port: int = DEFAULT_PORT

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"network:{host}:{self.port}"


@dataclass(frozen=True)
class FileSpec:
    kind: ClassVar[str] = "file"
    path: str

    def __str__(self) -> str:
        return f"file:{self.path}"


@dataclass(frozen=True)
class CupsSpec:
    kind: ClassVar[str] = "cups"
    name: str

    def __str__(self) -> str:
        return f"cups:{self.name}"


@dataclass(frozen=True)
class Win32Spec:
    kind: ClassVar[str] = "win32"
    name: str

    def __str__(self) -> str:
        return f"win32:{self.name}"


@dataclass(frozen=True)
class NoPrinterSpec:
    kind: ClassVar[str] = "none"

    def __str__(self) -> str:
        return "none"


PrinterSpec = UsbSpec | SerialSpec | NetworkSpec | FileSpec | CupsSpec | Win32Spec | NoPrinterSpec

_HEX_ID = re.compile(r"(?:0[xX])?([0-9a-fA-F]{1,4})")
_HOST = re.compile(r"[A-Za-z0-9.\-_]+")


def parse_spec(text: str) -> PrinterSpec:
    """The printer named by ``text``; raises PrinterSpecError for anything else."""
    spec = text.strip()
    kind, sep, rest = spec.partition(":")
    kind = kind.lower()
    if kind == "none":
        if sep:
            raise PrinterSpecError(text, said("spec_none_alone"))
        return NoPrinterSpec()
    if not sep:
        raise PrinterSpecError(text, said("spec_no_kind"))
    if kind == "usb":
        return _usb(text, rest)
    if kind == "serial":
        return _serial(text, rest)
    if kind == "network":
        return _network(text, rest)
    if kind in ("file", "cups", "win32"):
        if not rest.strip():
            raise PrinterSpecError(text, said("spec_needs_path" if kind == "file"
                                              else "spec_needs_name", kind=kind))
        if kind == "file":
            return FileSpec(rest.strip())
        return CupsSpec(rest.strip()) if kind == "cups" else Win32Spec(rest.strip())
    raise PrinterSpecError(text, said("spec_unknown_kind", kind=kind))


def _usb(text: str, rest: str) -> UsbSpec:
    parts = rest.split(":")
    if len(parts) != 2:
        raise PrinterSpecError(text, said("spec_usb_ids"))
    ids = []
    for name, part in zip(("vendor", "product"), parts, strict=True):
        match = _HEX_ID.fullmatch(part.strip())
        if match is None:
            raise PrinterSpecError(text, said(f"spec_{name}_hex", part=part))
        ids.append(int(match.group(1), 16))
    if ids[0] == 0:
        raise PrinterSpecError(text, said("spec_vendor_zero"))
    return UsbSpec(ids[0], ids[1])


def _serial(text: str, rest: str) -> SerialSpec:
    device, baud = rest.strip(), DEFAULT_BAUD
    head, sep, tail = device.rpartition(":")
    if sep and tail.isdigit():
        device, baud = head, int(tail)
        if baud not in _BAUDS:
            raise PrinterSpecError(text, said("spec_baud", baud=baud,
                                                  known=", ".join(map(str, _BAUDS))))
    if not device:
        raise PrinterSpecError(text, said("spec_serial"))
    return SerialSpec(device, baud)


def _network(text: str, rest: str) -> NetworkSpec:
    rest = rest.strip()
    port_text: str | None = None
    if rest.startswith("["):  # [IPv6]:port
        host, bracket, after = rest[1:].partition("]")
        if not bracket or (after and not after.startswith(":")):
            raise PrinterSpecError(text, said("spec_ipv6"))
        port_text = after[1:] if after else None
    else:
        host, sep, tail = rest.partition(":")
        port_text = tail if sep else None
        if not _HOST.fullmatch(host):
            raise PrinterSpecError(text, said("spec_not_host", host=host))
    if not host:
        raise PrinterSpecError(text, said("spec_no_host"))
    port = DEFAULT_PORT
    if port_text is not None:
        if not port_text.isdigit() or not 1 <= int(port_text) <= 65535:
            raise PrinterSpecError(text, said("spec_port", port=port_text))
        port = int(port_text)
    return NetworkSpec(host, port)
