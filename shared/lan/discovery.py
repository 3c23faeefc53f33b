"""Finding the office's queue server on the LAN with zeroconf (mDNS / DNS-SD).

The server advertises ``_motcua._tcp.local.`` (``ZeroconfAdvertiser``); every client
browses for it (``ZeroconfBrowser`` for long-running programs, ``find_server`` for a
one-off question). The instance name is the office name; the TXT records carry
``protocol``, ``office`` (the office id) and ``path`` (see docs/protocol.md).

An office has exactly one server: before the server serves or advertises anything,
the advertiser claims the office (``shared.lan.office_claim``) and refuses to start
(``DuplicateServerError``) if another server has it or wins it.

Imports no Qt. ``ZeroconfBrowser`` calls back on zeroconf's own thread; the Qt side
(``shared.qt.connection``) hands the results to the GUI thread through a queued signal.

Interfaces: ``None`` everywhere here means "the default choice", which is
``default_interfaces()``: the addresses in ``MOTCUA_ZEROCONF_INTERFACES`` if set
(the tests pin it to the loopback interface), otherwise all interfaces.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import os
import re
import socket
import threading
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final

import ifaddr
from zeroconf import (
    InterfaceChoice,
    IPVersion,
    ServiceBrowser,
    ServiceInfo,
    ServiceStateChange,
    Zeroconf,
)
from zeroconf.asyncio import AsyncServiceBrowser, AsyncServiceInfo, AsyncZeroconf

from shared.core.errors import MotcuaError
from shared.core.protocol import PROTOCOL_VERSION, SERVICE_TYPE, WS_PATH
from shared.core.system_words import said
from shared.lan.office_claim import CLAIM_SECONDS, Claim, OfficeClaim

log = logging.getLogger(__name__)

INTERFACES_ENV: Final = "MOTCUA_ZEROCONF_INTERFACES"
_RESOLVE_MS: Final = 2000
# An instance name is one DNS label: at most 63 bytes of UTF-8. Keep room for the
# "-2" zeroconf appends when it has to rename on a conflict.
_MAX_INSTANCE_BYTES: Final = 60
_CONTROL_CHARS: Final = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class ServerInfo:
    """One advertised queue server. ``name`` is the zeroconf instance name."""

    name: str
    office: str
    host: str
    port: int
    protocol: int
    path: str

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"ws://{host}:{self.port}{self.path}"


class DuplicateServerError(MotcuaError):
    """A server for this office already runs on the LAN; ``existing`` says where."""

    def __init__(self, existing: ServerInfo) -> None:
        self.existing = existing
        super().__init__(said("duplicate_server", office=existing.office, host=existing.host,
                              port=existing.port, name=existing.name))


def default_interfaces() -> list[str] | None:
    """The addresses listed in MOTCUA_ZEROCONF_INTERFACES (comma-separated), or None = all."""
    value = os.environ.get(INTERFACES_ENV, "")
    addresses = [part.strip() for part in value.split(",") if part.strip()]
    return addresses or None


def _chosen(interfaces: Sequence[str] | None) -> list[str] | InterfaceChoice:
    """What to hand zeroconf: explicit addresses, the environment's, or all interfaces."""
    addresses = list(interfaces) if interfaces is not None else default_interfaces()
    return addresses if addresses is not None else InterfaceChoice.All


def instance_name_of(full_name: str) -> str:
    """``"Phường 1._motcua._tcp.local."`` → ``"Phường 1"``."""
    suffix = "." + SERVICE_TYPE
    if full_name.lower().endswith(suffix.lower()):
        return full_name[: -len(suffix)]
    return full_name


def server_info_from(info: ServiceInfo) -> ServerInfo | None:
    """A resolved zeroconf record as a ServerInfo, or None if it is not a usable one."""
    properties = info.decoded_properties
    office = properties.get("office")
    try:
        protocol = int(properties.get("protocol") or "")
    except ValueError:
        protocol = 0
    path = properties.get("path") or WS_PATH
    if not path.startswith("/"):
        path = "/" + path
    host = _preferred_address(info)
    if not office or not protocol or host is None or not info.port:
        log.debug("Ignoring incomplete motcua advertisement %r", info.name)
        return None
    return ServerInfo(instance_name_of(info.name), office, host, info.port, protocol, path)


def _preferred_address(info: ServiceInfo) -> str | None:
    # IPv4 first: that is what office LANs route reliably; IPv6 link-local needs scopes.
    for version in (IPVersion.V4Only, IPVersion.V6Only):
        addresses = info.parsed_scoped_addresses(version)
        if addresses:
            return addresses[0]
    return None


async def _browse(
    zc: Zeroconf, timeout: float, office_id: str | None, *, first_only: bool
) -> list[ServerInfo]:
    """Browse for ``timeout`` seconds (or until the first match) on a running event loop."""
    found: dict[str, ServerInfo] = {}
    done = asyncio.Event()
    tasks: set[asyncio.Task[None]] = set()

    async def resolve(name: str) -> None:
        info = AsyncServiceInfo(SERVICE_TYPE, name)
        if not await info.async_request(zc, _RESOLVE_MS):
            return
        server = server_info_from(info)
        if server is not None and (office_id is None or server.office == office_id):
            found[server.name] = server
            if first_only:
                done.set()

    def on_change(
        zeroconf: Zeroconf, service_type: str, name: str, state_change: ServiceStateChange
    ) -> None:
        if state_change is ServiceStateChange.Removed:
            found.pop(instance_name_of(name), None)
            return
        task = asyncio.get_running_loop().create_task(resolve(name))
        tasks.add(task)
        task.add_done_callback(tasks.discard)

    browser = AsyncServiceBrowser(zc, SERVICE_TYPE, handlers=[on_change])
    try:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(done.wait(), timeout)
    finally:
        await browser.async_cancel()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    return list(found.values())


async def find_server(
    office_id: str | None, timeout: float, interfaces: Sequence[str] | None = None
) -> ServerInfo | None:
    """The first server found within ``timeout`` seconds (of this office, if given), or None."""
    aiozc = AsyncZeroconf(interfaces=_chosen(interfaces))
    try:
        servers = await _browse(aiozc.zeroconf, timeout, office_id, first_only=True)
    finally:
        await aiozc.async_close()
    return servers[0] if servers else None


def _sanitised_instance_name(name: str, suffix: str = "") -> str:
    """An office name as a zeroconf instance name: NFC, no control characters, no dots
    (python-zeroconf would split them into DNS labels), at most 63 bytes with ``suffix``."""
    text = unicodedata.normalize("NFC", name)
    text = _CONTROL_CHARS.sub(" ", text).replace(".", " ")
    text = " ".join(text.split())
    budget = _MAX_INSTANCE_BYTES - len(suffix.encode())
    text = text.encode()[:budget].decode(errors="ignore").rstrip()
    return (text or "motcua") + suffix


def _host_label(text: str) -> str:
    """A DNS host label: ASCII letters, digits and hyphens."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    label = re.sub(r"[^A-Za-z0-9-]+", "-", folded).strip("-")
    return label[:63].strip("-") or "motcua"


def lan_address() -> str:
    """This machine's address on the network its default route leads to (the one a
    phone on the office Wi-Fi reaches): asked of the kernel with an unsent UDP
    "connection"; else the first of ``local_addresses`` (loopback when there is none)."""
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("192.0.2.1", 9))  # TEST-NET-1: routed like the internet, never sent
        address = str(probe.getsockname()[0])
        if not address.startswith(("127.", "0.")):
            return address
    return local_addresses()[0]


def local_addresses() -> list[str]:
    """Every IPv4 address of this machine but loopback (loopback if there is no other),
    private LAN addresses first and link-local ones last (what a phone on the office
    Wi-Fi can reach)."""

    def rank(address: str) -> tuple[bool, bool, str]:
        ip = ipaddress.ip_address(address)
        return ip.is_link_local, not ip.is_private, address

    addresses = sorted(
        {
            str(ip.ip)
            for adapter in ifaddr.get_adapters()
            for ip in adapter.ips
            if ip.is_IPv4 and not str(ip.ip).startswith("127.")
        },
        key=rank,
    )
    return addresses or ["127.0.0.1"]


def _ip_addresses(interfaces: Sequence[str]) -> list[str]:
    addresses = []
    for interface in interfaces:
        with contextlib.suppress(ValueError):
            addresses.append(str(ipaddress.ip_address(interface)))
    return addresses


class ZeroconfAdvertiser:
    """Advertises the office's server, once it has won the office (``shared.lan.office_claim``).

    ``claim()`` decides, before the server serves anything, whether this server is
    the office's one server (raises DuplicateServerError if not); ``start()`` then
    publishes the server for clients to find. ``addresses`` overrides the advertised
    addresses (by default those of the chosen interfaces, or every IPv4 address of
    the machine when all interfaces are used).
    """

    def __init__(
        self,
        office_id: str,
        office_name: str,
        port: int,
        *,
        interfaces: Sequence[str] | None = None,
        addresses: Sequence[str] | None = None,
        claim_window: float = CLAIM_SECONDS,
    ) -> None:
        self.office_id = office_id
        self.office_name = office_name
        self.port = port
        self._interfaces = _chosen(interfaces)
        self._addresses = list(addresses) if addresses is not None else None
        self._claim_window = claim_window
        self._aiozc: AsyncZeroconf | None = None
        self._claim: OfficeClaim | None = None
        self._info: AsyncServiceInfo | None = None

    @property
    def name(self) -> str | None:
        """The instance name actually registered, once started."""
        return instance_name_of(self._info.name) if self._info is not None else None

    async def claim(self) -> None:
        """Win the office, or raise DuplicateServerError naming the server that has it."""
        if self._claim is not None:
            return
        aiozc = AsyncZeroconf(interfaces=self._interfaces)
        claim = OfficeClaim(
            aiozc, self.office_id, self.office_name, self.port, self._advertised_addresses(),
            _host_label(socket.gethostname()), window=self._claim_window,
        )
        try:
            rival = await claim.acquire()
        except BaseException:
            await aiozc.async_close()
            raise
        if rival is not None:
            await aiozc.async_close()
            raise DuplicateServerError(
                ServerInfo(rival.name, rival.office, rival.host, rival.port, PROTOCOL_VERSION,
                           WS_PATH)
            )
        self._aiozc, self._claim = aiozc, claim

    async def start(self) -> None:
        """Claim the office if not yet done, then publish the server to clients."""
        if self._info is not None:
            return
        await self.claim()
        assert self._aiozc is not None
        assert self._claim is not None
        taken = {server.name.casefold() for server in self._claim.servers_seen}
        info = self._service_info(taken)
        await (await self._aiozc.async_register_service(info, allow_name_change=True))
        self._info = info
        log.info("Advertising %r for office %r on port %d", self.name, self.office_id, self.port)

    def watch(self, on_rival: Callable[[Claim], None]) -> None:
        """While serving: ``on_rival`` when another server of this office, serving
        longer, is seen (a split network healed): this one must step down."""
        if self._claim is not None:
            self._claim.watch(on_rival)

    async def stop(self) -> None:
        """Withdraw the advertisement and the claim (browsers see the server lost)."""
        aiozc, self._aiozc, claim, self._claim = self._aiozc, None, self._claim, None
        if aiozc is None:
            return
        try:
            if claim is not None:
                await claim.release()  # its watch ends; its goodbye goes out
            await aiozc.async_unregister_all_services()
        finally:
            await aiozc.async_close()
        log.info("Stopped advertising %r", self.name)
        self._info = None

    def _advertised_addresses(self) -> list[str]:
        if self._addresses is not None:
            return self._addresses
        if isinstance(self._interfaces, list):
            return _ip_addresses(self._interfaces)
        return local_addresses()

    def _service_info(self, taken: set[str]) -> AsyncServiceInfo:
        host = _host_label(socket.gethostname())
        instance = _sanitised_instance_name(self.office_name)
        if instance.casefold() in taken:
            # Two offices with one name on a LAN: tell them apart by the machine.
            instance = _sanitised_instance_name(self.office_name, f" ({host})")
        # One host name per office, so that one server's goodbye never withdraws
        # the address record of another server on the same machine.
        server = _host_label(f"{host}-motcua-{self.office_id}") + ".local."
        return AsyncServiceInfo(
            SERVICE_TYPE,
            f"{instance}.{SERVICE_TYPE}",
            port=self.port,
            properties={
                "protocol": str(PROTOCOL_VERSION),
                "office": self.office_id,
                "path": WS_PATH,
            },
            server=server,
            parsed_addresses=self._advertised_addresses(),
        )


class ZeroconfBrowser:
    """Watches the LAN for queue servers, in zeroconf's own threads.

    ``on_found(server)`` runs when a server appears or its address changes;
    ``on_lost(name)`` when a server reported before withdraws (by instance name,
    the ``ServerInfo.name`` it was found with). Both run on zeroconf's browser
    thread, never the caller's: a Qt program must pass them on with a queued signal,
    and they must not call ``stop()``. Only servers of ``office_id`` are reported
    when it is given.
    """

    def __init__(
        self,
        on_found: Callable[[ServerInfo], None],
        on_lost: Callable[[str], None],
        *,
        office_id: str | None = None,
        interfaces: Sequence[str] | None = None,
    ) -> None:
        self._on_found = on_found
        self._on_lost = on_lost
        self._office_id = office_id
        self._interfaces = _chosen(interfaces)
        self._zc: Zeroconf | None = None
        self._browser: ServiceBrowser | None = None
        self._found: dict[str, ServerInfo] = {}  # touched by the browser thread only
        self._lock = threading.Lock()

    def start(self) -> None:
        with self._lock:
            if self._zc is not None:
                return
            # Its own thread and loop even when the caller runs asyncio: the browser
            # thread resolves with blocking calls on that loop.
            self._zc = Zeroconf(interfaces=self._interfaces, use_asyncio=False)
            self._browser = ServiceBrowser(self._zc, SERVICE_TYPE, handlers=[self._on_change])

    def stop(self) -> None:
        """Stop browsing and join zeroconf's threads. Safe to call twice."""
        with self._lock:
            zc, browser = self._zc, self._browser
            self._zc = self._browser = None
        if browser is not None:
            browser.cancel()
        if zc is not None:
            zc.close()

    def _on_change(
        self, zeroconf: Zeroconf, service_type: str, name: str, state_change: ServiceStateChange
    ) -> None:
        try:
            self._handle(zeroconf, name, state_change)
        except Exception:
            # An error here would end zeroconf's browser thread; keep browsing.
            log.exception("Handling the zeroconf change of %r failed", name)

    def _handle(self, zeroconf: Zeroconf, name: str, state_change: ServiceStateChange) -> None:
        instance = instance_name_of(name)
        if state_change is ServiceStateChange.Removed:
            if self._found.pop(instance, None) is not None:
                self._on_lost(instance)
            return
        info = ServiceInfo(SERVICE_TYPE, name)
        if not info.request(zeroconf, _RESOLVE_MS):
            log.debug("Could not resolve %r", name)
            return
        server = server_info_from(info)
        if server is None or (self._office_id is not None and server.office != self._office_id):
            return
        if self._found.get(instance) != server:
            self._found[instance] = server
            self._on_found(server)
