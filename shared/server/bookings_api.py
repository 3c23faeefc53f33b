"""The bookings API: a provincial portal or app pushes its bookings to the site.

``PUT /api/v1/bookings`` on the desk's HTTPS port, with ``Authorization: Bearer KEY``
(a key made by ``motcua bookings key add NAME``), a JSON body ``{"bookings": [...]}``
of the fields in ``shared.core.booking_rows.FIELDS``. Idempotent by code: sending the
same bookings again changes nothing, and a booking sent again with other content
replaces the old one. All or nothing: one problem, and nothing is taken; the answer
names each problem by item and field. ``DELETE /api/v1/bookings/{code}`` cancels one
(not once it gave a number). ``GET /api/v1/openapi.json`` describes it
(``bookings_openapi.json``, also in docs/bookings.md).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from datetime import datetime
from importlib import resources
from typing import Any, TypeVar

from aiohttp import web

from shared.core.booking import Booking, normal_code
from shared.core.booking_rows import BookingsRefusedError, from_items
from shared.core.errors import StoreError
from shared.core.office import Office
from shared.core.wrong_tries import WrongTries
from shared.server.booking_book import BookingBook, Taken

log = logging.getLogger(__name__)

T = TypeVar("T")

MAX_BOOKINGS = 5000  # in one request: a big ward's week
MAX_BODY = 1024 * 1024  # aiohttp's own limit of a request's body
WRONG_KEYS_FREE = 5  # wrong keys in a row from one address before each try waits


def openapi() -> dict[str, Any]:
    """The API's OpenAPI 3.1 description."""
    text = resources.files("shared.server").joinpath("bookings_openapi.json").read_text("utf-8")
    document: dict[str, Any] = json.loads(text)
    return document


class BookingsApi:
    def __init__(self, office: Office, open_book: Callable[[], BookingBook],
                 holder: Callable[[str], str | None], clock: Callable[[], datetime],
                 elapsed: Callable[[], float],
                 used: Callable[[str], str | None] = lambda code: None) -> None:
        self._office = office
        self._used = used  # the number a booking gave today, if it was checked in
        # A connection of each request's own, in a worker thread: a province's week of
        # bookings takes seconds to store, and the hall's server must not wait for it.
        self._open_book = open_book
        self._holder = holder  # the system a key belongs to, or None
        self._clock = clock
        self._wrong = WrongTries(elapsed, WRONG_KEYS_FREE)

    def routes(self, app: web.Application) -> None:
        app.router.add_put("/api/v1/bookings", self._put)
        app.router.add_post("/api/v1/bookings", self._put)  # for systems that cannot PUT
        app.router.add_delete("/api/v1/bookings/{code}", self._delete)
        app.router.add_get("/api/v1/openapi.json", self._openapi)

    def _take(self, book: BookingBook, items: list[dict[str, Any]], source: str,
              now: datetime) -> tuple[list[Booking], Taken]:
        bookings = from_items(items, self._office, source)
        return bookings, book.take(bookings, self._office, now, self._used)

    async def _in_worker(self, work: Callable[[BookingBook], T]) -> T:
        def run() -> T:
            book = self._open_book()
            try:
                return work(book)
            finally:
                book.close()

        return await asyncio.get_running_loop().run_in_executor(None, run)

    async def _openapi(self, request: web.Request) -> web.Response:
        return web.json_response(openapi())

    def _system(self, request: web.Request) -> str | web.Response:
        """The system whose key the request carries, or the refusal to answer."""
        address = request.remote or "?"
        wait = self._wrong.wait(address)
        if wait > 0:
            return _problem(429, "too_many_wrong_keys", f"Sai khoá nhiều lần; thử lại sau "
                            f"{wait:.0f} giây. / Too many wrong keys: retry in {wait:.0f} s.",
                            headers={"Retry-After": str(int(wait) + 1)})
        scheme, _, key = request.headers.get("Authorization", "").partition(" ")
        system = self._holder(key.strip()) if scheme.lower() == "bearer" and key else None
        if system is None:
            self._wrong.wrong(address)
            log.warning("bookings API: a wrong or missing key from %s", address)
            return _problem(401, "unauthorized", "Thiếu khoá API hoặc khoá sai (Authorization: "
                            "Bearer …; tạo bằng `motcua bookings key add TÊN`). / A missing or "
                            "wrong API key.", headers={"WWW-Authenticate": "Bearer"})
        self._wrong.right(address)
        return system

    async def _delete(self, request: web.Request) -> web.Response:
        """A booking cancelled: forgotten, unless its citizen already has their number."""
        system = self._system(request)
        if isinstance(system, web.Response):
            return system
        code = normal_code(request.match_info["code"])
        number = self._used(code)
        if number is not None:
            return _problem(409, "used", f"Lịch hẹn {code} đã được dùng để lấy số {number}; "
                            f"không huỷ được. / Booking {code} already gave number {number}.")
        try:
            removed = await self._in_worker(lambda book: book.remove(code, f"api:{system}"))
        except BookingsRefusedError as refused:
            return _problem(403, "forbidden", f"{refused.problems[0]}. / Another system sent "
                            "this booking.")
        except StoreError:
            log.exception("bookings API: cannot remove")
            return _unavailable()
        if not removed:
            return _problem(404, "not_found", f"Không có lịch hẹn {code}. / No booking {code}.")
        log.info("bookings API: %s cancelled booking %s", system, code)
        return web.json_response({"removed": code})

    async def _put(self, request: web.Request) -> web.Response:
        system = self._system(request)
        if isinstance(system, web.Response):
            return system
        if (request.content_length or 0) > MAX_BODY:
            return _problem(413, "too_large", "Tối đa 1 MB mỗi yêu cầu; gửi làm nhiều lần. / "
                            "Send at most 1 MB per request.")
        try:
            body = await request.json(loads=json.loads)
        except (ValueError, UnicodeDecodeError):
            return _problem(400, "bad_json", "Nội dung không phải JSON. / The body is not JSON.")
        items = body.get("bookings") if isinstance(body, dict) else None
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            return _problem(400, "bad_request", "Cần một đối tượng {\"bookings\": [ … ]}. / "
                            "Send an object {\"bookings\": [ … ]}.")
        if len(items) > MAX_BOOKINGS:
            return _problem(413, "too_large", f"Tối đa {MAX_BOOKINGS} lịch hẹn mỗi yêu cầu. / "
                            f"At most {MAX_BOOKINGS} bookings per request.")
        now = self._clock()
        try:
            bookings, taken = await self._in_worker(lambda book: self._take(
                book, items, f"api:{system}", now))
        except BookingsRefusedError as refused:
            return web.json_response({
                "error": "invalid", "message": "Không nhận lịch hẹn nào. / No booking was taken.",
                "problems": [{"where": p.where, "problem": p.problem} for p in refused.problems],
            }, status=422)
        except StoreError:
            log.exception("bookings API: cannot store")
            return _unavailable()
        log.info("bookings API: %s sent %d bookings (%d new, %d changed)", system,
                 len(bookings), taken.added, taken.changed)
        return web.json_response({"added": taken.added, "changed": taken.changed,
                                  "unchanged": taken.unchanged})


def _unavailable() -> web.Response:
    """503: the book could not be written (locked, a full disk …): retry."""
    return _problem(503, "unavailable", "Không ghi được sổ lịch hẹn; thử lại sau. / "
                    "The bookings could not be stored; retry later.")


def _problem(status: int, error: str, message: str,
             headers: dict[str, str] | None = None) -> web.Response:
    return web.json_response({"error": error, "message": message}, status=status,
                             headers=headers)
