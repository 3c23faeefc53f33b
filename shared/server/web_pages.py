"""What the server's browser pages share: their templates, and server-sent events.

The citizen's ticket page, the leader's desk and the counter's rating tablet are all
rendered on the server (Jinja2) and updated by pushing rendered HTML as server-sent
events, which a few lines of script put in place.

Imports aiohttp and Jinja2.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache

import jinja2
from aiohttp import web


@cache
def templates() -> jinja2.Environment:
    """The server's templates (``shared/server/templates``), compiled once."""
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("shared.server", "templates"),
        autoescape=True, trim_blocks=True, lstrip_blocks=True,
        auto_reload=False,  # installed templates do not change: no stat per render
    )
    environment.filters["when"] = when
    return environment


def when(stamp: str | None) -> str:
    """A stored moment as people read it: "14:07 02/12/2026" (the ``when`` filter)."""
    if not stamp:
        return "—"
    try:
        return datetime.fromisoformat(stamp).strftime("%H:%M %d/%m/%Y")
    except ValueError:
        return stamp


async def event_stream(request: web.Request) -> web.StreamResponse:
    """A server-sent events response, started; not cached, nor buffered by a proxy."""
    response = web.StreamResponse(headers={
        "Content-Type": "text/event-stream", "Cache-Control": "no-store",
        "X-Accel-Buffering": "no"})
    await response.prepare(request)
    return response


def message(html: str) -> bytes:
    """``html`` as one event's data: each of its lines a ``data:`` line."""
    # str's own replace: a Markup's escapes its arguments (21 µs a push, against 4.5).
    lines = str.replace(str.replace(html, "\r", ""), "\n", "\ndata: ")
    return b"data: " + lines.encode() + b"\n\n"


def named(name: str) -> bytes:
    """An event with a name and no data (``gone``, ``done``, ``revoked`` …)."""
    return f"event: {name}\ndata: \n\n".encode()


KEEP_ALIVE_COMMENT = b": still here\n\n"
