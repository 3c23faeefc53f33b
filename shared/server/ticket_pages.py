"""The ticket's page: the QR on a ticket opens ``/t/TOKEN`` on the citizen's phone.

Served by the office's own server on the office network, with no internet and no
app: the number, how many will be called before it, the counters serving its
service and the latest calls, then "Đến lượt bạn — mời đến Quầy 3" the moment a
counter calls it. The page is rendered on the server (Jinja2) and rendered again
for each change, pushed as server-sent events (``/t/TOKEN/events``); its script
only puts the pushed part in place and rings when the citizen must act.

Tokens: ``shared.core.ticket_token`` (today's tickets only; nothing is stored).
A wrong, another day's or an expired token gets one plain page that says nothing
about any ticket, and every address has an allowance of unknown tokens a minute
(``shared.core.rate_limit``), so tokens cannot be enumerated; and a larger one of
requests, so that no phone can flood the server.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import secrets
import time
from collections import Counter
from collections.abc import Callable, Container, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Final

from aiohttp import web
from markupsafe import Markup

from shared.core import forecast, report
from shared.core import queue_rules as rules
from shared.core.errors import QueueError
from shared.core.office import Office
from shared.core.private_files import private_file, write_private
from shared.core.rate_limit import RateLimit
from shared.core.ticket import Ticket, TicketStatus
from shared.core.ticket_token import KEY_BYTES, normalised, ticket_token
from shared.core.ticket_view import Hall, TicketView, hall, same_page, ticket_view
from shared.languages.catalogue import EN
from shared.server import web_pages
from shared.server.page_texts import (
    Language,
    headline,
    language_of,
    other_languages,
    rating_levels,
    refusal_words,
    tr,
)
from shared.server.ticket_live import live_html

log = logging.getLogger(__name__)

KEY_FILE: Final = "pages.key"
PAGE_PATH: Final = "/t/"
KEEP_ALIVE: Final = 20.0  # seconds between comments on a quiet stream: proxies keep it open
# Each address may make this many requests a minute to the pages (a page load is two,
# a rating three), and try this many unknown tokens: guessing is slow, reading is not.
PAGES_PER_MINUTE: Final = 600
GUESSES_PER_MINUTE: Final = 120
STREAMS: Final = 5000  # open pages following their tickets, at most
STREAMS_PER_ADDRESS: Final = 128  # from one address: as many as arrive (``arrivals``)
WAKE_BATCH: Final = 4  # pages woken between two looks at the sockets (a request waits ~0.5 ms)
LOOK_BATCH: Final = 200  # pages checked for news (``same_page``) between two looks
LISTED_COUNTERS: Final = 6  # more serve the service: the page counts them instead
HALL_CACHE: Final = 256  # rendered hall parts kept (language × counters × latest calls)


def load_or_create_page_key(data_dir: Path) -> bytes:
    """The office's page key (``pages.key`` in the data directory, owner-only)."""
    path = data_dir / KEY_FILE
    if path.exists():
        private_file(path)  # narrowed, if an older copy was left wider
        text = path.read_text(encoding="ascii").strip()
        with contextlib.suppress(ValueError):
            key = bytes.fromhex(text)
            if len(key) == KEY_BYTES:
                return key
        log.warning("%s is not a key; making a new one (today's ticket pages change)", path)
    key = secrets.token_bytes(KEY_BYTES)
    write_private(path, key.hex() + "\n")
    return key


@dataclass(eq=False)  # each open page is its own, even for the same ticket
class _Stream:
    ticket: int
    language: Language
    address: str
    transport: object  # the connection: the server's sweep of idle arrivals spares it
    dirty: asyncio.Event = field(default_factory=asyncio.Event)
    shown: Ticket | None = None  # the ticket as its page last showed it, in hall ``seen``
    seen: Hall | None = None
    wrote: float = 0.0  # when it was last written to (``time.monotonic``)
    ping: bool = False  # quiet too long: write a comment, and look again
    replaced: bool = False  # the same phone opened the page again


class TicketPages:
    """The pages of today's tickets, for one server (``routes``, ``changed``, ``close``)."""

    def __init__(
        self,
        office: Office,
        key: bytes,
        base_url: Callable[[], str],
        state: Callable[[], rules.QueueState],
        now: Callable[[], datetime],
        present: Callable[[], Container[int]],
        days_of: Callable[[date], Sequence[report.Day]] = lambda day: (),
        rate: Callable[[int, int, Sequence[str]], QueueError | None] | None = None,
        *,
        per_minute: int = PAGES_PER_MINUTE,
        guesses_per_minute: int = GUESSES_PER_MINUTE,
    ) -> None:
        self.office = office
        self._base_url = base_url  # asked again for each ticket: the LAN address may change
        self._key = key
        self._state = state
        self._published: rules.QueueState | None = None  # as of the last ``changed``
        self._now = now
        self._present = present
        self._days_of = days_of  # the stored business days, for the estimates' history
        self._rate = rate  # stores a rating: None, or why not
        self._history: dict[str, float] = {}  # expected service times from recent weeks
        # The last hall, for this state and half-minute, and the counters open then;
        # ``_stale`` when something was published since (a counter came or went, say).
        self._hall_of: tuple[rules.QueueState | None, int] = (None, 0)
        self._open_now: tuple[int, ...] = ()
        self._around: Hall | None = None
        self._stale = True
        self._hall_cache: dict[tuple[object, ...], Markup] = {}  # see ``_hall_html``
        self._hall_cache_of: Hall | None = None
        self._limit = RateLimit(per_minute)
        self._guesses = RateLimit(guesses_per_minute)
        self._tokens: dict[str, int] = {}  # today's: token -> ticket id
        self._day: date | None = None
        self._streams: set[_Stream] = set()
        self._to_wake: set[_Stream] = set()  # pages to look again, a batch at a time
        self._alike: dict[Hall, bool] = {}  # the halls pages last saw: like ``_alike_of``?
        self._alike_of: Hall | None = None
        self._waker: asyncio.Task[None] | None = None
        self._looking = False  # ``_look_again`` is on its way
        self._open_from: Counter[str] = Counter()  # open streams by address
        self._closing = False
        self._keep_alive_s = KEEP_ALIVE  # seconds (a test makes it shorter)
        self._pinger: asyncio.Task[None] | None = None  # ``_keep_alive``, from the first page
        self._templates = web_pages.templates()

    # --- addresses ------------------------------------------------------------

    def token(self, day: date, ticket_id: int) -> str:
        return ticket_token(self._key, day, ticket_id)

    def address(self, day: date, ticket_id: int) -> str:
        """The page of ticket ``ticket_id`` issued on ``day``: what its QR holds."""
        return f"{self._base_url().rstrip('/')}{PAGE_PATH}{self.token(day, ticket_id)}"

    def routes(self, app: web.Application) -> None:
        for path in (PAGE_PATH, PAGE_PATH.upper()):  # "/T/…": typed with caps lock on
            app.router.add_get(path + "{token}", self._page)
            app.router.add_get(path + "{token}/events", self._events)
            app.router.add_post(path + "{token}/rate", self._rated)

    def _find(self, token: str) -> int | None:
        """Today's ticket whose token is ``token``, or None."""
        state = self._told()
        if state.day != self._day or len(self._tokens) != len(state.tickets):
            if state.day != self._day:
                self._tokens, self._day = {}, state.day
                self._history = forecast.history_seconds(self.office, state.day, self._days_of)
            known = set(self._tokens.values())
            for ticket_id in state.tickets:
                if ticket_id not in known:
                    self._tokens[self.token(state.day, ticket_id)] = ticket_id
        return self._tokens.get(normalised(token))

    # --- what is shown --------------------------------------------------------

    def view(self, ticket_id: int) -> TicketView | None:
        """The page of today's ticket ``ticket_id``, or None (the day has changed)."""
        state = self._told()
        ticket = state.tickets.get(ticket_id)
        if ticket is None:
            return None
        now = self._now()
        return ticket_view(state, self.office, ticket, now, self._hall(state, now))

    def _hall(self, state: rules.QueueState, now: datetime) -> Hall:
        """What every page shares, once per change (and per half minute: the citizens
        at the desks take time) — the people ahead, the estimates, the latest calls."""
        moment = int(now.timestamp() // 30)
        same = self._hall_of[0] is state and self._hall_of[1] == moment
        if not self._stale and same and self._around is not None:
            return self._around  # nothing happened since: a thousand pages, one look
        present = self._present()
        open_now = tuple(c.number for c in self.office.counters if c.number in present)
        if not same or self._open_now != open_now or self._around is None:
            seconds = forecast.service_seconds(state, self.office, self._history)
            self._around = hall(state, self.office, now, open_now, seconds)
            self._hall_of, self._open_now = (state, moment), open_now
        self._stale = False
        return self._around

    def _render(self, template: str, language: Language, **values: object) -> str:
        def t(key: str, **more: object) -> str:
            return tr(key, language, **more)

        return self._templates.get_template(template).render(
            lang=language, others=other_languages(language), t=t,
            office_name=self.office.name, **values)

    def _live(self, view: TicketView, language: Language) -> Markup:
        """The part of the page that changes, as it is pushed (``ticket_live``)."""
        return live_html(view, headline(view, language), tr("your_number", language),
                         self._hall_html(view, language))

    def _hall_html(self, view: TicketView, language: Language) -> Markup:
        """The counters and the latest calls: the same for every page whose ticket the
        same counters serve, so rendered once per change for all of them."""
        if view.status is TicketStatus.DONE:
            return Markup("")
        around = self._around
        if around is not self._hall_cache_of:
            self._hall_cache, self._hall_cache_of = {}, around  # a new moment: new parts
        # Which counters it shows: one tuple per (service, counter sent to) in a hall
        # (``Hall.callers``), and the cache is emptied with each new hall.
        key = (language, id(view.counters))
        html = self._hall_cache.get(key)
        if html is None:
            if len(self._hall_cache) > HALL_CACHE:
                self._hall_cache.clear()
            html = self._hall_cache[key] = Markup(self._render(
                "hall.html", language, counters=view.counters, latest=view.latest,
                MANY=LISTED_COUNTERS))
        return html

    # --- HTTP -------------------------------------------------------------------

    def _refusal(self, request: web.Request) -> web.Response | None:
        """A plain page when the caller is over its allowance or the token is unknown."""
        language = language_of(request.query.get("lang"))
        address = request.remote or "?"
        if not self._limit.allows(address):
            return self._message(language, "too_many_title", "too_many", 429)
        if self._find(request.match_info["token"]) is None:
            if not self._guesses.allows(address):
                return self._message(language, "too_many_title", "too_many", 429)
            return self._message(language, "not_found_title", "not_found", 404)
        return None

    def _message(self, language: Language, title: str, text: str, status: int, *,
                 back: str | None = None, said: str | None = None) -> web.Response:
        html = self._render("message.html", language, title=tr(title, language),
                            text=said or tr(text, language), back=back)
        return web.Response(text=html, content_type="text/html", status=status,
                            headers=_PRIVATE)

    async def _page(self, request: web.Request) -> web.Response:
        refusal = self._refusal(request)
        if refusal is not None:
            return refusal
        language = language_of(request.query.get("lang"))
        token = normalised(request.match_info["token"])
        ticket_id = self._tokens[token]
        view = self.view(ticket_id)
        if view is None:
            return self._message(language, "not_found_title", "not_found", 404)
        rating = self.office.rating
        asked = _level(request.query.get("level"))
        ask_reasons = asked if asked is not None and view.can_rate and (
            1 <= asked <= rating.low) else None
        html = self._render(
            "ticket.html", language, view=view, live_html=self._live(view, language),
            events_path=f"{PAGE_PATH}{token}/events?lang={language}",
            rate_path=f"{PAGE_PATH}{token}/rate?lang={language}",
            levels=rating_levels(rating.scale, language), ask_reasons=ask_reasons,
            reasons=[(r.code, r.name_en if language == EN and r.name_en else r.name)
                     for r in rating.reasons],
        )
        return web.Response(text=html, content_type="text/html", headers=_PRIVATE)

    async def _rated(self, request: web.Request) -> web.Response:
        """A rating from the page's form (it works without script): a low one first
        asks why, then it is stored once, and the page thanks the citizen."""
        refusal = self._refusal(request)
        if refusal is not None:
            return refusal
        language = language_of(request.query.get("lang"))
        token = normalised(request.match_info["token"])
        ticket_id = self._tokens[token]  # before any wait: midnight may clear the tokens
        page = f"{PAGE_PATH}{token}?lang={language}"
        form = await request.post()
        level_text = form.get("level")
        level = _level(level_text if isinstance(level_text, str) else None)
        reasons = [str(r) for r in form.getall("reason", [])]
        if level is None or len(reasons) > 20:
            return self._message(language, "not_rated_title", "bad_rating", 400, back=page)
        rating = self.office.rating
        view = self.view(ticket_id)
        if view is not None and view.rating is not None:
            raise web.HTTPSeeOther(page)  # a second tap: the first is stored; thank them
        if level <= rating.low and form.get("step") != "reasons" and rating.reasons:
            raise web.HTTPSeeOther(f"{page}&level={level}")  # ask why, then store
        problem = (QueueError("not_saved", "not stored") if self._rate is None
                   else self._rate(ticket_id, level, reasons))
        if problem is not None:
            return self._message(language, "not_rated_title", "bad_rating", 409, back=page,
                                 said=refusal_words(problem, language, rating.scale))
        raise web.HTTPSeeOther(page)

    async def _events(self, request: web.Request) -> web.StreamResponse:
        refusal = self._refusal(request)
        if refusal is not None:
            return refusal
        address = request.remote or "?"
        language = language_of(request.query.get("lang"))
        if len(self._streams) >= STREAMS or self._open_from[address] >= STREAMS_PER_ADDRESS:
            return self._message(language, "too_many_title", "too_many", 429)
        stream = _Stream(self._tokens[normalised(request.match_info["token"])], language,
                         address, request.transport)
        for old in self._streams:  # the same phone again (a reload): its old stream ends
            if old.ticket == stream.ticket and old.address == address:
                old.replaced = True
                old.dirty.set()
        response = await web_pages.event_stream(request)
        self._streams.add(stream)
        if self._pinger is None or self._pinger.done():
            self._pinger = asyncio.get_running_loop().create_task(self._keep_alive())
        self._open_from[address] += 1
        try:
            await self._follow(stream, response)
        except (ConnectionError, asyncio.CancelledError):
            pass  # the phone went away
        finally:
            self._streams.discard(stream)
            self._to_wake.discard(stream)
            self._open_from[address] -= 1
            if not self._open_from[address]:
                del self._open_from[address]
        return response

    async def _follow(self, stream: _Stream, response: web.StreamResponse) -> None:
        shown: tuple[object, str] | None = None
        while not self._closing and not stream.replaced:
            view = self.view(stream.ticket)
            if view is None:  # a new business day: the page is no more
                await response.write(web_pages.named("gone"))
                return
            stream.shown = self._told().tickets.get(stream.ticket)
            stream.seen = self._around
            hall_html = self._hall_html(view, stream.language)
            if (view.own_key, hall_html) != shown:  # the hall's part: one string to compare
                shown = (view.own_key, hall_html)
                await response.write(web_pages.message(self._live(view, stream.language)))
                stream.wrote = time.monotonic()
            if view.status is TicketStatus.DONE:
                await response.write(web_pages.named("done"))
                return  # served: nothing more will change (the page asks for a rating)
            await stream.dirty.wait()  # no timer per wait: ``_keep_alive`` pings
            stream.dirty.clear()
            if stream.ping:
                stream.ping = False
                await response.write(web_pages.KEEP_ALIVE_COMMENT)
                stream.wrote = time.monotonic()

    def _told(self) -> rules.QueueState:
        """The queue as the server last published it (``changed``): a decision taken
        but not yet on disk and sent to the clients is not shown — nor does working out
        the hall for it keep that decision's commit waiting (it did: 7–10 ms a kiosk
        press while pages were being sent)."""
        return self._state() if self._published is None else self._published

    def changed(self) -> None:
        """Something was decided (or the day changed): every open page looks again,
        once the server has written its answers (``call_soon``) — first those whose
        own ticket changed (called, say), at once; the rest of the hall in batches,
        each after the server has looked at its sockets, so that a thousand phones
        never keep a counter's or a kiosk's request waiting."""
        self._stale = True
        self._published = self._state()
        if self._streams and not self._looking and not self._closing:  # once a decision
            self._looking = True
            asyncio.get_running_loop().call_soon(self._look_again)

    def _look_again(self) -> None:
        self._looking = False
        tickets = self._told().tickets
        for stream in self._streams:
            ticket, shown = tickets.get(stream.ticket), stream.shown
            if ticket is None or shown is None or ticket.status is not shown.status or (
                    ticket.recalls != shown.recalls or ticket.counter != shown.counter):
                stream.dirty.set()
            else:
                self._to_wake.add(stream)
        self._start_waker()

    def _start_waker(self) -> None:
        if self._to_wake and (self._waker is None or self._waker.done()):
            self._waker = asyncio.get_running_loop().create_task(self._wake_the_rest())

    async def _wake_the_rest(self) -> None:
        """Wake the pages that have news, or are due a keep-alive, a batch at a time;
        the hall is worked out once, here, after the clients have been answered."""
        try:
            while self._to_wake and not self._closing:
                state, woken, looked = self._told(), 0, 0
                try:
                    around: Hall | None = self._hall(state, self._now())
                except Exception:  # each page will look for itself, and say what failed
                    log.exception("The ticket pages' hall could not be worked out")
                    around = None
                while self._to_wake and woken < WAKE_BATCH and looked < LOOK_BATCH:
                    stream = self._to_wake.pop()
                    looked += 1
                    if stream.ping or around is None or not self._same_page(
                            stream, state, around):
                        stream.dirty.set()
                        woken += 1
                await asyncio.sleep(0)  # the woken pages, and any request, go first
        finally:
            self._waker = None

    def _same_page(self, stream: _Stream, state: rules.QueueState, around: Hall) -> bool:
        """Whether the stream's page would say what it said (``same_page``)."""
        ticket, shown, seen = state.tickets.get(stream.ticket), stream.shown, stream.seen
        if ticket is None or shown is None or seen is None:
            return False
        if self._alike_of is not around:
            self._alike, self._alike_of = {}, around
        alike = self._alike.get(seen)
        if alike is None:
            alike = self._alike[seen] = around.looks_like(seen)
        return same_page(shown, seen, ticket, around, alike=alike)

    async def _keep_alive(self) -> None:
        """A comment to every page quiet for ``keep_alive`` seconds, so that proxies
        and phones keep the stream open, and a look again (an absence's grace period
        ends by the clock alone). One task for all the pages: a timer per page and
        per wait cost a third of waking it."""
        while not self._closing:
            await asyncio.sleep(self._keep_alive_s / 4)
            due = time.monotonic() - self._keep_alive_s
            for stream in self._streams:
                if stream.wrote <= due:
                    stream.ping = True
                    self._to_wake.add(stream)  # woken in batches, as after a change
            self._start_waker()

    def transports(self) -> set[object]:
        """The connections of the open streams (long-lived by design)."""
        return {stream.transport for stream in self._streams}

    @property
    def followers(self) -> int:
        """How many pages are open and following their tickets now."""
        return len(self._streams)

    def close(self) -> None:
        """End every stream, so that the server stops without waiting for phones."""
        self._closing = True
        if self._pinger is not None:
            self._pinger.cancel()
        for stream in self._streams:
            stream.dirty.set()


def _level(text: str | None) -> int | None:
    """A rating level as typed in a form or an address: one or two plain digits."""
    return int(text) if text is not None and re.fullmatch(r"[0-9]{1,2}", text) else None


_PRIVATE: Final = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex",
                   "Referrer-Policy": "no-referrer"}
