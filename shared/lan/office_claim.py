"""One server per office: an election over mDNS that leaves no window for two winners.

Looking for a running server and then advertising leaves a gap: two servers of one
office started together (two PCs booting after a power cut) both look, both find
nothing, both serve. So a server first *claims* the office, in the open, and only
then decides:

1. It starts listening for claims and servers, then publishes its claim
   (``_motcua-claim._tcp.local.``, named after a digest of the office id and a random
   64-bit key; TXT: office id, key, ``state=claiming``).
2. It waits ``CLAIM_SECONDS``, then looks at every claim and server of its office it
   has seen. It loses to a server already serving, or else to the claim with the
   lowest key; losing, it withdraws its claim and refuses to start.
3. Winning, it marks its claim ``state=serving`` and keeps it published while it runs.

Why no two can both win: if two claims overlap in time, each server sees the other's
claim before its own decision, and both compare the same two keys. If they do not
overlap, the later one sees the earlier one already serving. Clients never browse
claims, so none of this is visible to them.

4. Serving, it keeps watching (``OfficeClaim.watch``). A network that drops one
   direction can still let two servers win, each deaf to the other; when it heals,
   each sees the other's serving claim, both apply ``yields_to``, and the one that
   started serving later steps down, so that no number is given twice from then on.


Imports no Qt; the decision (``rival_of``) is a pure function of what was seen.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import secrets
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Final

from zeroconf import ServiceStateChange, Zeroconf
from zeroconf.asyncio import AsyncServiceBrowser, AsyncServiceInfo, AsyncZeroconf

from shared.core.protocol import PROTOCOL_VERSION, SERVICE_TYPE, WS_PATH

log = logging.getLogger(__name__)

CLAIM_TYPE: Final = "_motcua-claim._tcp.local."
# How long a server listens for rivals after publishing its claim. A responder that
# multicast a record less than a second ago holds its answer back for a second
# (RFC 6762 §14), so a rival's answer to our first query can take ~1.3 s to come.
# 2.5 s: 2 s missed a rival once in a full test run on a machine loaded far beyond an
# office PC's day; 2.5 s passed 50 runs in a row with the other core busy. The cost:
# a restarted server serves 2.5 s later (docs/performance.md).
CLAIM_SECONDS: Final = 2.5
_RESOLVE_MS: Final = 2000
CLAIMING: Final = "claiming"
SERVING: Final = "serving"


@dataclass(frozen=True)
class Claim:
    """A server's claim to be its office's one server, as published or as seen."""

    office: str
    key: str  # 16 lowercase hex digits; the lowest key wins among servers starting together
    serving: bool
    name: str = ""  # the office name, for messages
    host: str = ""
    port: int = 0
    since: float = 0.0  # when it started serving (Unix time; 0 while claiming)


def rival_of(mine: Claim, seen: Iterable[Claim]) -> Claim | None:
    """The claim that keeps ``mine`` from serving, or None when mine wins.

    A server of the office already serving always wins; among servers still
    claiming, the lowest key does. Claims of other offices never count.
    """
    others = [c for c in seen if c.office == mine.office and c.key != mine.key]
    serving = [c for c in others if c.serving]
    if serving:
        return serving[0]
    lower = [c for c in others if c.key < mine.key]
    return min(lower, key=lambda c: c.key) if lower else None


def yields_to(mine: Claim, other: Claim) -> bool:
    """Whether ``mine``, serving, must step down for ``other``, also serving: the one
    that has served longer stays (its clients, its queue), the lower key on a tie.
    Both servers decide alike, so exactly one steps down."""
    return (other.office == mine.office and other.key != mine.key and other.serving
            and (other.since, other.key) < (mine.since, mine.key))


def new_key() -> str:
    return secrets.token_hex(8)


def office_digest(office_id: str) -> str:
    """The office in a claim's instance name: a claim seen but not resolved still counts."""
    return hashlib.sha256(office_id.encode()).hexdigest()[:16]


def claim_instance(office_id: str, key: str) -> str:
    return f"{office_digest(office_id)}-{key}"


def claim_from(info: AsyncServiceInfo, service_type: str) -> Claim | None:
    """A resolved record of either type as a Claim (an advertised server is serving)."""
    properties = info.decoded_properties
    office = properties.get("office")
    if not office:
        return None
    addresses = info.parsed_addresses()
    host = addresses[0] if addresses else ""
    if service_type == SERVICE_TYPE:
        name = info.name[: -len(SERVICE_TYPE) - 1]
        return Claim(office, "", serving=True, name=name, host=host, port=info.port or 0)
    key = properties.get("key") or ""
    serving = properties.get("state") == SERVING
    try:
        since = float(properties.get("since") or 0)
    except ValueError:
        since = 0.0
    return Claim(office, key, serving, properties.get("name") or "", host, info.port or 0,
                 since)


class OfficeClaim:
    """This server's claim, published on ``aiozc``: ``acquire()``, then ``release()``."""

    def __init__(
        self,
        aiozc: AsyncZeroconf,
        office_id: str,
        office_name: str,
        port: int,
        addresses: Sequence[str],
        host_label: str,
        *,
        window: float = CLAIM_SECONDS,
    ) -> None:
        self._aiozc = aiozc
        self.mine = Claim(office_id, new_key(), serving=False, name=office_name, port=port)
        self._addresses = list(addresses)
        self._host_label = host_label
        self._window = window
        self._info: AsyncServiceInfo | None = None
        self.servers_seen: list[Claim] = []  # advertised servers of every office
        self._watcher: AsyncServiceBrowser | None = None
        self._checks: set[asyncio.Task[None]] = set()

    async def acquire(self) -> Claim | None:
        """Claim the office. Returns the rival that wins (and withdraws), or None."""
        zc = self._aiozc.zeroconf
        seen: dict[tuple[str, str], None] = {}  # (type, full name), in order of arrival

        def on_change(
            zeroconf: Zeroconf, service_type: str, name: str, state_change: ServiceStateChange
        ) -> None:
            if state_change is ServiceStateChange.Removed:
                seen.pop((service_type, name), None)
            else:
                seen[(service_type, name)] = None

        # Listen before publishing: no claim announced from here on can be missed.
        browser = AsyncServiceBrowser(zc, [SERVICE_TYPE, CLAIM_TYPE], handlers=[on_change])
        try:
            self._info = self._service_info(CLAIMING)
            # The instance name is random, so there is nothing to probe for.
            await self._aiozc.async_register_service(self._info, cooperating_responders=True)
            await asyncio.sleep(self._window)
            claims = await self._resolve(zc, list(seen))
        finally:
            await browser.async_cancel()
        self.servers_seen = [c for c in claims if not c.key]
        rival = rival_of(self.mine, claims)
        if rival is not None:
            log.warning("Office %r is taken by %s", self.mine.office, rival)
            await self.release()
            return rival
        self.mine = replace(self.mine, serving=True, since=time.time())
        self._info = self._service_info(SERVING)
        await self._aiozc.async_update_service(self._info)
        log.info("Claimed office %r (key %s)", self.mine.office, self.mine.key)
        return None

    def watch(self, on_rival: Callable[[Claim], None]) -> None:
        """While serving: call ``on_rival`` once with a serving claim of this office that
        this one yields to (``yields_to``), as soon as it is seen."""
        zc = self._aiozc.zeroconf
        prefix = office_digest(self.mine.office) + "-"
        own = claim_instance(self.mine.office, self.mine.key)

        def on_change(
            zeroconf: Zeroconf, service_type: str, name: str, state_change: ServiceStateChange
        ) -> None:
            instance = name.split(".", 1)[0]
            if (state_change is ServiceStateChange.Removed or instance == own
                    or not instance.startswith(prefix)):
                return
            check = asyncio.get_running_loop().create_task(self._check(zc, name, on_rival))
            self._checks.add(check)
            check.add_done_callback(self._checks.discard)

        self._watcher = AsyncServiceBrowser(zc, [CLAIM_TYPE], handlers=[on_change])

    async def _check(self, zc: Zeroconf, name: str, on_rival: Callable[[Claim], None]) -> None:
        # Only a claim read in full counts here: a running office never stops for a
        # record it could not read (unlike at start, where refusing is the safe side).
        info = AsyncServiceInfo(CLAIM_TYPE, name)
        if not await info.async_request(zc, _RESOLVE_MS):
            return
        rival = claim_from(info, CLAIM_TYPE)
        if rival is not None and yields_to(self.mine, rival) and self._watcher is not None:
            log.error("Another server of office %r is serving too (%s): the network was "
                      "split; this one started later and steps down", self.mine.office, rival)
            on_rival(rival)

    async def release(self) -> None:
        """Withdraw the claim (a goodbye every other server sees at once)."""
        watcher, self._watcher = self._watcher, None
        if watcher is not None:
            with contextlib.suppress(Exception):
                await watcher.async_cancel()
        for check in list(self._checks):
            check.cancel()
        info, self._info = self._info, None
        if info is not None:
            with contextlib.suppress(Exception):
                await (await self._aiozc.async_unregister_service(info))

    async def _resolve(self, zc: Zeroconf, names: list[tuple[str, str]]) -> list[Claim]:
        async def one(service_type: str, name: str) -> Claim | None:
            info = AsyncServiceInfo(service_type, name)
            if not await info.async_request(zc, _RESOLVE_MS):
                return None
            return claim_from(info, service_type)

        found = await asyncio.gather(*(one(t, n) for t, n in names))
        claims = [c for c in found if c is not None]
        # A claim of this office that could not be read is counted as serving: two
        # servers refusing (and being restarted) is better than two serving.
        mine = office_digest(self.mine.office) + "-"
        for (service_type, name), claim in zip(names, found, strict=True):
            instance = name.split(".", 1)[0]
            if claim is None and service_type == CLAIM_TYPE and instance.startswith(mine):
                log.warning("Could not read the claim %r of this office", name)
                claims.append(Claim(self.mine.office, instance[len(mine):], serving=True))
        return claims

    def _service_info(self, state: str) -> AsyncServiceInfo:
        key = self.mine.key
        return AsyncServiceInfo(
            CLAIM_TYPE,
            f"{claim_instance(self.mine.office, key)}.{CLAIM_TYPE}",
            port=self.mine.port,
            properties={
                "office": self.mine.office,
                "key": key,
                "state": state,
                "since": f"{self.mine.since:.3f}",
                # A TXT string holds at most 255 bytes; the name is only for messages.
                "name": self.mine.name.encode()[:200].decode(errors="ignore"),
                "protocol": str(PROTOCOL_VERSION),
                "path": WS_PATH,
            },
            # A host name of its own: the loser's goodbye must never withdraw the
            # address record of the winner when both run on one machine.
            server=f"{self._host_label}-claim-{key}.local.",
            parsed_addresses=self._addresses,
        )
