"""The central view: every site of the province on one page, for its leaders, and
the leader's desk's reports for one site, a group of sites, or all of them
(issue 19, part 4).

Signed in with an account of the central server (``motcua central user add``): a
salted scrypt hash in PostgreSQL, a session cookie that is Secure, HttpOnly and
SameSite=Strict, wrong passwords slowed for a name from one address, and for an
address, as on the leader's desk (so nobody can lock a leader out from elsewhere).
The table of sites is rendered on the server and pushed to the page by
server-sent events when a batch or a heartbeat arrives (and every half minute, as
"seconds ago" grows). A report is made in a worker thread (a province's month takes
seconds), so the page and the sites' requests go on meanwhile. Imports aiohttp and
Jinja2.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import Final
from zoneinfo import ZoneInfo

import jinja2
import psycopg
from aiohttp import web
from markupsafe import Markup

from shared.central import reports
from shared.central.ledger import Ledger, Site
from shared.central.texts import Language, language_of, other_languages, tr
from shared.core.errors import MotcuaError
from shared.server.desk import same_site
from shared.server.password_gate import PasswordGate
from shared.server.report_file import CONTENT_TYPES

log = logging.getLogger(__name__)

COOKIE: Final = "motcua_central"
SESSION_SECONDS: Final = 12 * 3600
LOST_SECONDS: Final = 60  # a site not heard from for this long is shown as lost
REFRESH_SECONDS: Final = 30.0
# The province's clock: times read as its people read them, whatever the machine's is.
ZONE: Final = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass
class _Session:
    user: str
    hash: str  # the password's hash at sign-in: a new password, or no account, ends it
    started: float


@dataclass(frozen=True)
class ReportForm:
    """The report form as the leader filled it (kept when it must be corrected)."""

    start: str
    end: str
    sites: Sequence[str] = ()
    title: str = ""
    kind: str = "xlsx"
    problem: str = ""
    known: Sequence[Site] = field(default_factory=tuple)


MAX_REPORT_DAYS: Final = 366  # a year at most: a province's year takes minutes already
REPORT_TYPES: Final = tuple(kind.lstrip(".") for kind in CONTENT_TYPES)  # as the form says


@dataclass(frozen=True)
class Row:
    """One site as the table shows it."""

    site: Site
    heard: str
    lost: bool
    longest: str
    alerts: tuple[str, ...]


def rows(sites: list[Site], now: datetime, language: Language) -> list[Row]:
    found = []
    for site in sites:
        beat, at = site.heartbeat, site.heartbeat_at
        if at is None:
            heard, lost = tr("never", language), True
        else:
            seconds = max(0, int((now - at).total_seconds()))
            lost = seconds > LOST_SECONDS
            heard = (tr("lost", language, time=f"{at.astimezone(ZONE):%H:%M %d/%m}") if lost
                     else tr("seconds_ago", language, seconds=seconds))
        longest = "—"
        if beat is not None and beat.longest_wait_seconds is not None:
            longest = tr("minutes", language, minutes=int(beat.longest_wait_seconds // 60))
        alerts = tuple(tr(a.kind, language, service=a.service, waiting=a.waiting,
                          minutes=a.minutes) for a in (beat.alerts if beat else ())
                       if a.kind in ("long_wait", "no_counter"))
        found.append(Row(site, heard, lost, longest, alerts))
    return found


class CentralView:
    def __init__(self, ledger: Ledger, database: str,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.ledger, self.database, self._clock = ledger, database, clock
        self._sessions: dict[str, _Session] = {}
        self._gate = PasswordGate(clock)
        self._closed = False
        self._reporting = asyncio.Lock()
        self._templates = jinja2.Environment(
            loader=jinja2.PackageLoader("shared.central", "templates"), autoescape=True,
            trim_blocks=True, lstrip_blocks=True, auto_reload=False)

    def add_routes(self, app: web.Application) -> None:
        app.router.add_get("/", self._page)
        app.router.add_post("/login", self._login)
        app.router.add_post("/logout", self._logout)
        app.router.add_get("/events", self._events)
        app.router.add_get("/report", self._report)
        app.on_shutdown.append(self._closing)

    async def _closing(self, _app: web.Application) -> None:
        """The pages' streams end at once, rather than at their next half-minute."""
        self._closed = True
        self.ledger.tell()

    # --- sessions -------------------------------------------------------------------

    async def _user(self, request: web.Request) -> str | None:
        token = request.cookies.get(COOKIE, "")
        session = self._sessions.get(token)
        if session is None:
            return None
        if (self._clock() - session.started > SESSION_SECONDS
                or await self.ledger.password_hash(session.user) != session.hash):
            del self._sessions[token]
            return None
        return session.user

    async def _login(self, request: web.Request) -> web.StreamResponse:
        language = language_of(request.query.get("lang"))
        if not same_site(request):
            raise web.HTTPForbidden(text="Form posted from another site.")
        attempt = await self._gate.attempt(request, self.ledger.password_hash)
        name, address = attempt.name, attempt.address
        if attempt.wait > 0:
            return await self._render(language, None, problem=tr(
                "slow", language, seconds=int(attempt.wait) + 1), name=name, status=429)
        stored = await self.ledger.password_hash(name)
        if not attempt.right or stored is None:
            log.warning("wrong password for the central view's account %r from %s", name,
                        address)
            return await self._render(language, None, problem=tr("wrong", language),
                                      name=name, status=401)
        now = self._clock()  # sessions past their time go when someone signs in
        self._sessions = {k: v for k, v in self._sessions.items()
                          if now - v.started <= SESSION_SECONDS}
        token = secrets.token_urlsafe(32)
        self._sessions[token] = _Session(name, stored, self._clock())
        await self.ledger.seen(name, datetime.now(UTC))
        log.info("%s signed in to the central view from %s", name, address)
        response = web.HTTPSeeOther(f"/?lang={language}")
        response.set_cookie(COOKIE, token, secure=True, httponly=True, samesite="Strict",
                            path="/")
        raise response

    async def _logout(self, request: web.Request) -> web.StreamResponse:
        if not same_site(request):
            raise web.HTTPForbidden(text="Form posted from another site.")
        self._sessions.pop(request.cookies.get(COOKIE, ""), None)
        response = web.HTTPSeeOther(f"/?lang={language_of(request.query.get('lang'))}")
        response.del_cookie(COOKIE, path="/")
        raise response

    # --- the page ---------------------------------------------------------------------

    async def _table(self, language: Language) -> str:
        now = datetime.now(UTC)
        found = rows(await self.ledger.overview(), now, language)
        return self._templates.get_template("sites.html").render(
            rows=found, t=partial(tr, language=language),
            updated=f"{now.astimezone(ZONE):%H:%M:%S}",
            waiting=sum(r.site.heartbeat.waiting for r in found if r.site.heartbeat),
            issued=sum(r.site.heartbeat.issued for r in found if r.site.heartbeat),
            served=sum(r.site.heartbeat.served for r in found if r.site.heartbeat),
            absent=sum(r.site.heartbeat.absent for r in found if r.site.heartbeat),
            rated=sum(r.site.heartbeat.rated for r in found
                      if r.site.heartbeat and r.site.heartbeat.satisfied is not None),
            satisfied=sum(r.site.heartbeat.satisfied or 0 for r in found if r.site.heartbeat))

    async def _render(self, language: Language, user: str | None, *, problem: str = "",
                      name: str = "", status: int = 200,
                      form: ReportForm | None = None) -> web.Response:
        table = Markup(await self._table(language)) if user else ""
        if user and form is None:
            today = datetime.now(ZONE).date()
            form = ReportForm(today.replace(day=1).isoformat(), today.isoformat())
        if form is not None:
            form = replace(form, known=await self.ledger.overview())
        html = self._templates.get_template("central.html").render(
            lang=language, others=other_languages(language), t=partial(tr, language=language),
            user=user, table=table, problem=problem, name=name, form=form,
            types=REPORT_TYPES)
        return web.Response(text=html, content_type="text/html", status=status,
                            headers={"Cache-Control": "no-store", "X-Frame-Options": "DENY"})

    async def _page(self, request: web.Request) -> web.Response:
        return await self._render(language_of(request.query.get("lang")),
                                  await self._user(request))

    async def _events(self, request: web.Request) -> web.StreamResponse:
        if await self._user(request) is None:
            raise web.HTTPUnauthorized(text="Sign in first.")
        language = language_of(request.query.get("lang"))
        stream = web.StreamResponse(headers={"Content-Type": "text/event-stream",
                                             "Cache-Control": "no-store"})
        await stream.prepare(request)
        change = self.ledger.change
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(change.wait(), REFRESH_SECONDS)
            if self._closed or await self._user(request) is None:
                break
            # Taken before reading: a change that lands while we read wakes the next wait.
            change = self.ledger.change
            html = await self._table(language)
            try:
                await stream.write(("data: " + html.replace("\n", "\ndata: ") + "\n\n").encode())
            except ConnectionResetError:  # the page was closed: nothing more to say
                break
        return stream

    # --- the reports ------------------------------------------------------------------

    async def _report(self, request: web.Request) -> web.StreamResponse:
        """The report the form asks for, as a file to save; the page again, with what
        to correct, when it cannot be made."""
        language = language_of(request.query.get("lang"))
        user = await self._user(request)
        if user is None:  # the session ended while the form was open: sign in again
            raise web.HTTPSeeOther(f"/?lang={language}")
        query = request.query
        form = ReportForm(query.get("from", ""), query.get("to", ""), query.getall("site", []),
                          query.get("title", "").strip()[:120], query.get("format", "xlsx"))
        try:
            start, end = date.fromisoformat(form.start), date.fromisoformat(form.end)
        except ValueError:
            problem = tr("report_wrong_day", language)
        else:
            problem = (tr("report_order", language) if end < start else
                       tr("report_too_long", language, days=MAX_REPORT_DAYS)
                       if (end - start).days + 1 > MAX_REPORT_DAYS else "")
        if form.kind not in REPORT_TYPES:
            problem = tr("report_wrong_format", language)
        if not problem and self._reporting.locked():
            problem = tr("report_busy", language)
        if not problem:
            try:
                async with self._reporting:  # one at a time: each takes a core for seconds
                    body = await asyncio.to_thread(self._report_file, form, start, end)
            except MotcuaError as error:
                problem = str(error)
            except psycopg.Error as error:
                log.error("the report of %s from %s to %s failed: %s",  # noqa: TRY400
                          form.sites or "every site", start, end, error)
                problem = tr("report_failed", language)
            else:
                log.info("%s took the report of %s from %s to %s", user,
                         ", ".join(form.sites) or "every site", start, end)
                name = f"bao-cao-{start}-{end}.{form.kind}"
                return web.Response(body=body, headers={
                    "Content-Type": CONTENT_TYPES[f".{form.kind}"],
                    "Content-Disposition": f'attachment; filename="{name}"',
                    "Cache-Control": "no-store"})
        return await self._render(language, user, status=400,
                                  form=replace(form, problem=problem))

    def _report_file(self, form: ReportForm, start: date, end: date) -> bytes:
        with tempfile.TemporaryDirectory(prefix="motcua-report-") as folder:
            output = Path(folder) / f"report.{form.kind}"
            reports.export(self.database, form.sites, start, end, output,
                           datetime.now(ZONE).date(), form.title or reports.PROVINCE)
            return output.read_bytes()
