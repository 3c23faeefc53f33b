"""The leader's desk: the hall live, and the reports, in a browser over HTTPS.

``https://SERVER:8766/desk`` on any PC or phone of the office network (issue 12,
parts 3 and 4). A leader signs in with an account made on the server (``motcua user
add``); the live view (``shared.core.live_view``) is rendered on the server (Jinja2)
and rendered again whenever anything is decided, pushed as server-sent events within
a second; its alerts also come from the clock alone (a wait that grows past its
threshold), so the stream looks again every few seconds. The download button writes
the same workbook, CSV or JSON as ``motcua report``.

Security: served only over TLS (``shared.server.desk_tls``); the session cookie is
``Secure; HttpOnly; SameSite=Strict`` and random; sessions end after two idle hours
and after twelve hours in any case, and at once when the account is removed; five
wrong passwords in a row for a name (twenty from one address) make each further try
wait, longer each time; a form posted from another site is refused.

Imports aiohttp, Jinja2 and the core.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import tempfile
import time
from collections.abc import Callable, Container, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Final

from aiohttp import web
from markupsafe import Markup

from shared.core import queue_rules as rules
from shared.core import report, wire
from shared.core.errors import MotcuaError
from shared.core.live_view import CounterNow, HallNotice, LiveView, live_view
from shared.core.office import Office
from shared.server import desk_texts, web_pages
from shared.server.audit import audit_day, vietnamese
from shared.server.central_link import LinkState
from shared.server.desk_texts import (
    Language,
    alert_words,
    counter_words,
    minutes_words,
    notice_words,
    tr,
)
from shared.server.devices import DeskUser
from shared.server.password_gate import PasswordGate
from shared.server.report_file import CONTENT_TYPES, FORMATS, export

log = logging.getLogger(__name__)

COOKIE: Final = "motcua_desk"
IDLE_SECONDS: Final = 2 * 3600.0
LONGEST_SECONDS: Final = 12 * 3600.0
LOOK_AGAIN: Final = 5.0  # seconds: a quiet stream renders again (waits grow by themselves)
SETTLE: Final = 0.2  # seconds: a burst of decisions is shown once, within a second
# A password check for a name that has no account takes as long as a real one.


@dataclass
class _Session:
    user: str
    role: str
    password: str  # the account's hash when it signed in: a new password ends the session
    started: float
    used: float


@dataclass(eq=False)  # each open page is one stream: by identity
class _Stream:
    token: str
    language: Language
    dirty: asyncio.Event = field(default_factory=asyncio.Event)


class Desk:
    """The desk of one server: ``app()``, ``changed()`` after every decision, ``close()``."""

    def __init__(
        self,
        office: Office,
        user_of: Callable[[str], DeskUser | None],
        state: Callable[[], rules.QueueState],
        now: Callable[[], datetime],
        present: Callable[[], Container[int]],
        days_of: Callable[[date], Sequence[report.Day]],
        database: Path,
        day_before: Callable[[date], date | None] = lambda day: day - timedelta(days=1),
        *,
        seen: Callable[[str, str], None] = lambda name, address: None,
        clock: Callable[[], float] = time.monotonic,
        booked_on: Callable[[date], int] = lambda day: 0,
        central: Callable[[], LinkState | None] = lambda: None,
    ) -> None:
        self.office = office
        self._central = central  # the link to the province's server, if [central]
        self.config_page = False  # an admin's page of the province's configuration is there
        self._booked_on = booked_on  # how many bookings a day has (the booking book)
        self._booked: tuple[date, str, int] | None = None  # (day, minute, count)
        self._user_of = user_of  # read at every request: a removed account ends at once
        self._state = state
        self._now = now
        self._present = present
        self._days_of = days_of
        self._day_before = day_before  # the last business day before a day
        self._database = database
        self._seen = seen
        self._clock = clock
        self._sessions: dict[str, _Session] = {}
        # Wrong passwords in a row: for a name from one address (so that nobody on the
        # network can lock a leader out from elsewhere), and from one address in all.
        self._gate = PasswordGate(clock)
        self._streams: set[_Stream] = set()
        self._notices: dict[tuple[str, str], HallNotice] = {}
        self._closing = False
        # Today's report for the state and minute it was built for; yesterday's by day.
        self._today: tuple[object, str, report.Report | None] = (None, "", None)
        self._yesterday: tuple[date | None, report.DayFigures | None] = (None, None)
        self._yesterday_of: date | None = None  # the day whose day before it is
        templates = web_pages.templates()
        self._page = templates.get_template("desk.html")
        self._live = templates.get_template("desk_live.html")
        self._audit_page = templates.get_template("desk_audit.html")

    # --- the application ------------------------------------------------------------

    def app(self) -> web.Application:
        app = web.Application(middlewares=[self._headers])
        app.router.add_get("/", self._home)
        app.router.add_get("/desk", self._desk)
        app.router.add_post("/desk/login", self._login)
        app.router.add_post("/desk/logout", self._logout)
        app.router.add_get("/desk/events", self._events)
        app.router.add_get("/desk/report", self._report)
        app.router.add_get("/desk/audit", self._audit)
        return app

    def heard(self, event: wire.Event) -> None:
        """A published event: a kiosk's call for help or its printer's state is kept for
        the live view until answered or mended (the queue's state does not hold them)."""
        if isinstance(event, wire.HelpRequested):
            self._notices[("help", event.kiosk)] = HallNotice("help", event.kiosk,
                                                               event.location)
        elif isinstance(event, wire.HelpAnswered):
            self._notices.pop(("help", event.kiosk), None)
        elif isinstance(event, wire.PrinterFault):
            if event.fault:
                self._notices[("printer", event.kiosk)] = HallNotice(
                    "printer", event.kiosk, event.message)
            else:
                self._notices.pop(("printer", event.kiosk), None)

    def changed(self) -> None:
        """Something was decided: every open desk looks again."""
        for stream in self._streams:
            stream.dirty.set()

    def close(self) -> None:
        self._closing = True
        self.changed()

    def forget(self) -> None:
        """Read today's and yesterday's figures again at the next look (a benchmark's
        cold start; and a new day's)."""
        self._today = (None, "", None)
        self._yesterday = (None, None)
        self._yesterday_of = None

    @property
    def watchers(self) -> int:
        return len(self._streams)

    # --- rendering -------------------------------------------------------------------

    def view(self) -> LiveView:
        state, now = self._state(), self._now()
        minute = now.strftime("%Y-%m-%d %H:%M")
        built_for, built_at, today = self._today
        if built_for is not state or built_at != minute:
            stored = self._days_of(state.day)
            today = report.build(self.office, state.day, state.day, stored) if stored else None
            self._today = (state, minute, today)
        if self._yesterday_of != state.day:
            self._yesterday_of = state.day
            before = self._day_before(state.day)
            days = self._days_of(before) if before is not None else ()
            figures = report.build(self.office, before, before, days).days \
                if days and before is not None else ()
            self._yesterday = (before, figures[0] if figures else None)
        if self._booked is None or self._booked[:2] != (state.day, minute):
            self._booked = (state.day, minute, self._booked_on(state.day))
        return live_view(state, self.office, now, self._present(), today, self._yesterday[1],
                         self._yesterday[0], tuple(self._notices.values()), self._booked[2])

    def live_html(self, language: Language) -> str:
        return self._live.render(
            view=self.view(), t=self.words(language),
            alert_words=lambda alert: alert_words(alert, language),
            notice_words=lambda notice: notice_words(notice, language),
            counter_words=lambda c: _counter_words(c, language),
            minutes=lambda seconds: minutes_words(seconds, language),
            central=self._central())

    def _render(self, request: web.Request, language: Language, *, user: str | None = None,
                problem: str = "", name: str = "", status: int = 200,
                admin: bool = False) -> web.Response:
        today = self._now().date()
        nonce = secrets.token_urlsafe(16)
        html = self._page.render(
            lang=language, others=desk_texts.other_languages(language),
            t=self.words(language), office_name=self.office.name, user=user,
            problem=problem, name=name, nonce=nonce, admin=admin,
            config_page=self.config_page,
            live=Markup(self.live_html(language)) if user else "",
            today=today.isoformat(), first_of_month=today.replace(day=1).isoformat())
        response = web.Response(text=html, content_type="text/html", status=status)
        response.headers["Content-Security-Policy"] = (
            f"default-src 'self'; script-src 'nonce-{nonce}'; style-src 'unsafe-inline'; "
            "img-src 'self' data:; frame-ancestors 'none'; form-action 'self'")
        return response

    # --- sessions ---------------------------------------------------------------------

    def _session(self, request: web.Request) -> _Session | None:
        token = request.cookies.get(COOKIE, "")
        session = self._sessions.get(token)
        if session is None:
            return None
        now = self._clock()
        user = self._user_of(session.user)
        if (now - session.used > IDLE_SECONDS or now - session.started > LONGEST_SECONDS
                or user is None or user.role != session.role or user.hash != session.password):
            del self._sessions[token]
            return None
        session.used = now
        return session

    def _forget_old(self) -> None:
        now = self._clock()
        for token, session in list(self._sessions.items()):
            if now - session.used > IDLE_SECONDS or now - session.started > LONGEST_SECONDS:
                del self._sessions[token]

    # --- handlers ---------------------------------------------------------------------

    @web.middleware
    async def _headers(self, request: web.Request,
                       handler: Callable[[web.Request], object]) -> web.StreamResponse:
        response = await handler(request)  # type: ignore[misc]
        assert isinstance(response, web.StreamResponse)
        response.headers.setdefault("Cache-Control", "no-store")
        response.headers["X-Frame-Options"] = "DENY"
        # Not "no-referrer": with it a browser posts forms with "Origin: null", and the
        # desk could not tell its own forms from another site's.
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers.setdefault(  # the pages with a script set their own, with a nonce
            "Content-Security-Policy", "default-src 'self'; style-src 'unsafe-inline'; "
            "frame-ancestors 'none'; form-action 'self'")
        return response

    async def _home(self, request: web.Request) -> web.Response:
        raise web.HTTPFound("/desk")

    async def _desk(self, request: web.Request) -> web.Response:
        language = language_of(request)
        session = self._session(request)
        if session is None:
            return self._render(request, language)
        return self._render(request, language, user=session.user,
                            admin=session.role == "admin")

    async def _login(self, request: web.Request) -> web.Response:
        language = language_of(request)
        if not same_site(request):
            raise web.HTTPForbidden(text="Form posted from another site.")
        async def stored_hash(name: str) -> str | None:
            user = self._user_of(name)
            return None if user is None else user.hash

        attempt = await self._gate.attempt(request, stored_hash)
        name, address = attempt.name, attempt.address
        if attempt.wait > 0:
            problem = tr("slow", language, seconds=int(attempt.wait) + 1)
            return self._render(request, language, problem=problem, name=name, status=429)
        user = self._user_of(name)
        if not attempt.right or user is None:
            log.warning("wrong password for the desk's account %r from %s", name, address)
            return self._render(request, language, problem=tr("wrong", language), name=name,
                                status=401)
        self._forget_old()
        token = secrets.token_urlsafe(32)
        now = self._clock()
        self._sessions[token] = _Session(user.name, user.role, user.hash, now, now)
        self._seen(user.name, address)
        log.info("%s (%s) signed in to the desk from %s", user.name, user.role, address)
        response = web.HTTPSeeOther(f"/desk?lang={language}")
        response.set_cookie(COOKIE, token, secure=True, httponly=True, samesite="Strict",
                            path="/desk")
        raise response

    async def _logout(self, request: web.Request) -> web.Response:
        if not same_site(request):
            raise web.HTTPForbidden(text="Form posted from another site.")
        self._sessions.pop(request.cookies.get(COOKIE, ""), None)
        response = web.HTTPSeeOther(f"/desk?lang={language_of(request)}")
        response.del_cookie(COOKIE, path="/desk")
        raise response

    async def _events(self, request: web.Request) -> web.StreamResponse:
        session = self._session(request)
        if session is None:
            raise web.HTTPUnauthorized(text="Sign in first.")
        stream = _Stream(request.cookies[COOKIE], language_of(request))
        response = await web_pages.event_stream(request)
        self._streams.add(stream)
        try:
            await self._follow(stream, response)
        except (ConnectionError, asyncio.CancelledError):
            pass  # the leader closed the page
        finally:
            self._streams.discard(stream)
        return response

    async def _follow(self, stream: _Stream, response: web.StreamResponse) -> None:
        shown = ""
        while not self._closing:
            if stream.token not in self._sessions or self._session_gone(stream.token):
                await response.write(web_pages.named("signed_out"))
                return
            html = self.live_html(stream.language)
            if html != shown:
                shown = html
                await response.write(web_pages.message(html))
            else:
                await response.write(web_pages.KEEP_ALIVE_COMMENT)
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(LOOK_AGAIN):
                    await stream.dirty.wait()
            await asyncio.sleep(SETTLE)  # the rest of a burst of decisions
            stream.dirty.clear()

    def _session_gone(self, token: str) -> bool:
        """Whether a session following the live view has ended: its account removed,
        changed, or twelve hours old. Watching is using: it keeps the session."""
        session = self._sessions[token]
        user = self._user_of(session.user)
        now = self._clock()
        if (user is None or user.role != session.role or user.hash != session.password
                or now - session.started > LONGEST_SECONDS):
            del self._sessions[token]
            return True
        session.used = now
        return False

    async def _report(self, request: web.Request) -> web.StreamResponse:
        language = language_of(request)
        if self._session(request) is None:
            raise web.HTTPUnauthorized(text="Sign in first.")
        kind = "." + request.query.get("format", "xlsx")
        try:
            start = date.fromisoformat(request.query.get("from", ""))
            end = date.fromisoformat(request.query.get("to", ""))
        except ValueError:
            start = end = date.min
        if kind not in FORMATS or start == date.min or end < start:
            raise web.HTTPBadRequest(text=tr("bad_dates", language))
        with tempfile.TemporaryDirectory(prefix="motcua-desk-") as folder:
            output = Path(folder) / f"bao-cao-{start}-{end}{kind}"
            # Off the event loop: a year's workbook must not hold the counters' calls.
            await asyncio.get_running_loop().run_in_executor(
                None, export, self.office, self._database, start, end, output,
                self._now().date())
            body = output.read_bytes()
        return web.Response(body=body, headers={
            "Content-Type": CONTENT_TYPES[kind],
            "Content-Disposition": f'attachment; filename="{output.name}"'})


    async def _audit(self, request: web.Request) -> web.Response:
        """``motcua audit``'s report of one day, in the browser (issue 12, part 5)."""
        language = language_of(request)
        if self._session(request) is None:
            raise web.HTTPUnauthorized(text="Sign in first.")
        try:
            day = date.fromisoformat(request.query.get("day", ""))
        except ValueError:
            raise web.HTTPBadRequest(text=tr("bad_day", language)) from None
        try:
            # Off the event loop: the whole log up to that day is read and checked.
            checked = await asyncio.get_running_loop().run_in_executor(
                None, audit_day, self.office, self._database, day)
            text, clean = vietnamese(checked), checked.clean
        except MotcuaError as problem:
            text, clean = str(problem), False
        html = self._audit_page.render(
            lang=language, t=self.words(language), office_name=self.office.name,
            day=day, text=text, clean=clean)
        return web.Response(text=html, content_type="text/html")


    # --- an admin's pages (``shared.server.desk_admin``) ------------------------------

    def admin(self, request: web.Request) -> str:
        """The signed-in admin's name; 401 or 403 for anyone else."""
        session = self._session(request)
        if session is None:
            raise web.HTTPUnauthorized(text="Sign in first.")
        if session.role != "admin":
            raise web.HTTPForbidden(text=tr("admins_only", language_of(request)))
        return session.user

    def words(self, language: Language) -> Callable[..., str]:
        return partial(tr, language=language)


def _counter_words(counter: CounterNow, language: Language) -> str:
    return counter_words(counter.state, counter.current, language)


def language_of(request: web.Request) -> Language:
    return desk_texts.language_of(request.query.get("lang"))


def same_site(request: web.Request) -> bool:
    """A form from this server's own pages: a browser says where a POST comes from
    (``Origin``, else ``Sec-Fetch-Site``); a client that says neither is no browser."""
    origin = request.headers.get("Origin")
    if origin is not None:
        return origin.split("://", 1)[-1] == request.host
    return request.headers.get("Sec-Fetch-Site", "same-origin") in ("same-origin", "none")
