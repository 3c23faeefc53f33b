"""Checking in with a booking's code: what was typed on the keypad, what a scanner sent.

A 2D barcode scanner is a keyboard: it "types" the code it read, much faster than a
hand can, usually followed by Enter. On the start screen the number keys choose a
service (for people who cannot see the buttons), so a scan must not be taken for a
citizen's key: ``ScanBurst`` holds each key for a moment (``HOLD_SECONDS``), and keys
that come closer together than a hand can press them are a scan. A booking's QR may
carry an address rather than the bare code: ``code_from_scan`` finds the code in it.

Pure: imports no Qt; the time is passed in.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from shared.core.booking import CODE_PATTERN, normal_code

log = logging.getLogger(__name__)

# Keys closer together than this are a scanner's (a hand needs 80 ms and more between
# two keys; scanners send one every few milliseconds).
HOLD_SECONDS = 0.05
SCAN_MIN_LENGTH = 4  # fewer keys than this are a person's
CODE_MAX_LENGTH = 32
QUERY_NAMES = ("code", "ma", "ma_dat_lich", "booking", "so")


def code_from_scan(text: str) -> str:
    """The booking code a scan carries: the text itself, or, when it is an address,
    its ``code=`` (or ``ma=`` …) parameter or its last path segment."""
    text = text.strip()
    if "://" in text or text.lower().startswith("www."):
        parts = urlsplit(text if "://" in text else f"https://{text}")
        query = parse_qs(parts.query)
        for name in QUERY_NAMES:
            if query.get(name):
                return normal_code(query[name][0])
        segments = [s for s in parts.path.split("/") if s]
        return normal_code(segments[-1]) if segments else ""
    return normal_code(text)


def looks_like_code(text: str) -> bool:
    return CODE_PATTERN.fullmatch(normal_code(text)) is not None


@dataclass
class ScanBurst:
    """Keys as they come, sorted into a person's keys and a scanner's bursts.

    ``key`` takes each printable key, ``enter`` the Enter key, ``quiet`` is called when
    no key came for ``HOLD_SECONDS``; each says what is now decided: the keys a person
    pressed (to act on one by one), or a scanned text.
    """

    hold: float = HOLD_SECONDS
    _keys: list[str] = field(default_factory=list)
    _last: float | None = None
    _burst: bool = False

    def key(self, text: str, now: float) -> Decided:
        fast = self._last is not None and now - self._last <= self.hold
        self._last = now
        if self._keys and not fast:
            decided = self._settle()  # the held keys were a person's, or a finished scan
            self._keys = [text]
            return decided
        self._burst = self._burst or fast
        self._keys.append(text)
        return Decided()

    def enter(self, now: float) -> Decided:
        """Enter: ends a scan (a scanner's suffix); after a person's keys, it is theirs."""
        self._last = None
        if self._burst and len(self._keys) >= SCAN_MIN_LENGTH:
            scanned = "".join(self._keys)
            self._reset()
            return Decided(scanned=scanned)
        decided = self._settle()
        return Decided(keys=decided.keys, enter=True, scanned=decided.scanned)

    def quiet(self) -> Decided:
        self._last = None
        return self._settle()

    @property
    def holding(self) -> bool:
        return bool(self._keys)

    def _settle(self) -> Decided:
        keys = self._keys
        burst = self._burst
        self._reset()
        if burst and len(keys) >= SCAN_MIN_LENGTH:
            return Decided(scanned="".join(keys))  # a scanner with no Enter after it
        return Decided(keys=tuple(keys))

    def _reset(self) -> None:
        self._keys = []
        self._burst = False


@dataclass(frozen=True)
class Decided:
    keys: tuple[str, ...] = ()  # a person's keys, in order
    scanned: str | None = None  # a scanner's whole text
    enter: bool = False  # a person's Enter, after ``keys``
