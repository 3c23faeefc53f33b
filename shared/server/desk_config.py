"""The province's configuration on the site's desk (issue 19, part 3): the version the
site runs, the one waiting for the start of its next business day with what it changes,
a version the site refused and why, and an admin's button to run the waiting one now.

Running it now ends the server as the day's change does: it starts again at once with
that version, keeping every ticket where it was; the kiosks, counters and displays
reconnect by themselves. The button names the version it was shown, so a newer one
that arrived meanwhile is never run unseen; and a version that no longer serves a
number still waiting today is refused until the day's end. Imports aiohttp.
"""

from __future__ import annotations

import difflib
import logging
from collections.abc import Callable

from aiohttp import web

from shared.core.errors import ConfigError
from shared.core.queue_rules import QueueState
from shared.core.ticket import TicketStatus
from shared.server import web_pages
from shared.server.central_config import ConfigBundles
from shared.server.desk import Desk, language_of, same_site
from shared.server.desk_texts import tr

log = logging.getLogger(__name__)


class DeskConfig:
    """An admin's page of the province's configuration: ``routes(app)``."""

    def __init__(self, desk: Desk, bundles: ConfigBundles, state: Callable[[], QueueState],
                 run_now: Callable[[], None]) -> None:
        """``state``: the queue now; ``run_now``: end the server, to start again at once
        with the waiting version."""
        self.desk, self.bundles, self._state, self._run_now = desk, bundles, state, run_now
        self._page = web_pages.templates().get_template("desk_config.html")

    def routes(self, app: web.Application) -> None:
        app.router.add_get("/desk/config", self._show)
        app.router.add_post("/desk/config/run", self._run)

    def changes(self, waiting: str) -> list[str]:
        """What ``waiting`` changes from the province's version running, as the lines
        of a unified diff (none when the site runs its own file: that file is on the
        site's machine, and the page shows the waiting version whole)."""
        running = self.bundles.text("running")
        if running is None:
            return []
        return list(difflib.unified_diff(running.splitlines(), waiting.splitlines(),
                                         lineterm="", n=1))[2:]

    def _response(self, request: web.Request, *, said: str = "", problem: str = "",
                  status: int = 200) -> web.Response:
        language = language_of(request)
        whole = self.bundles.text("pending") or ""
        html = self._page.render(
            lang=language, t=self.desk.words(language), office_name=self.desk.office.name,
            running=self.bundles.served, waiting=self.bundles.pending,
            changes=self.changes(whole) if whole else [], whole=whole,
            refused=self.bundles.refused, said=said, problem=problem)
        return web.Response(text=html, content_type="text/html", status=status)

    def _stranded(self, version: int) -> str:
        """The numbers still to be called today that ``version`` has no counter for
        (its service gone, or sent to a counter gone): run mid-day, it would leave those
        citizens waiting for ever. At the start of a day nobody waits."""
        text = self.bundles.text("pending")
        if text is None:
            return ""
        try:
            office = self.bundles.office_of(text, f"bản {version} / version {version}")
        except ConfigError as problem:
            return str(problem)
        served = {code for c in office.counters for code in c.services}
        numbers = [t.number for t in self._state().tickets.values()
                   if t.status in (TicketStatus.WAITING, TicketStatus.ABSENT, TicketStatus.PARKED)
                   and (t.service not in served or (t.target_counter is not None
                                                    and office.counter(t.target_counter) is None))]
        return ", ".join(sorted(numbers))

    async def _show(self, request: web.Request) -> web.Response:
        self.desk.admin(request)
        return self._response(request)

    async def _run(self, request: web.Request) -> web.Response:
        user = self.desk.admin(request)
        language = language_of(request)
        if not same_site(request):
            raise web.HTTPForbidden(text="Biểu mẫu gửi từ trang khác. / Form posted from "
                                         "another site.")
        form = await request.post()
        shown = str(form.get("version", ""))
        waiting = self.bundles.pending
        if waiting is None or shown != str(waiting):
            return self._response(request, problem=tr("config_changed", language), status=409)
        stranded = self._stranded(waiting)
        if stranded:
            return self._response(request, problem=tr("config_strands", language,
                                                      version=waiting, numbers=stranded),
                                  status=409)
        log.warning("%s runs the province's configuration %d now, from the desk", user, waiting)
        self._run_now()
        return self._response(request, said=tr("config_restarting", language,
                                               version=waiting))
