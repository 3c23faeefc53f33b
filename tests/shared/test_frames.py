"""The server writes a burst of messages to a client in one go, with frames of its own
(``shared.server.client_link.Outgoing``), beside aiohttp's writer (pings, close). This
test compares those frames, byte for byte, with what aiohttp's own writer makes of the
same message: should aiohttp ever frame text differently, it fails here first."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp import WSMsgType
from aiohttp.http_websocket import WebSocketWriter

from shared.core import wire
from shared.server.client_link import Outgoing


class Recording:
    """Just enough of a transport and a protocol for aiohttp's writer."""

    def __init__(self) -> None:
        self.written = bytearray()
        self._paused = False

    def write(self, data: Any) -> None:
        self.written += data

    def is_closing(self) -> bool:
        return False


@pytest.mark.parametrize("size", [10, 125, 126, 4_000, 65_535, 65_536, 200_000])
async def test_the_servers_frames_are_aiohttps_frames(size: int) -> None:
    message = wire.PrinterFault(kiosk="k", fault=True, message="x" * size)
    ours = Outgoing(message)
    recording = Recording()
    writer = WebSocketWriter(recording, recording)  # type: ignore[arg-type]
    await writer.send_frame(ours.data, WSMsgType.TEXT)
    assert ours.frame == bytes(recording.written)
