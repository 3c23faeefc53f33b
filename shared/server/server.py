"""The office's queue server: protocol v1 over WebSocket, ``GET /health``, zeroconf.

The single authority of an office (see docs/protocol.md and docs/deployment.md).
Each connection gets a challenge, must answer with a ``hello`` proving it knows
the pairing code, and is then welcomed with a snapshot. Its requests go to the
``OfficeService``, called directly on the event loop thread: one request is decided
at a time, which is what keeps two counters from ever calling the same ticket. The
requests decided in one turn of the event loop share one transaction (group
commit: one fsync for all of them), and their replies and events leave only once
it is on disk. The reply goes to the sender and the events to every welcomed
client, each through the connection's own outbox, written out in one piece per turn;
a client whose socket is backed up is served by its own writer task, so that one
slow client never slows the others, and one whose outbox overflows is disconnected
(it reconnects and resyncs with a snapshot). Those parts live in modules of their
own: ``shared.server.handshake``, ``shared.server.client_link``, ``shared.server.group_commit``,
``shared.core.presence`` and ``shared.core.rate_limit`` (a kiosk's allowance of tickets).

Imports no Qt. The zeroconf advertiser (``shared.lan.discovery``) is imported only when
the server advertises.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import socket
import ssl
import time
from collections.abc import Callable, Sequence
from datetime import date, datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Final, Literal, Protocol

import msgspec
from aiohttp import WSCloseCode, WSMsgType, web

from shared.core import serving, wire
from shared.core.errors import MotcuaError, QueueError
from shared.core.office import NoOpenCounter, Office
from shared.core.pairing import load_or_create_secret, read_secret
from shared.core.pin import hash_pin
from shared.core.presence import CounterPresence
from shared.core.protocol import PROTOCOL_VERSION, WS_PATH, ProtocolError
from shared.core.rate_limit import RateLimit
from shared.core.report import Day
from shared.core.site_log import heartbeat
from shared.core.system_words import said
from shared.server.arrivals import Arrivals, raise_descriptor_limit
from shared.server.booking_book import BookingBook
from shared.server.bookings_api import BookingsApi
from shared.server.central_config import ConfigBundles
from shared.server.central_link import CentralLink
from shared.server.client_link import CLOSE_TIMEOUT, ClientLink, ClientLinks, Outgoing
from shared.server.data_lock import DataDirectoryLock
from shared.server.desk import Desk
from shared.server.desk_admin import DeskAdmin, DeviceActions
from shared.server.desk_config import DeskConfig
from shared.server.desk_tls import DeskCertificate, office_certificate, own_certificate
from shared.server.devices import DeviceError, DeviceRegistry
from shared.server.group_commit import GroupCommit
from shared.server.handshake import Handshake
from shared.server.office_service import OfficeService, Session
from shared.server.rating_tablet import RatingTablets
from shared.server.store import SqliteStore
from shared.server.ticket_pages import TicketPages, load_or_create_page_key

if TYPE_CHECKING:  # zeroconf is imported only when the server advertises
    from shared.lan.office_claim import Claim

log = logging.getLogger(__name__)

DATABASE_FILE: Final = "motcua.sqlite"
# Frames up to this size are read and answered with ``too_large`` when over
# MAX_FRAME_BYTES; anything bigger is cut off at its header (close code 1009) so
# that nobody can make the server buffer megabytes.
HARD_FRAME_LIMIT: Final = 1024 * 1024
OUTBOX_SIZE: Final = 512  # messages waiting for one client before it counts as stuck
HEARTBEAT: Final = 20.0  # ping interval: a pulled cable is noticed within ~30 s
SHUTDOWN_TIMEOUT: Final = 5.0
# How often the server looks at the clock for a new day or a service opening or
# closing: well within the second in which clients must hear of it.
TICK_SECONDS: Final = 0.25
LAN_LOOK_SECONDS: Final = 60.0  # how long the LAN address found for the pages is kept
DESK_CERTIFICATE_CHECK: Final = 60.0  # seconds between looks at the desk's addresses

_WILDCARDS: Final = ("", "0.0.0.0", "::")


class ServerError(MotcuaError):
    """The server cannot start (port taken, data directory unusable …)."""


class Advertiser(Protocol):
    async def claim(self) -> None: ...

    async def start(self) -> None: ...

    def watch(self, on_rival: Callable[[Claim], None]) -> None: ...

    async def stop(self) -> None: ...


def version() -> str:
    try:
        return metadata.version("motcua")
    except metadata.PackageNotFoundError:
        return "unknown"


class OfficeServer:
    """The queue server of one office, on one port: ``start()``, then ``stop()``."""

    def __init__(
        self,
        office: Office,
        data_dir: Path,
        host: str = "0.0.0.0",
        port: int = 8765,
        *,
        advertise: bool = True,
        clock: Callable[[], datetime] | None = None,
        outbox_size: int = OUTBOX_SIZE,
        arrivals: Arrivals[web.RequestHandler] | None = None,
        desk_port: int | None = None,
        bundles: ConfigBundles | None = None,
    ) -> None:
        """``desk_port``: serve the leader's desk over HTTPS there (0: any free port);
        None: no desk. ``bundles``: the office configurations the province publishes
        ([central]); a new one ends the server at the start of a business day, for
        ``run`` to start it again with it."""
        self.office = office
        self.data_dir = data_dir
        self.host = host
        self.port = port
        self.advertise = advertise
        self._clock = clock
        self._service: OfficeService | None = None
        self._store: SqliteStore | None = None
        self._devices: DeviceRegistry | None = None
        self._bookings: BookingBook | None = None
        self._handshake: Handshake | None = None
        self._pages: TicketPages | None = None
        self.desk_port = desk_port
        self._desk: Desk | None = None
        self._tablets: RatingTablets | None = None
        self._desk_context: ssl.SSLContext | None = None
        self._desk_checked = 0.0
        self._desk_runner: web.AppRunner | None = None
        self._desk_certificate: DeskCertificate | None = None
        self._lan_host: tuple[float, str] = (0.0, "")  # when looked at, and what was found
        self._runner: web.AppRunner | None = None
        self._site: web.SockSite | None = None
        self._advertiser: Advertiser | None = None
        self._clock_task: asyncio.Task[None] | None = None
        self._central: CentralLink | None = None
        self.bundles = bundles
        self.restart_for_config = False  # ended to run the province's new configuration
        self._data_lock = DataDirectoryLock(data_dir)
        self._stopping = False
        # Set when the server must stop by itself (``_step_down``), with why in plain words.
        self.ended = asyncio.Event()
        self.stepped_down: str | None = None
        self._stop_task: asyncio.Task[None] | None = None
        self._links = ClientLinks(outbox_size)  # every open WebSocket
        self._clients: list[ClientLink] = []  # the welcomed ones, in order of arrival
        # The display that says the calls, in each hall ("": an office of one hall).
        self._speakers: dict[str, ClientLink] = {}
        self._present = CounterPresence()
        self._rate_limit = RateLimit(office.server.kiosk_rate_per_minute)
        self._group = GroupCommit()  # the requests decided in this turn of the event loop
        # The connections not welcomed yet: a time limit each, a cap per address.
        self._arrivals: Arrivals[web.RequestHandler] = arrivals or Arrivals()

    # --- life cycle -----------------------------------------------------------

    @property
    def central_link(self) -> CentralLink | None:
        """The link to the province's central server ([central]), while running."""
        return self._central

    @property
    def running(self) -> bool:
        """Started and not stopped."""
        return self._service is not None

    @property
    def service(self) -> OfficeService:
        if self._service is None:
            raise ServerError("The server is not started.")
        return self._service

    @property
    def secret(self) -> str:
        """The office's pairing code, as it is now in the data directory."""
        return read_secret(self.data_dir)

    @property
    def devices(self) -> DeviceRegistry:
        """The office's enrolled devices and admins."""
        if self._devices is None:
            raise ServerError("The server is not started.")
        return self._devices

    @property
    def page_base_url(self) -> str:
        """Where phones on the office network reach this server's pages: the
        office's ``[server] page_url``, else ``http://<this machine's LAN address>:PORT``
        — looked at again every minute, so that a server started before the network
        was up does not print a dead address all day."""
        if self.office.server.page_url:
            return self.office.server.page_url
        host = self.host
        if host in _WILDCARDS:
            looked, host = self._lan_host
            if time.monotonic() - looked > LAN_LOOK_SECONDS or not host:
                from shared.lan.discovery import lan_address

                found = lan_address()
                if found != host:
                    log.log(logging.WARNING if found.startswith("127.") else logging.INFO,
                            "ticket pages are at http://%s:%d%s", found, self.port,
                            " — loopback only: phones cannot reach it; is the network "
                            "up? Set [server] page_url to fix the address"
                            if found.startswith("127.") else "")
                self._lan_host = (time.monotonic(), found)
                host = found
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self.port}"

    @property
    def pages(self) -> TicketPages:
        if self._pages is None:
            raise ServerError("The server is not started.")
        return self._pages

    def _rate(self, ticket_id: int, level: int, reasons: Sequence[str]) -> QueueError | None:
        """Store a citizen's rating from their ticket's page, on disk before the page
        thanks them; None, or why not (``queue_rules.rate``'s refusals, ``stopping``,
        ``not_saved``)."""
        if self._stopping or self._store is None:
            return QueueError("stopping", "Máy chủ đang dừng.")
        self._group.open(self._store, self.service, self._commit_batch)
        problem = self.service.rate(ticket_id, level, reasons)
        self._commit_batch()
        rated = self.service.state.tickets.get(ticket_id)
        if problem is None and (rated is None or rated.rating != level):
            return QueueError("not_saved", "Máy chủ gặp lỗi khi lưu đánh giá.")
        self.pages.changed()
        if self._desk is not None:
            self._desk.changed()  # today's satisfaction on the leader's live view
        if self._tablets is not None:
            self._tablets.changed()
        return problem

    def _store_days(self, day: date) -> list[Day]:
        """The stored business day ``day`` as a report reads it (none if it had nothing)."""
        assert self._store is not None
        return self._store.report_days(day, day)

    @property
    def url(self) -> str:
        """Where a client on this machine connects: ``ws://HOST:PORT/ws``."""
        host = "127.0.0.1" if self.host in _WILDCARDS else self.host
        host = f"[{host}]" if ":" in host else host
        return f"ws://{host}:{self.port}{WS_PATH}"

    async def start(self) -> None:
        """Bind the port, win the office, open the database, serve, advertise.

        Raises a MotcuaError if it cannot. The port is bound first, so that a taken
        port is said at once and the office's claim names the real port; but nothing
        is served, and the data directory is not touched, until this server has won
        the office (``shared.lan.office_claim``).
        """
        raise_descriptor_limit()
        sock = self._bind()
        try:
            if self.advertise:
                await self._claim_office()
            self._data_lock.acquire()  # DataDirectoryInUseError: another server has it
            load_or_create_secret(self.data_dir)
            self._devices = DeviceRegistry(self.data_dir)
            self._store = SqliteStore(self.data_dir / DATABASE_FILE)
            self._bookings = BookingBook(self.data_dir)
            self._pages = TicketPages(
                self.office, load_or_create_page_key(self.data_dir),
                lambda: self.page_base_url,
                lambda: self.service.state, lambda: self.service.now(), lambda: self._present,
                lambda day: self._store_days(day), self._rate,
            )
            self._service = OfficeService(self.office, self._store, self._clock,
                                          page_address=self._pages.address,
                                          present=lambda: self._present,
                                          pin_of=self._devices.pin_hash,
                                          booking_of=self._bookings.find)
            self._handshake = Handshake(
                self.office, self._devices, lambda: read_secret(self.data_dir),
                self._clock or datetime.now,
            )
            await self._listen(sock)
            await self._open_desk()
            self._clock_task = asyncio.get_running_loop().create_task(self._drive_time())
            if self.office.central is not None:  # the province's copy of our log
                self._central = CentralLink(
                    self.office.central, self.data_dir / DATABASE_FILE,
                    lambda: heartbeat(self.service.state, self.office, self.service.now(),
                                      self._present), self.bundles)
                self._central.start()
            if self._advertiser is not None:
                await self._advertiser.start()
                self._advertiser.watch(self._step_down)
        except BaseException:
            if self._site is None:
                sock.close()
            await self._shutdown()
            raise
        log.info(
            "motcua server for %s (%s) listening on %s; protocol %d, version %s, data in %s",
            self.office.name, self.office.id, self._where(), PROTOCOL_VERSION, version(),
            self.data_dir,
        )

    def _step_down(self, rival: Claim) -> None:
        """Another server of this office has served longer: a split network healed.
        Stop at once, so that no number is given twice from now on; the clients find
        the other server by themselves. ``ended`` tells whoever runs this server."""
        where = f"{rival.host}:{rival.port}" if rival.host else "the network"
        self.stepped_down = (
            f"Một máy chủ khác của cơ quan này ({rival.name or rival.office}, {where}) đang "
            "phục vụ từ trước: mạng đã bị chia cắt. Máy chủ này dừng để không cấp trùng số; "
            "các máy sẽ tự chuyển sang máy chủ kia. Xem lại các vé cấp trong lúc mạng bị "
            "chia cắt (motcua audit). / Another server of this office "
            f"({rival.name or rival.office}, {where}) has been serving longer: the network "
            "was split. This server stops so that no number is given twice; the devices "
            "move to the other one. Check the tickets issued while the network was split.")
        log.error("%s", self.stepped_down)
        self.ended.set()
        # Stop here too, whoever runs it (``motcua serve``, or a kiosk's own server).
        self._stop_task = asyncio.get_running_loop().create_task(self.stop())

    async def stop(self) -> None:
        """Stop accepting, withdraw the advertisement, say goodbye to every client
        (close code 1001, after what was queued for it), then close the database."""
        stopping = self._stop_task
        if stopping is not None and stopping is not asyncio.current_task():
            await stopping  # already stopping by itself (``_step_down``): one shutdown
            return
        if self._runner is None and self._store is None:
            return
        log.info("stopping the motcua server on port %d", self.port)
        await self._shutdown()
        log.info("motcua server stopped")

    def _bind(self) -> socket.socket:
        host = self.host or "0.0.0.0"
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        try:
            sock = socket.create_server((host, self.port), family=family)
        except OSError as problem:
            reason = problem.strerror or str(problem)
            raise ServerError(said("cannot_listen", host=host, port=self.port,
                                   reason=reason.lower())) from problem
        self.port = int(sock.getsockname()[1])  # the real one, also when 0 was asked
        return sock

    async def _claim_office(self) -> None:
        from shared.lan.discovery import ZeroconfAdvertiser

        addresses = None if self.host in _WILDCARDS else [self.host]
        self._advertiser = ZeroconfAdvertiser(
            self.office.id, self.office.name, self.port, addresses=addresses
        )
        await self._advertiser.claim()  # DuplicateServerError: the office has a server

    async def _listen(self, sock: socket.socket) -> None:
        app = web.Application()
        app.router.add_get("/health", self._health)
        app.router.add_get("/desk", self._to_desk)
        app.router.add_get("/desk-ca.crt", self._desk_authority)
        app.router.add_get(WS_PATH, self._websocket)
        self.pages.routes(app)
        self._runner = web.AppRunner(
            app, shutdown_timeout=SHUTDOWN_TIMEOUT, access_log=None, handle_signals=False
        )
        await self._runner.setup()
        self._site = web.SockSite(self._runner, sock)
        await self._site.start()

    async def _open_desk(self) -> None:
        """The leader's desk over HTTPS on its own port. It is not what the hall needs:
        when it cannot open (its port taken, a certificate that does not load), the
        server says why and serves the hall without it."""
        if self.desk_port is None or not self.office.desk.enabled:
            return
        devices, store = self.devices, self._store
        assert store is not None
        try:
            desk = self.office.desk
            if desk.certificate and desk.key:
                certificate = office_certificate(desk.certificate, desk.key)
            else:
                certificate = own_certificate(self.data_dir, self.office.name,
                                              self._desk_names())
            context = certificate.context()
            self._desk_context = context
            self._desk_checked = time.monotonic()
            host = self.host or "0.0.0.0"
            sock = socket.create_server((host, self.desk_port),
                                        family=socket.AF_INET6 if ":" in host
                                        else socket.AF_INET)
        except (MotcuaError, OSError) as problem:
            log.warning("the leader's desk is not served: %s", problem)
            return
        self.desk_port = int(sock.getsockname()[1])
        self._desk_certificate = certificate
        self._desk = Desk(
            self.office, devices.user, lambda: self.service.state,
            lambda: self.service.now(), lambda: self._present,
            lambda day: store.report_days(day, day), self.data_dir / DATABASE_FILE,
            day_before=store.day_before,
            seen=lambda name, address: devices.user_seen(name, address, datetime.now()),
            booked_on=lambda day: 0 if self._bookings is None else self._bookings.count(day),
            central=lambda: None if self._central is None else self._central.state)
        admin = DeskAdmin(
            self._desk, lambda: self.service.state, devices.pins_set,
            lambda official, typed: devices.set_pin(official, hash_pin(typed), datetime.now()),
            self._act_for_desk,
            DeviceActions(listed=devices.devices, revoke=self._revoke_for_desk,
                          allow=devices.allow, assign_hall=self._assign_hall_for_desk))
        self._tablets = RatingTablets(
            self.office, devices, lambda: read_secret(self.data_dir),
            lambda: self.service.state, lambda: self.service.now(), self._rate,
            time.monotonic)
        app = self._desk.app()
        admin.routes(app)
        if self.bundles is not None:
            DeskConfig(self._desk, self.bundles, lambda: self.service.state,
                       self._run_config_now).routes(app)
            self._desk.config_page = True
        BookingsApi(self.office, lambda: BookingBook(self.data_dir),
                    lambda key: devices.api_key_holder(key, datetime.now()),
                    lambda: self.service.now(), time.monotonic,
                    used=self._booking_used).routes(app)
        self._tablets.routes(app)  # a counter's rating tablet: HTTPS too, for its code
        self._desk_runner = web.AppRunner(app, shutdown_timeout=SHUTDOWN_TIMEOUT,
                                          access_log=None, handle_signals=False)
        await self._desk_runner.setup()
        await web.SockSite(self._desk_runner, sock, ssl_context=context).start()
        log.info("Bàn làm việc của lãnh đạo / the leader's desk: %s (chứng chỉ / certificate "
                 "SHA-256 %s)", self.desk_url, certificate.fingerprint())

    def _booking_used(self, code: str) -> str | None:
        """The number booking ``code`` gave today, if its citizen checked in."""
        ticket = self.service.state.by_booking(code)
        return None if ticket is None else ticket.number

    def _desk_names(self) -> list[str]:
        """The names and addresses the desk is reached by: this machine's LAN addresses
        (or the one it listens on), and the host of ``[server] page_url``."""
        from urllib.parse import urlsplit

        from shared.lan.discovery import local_addresses

        names = local_addresses() if self.host in _WILDCARDS else [self.host]
        if self.office.server.page_url:
            host = urlsplit(self.office.server.page_url).hostname
            names += [host] if host else []
        return names

    def _recheck_desk_certificate(self) -> None:
        """Every minute: a machine that got its address after the server started (DHCP),
        or another one, gets a certificate for it, signed by the same authority — the
        leaders trust nothing again, and new connections use it at once."""
        certificate = self._desk_certificate
        if (certificate is None or certificate.authority is None or self._desk_context is None
                or time.monotonic() - self._desk_checked < DESK_CERTIFICATE_CHECK):
            return
        self._desk_checked = time.monotonic()
        try:
            before = certificate.certificate.stat().st_mtime_ns
            renewed = own_certificate(self.data_dir, self.office.name, self._desk_names())
            if renewed.certificate.stat().st_mtime_ns != before:
                self._desk_context.load_cert_chain(renewed.certificate, renewed.key)
                log.info("the desk's certificate now names %s", ", ".join(self._desk_names()))
        except (MotcuaError, OSError, ssl.SSLError) as problem:
            log.warning("cannot renew the desk's certificate: %s", problem)

    def _revoke_for_desk(self, device_id: str) -> None:
        """Revoke a device from the leader's desk: refused from now on, and its
        connections closed now (the registry's own writes do not show in
        ``changed``, which sees other processes')."""
        self.devices.revoke(device_id, datetime.now())
        for connection in self._connections_of(device_id):
            log.warning("the %s was revoked on the desk: disconnecting it", connection)
            self._links.send(connection, _error(
                "unauthorized", "Thiết bị này đã bị thu hồi. / This device was revoked."))
            connection.close(WSCloseCode.POLICY_VIOLATION)

    def _assign_hall_for_desk(self, device_id: str, hall: str | None) -> None:
        """A display's hall, from the leader's desk: it reconnects into it at once."""
        device = self.devices.device(device_id)
        if device is not None and device.role != "display":
            raise DeviceError(f"“{device_id}” không phải màn hình. / “{device_id}” is not a "
                              "display.")
        self.devices.set_hall(device_id, hall)
        for connection in self._connections_of(device_id):
            connection.close(WSCloseCode.SERVICE_RESTART)  # back in a moment, in its hall

    def _connections_of(self, device_id: str) -> list[ClientLink]:
        return [c for c in self._clients if c.session and c.session.client == device_id]

    def _act_for_desk(self, request: wire.Request) -> wire.Reply:
        """A request an admin makes on the leader's desk: decided like a client's (and
        stored, and idempotent by its id), then published to every client."""
        self._commit_batch()  # after everything decided before it
        outcome = self.service.handle(Session("leader-desk", "admin"), request)
        for fact in outcome.events:
            self._broadcast_now(fact)
        self._links.flush()
        return outcome.reply

    @property
    def desk_url(self) -> str | None:
        """``https://HOST:PORT/desk`` when the desk is served."""
        if self._desk is None:
            return None
        host = self.host if self.host not in _WILDCARDS else "127.0.0.1"
        if self.host in _WILDCARDS:
            host = self.page_base_url.split("//", 1)[1].rsplit(":", 1)[0]
        return f"https://{host}:{self.desk_port}/desk"

    @property
    def desk(self) -> Desk:
        if self._desk is None:
            raise ServerError("The leader's desk is not served.")
        return self._desk

    @property
    def desk_certificate(self) -> DeskCertificate | None:
        return self._desk_certificate

    async def _drive_time(self) -> None:
        """Publish what the clock alone changes (``OfficeService.tick``), as it happens."""
        while True:
            await asyncio.sleep(TICK_SECONDS)
            try:
                self._tick()
            except Exception:
                log.exception("publishing a change of the day or of the services failed")

    def _run_config_now(self) -> None:
        """End, to be started again at once with the province's waiting configuration
        (``run``): at the day's change, or when an admin asks on the desk."""
        self.restart_for_config = True
        self.ended.set()

    def _tick(self) -> None:
        if self._service is None or self._stopping:
            return
        self._commit_batch()  # a new day starts after everything decided before it
        self._turn_away_revoked()
        self._turn_away_loiterers()
        self._recheck_desk_certificate()
        for fact in self._service.tick():
            if isinstance(fact, wire.DayChanged) and self.bundles is not None \
                    and self.bundles.pending is not None:
                # Before anyone is served on the new day: start again with it (``run``).
                log.info("business day %s: starting again with the province's configuration "
                         "%d", fact.snapshot.business_day, self.bundles.pending)
                self._run_config_now()
                return
            if isinstance(fact, wire.DayChanged):
                log.info("business day %s: sent to every client", fact.snapshot.business_day)
                fact = msgspec.structs.replace(
                    fact, snapshot=self._marked(fact.snapshot)
                )
            self._broadcast_now(fact)
        self._links.flush()

    async def _shutdown(self) -> None:
        self._stopping = True
        if self._central is not None:
            await self._central.stop()
            self._central = None
        if self._clock_task is not None:
            self._clock_task.cancel()
            self._clock_task = None
        self._commit_batch()
        if self._pages is not None:
            self._pages.close()  # the phones' streams end now, not at the shutdown timeout
        if self._desk is not None:
            self._desk.close()
        if self._tablets is not None:
            self._tablets.close()
            self._tablets = None
        if self._desk_runner is not None:
            await self._desk_runner.cleanup()
            self._desk_runner = None
            self._desk = None
        if self._site is not None:
            await self._site.stop()  # no new connections from here on
            self._site = None
        if self._advertiser is not None:
            try:
                await self._advertiser.stop()
            except Exception:
                log.exception("withdrawing the zeroconf advertisement failed")
            self._advertiser = None
        await self._links.close_all()
        if self._runner is not None:
            await self._runner.cleanup()  # lets in-flight HTTP requests finish
            self._runner = None
        self._commit_batch()  # anything decided while the clients were leaving
        if self._store is not None:
            self._store.close()
            self._store = None
        if self._devices is not None:
            self._devices.close()
            self._devices = None
        if self._bookings is not None:
            self._bookings.close()
            self._bookings = None
        self._service = None
        self._data_lock.release()

    def _where(self) -> str:
        if self.host in _WILDCARDS:
            return f"port {self.port} on all interfaces (ws://<this machine>:{self.port}{WS_PATH})"
        return self.url

    # --- HTTP -----------------------------------------------------------------

    async def _to_desk(self, request: web.Request) -> web.Response:
        """``http://SERVER:8765/desk``, as a leader may type it: to the HTTPS desk."""
        if self._desk is None:
            raise web.HTTPNotFound(text="Bàn làm việc của lãnh đạo chưa được bật ([desk]). / "
                                   "The leader's desk is not served ([desk]).")
        host = request.host.rsplit(":", 1)[0] if not request.host.endswith("]") \
            else request.host
        raise web.HTTPFound(f"https://{host}:{self.desk_port}/desk")

    async def _desk_authority(self, request: web.Request) -> web.Response:
        """The certificate a leader's browser trusts once (compare its fingerprint with
        the one ``motcua serve`` printed: this address is plain HTTP)."""
        certificate = self._desk_certificate
        if certificate is None or certificate.authority is None:
            raise web.HTTPNotFound(text="No certificate authority of the desk here.")
        return web.Response(body=certificate.authority.read_bytes(), headers={
            "Content-Type": "application/x-x509-ca-cert",
            "Content-Disposition": 'attachment; filename="motcua-desk-ca.crt"'})

    async def _health(self, request: web.Request) -> web.Response:
        health = wire.Health(protocol=PROTOCOL_VERSION, version=version())
        return web.Response(body=wire.encode(health), content_type="application/json")

    # --- WebSocket ------------------------------------------------------------

    async def _websocket(self, request: web.Request) -> web.StreamResponse:
        if self._stopping:
            raise web.HTTPServiceUnavailable(text="The motcua server is stopping.")
        ws = web.WebSocketResponse(
            max_msg_size=HARD_FRAME_LIMIT,
            heartbeat=HEARTBEAT,
            timeout=CLOSE_TIMEOUT,
            compress=False,
        )
        await ws.prepare(request)
        connection = self._links.open(ws, request)
        try:
            assert self._handshake is not None
            hello = await self._handshake(connection)
            if hello is not None:
                connection.key = self.devices.key_of(hello.role, hello.client)
                connection.session = Session(hello.client, hello.role, hello.counter,
                                             key=connection.key)
                connection.hall = self._hall_of(hello)
                connection.speaks = hello.role == "display" and hello.speaks
                if connection.speaks and self.office.halls and not connection.hall:
                    # It would say every hall's calls over each hall's own voice.
                    log.warning("display %r names no hall in an office of halls (%s): it "
                                "shows the whole office, silently; start it with --hall",
                                hello.client, ", ".join(h.code for h in self.office.halls))
                    connection.speaks = False
                self._join(connection, hello.id)
                await self._serve(connection)
        except Exception:
            log.exception("the %s failed", connection)
        finally:
            self._leave(connection)
            connection.close(WSCloseCode.GOING_AWAY)
            await connection.finished()
            self._links.discard(connection)
        return ws

    async def _serve(self, connection: ClientLink) -> None:
        ws = connection.ws
        while connection.close_code is None:
            frame = await ws.receive()
            if frame.type is WSMsgType.TEXT:
                self._on_text(connection, frame.data)
            elif frame.type is WSMsgType.BINARY:
                self._reply(connection, _error("bad_request", "Send JSON text frames, not binary."))
            else:
                if frame.type is WSMsgType.ERROR:
                    log.info("the %s broke off: %s", connection, ws.exception())
                return  # closed by the client, by a frame over the hard limit, or by us

    def _on_text(self, connection: ClientLink, text: str) -> None:
        """Decide one request; runs to the end without yielding to the event loop.

        Its change joins the open group commit: the reply and the events go out only
        once the transaction holding it is on disk (``_commit_batch``).
        """
        session = connection.session
        assert session is not None
        try:
            request = wire.decode_request(text)
        except ProtocolError as problem:
            self._reply(connection, _error(problem.code, problem.message, problem.re))
            if problem.code == "too_large":
                self._commit_batch()  # what came before goes out before the close
                connection.close(WSCloseCode.MESSAGE_TOO_BIG)
            return
        if (
            session.role == "kiosk"
            # Checking in is limited alike: a kiosk cannot be used to guess codes.
            and isinstance(request, wire.Issue | wire.CheckIn)
            # A retry after a reconnect is answered from memory, never refused.
            and self.service.store.reply_to(session.client, request.key) is None
            and not self._rate_limit.allows(session.client)
        ):
            self._reply(connection, _error(
                "rate_limited",
                "Máy cấp số đang nhận quá nhiều yêu cầu; vui lòng thử lại sau ít giây.",
                request.id,
            ))
            return
        if session.role == "kiosk" and isinstance(request, wire.Issue) and (
                self._nobody_serves(request.service)):
            self._reply(connection, _error(
                "no_counter",
                "Hiện chưa có quầy nào phục vụ dịch vụ này nên chưa cấp số. / No counter is "
                "serving this service right now, so no number is given.",
                request.id,
            ))
            return
        try:
            assert self._store is not None
            self._group.open(self._store, self.service, self._commit_batch)
            outcome = self.service.handle(session, request)
        except Exception:
            log.exception("request %r from the %s failed", request.type, connection)
            self._reply(connection, _error(
                "internal", "Máy chủ gặp lỗi khi xử lý yêu cầu. Vui lòng thử lại.", request.id
            ))
            return
        reply = outcome.reply
        if isinstance(reply, wire.SnapshotReply):
            reply = msgspec.structs.replace(reply, snapshot=self._marked(reply.snapshot))
        self._group.add(connection, reply, outcome.events)

    # --- group commit -------------------------------------------------------------

    def _commit_batch(self) -> None:
        """End the open group commit, then send its replies and events in the order the
        requests were decided; if it did not reach the disk, each request gets ``internal``."""
        closed = self._group.close()
        if closed is None:
            return
        decided, durable = closed
        for connection, reply, events in decided:
            if not durable:
                self._links.send(connection, _error(
                    "internal", "Máy chủ gặp lỗi khi xử lý yêu cầu. Vui lòng thử lại.", reply.re
                ))
                continue
            self._links.send(connection, reply)
            for fact in events:
                self._broadcast_now(fact)
        self._links.flush()

    # --- sending ------------------------------------------------------------------

    def _reply(self, connection: ClientLink, message: wire.Reply) -> None:
        """Answer now, or after the open group commit, keeping each client's order."""
        if self._group.is_open:
            self._group.add(connection, message, [])
        else:
            self._links.send(connection, message)

    def _broadcast(self, message: wire.Event) -> None:
        """Send to every welcomed client, after anything decided before it."""
        self._commit_batch()
        self._broadcast_now(message)

    def _broadcast_now(self, message: wire.Event) -> None:
        outgoing = Outgoing(message)
        for connection in list(self._clients):
            self._links.send(connection, outgoing)
        if self._pages is not None:
            self._pages.changed()  # the citizens' pages look again, after the clients
        if self._desk is not None:
            self._desk.heard(message)
            self._desk.changed()
        if self._tablets is not None:
            self._tablets.changed()  # a "done" wakes its counter's rating tablet

    # --- who is here --------------------------------------------------------------

    def _turn_away_loiterers(self) -> None:
        """Close the connections that were not welcomed in time, or crowd in from one
        address (``shared.server.arrivals``)."""
        if self._runner is None or self._runner.server is None:
            return
        welcomed: set[object] = {connection.transport for connection in self._clients}
        if self._pages is not None:
            welcomed |= self._pages.transports()  # phones following a ticket: welcome
        waiting = []
        for handler in self._runner.server.connections:
            transport = handler.transport
            if transport is None or transport in welcomed:
                continue
            peer = transport.get_extra_info("peername")
            waiting.append((handler, str(peer[0]) if peer else "?"))
        for handler in self._arrivals.sweep(time.monotonic(), waiting):
            handler.force_close()

    def _turn_away_revoked(self) -> None:
        """Disconnect, within a tick, every client whose device was revoked (or admin
        removed) by another process since the last look (``motcua devices revoke``)."""
        if self._devices is None or not self._devices.changed():
            return
        for connection in list(self._clients):
            session = connection.session
            if session is None or self._devices.admits(session.role, session.client,
                                                       session.counter, connection.key):
                continue
            log.warning("the %s was revoked: disconnecting it", connection)
            self._links.send(connection, _error(
                "unauthorized", "Thiết bị này đã bị thu hồi. / This device was revoked."
            ))
            connection.close(WSCloseCode.POLICY_VIOLATION)

    def _join(self, connection: ClientLink, hello_id: str | int) -> None:
        """Welcome the client and from now on send it every event.

        The snapshot and the joining happen in one go, so the client misses no
        event between them; it sees itself connected in the snapshot, and learns
        of it as an event after the welcome, as everyone else does.
        """
        self._commit_batch()  # the snapshot shows only what is on disk and announced
        counter = connection.session.counter if connection.session else None
        first = counter is not None and self._present.arrive(counter)
        self._clients.append(connection)
        hall = connection.hall
        new_speaker = connection.speaks and hall not in self._speakers
        if new_speaker:
            self._speakers[hall] = connection  # the first that may speak: one voice a hall
        connection.send(wire.Welcome(re=hello_id, snapshot=self._snapshot(),
                                     hall=connection.hall or None))
        log.info("welcomed the %s", connection)
        if first and counter is not None:
            self._broadcast(self._presence_event(counter, "connected"))
        if new_speaker:
            self._announce_speaker(hall)

    def _leave(self, connection: ClientLink) -> None:
        if connection not in self._clients:
            return
        self._commit_batch()  # its answers go out (or are dropped) in order
        self._clients.remove(connection)
        log.info("the %s left", connection)
        counter = connection.session.counter if connection.session else None
        if counter is not None and self._present.depart(counter) and self._service is not None:
            self._broadcast(self._presence_event(counter, "disconnected"))
        hall = connection.hall
        if self._speakers.get(hall) is connection:
            # Another display of its hall that may speak takes over at once (the oldest).
            successor = next((c for c in self._clients if c.speaks and c.hall == hall), None)
            if successor is None:
                del self._speakers[hall]
            else:
                self._speakers[hall] = successor
            if self._service is not None:
                self._announce_speaker(hall)

    def _hall_of(self, hello: wire.Hello) -> str:
        """A display's hall: the one it names, else the one the leader's desk assigned
        it (if the office still has it); "" for the whole office."""
        if hello.role != "display":
            return ""
        if hello.hall:
            return hello.hall
        if not hello.takes_hall:  # an older display would not follow it: it shows all
            return ""
        device = self.devices.device(hello.client)
        assigned = device.hall if device is not None else None
        return assigned if assigned and self.office.hall(assigned) else ""

    def _speaker_of(self, hall: str) -> str | None:
        speaker = self._speakers.get(hall)
        return speaker.session.client if speaker is not None and speaker.session else None

    def _announce_speaker(self, hall: str) -> None:
        speaker = self._speaker_of(hall)
        log.info("the calls%s are said by %s", f" of hall {hall}" if hall else "",
                 speaker or "no display")
        # To that hall's clients only: a display from before halls takes any
        # speaker_changed for its own, and would fall silent for another hall's.
        self._commit_batch()
        outgoing = Outgoing(wire.SpeakerChanged(speaker=speaker, hall=hall or None))
        for client in list(self._clients):
            if client.hall == hall:
                self._links.send(client, outgoing)
        self._links.flush()

    def _nobody_serves(self, service: str) -> bool:
        """With ``[kiosk] no_open_counter = "refuse"``: no counter that serves
        ``service`` is connected and working (``shared.core.serving``)."""
        if self.office.kiosk.no_open_counter is not NoOpenCounter.REFUSE:
            return False
        if self.office.service(service) is None:
            return False  # unknown_service, from the office service
        state = self.service.state
        seats = [
            wire.Counter(number=c.number, name=c.name, services=c.services,
                         paused=state.counter_state(c.number).paused,
                         connected=c.number in self._present)
            for c in self.office.counters
        ]
        return not serving.served(service, seats)

    def _presence_event(
        self, counter: int, change: Literal["connected", "disconnected"]
    ) -> wire.CounterChanged:
        seat = self.service.state.counter_state(counter)
        return wire.CounterChanged(counter=counter, change=change, paused=seat.paused,
                                   official=seat.official)

    def _snapshot(self) -> wire.Snapshot:
        """The service's snapshot plus which counters have a program connected."""
        return self._marked(self.service.snapshot())

    def _marked(self, snapshot: wire.Snapshot) -> wire.Snapshot:
        """``snapshot`` with what only the server knows: which counters have a program
        connected, and which display says the calls in each hall."""
        speakers = {hall: client for hall in self._speakers
                    if (client := self._speaker_of(hall)) is not None}
        return msgspec.structs.replace(self._present.mark(snapshot), speakers=speakers,
                                       speaker=speakers.get(""))


def _error(code: str, message: str, re: wire.RequestId | None = None) -> wire.ErrorReply:
    return wire.ErrorReply(re=re, code=code, message=message)


async def serve_until_signalled(server: OfficeServer) -> None:
    """Start ``server``, run until SIGTERM or SIGINT (Ctrl+C), then stop it gracefully.

    Installs signal handlers, so it runs on the main thread; a program that embeds
    the server elsewhere calls ``OfficeServer.start`` and ``stop`` itself.
    """
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    installed: list[signal.Signals] = []
    for signum in (signal.SIGTERM, signal.SIGINT):
        try:
            loop.add_signal_handler(signum, stop.set)
            installed.append(signum)
        except NotImplementedError:  # Windows: Ctrl+C (and NSSM's stop) arrive as SIGINT
            signal.signal(signum, lambda *_: loop.call_soon_threadsafe(stop.set))
    try:
        await server.start()
        signalled = asyncio.ensure_future(stop.wait())
        ended = asyncio.ensure_future(server.ended.wait())
        await asyncio.wait({signalled, ended}, return_when=asyncio.FIRST_COMPLETED)
        for waiting in (signalled, ended):
            waiting.cancel()
        if stop.is_set():
            log.info("signal received")
            server.restart_for_config = False  # stopped by a person: stopped
    finally:
        await server.stop()
        for signum in installed:
            loop.remove_signal_handler(signum)
    if server.stepped_down is not None:
        raise ServerError(server.stepped_down)


def run(office: Office, data_dir: Path, host: str, port: int, advertise: bool,
        desk_port: int | None = None, files: Path | None = None) -> int:
    """``motcua serve``: serve the office until SIGTERM or Ctrl+C; 0 after a clean stop.
    With ``[central]``, a configuration the province published is run from the server's
    start or the next business day's (the server starts again by itself for it).

    Raises a MotcuaError (port taken, another server of this office advertised,
    database unusable) for the command line to print.
    """
    bundles = ConfigBundles(data_dir, office, files) if office.central is not None else None
    while True:
        serving = bundles.effective() if bundles is not None else office
        server = OfficeServer(serving, data_dir, host, port, advertise=advertise,
                              desk_port=desk_port, bundles=bundles)
        asyncio.run(serve_until_signalled(server))
        if not server.restart_for_config:
            return 0
