"""The leader's desk for an admin: the officials' PINs and seats, and the devices.

An ``admin`` account (``motcua user add NAME --role admin``) gives an official a new
PIN, signs out an official who left a counter without doing so, and revokes, allows
again or assigns to a hall the office's enrolled devices — each at once: the counters,
the hall and the device itself see it (issues 12, 17 and 18). Pages of the desk
(``shared.server.desk``), behind its sign-in; a leader's account is refused them.

Imports aiohttp and the core.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from aiohttp import web

from shared.core import pin, wire
from shared.core import queue_rules as rules
from shared.core.errors import MotcuaError
from shared.server import web_pages
from shared.server.desk import Desk, language_of, same_site
from shared.server.desk_texts import tr
from shared.server.devices import Device

log = logging.getLogger(__name__)

OFFICIAL_NEWS: Final = ("pin_set", "signed_out")
DEVICE_NEWS: Final = ("revoke", "allow", "hall")


@dataclass(frozen=True)
class DeviceActions:
    """What an admin may do with the office's devices from the desk; each takes effect
    at once (a revoked device is disconnected, a display joins its new hall)."""

    listed: Callable[[], list[Device]]
    revoke: Callable[[str], object]
    allow: Callable[[str], object]
    assign_hall: Callable[[str, str | None], object]


class DeskAdmin:
    """An admin's pages of one desk: ``routes(app)``."""

    def __init__(
        self,
        desk: Desk,
        state: Callable[[], rules.QueueState],
        pins: Callable[[], dict[str, str]],
        set_pin: Callable[[str, str], None],
        act: Callable[[wire.Request], wire.Reply],
        devices: DeviceActions,
    ) -> None:
        """``pins``: when each official's PIN was set; ``set_pin(official, pin)``: give
        one a new PIN; ``act``: decide a request as an admin would (sign an official
        out of a counter) and publish what it caused; ``devices``: the devices."""
        self.desk = desk
        self._state = state
        self._pins = pins
        self._set_pin = set_pin
        self._act = act
        self._devices = devices
        templates = web_pages.templates()
        self._officials_page = templates.get_template("desk_officials.html")
        self._devices_page = templates.get_template("desk_devices.html")

    def routes(self, app: web.Application) -> None:
        app.router.add_get("/desk/officials", self._officials)
        app.router.add_post("/desk/officials/pin", self._new_pin)
        app.router.add_post("/desk/officials/sign-out", self._sign_out_official)
        app.router.add_get("/desk/devices", self._device_list)
        app.router.add_post("/desk/devices/{action}", self._device_action)

    # --- officials ---------------------------------------------------------------------

    async def _officials(self, request: web.Request) -> web.Response:
        self.desk.admin(request)
        said = request.query.get("said", "")
        return self._officials_response(request, said if said in OFFICIAL_NEWS else "")

    def _officials_response(self, request: web.Request, said: str = "",
                            problem: str = "", status: int = 200) -> web.Response:
        language = language_of(request)
        state = self._state()
        seats = {c.official: c.number for c in state.counters.values() if c.official}
        html = self._officials_page.render(
            lang=language, t=self.desk.words(language), office_name=self.desk.office.name,
            officials=self.desk.office.officials, pins=self._pins(), seats=seats, said=said,
            problem=problem)
        return web.Response(text=html, content_type="text/html", status=status)

    async def _new_pin(self, request: web.Request) -> web.Response:
        user = self.desk.admin(request)
        language = language_of(request)
        if not same_site(request):
            raise web.HTTPForbidden(text="Form posted from another site.")
        form = await request.post()
        official = self.desk.office.official(str(form.get("official", "")))
        typed, again = str(form.get("pin", "")), str(form.get("again", ""))
        if official is None:
            return self._officials_response(request, problem=tr("no_official", language),
                                            status=400)
        if typed != again:
            return self._officials_response(request, problem=tr("pins_differ", language),
                                            status=400)
        if pin.shape_problem(typed) is not None:
            return self._officials_response(request, problem=tr("pin_shape", language),
                                            status=400)
        await asyncio.get_running_loop().run_in_executor(None, self._set_pin, official.id,
                                                         typed)
        log.info("%s gave %s a new PIN on the desk", user, official.id)
        raise web.HTTPSeeOther(f"/desk/officials?lang={language}&said=pin_set")

    async def _sign_out_official(self, request: web.Request) -> web.Response:
        user = self.desk.admin(request)
        language = language_of(request)
        if not same_site(request):
            raise web.HTTPForbidden(text="Form posted from another site.")
        form = await request.post()
        try:
            counter = int(str(form.get("counter", "")))
        except ValueError:
            counter = 0
        if self.desk.office.counter(counter) is None:
            return self._officials_response(request, problem=tr("no_counter_here", language),
                                            status=400)
        reply = self._act(wire.SignOut(id=secrets.token_hex(8), for_counter=counter))
        if isinstance(reply, wire.ErrorReply):
            return self._officials_response(request, problem=reply.message, status=409)
        log.info("%s signed the official at counter %d out on the desk", user, counter)
        raise web.HTTPSeeOther(f"/desk/officials?lang={language}&said=signed_out")


    # --- devices -----------------------------------------------------------------------

    async def _device_list(self, request: web.Request) -> web.Response:
        self.desk.admin(request)
        said = request.query.get("said", "")
        return self._devices_response(request, said if said in DEVICE_NEWS else "")

    def _devices_response(self, request: web.Request, said: str = "", problem: str = "",
                          status: int = 200) -> web.Response:
        language = language_of(request)
        listed = self._devices.listed()
        html = self._devices_page.render(
            lang=language, t=self.desk.words(language), office_name=self.desk.office.name,
            devices=listed, halls=self.desk.office.halls, said=said, problem=problem)
        return web.Response(text=html, content_type="text/html", status=status)

    async def _device_action(self, request: web.Request) -> web.Response:
        user = self.desk.admin(request)
        language = language_of(request)
        if not same_site(request):
            raise web.HTTPForbidden(text="Form posted from another site.")
        form = await request.post()
        device_id = str(form.get("device", ""))
        action = request.match_info["action"]
        hall = str(form.get("hall", "")) or None
        if (action not in DEVICE_NEWS
                or (hall is not None and self.desk.office.hall(hall) is None)):
            raise web.HTTPBadRequest(text=tr("no_device", language))
        try:
            if action == "revoke":
                self._devices.revoke(device_id)
            elif action == "allow":
                self._devices.allow(device_id)
            else:
                self._devices.assign_hall(device_id, hall)
        except MotcuaError as problem:
            return self._devices_response(request, problem=str(problem), status=404)
        log.info("%s: %s %s on the desk%s", user, action, device_id,
                 f" ({hall})" if hall else "")
        raise web.HTTPSeeOther(f"/desk/devices?lang={language}&said={action}")
