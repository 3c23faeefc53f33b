"""The central server's HTTPS face for the sites (issue 19).

- ``GET /api/v1/position``: what is stored of the asking site (its last event and
  seal), where it resumes after any outage.
- ``PUT /api/v1/heartbeat``: the site's hall now (``site_log.Heartbeat``).
- ``GET /api/v1/config``: the latest office configuration published for the site
  (``site_log.Bundle``), or 204 while there is none.
- ``POST /api/v1/events``: a batch of the site's events, in order; answered with the
  position after it. ``409`` when the batch stops at a problem (a gap: send from the
  position; a broken or rewritten chain: the site is stopped and an alert raised).

Each request carries the site's key (``Authorization: Bearer …``), made by
``motcua central site add``; the site is the key's, never a field of the request.
Imports aiohttp and msgspec.
"""

from __future__ import annotations

import json
import logging
from typing import Final, TypeVar

import msgspec
from aiohttp import web

from shared.central.ledger import Ledger
from shared.central.view import CentralView
from shared.core.site_log import MAX_BATCH, SITE_HEADER, Batch, Heartbeat, Position

log = logging.getLogger(__name__)

MAX_BODY: Final = 16 * 1024 * 1024
MAX_HEARTBEAT: Final = 64 * 1024
T = TypeVar("T")
LEDGER: Final = web.AppKey("ledger", Ledger)
_encode = msgspec.json.Encoder().encode
_batch = msgspec.json.Decoder(Batch)
_heartbeat = msgspec.json.Decoder(Heartbeat)


def _answer(position: Position) -> web.Response:
    status = 200 if position.problem is None else 400 if position.problem == "malformed" \
        else 409
    return web.Response(body=_encode(position), status=status, content_type="application/json")


def _refused(kind: type[web.HTTPException], problem: str, words: str) -> web.HTTPException:
    """A refusal raised from anywhere in a handler, answered as JSON."""
    return kind(text=json.dumps({"problem": problem, "detail": words}, ensure_ascii=False),
                content_type="application/json")


async def _site(request: web.Request) -> str:
    """The site whose key the request carries (401 for any other key)."""
    kind, _, key = request.headers.get("Authorization", "").partition(" ")
    site = await request.app[LEDGER].site_of(key.strip()) if kind == "Bearer" else None
    if site is None:
        raise _refused(web.HTTPUnauthorized, "key",
                       "Khoá của điểm không đúng. / The site's key is wrong.")
    claimed = request.headers.get(SITE_HEADER)
    if claimed is not None and claimed != site:  # a key copied to the wrong site
        raise _refused(web.HTTPConflict, "wrong_site",
                       f"Khoá này là của điểm {site}, không phải {claimed}: hãy kiểm tra "
                       f"[central] site và key_file. / This key is site {site}'s, not "
                       f"{claimed}'s.")
    return site


async def _body(request: web.Request, decoder: msgspec.json.Decoder[T], what: str,
                limit: int = MAX_BODY) -> T:
    """The request's body as a ``T`` (400, naming ``what`` and the field, if not)."""
    body = await request.read()
    if len(body) > limit:
        raise web.HTTPRequestEntityTooLarge(limit, len(body))
    try:
        return decoder.decode(body)
    except msgspec.DecodeError as error:
        raise _refused(web.HTTPBadRequest, "malformed", f"{what} không đúng dạng: {error}. / "
                                                        f"Malformed {what}: {error}") from None


async def _position(request: web.Request) -> web.Response:
    return _answer(await request.app[LEDGER].position(await _site(request)))


async def _events(request: web.Request) -> web.Response:
    site = await _site(request)
    batch = await _body(request, _batch, "Lô sự kiện")
    if len(batch.events) > MAX_BATCH:
        words = f"Tối đa {MAX_BATCH} sự kiện một lần. / At most {MAX_BATCH} events a request."
        raise web.HTTPRequestEntityTooLarge(
            MAX_BATCH, len(batch.events), content_type="application/json",
            text=json.dumps({"problem": "too_many", "detail": words}, ensure_ascii=False))
    return _answer(await request.app[LEDGER].receive(site, batch.events))


async def _beat(request: web.Request) -> web.Response:
    site = await _site(request)
    await request.app[LEDGER].beat(site, await _body(request, _heartbeat, "Nhịp tim",
                                                      MAX_HEARTBEAT))
    return web.Response(status=204)


async def _config(request: web.Request) -> web.Response:
    bundle = await request.app[LEDGER].bundle(await _site(request))
    if bundle is None:
        return web.Response(status=204)
    return web.Response(body=_encode(bundle), content_type="application/json")


async def _health(_request: web.Request) -> web.Response:
    return web.Response(text="ok")


def central_app(ledger: Ledger, database: str) -> web.Application:
    """``database``: the PostgreSQL address, for the reports made in a worker thread."""
    app = web.Application(client_max_size=MAX_BODY)
    app[LEDGER] = ledger
    app.router.add_get("/api/v1/position", _position)
    app.router.add_post("/api/v1/events", _events)
    app.router.add_put("/api/v1/heartbeat", _beat)
    app.router.add_get("/api/v1/config", _config)
    app.router.add_get("/health", _health)
    CentralView(ledger, database).add_routes(app)  # the province's leaders' page
    return app
