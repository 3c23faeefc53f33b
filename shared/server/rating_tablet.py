"""A counter's rating tablet: ``https://SERVER:8766/rate`` on a cheap tablet facing the
citizen (issue 13, part 3).

Enrolled once with the office's pairing code, typed on the tablet over HTTPS (never
in clear), for one counter: the tablet then holds a random token in a cookie
(``Secure; HttpOnly``), kept by the server only as a hash, in the list of devices —
``motcua devices list`` shows it, ``motcua devices revoke`` cuts it off at once. It
rests on "Quầy 3 — Xin cảm ơn"; when its counter finishes serving someone
("Hoàn thành", or the next call), it wakes with that citizen's number and the name of
the official who served them, asks how they were served on the office's scale, and
rests again after 30 s. It can rate only its own counter's citizens, once each.

Imports aiohttp, Jinja2 and the core.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Final

from aiohttp import web

from shared.core import queue_rules as rules
from shared.core.errors import QueueError
from shared.core.office import Office
from shared.core.pairing import PairingError, normalize_code
from shared.core.report import level_labels
from shared.core.ticket import Ticket, TicketStatus
from shared.core.wrong_tries import WrongTries
from shared.server import web_pages
from shared.server.desk import same_site
from shared.server.devices import Device, DeviceRegistry

log = logging.getLogger(__name__)

COOKIE: Final = "motcua_rate"
AWAKE: Final = timedelta(seconds=30)  # how long a finished citizen is asked
ANSWER_WITHIN: Final = timedelta(minutes=3)  # … and may answer (reasons take a while)
LOOK_AGAIN: Final = 1.0  # seconds: a quiet tablet looks again (its 30 s run out)
KEEP_ALIVE: Final = 15.0  # seconds between comments on a quiet stream: a tablet that
# went away is noticed (the write fails) instead of being looked at every second
COOKIE_DAYS: Final = 400  # what browsers keep a cookie at most; given again at each load
FREE_TRIES: Final = 5  # wrong pairing codes from one address before each try waits


@dataclass(eq=False)  # each open tablet is one stream: by identity
class _Stream:
    counter: int
    dirty: asyncio.Event = field(default_factory=asyncio.Event)


@dataclass(frozen=True)
class Asking:
    """What a tablet shows: the citizen it asks about, or nobody (resting)."""

    counter: int
    counter_name: str
    ticket: Ticket | None = None
    official: str | None = None  # the name of who served them
    title: str = ""
    photo: str | None = None  # their id, when the office has a photo of them


PHOTO_TYPES: Final = (".jpg", ".jpeg", ".png", ".webp")
PHOTO_BYTES: Final = 2 * 1024 * 1024


def _photo(path: str | None) -> Path | None:
    """The official's photo file, if there is a readable picture of a sensible size."""
    if not path:
        return None
    found = Path(path)
    try:
        if (found.suffix.lower() in PHOTO_TYPES and found.is_file()
                and found.stat().st_size <= PHOTO_BYTES):
            return found
    except OSError:
        pass
    return None


class RatingTablets:
    """The rating tablets of one server: ``routes(app)``, ``changed()``, ``close()``."""

    def __init__(
        self,
        office: Office,
        devices: DeviceRegistry,
        code: Callable[[], str],
        state: Callable[[], rules.QueueState],
        now: Callable[[], datetime],
        rate: Callable[[int, int, Sequence[str]], QueueError | None],
        clock: Callable[[], float],
    ) -> None:
        self.office = office
        self._devices = devices
        self._code = code  # the office's pairing code, read when needed
        self._state = state
        self._now = now
        self._rate = rate
        self._wrong = WrongTries(clock, FREE_TRIES)
        self._streams: set[_Stream] = set()
        self._closing = False
        templates = web_pages.templates()
        self._page = templates.get_template("rate.html")
        self._screen = templates.get_template("rate_screen.html")
        self._labels = level_labels(office.rating.scale)

    def routes(self, app: web.Application) -> None:
        app.router.add_get("/rate", self._tablet_page)
        app.router.add_post("/rate/pair", self._pair)
        app.router.add_get("/rate/events", self._events)
        app.router.add_post("/rate/submit", self._submit)
        app.router.add_get("/rate/photo/{official}", self._photo)

    def changed(self) -> None:
        for stream in self._streams:
            stream.dirty.set()

    def close(self) -> None:
        self._closing = True
        self.changed()

    # --- what a tablet shows ----------------------------------------------------------

    def asking(self, counter: int, within: timedelta = AWAKE) -> Asking:
        """The citizen ``counter`` finished serving last, in the last 30 s (``within``),
        who has not rated yet, with who served them; or nobody."""
        found = self.office.counter(counter)
        name = found.name if found is not None else f"Quầy {counter}"
        now = self._now()
        latest = max((t for t in self._state().tickets.values()
                      if t.counter == counter and t.status is TicketStatus.DONE
                      and t.finished_at is not None), key=lambda t: (t.finished_at, t.id),
                     default=None)
        if (latest is None or latest.rating is not None or latest.finished_at is None
                or now - latest.finished_at > within):
            return Asking(counter, name)
        official = self.office.official(latest.official) if latest.official else None
        if official is None:
            return Asking(counter, name, latest)
        return Asking(counter, name, latest, official.name, official.title,
                      official.id if _photo(official.photo) else None)

    def screen_html(self, counter: int) -> str:
        return self._screen.render(asking=self.asking(counter), labels=self._labels,
                                   scale=self.office.rating.scale)

    # --- handlers ---------------------------------------------------------------------

    def _tablet(self, request: web.Request) -> Device | None:
        device_id, _, token = request.cookies.get(COOKIE, "").partition(".")
        if not device_id or not token:
            return None
        return self._devices.tablet(device_id, token)

    def _render(self, *, device: Device | None, problem: str = "",
                thanks: bool = False, status: int = 200,
                why: tuple[str, int] | None = None) -> web.Response:
        nonce = secrets.token_urlsafe(16)
        html = self._page.render(
            office_name=self.office.name, device=device, problem=problem, thanks=thanks,
            counters=self.office.counters, nonce=nonce, why=why,
            reasons=self.office.rating.reasons,
            screen=self.screen_html(device.counter) if device and device.counter else "")
        response = web.Response(text=html, content_type="text/html", status=status)
        response.headers["Content-Security-Policy"] = (
            f"default-src 'self'; script-src 'nonce-{nonce}'; style-src 'unsafe-inline'; "
            "frame-ancestors 'none'; form-action 'self'")
        return response

    async def _tablet_page(self, request: web.Request) -> web.Response:
        device = self._tablet(request)
        response = self._render(device=device)
        if device is not None:  # kept for another 400 days from each use
            self._set_cookie(response, request.cookies[COOKIE])
        return response

    @staticmethod
    def _set_cookie(response: web.StreamResponse, value: str) -> None:
        response.set_cookie(COOKIE, value, secure=True, httponly=True, samesite="Strict",
                            path="/rate", max_age=COOKIE_DAYS * 24 * 3600)

    async def _pair(self, request: web.Request) -> web.Response:
        if not same_site(request):
            raise web.HTTPForbidden(text="Form posted from another site.")
        address = request.remote or "?"
        wait = self._wrong.wait(address)
        if wait > 0:
            return self._render(device=None, status=429, problem=(
                f"Nhập sai mã nhiều lần: hãy thử lại sau {int(wait) + 1} giây. / Too many "
                f"wrong codes: try again in {int(wait) + 1} seconds."))
        form = await request.post()
        try:
            counter = int(str(form.get("counter", "")))
        except ValueError:
            counter = 0
        if self.office.counter(counter) is None:
            return self._render(device=None, status=400, problem=(
                "Chọn quầy của máy này. / Choose this tablet's counter."))
        try:
            right = secrets.compare_digest(normalize_code(str(form.get("code", ""))),
                                           self._code())
        except PairingError:
            right = False
        if not right:
            self._wrong.wrong(address)
            log.warning("a rating tablet for counter %d from %s gave a wrong pairing code",
                        counter, address)
            return self._render(device=None, status=401, problem=(
                "Sai mã ghép nối: xem bằng lệnh `motcua pair --show` trên máy chủ. / Wrong "
                "pairing code: see `motcua pair --show` on the server."))
        self._wrong.right(address)
        token = secrets.token_urlsafe(32)
        device = self._devices.enrol_tablet(counter, token, address, self._now())
        response = web.HTTPSeeOther("/rate")
        self._set_cookie(response, f"{device.id}.{token}")
        raise response

    async def _events(self, request: web.Request) -> web.StreamResponse:
        device = self._tablet(request)
        if device is None or device.counter is None:
            raise web.HTTPUnauthorized(text="This tablet is not enrolled (or was revoked).")
        stream = _Stream(device.counter)
        response = await web_pages.event_stream(request)
        self._streams.add(stream)
        cookie = request.cookies.get(COOKIE, "")
        try:
            shown, quiet = "", 0.0
            while not self._closing:
                device_id, _, token = cookie.partition(".")
                if self._devices.tablet(device_id, token) is None:  # revoked meanwhile
                    await response.write(web_pages.named("revoked"))
                    break
                html = self.screen_html(stream.counter)
                if html != shown:
                    shown, quiet = html, 0.0
                    await response.write(web_pages.message(html))
                elif quiet >= KEEP_ALIVE:
                    quiet = 0.0
                    await response.write(web_pages.KEEP_ALIVE_COMMENT)
                quiet += LOOK_AGAIN
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(LOOK_AGAIN):
                        await stream.dirty.wait()
                stream.dirty.clear()
        except (ConnectionError, asyncio.CancelledError):
            pass  # the tablet went to sleep
        finally:
            self._streams.discard(stream)
        return response

    async def _photo(self, request: web.Request) -> web.StreamResponse:
        """An official's photo, for the tablets of this office only."""
        if self._tablet(request) is None:
            raise web.HTTPUnauthorized(text="This tablet is not enrolled (or was revoked).")
        official = self.office.official(request.match_info["official"])
        found = _photo(official.photo if official else None)
        if found is None:
            raise web.HTTPNotFound(text="No photo.")
        return web.FileResponse(found, headers={"Cache-Control": "private, max-age=3600"})

    async def _submit(self, request: web.Request) -> web.Response:
        device = self._tablet(request)
        if device is None or device.counter is None:
            raise web.HTTPUnauthorized(text="This tablet is not enrolled (or was revoked).")
        if not same_site(request):
            raise web.HTTPForbidden(text="Form posted from another site.")
        form = await request.post()
        number = str(form.get("number", ""))[:16]
        try:
            level = int(str(form.get("level", "")))
        except ValueError:
            level = 0
        ticket = self._state().by_number(number)
        if ticket is None or ticket.counter != device.counter:
            # Another counter's citizen (or none): this tablet rates its own counter's only.
            log.warning("rating tablet %r tried to rate %r, not its counter's", device.id,
                        number)
            return self._render(device=device, status=403, problem=(
                "Máy này chỉ nhận đánh giá của công dân vừa được phục vụ tại quầy này. / "
                "This tablet takes ratings only from its own counter's citizens."))
        asked = self.asking(device.counter, ANSWER_WITHIN).ticket
        if asked is None or asked.id != ticket.id:
            return self._render(device=device, status=409, problem=(
                "Đã hết thời gian đánh giá số này tại quầy; Ông/Bà vẫn có thể đánh giá bằng mã "
                "QR trên phiếu. / Too late to rate this number here; the QR on the ticket "
                "still can."))
        low = 1 <= level <= self.office.rating.low
        if low and "reasons" not in form and "no_reasons" not in form:
            return self._render(device=device, why=(ticket.number, level))  # ask why
        reasons = [str(code) for code in form.getall("reasons", [])][:20] if low else []
        problem = self._rate(ticket.id, level, reasons)
        if problem is not None:
            return self._render(device=device, status=409, problem=problem.message)
        return self._render(device=device, thanks=True)
