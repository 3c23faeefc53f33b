"""The queue rules: who gets a number, who is served next, what each counter action does.

Pure functions of plain data with the time passed in. Every action is split in two:
a *decision* (``issue``, ``call_next``, ``absent`` …) checks the request against the
rules and returns the events that it causes, or raises ``QueueError``; ``evolve``
applies one event to the state. The server stores the events and the new state in
one transaction, and a day's log replays to the same state by construction.

Imports no Qt, no network, no database, no clock: ``now`` is always an argument.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from shared.core.booking import Arrival, Booking, BookingPolicy, Refusal, place
from shared.core.errors import QueueError
from shared.core.events import Event, EventKind, Scalar
from shared.core.office import Counter, CounterOrder, Office, PriorityMode, Service
from shared.core.ticket import CounterState, Ticket, TicketStatus
from shared.core.wire import Closed

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class QueueState:
    """One business day of one office: its tickets, counters and number sequences."""

    day: date
    tickets: Mapping[int, Ticket] = field(default_factory=dict)
    counters: Mapping[int, CounterState] = field(default_factory=dict)
    last_sequence: Mapping[str, int] = field(default_factory=dict)  # per origin service
    next_id: int = 1
    walk_ins: Mapping[str, int] = field(default_factory=dict)  # per service: issued unbooked

    def counter_state(self, number: int) -> CounterState:
        return self.counters.get(number) or CounterState(number)

    def current_ticket(self, counter: int) -> Ticket | None:
        current = self.counter_state(counter).current
        return None if current is None else self.tickets[current]

    def by_number(self, number: str) -> Ticket | None:
        return next((t for t in self.tickets.values() if t.number == number), None)

    def waiting(self) -> list[Ticket]:
        return [t for t in self.tickets.values() if t.status is TicketStatus.WAITING]

    def by_booking(self, code: str) -> Ticket | None:
        return next((t for t in self.tickets.values() if t.booking == code), None)


WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")


def business_day(office: Office, now: datetime) -> date:
    return office.local_time(now).date()


def roll_over(state: QueueState, office: Office, now: datetime) -> QueueState:
    """A new business day: numbers restart and counters start free; history stays stored.

    Ticket ids keep counting, so an id is never reused across days.
    """
    return start_day(state, business_day(office, now))


def start_day(state: QueueState, day: date) -> QueueState:
    """``state``, or a fresh one for ``day`` when that is another day (ids go on)."""
    if day == state.day:
        return state
    return QueueState(day=day, next_id=state.next_id)


def close_day(state: QueueState, now: datetime) -> list[Event]:
    """At the end of a business day, the citizens still at a counter are done, and
    the officials still signed in are signed out.

    Their tickets would otherwise stay "called" for ever in the history, and the
    counters would point at yesterday's ticket. Waiting tickets stay as they were:
    the history shows they were never called.
    """
    counters = sorted(state.counters.values(), key=lambda c: c.number)
    done = [_event(EventKind.DONE, state, now, state.tickets[c.current], c.number,
                   {"implicit": "day_end"})
            for c in counters if c.current is not None]
    # Officials sign in afresh each day: the log says when each one's day ended.
    return done + [Event(EventKind.SIGNED_OUT, now, state.day, counter=c.number,
                         data={"official": c.official, "why": "day_end"})
                   for c in counters if c.official is not None]


# --- reading the state ---------------------------------------------------------


def waiting_counts(state: QueueState, office: Office) -> dict[str, int]:
    counts = {service.code: 0 for service in office.services}
    for ticket in state.waiting():
        counts[ticket.service] = counts.get(ticket.service, 0) + 1
    return counts


def ahead_of(state: QueueState, office: Office, ticket: Ticket,
             calling: Container[int] | None = None) -> int:
    """How many waiting tickets will be called before ``ticket`` at the counter
    where its turn comes soonest; of the counters in ``calling`` (open and working,
    ``working_counters``) when one of them may call it.

    A counter also calls the other services it serves, first come first served
    across them (issue 16: A002 was told "1 person ahead" while B001, ahead of it
    at the same counters, was ignored). So at each counter that may call it, the
    tickets ahead are those that counter may call and would choose first: earlier
    in the order of service (priority as the policy says: under STRICT priority
    tickets first, under AGE a head start; under INTERLEAVE as under STRICT, which
    overstates an ordinary ticket's wait by the priority tickets that will go after
    it); at a SERVICE_FIRST counter also any ticket of a service it prefers, and
    anything sent to it. The smallest count wins: a citizen's turn comes at the first
    counter that reaches it. Alike counters (the same services, served the same way)
    are counted once: fifty alike counters cost one pass over the queue, not fifty.
    """
    free: list[Ticket] = []
    sent: dict[int, list[Ticket]] = {}
    for other in state.waiting():
        if other.id == ticket.id:
            continue
        if other.target_counter is None:
            free.append(other)
        else:
            sent.setdefault(other.target_counter, []).append(other)
    alike: dict[tuple[Any, ...], int] = {}
    counts = []
    for counter in working(callers(office, ticket), calling):
        place = placer(counter, office)
        mine = place(ticket)
        kind = signature(counter)
        if ticket.target_counter is not None or kind not in alike:
            serves = set(counter.services)
            alike[kind] = sum(1 for o in free if o.service in serves and place(o) < mine)
        counts.append(alike[kind] + sum(
            1 for o in sent.get(counter.number, ()) if place(o) < mine))
    return min(counts, default=0)


def placer(counter: Counter, office: Office) -> Callable[[Ticket], tuple[Any, ...]]:
    """Where ``counter`` places a ticket it may call: smaller is called sooner."""
    key = service_order_key(office)
    if counter.order is not CounterOrder.SERVICE_FIRST:
        return key
    rank = {code: i for i, code in enumerate(counter.services)}

    def place(t: Ticket) -> tuple[Any, ...]:
        # Sent here on purpose by a colleague: ahead of the preference list.
        return (-1 if t.target_counter == counter.number else rank[t.service], *key(t))

    return place


def signature(counter: Counter) -> tuple[Any, ...]:
    """What makes two counters call alike (besides what was sent to each)."""
    if counter.order is CounterOrder.SERVICE_FIRST:
        return counter.order, tuple(counter.services)
    return counter.order, tuple(sorted(counter.services))


def working_counters(state: QueueState, office: Office, present: Container[int]) -> set[int]:
    """The counters that call now: their program is connected (``present``) and they
    are not paused."""
    return {c.number for c in office.counters
            if c.number in present and not state.counter_state(c.number).paused}


def working(counters: list[Counter], calling: Container[int] | None) -> list[Counter]:
    """Those of ``counters`` in ``calling``; all of them when none is (or no
    ``calling`` is given): a closed hall still says where a ticket stands."""
    if calling is None:
        return counters
    return [c for c in counters if c.number in calling] or counters


def callers(office: Office, ticket: Ticket) -> list[Counter]:
    """The counters that may call ``ticket``: the one it was sent to, or every
    counter serving its service."""
    if ticket.target_counter is not None:
        return [c for c in office.counters if c.number == ticket.target_counter]
    return [c for c in office.counters if ticket.service in c.services]


def service_order_key(office: Office) -> Callable[[Ticket], tuple[Any, ...]]:
    """The order in which one service's waiting tickets are served."""
    if office.priority.mode is PriorityMode.AGE:
        head_start = timedelta(minutes=office.priority.head_start_minutes)
        return lambda t: (t.queued_at - (head_start if t.priority else timedelta()), t.id)
    return lambda t: (t.priority is None, t.queued_at, t.id)


def closure(state: QueueState, office: Office, service: Service, now: datetime, *,
            walk_in: bool = True) -> Closed | None:
    """Why ``service`` cannot issue a (``walk_in``: walk-in) number now, as a code; None
    when it can."""
    local = office.local_time(now)
    if not service.is_issuing_on(local.weekday()):
        return Closed(kind="not_today", days=tuple(service.days))
    if not service.is_issuing_at(local.time()):
        later = [w.start for w in service.hours if w.start > local.time()]
        return Closed(
            kind="outside_hours",
            hours=tuple((f"{w.start:%H:%M}", f"{w.end:%H:%M}") for w in service.hours),
            opens=f"{min(later):%H:%M}" if later else None,
        )
    if state.last_sequence.get(service.code, 0) >= service.max_sequence:
        return Closed(kind="cap_reached", cap=service.max_sequence)
    walk_ins = None if service.bookings is None else service.bookings.walk_in_capacity
    if walk_in and walk_ins is not None and state.walk_ins.get(service.code, 0) >= walk_ins:
        return Closed(kind="cap_reached", cap=walk_ins)  # booked numbers still work
    return None


def closed_words(closed: Closed) -> str:
    """A closure in plain Vietnamese: the server's error messages and older clients."""
    if closed.kind == "not_today":
        days = ", ".join(WEEKDAYS[d] for d in closed.days)
        return f"Hôm nay không cấp số. Ngày cấp số: {days}."
    if closed.kind == "outside_hours":
        hours = ", ".join(f"{start}–{end}" for start, end in closed.hours)
        return f"Ngoài giờ cấp số. Giờ cấp số: {hours}."
    return f"Đã hết số hôm nay (tối đa {closed.cap} số). Mời quay lại ngày mai."


def eligible(state: QueueState, counter: Counter, now: datetime | None = None) -> list[Ticket]:
    """Waiting tickets this counter may call: its services, or sent to it by a transfer;
    at ``now``, not those whose place is still ahead in time (an appointment checked in
    before its slot is never called before the slot starts)."""
    return [
        t
        for t in state.waiting()
        if (t.target_counter == counter.number
            or (t.target_counter is None and t.service in counter.services))
        and (now is None or t.queued_at <= now)
    ]


def choose_next(state: QueueState, office: Office, counter: Counter,
                now: datetime | None = None) -> Ticket | None:
    """The ticket ``counter`` must call next under the office's rules at ``now``, or None
    (without ``now``: as if every place in time had come)."""
    pool = eligible(state, counter, now)
    if not pool:
        return None
    if counter.order is CounterOrder.SERVICE_FIRST:
        rank = {code: i for i, code in enumerate(counter.services)}

        def tier(t: Ticket) -> int:
            # Sent here on purpose by a colleague: ahead of the preference list.
            return -1 if t.target_counter == counter.number else rank[t.service]

        best = min(tier(t) for t in pool)
        pool = [t for t in pool if tier(t) == best]

    priority = [t for t in pool if t.priority is not None]
    ordinary = [t for t in pool if t.priority is None]
    policy = office.priority
    first = _oldest
    if policy.mode is PriorityMode.STRICT:
        return first(priority) or first(ordinary)
    if policy.mode is PriorityMode.INTERLEAVE:
        streak = state.counter_state(counter.number).ordinary_streak
        if priority and (not ordinary or streak is None or streak >= policy.every):
            return first(priority)
        return first(ordinary)
    return min(pool, key=service_order_key(office))


def _oldest(tickets: list[Ticket]) -> Ticket | None:
    return min(tickets, key=lambda t: t.queue_key, default=None)


# --- decisions: request + state + now -> events ----------------------------------


def issue(
    state: QueueState, office: Office, service_code: str, priority: str | None, now: datetime,
    *, by_counter: int | None = None, reason: str = "",
) -> list[Event]:
    """A walk-in number for ``service_code``: from the kiosk, or ``by_counter`` for a
    citizen standing at that counter (issue 15: the elderly, or no kiosk nearby), with
    the official's ``reason`` for the log."""
    service = _service(office, service_code)
    if priority is not None and office.priority_category(priority) is None:
        known = ", ".join(p.code for p in office.priority.categories) or "không có"
        raise QueueError("bad_request", f"Không có diện ưu tiên “{priority}” (có: {known}).")
    if by_counter is not None:
        _counter(office, by_counter)
    closed = closure(state, office, service, now)
    if closed is not None:
        code = "cap_reached" if closed.kind == "cap_reached" else "closed"
        words = closed_words(closed)
        if closed.kind == "cap_reached" and closed.cap != service.max_sequence:
            words = (f"Đã hết số lấy trực tiếp hôm nay (tối đa {closed.cap} số). Số đặt lịch "
                     "trực tuyến vẫn dùng được.")
        raise QueueError(code, f"{service.name}: {words}", closed)
    data = _numbered(state, service, priority)
    if by_counter is None:
        return [Event(EventKind.ISSUED, now, state.day, ticket=state.next_id, data=data)]
    if reason.strip():
        data["reason"] = reason.strip()
    return [Event(EventKind.ISSUED, now, state.day, ticket=state.next_id, counter=by_counter,
                  data=_signed(state, by_counter, data))]


def check_in(state: QueueState, office: Office, booking: Booking | None, code: str,
             now: datetime) -> list[Event]:
    """The citizen of booking ``code`` (``booking``, as stored; None when there is none)
    checks in at ``now``: a ticket placed as the service's booking policy says, an
    ordinary walk-in number when they come too late for their slot, or a refusal
    (``QueueError`` with ``refusal``) that says why not and what to do."""
    if booking is None:
        raise _refused(Refusal("unknown"), f"Không tìm thấy mã đặt lịch “{code}”. Mời kiểm "
                       "tra lại mã, hoặc hỏi cán bộ hướng dẫn.")
    service = _service(office, booking.service)
    if service.bookings is None:
        raise _refused(Refusal("unknown"), f"{service.name} không nhận đặt lịch.")
    used = state.by_booking(booking.code)
    if used is not None:
        at = office.local_time(used.issued_at).time()
        raise _refused(Refusal("used", at=at, number=used.number),
                       f"Mã đặt lịch này đã được dùng lúc {at:%H:%M} (số {used.number}).")
    local = office.local_time(now)
    opens = min((w.start for w in service.hours), default=None)
    found = place(booking, service.bookings, ZoneInfo(office.timezone), state.day, now,
                  service_opens=opens)
    if isinstance(found, Refusal):
        if found.kind == "other_day":
            raise _refused(found, f"Lịch hẹn của bạn là ngày {booking.day:%d/%m/%Y}, không "
                           "phải hôm nay.")
        assert found.at is not None
        raise _refused(found, f"Bạn đến sớm so với lịch hẹn {booking.slot_start:%H:%M}. Mời "
                       f"quay lại lúc {found.at:%H:%M} để lấy số.")
    closed = closure(state, office, service, now, walk_in=False)
    # A slot booked is a promise: only the number range, or an online number outside the
    # hours it is valid in, stops it.
    if closed is not None and (closed.kind == "cap_reached" or (
            service.bookings.policy is BookingPolicy.REGISTRATION_TIME
            and not service.is_issuing_at(local.time()))):
        code_ = "cap_reached" if closed.kind == "cap_reached" else "closed"
        raise QueueError(code_, f"{service.name}: {closed_words(closed)}", closed)
    data = _numbered(state, service, None)
    data["booking"] = booking.code
    if found.arrival is Arrival.APPOINTMENT:
        data["appointment"] = True
        data["queued_at"] = found.queued_at.isoformat()
        if service.bookings.policy is BookingPolicy.BOOKED_TIME:  # an online number has none
            data["slot"] = f"{booking.slot_start:%H:%M}"
    return [Event(EventKind.ISSUED, now, state.day, ticket=state.next_id, data=data)]


def _refused(refusal: Refusal, message: str) -> QueueError:
    return QueueError("check_in", message, refusal=refusal)


def _service(office: Office, code: str) -> Service:
    service = office.service(code)
    if service is None:
        known = ", ".join(s.code for s in office.services)
        raise QueueError("unknown_service", f"Không có dịch vụ “{code}” (có: {known}).")
    return service


def _numbered(state: QueueState, service: Service, priority: str | None) -> dict[str, Scalar]:
    """The next number of ``service`` for an ``issued`` event."""
    sequence = state.last_sequence.get(service.code, 0) + 1
    return {
        "number": service.format_number(sequence),
        "sequence": sequence,
        "service": service.code,
        "priority": priority,
    }


def call_next(state: QueueState, office: Office, counter_number: int, now: datetime) -> list[Event]:
    """Finish the current ticket, then call the next one; no CALLED event when none waits."""
    counter = _counter(office, counter_number)
    events = _free_counter(state, counter_number, now)
    ticket = choose_next(state, office, counter, now)
    if ticket is not None:
        events.append(_event(EventKind.CALLED, state, now, ticket, counter_number))
    return events


def call_number(
    state: QueueState, office: Office, counter_number: int, number: str, reason: str, now: datetime
) -> list[Event]:
    """Call one ticket out of order; the reason goes into the audit log."""
    _counter(office, counter_number)
    if not reason.strip():
        raise QueueError("bad_request", "Cần ghi lý do khi gọi số không theo thứ tự.")
    ticket = _ticket_by_number(state, number)
    if ticket.status not in (TicketStatus.WAITING, TicketStatus.ABSENT, TicketStatus.PARKED):
        raise QueueError("conflict", f"Số {number} {_status_words(ticket)}, không gọi được.")
    events = _free_counter(state, counter_number, now)
    data: dict[str, Scalar] = {"reason": reason.strip(), "status_before": ticket.status.value}
    events.append(
        _event(EventKind.CALLED_OUT_OF_ORDER, state, now, ticket, counter_number, data)
    )
    return events


def recall(state: QueueState, office: Office, counter_number: int, now: datetime) -> list[Event]:
    ticket = _current(state, office, counter_number)
    return [_event(EventKind.RECALLED, state, now, ticket, counter_number)]


def absent(state: QueueState, office: Office, counter_number: int, now: datetime) -> list[Event]:
    ticket = _current(state, office, counter_number)
    return [_event(EventKind.ABSENT, state, now, ticket, counter_number)]


def park(state: QueueState, office: Office, counter_number: int, now: datetime) -> list[Event]:
    ticket = _current(state, office, counter_number)
    return [_event(EventKind.PARKED, state, now, ticket, counter_number)]


def done(state: QueueState, office: Office, counter_number: int, now: datetime) -> list[Event]:
    ticket = _current(state, office, counter_number)
    return [_event(EventKind.DONE, state, now, ticket, counter_number)]


def transfer(
    state: QueueState,
    office: Office,
    counter_number: int,
    now: datetime,
    *,
    service: str | None = None,
    to_counter: int | None = None,
) -> list[Event]:
    """Send the current ticket to another service or counter, keeping its place in time."""
    _counter(office, counter_number)
    if (service is None) == (to_counter is None):
        raise QueueError("bad_request", "Chuyển đến một dịch vụ hoặc một quầy (chọn một).")
    if service is not None and office.service(service) is None:
        raise QueueError("unknown_service", f"Không có dịch vụ “{service}”.")
    if to_counter is not None and office.counter(to_counter) is None:
        raise QueueError("unknown_counter", f"Không có quầy số {to_counter}.")
    ticket = _current(state, office, counter_number)
    data: dict[str, Scalar] = {
        "from_service": ticket.service,
        "to_service": service or ticket.service,
        "to_counter": to_counter,
    }
    return [_event(EventKind.TRANSFERRED, state, now, ticket, counter_number, data)]


def return_ticket(
    state: QueueState, office: Office, counter_number: int, number: str, now: datetime
) -> list[Event]:
    """Put an absent or parked ticket back in the queue.

    Back at its original place when it comes back within the grace period (absent)
    or from documents (parked, to the counter that parked it); after the grace
    period an absent ticket goes to the end of the queue.
    """
    _counter(office, counter_number)
    ticket = _ticket_by_number(state, number)
    if ticket.status not in (TicketStatus.ABSENT, TicketStatus.PARKED):
        raise QueueError("conflict", f"Số {number} {_status_words(ticket)}, không cần đưa lại.")
    queued_at, target = ticket.queued_at, None
    if ticket.status is TicketStatus.PARKED:
        target = ticket.counter
    elif ticket.set_aside_at is not None and now - ticket.set_aside_at > timedelta(
        minutes=office.absent_grace_minutes
    ):
        queued_at = now
    data: dict[str, Scalar] = {
        "queued_at": queued_at.isoformat(),
        "target_counter": target,
        "kept_place": queued_at == ticket.queued_at,
    }
    return [_event(EventKind.RETURNED, state, now, ticket, counter_number, data)]


def rate(state: QueueState, office: Office, ticket_id: int, level: int,
         reasons: Sequence[str], now: datetime) -> list[Event]:
    """The citizen of ``ticket_id`` rates the service: once, after being served, on
    the office's scale, with reasons from its list (issue 13, part 3)."""
    # The codes name each refusal for the page, which words it in the citizen's language.
    ticket = state.tickets.get(ticket_id)
    if ticket is None:
        raise QueueError("not_found", "Không tìm thấy số này hôm nay.")
    if ticket.status is not TicketStatus.DONE or ticket.counter is None:
        raise QueueError("not_served", "Chỉ đánh giá được sau khi đã được phục vụ xong.")
    if ticket.rating is not None:
        raise QueueError("already_rated",
                         "Số này đã được đánh giá; mỗi số chỉ đánh giá một lần.")
    scale = office.rating.scale
    if not 1 <= level <= scale:
        raise QueueError("bad_level", f"Mức đánh giá phải từ 1 đến {scale}.")
    if reasons and level > office.rating.low:
        raise QueueError("reasons_not_asked", "Chỉ ghi lý do khi bạn chưa hài lòng.")
    known = {reason.code for reason in office.rating.reasons}
    if unknown := sorted(set(reasons) - known):
        raise QueueError("unknown_reason",
                         f"Lý do không có trong danh sách: {', '.join(unknown)}.")
    chosen = [code for code in known if code in reasons]  # once each
    # About the official who served this citizen, whoever sits at that counter now.
    data: dict[str, Scalar] = {"level": level, "scale": scale,
                               "reasons": ",".join(sorted(chosen))}
    if ticket.official is not None:
        data["official"] = ticket.official
    return [Event(EventKind.RATED, now, state.day, ticket=ticket.id, counter=ticket.counter,
                  data=data)]


def pause(state: QueueState, office: Office, counter_number: int, now: datetime) -> list[Event]:
    _counter(office, counter_number)
    if state.counter_state(counter_number).paused:
        return []
    return [_counter_event(EventKind.PAUSED, state, now, counter_number)]


def resume(state: QueueState, office: Office, counter_number: int, now: datetime) -> list[Event]:
    _counter(office, counter_number)
    if not state.counter_state(counter_number).paused:
        return []
    return [_counter_event(EventKind.RESUMED, state, now, counter_number)]


def sign_in(state: QueueState, office: Office, counter_number: int, official_id: str,
            now: datetime) -> list[Event]:
    """``official_id`` now serves at ``counter_number`` (their PIN was checked by the
    server). Whoever sat there is replaced, and an official is at one counter at a
    time: signing in here signs them out where they were."""
    _counter(office, counter_number)
    if office.official(official_id) is None:
        raise QueueError("unknown_official", f"Không có cán bộ “{official_id}” trong danh "
                         "sách của văn phòng.")
    here = state.counter_state(counter_number).official
    if here == official_id:
        return []
    events = [Event(EventKind.SIGNED_OUT, now, state.day, counter=c.number,
                    data={"official": official_id, "why": "moved", "to_counter": counter_number})
              for c in sorted(state.counters.values(), key=lambda c: c.number)
              if c.official == official_id and c.number != counter_number]
    if here is not None:
        events.append(Event(EventKind.SIGNED_OUT, now, state.day, counter=counter_number,
                            data={"official": here, "why": "replaced"}))
    events.append(Event(EventKind.SIGNED_IN, now, state.day, counter=counter_number,
                        data={"official": official_id}))
    return events


def sign_out(state: QueueState, office: Office, counter_number: int,
             now: datetime) -> list[Event]:
    """Nobody is signed in at ``counter_number`` any more (nothing when nobody was)."""
    _counter(office, counter_number)
    here = state.counter_state(counter_number).official
    if here is None:
        return []
    return [Event(EventKind.SIGNED_OUT, now, state.day, counter=counter_number,
                  data={"official": here, "why": "signed_out"})]


def _free_counter(state: QueueState, counter_number: int, now: datetime) -> list[Event]:
    """Before a call: a paused counter resumes, and the citizen being served is done."""
    events: list[Event] = []
    if state.counter_state(counter_number).paused:
        events.append(_counter_event(EventKind.RESUMED, state, now, counter_number))
    current = state.current_ticket(counter_number)
    if current is not None:
        events.append(
            _event(EventKind.DONE, state, now, current, counter_number, {"implicit": True})
        )
    return events


def _event(
    kind: EventKind,
    state: QueueState,
    now: datetime,
    ticket: Ticket,
    counter: int,
    data: Mapping[str, Scalar] | None = None,
) -> Event:
    return Event(kind, now, state.day, ticket=ticket.id, counter=counter,
                 data=_signed(state, counter, data))


def _counter_event(kind: EventKind, state: QueueState, now: datetime, counter: int) -> Event:
    return Event(kind, now, state.day, counter=counter, data=_signed(state, counter))


def _signed(state: QueueState, counter: int,
            data: Mapping[str, Scalar] | None = None) -> dict[str, Scalar]:
    """``data`` with the official signed in at ``counter``, if anyone is: every call,
    done, transfer and pause says who did it (issue 12)."""
    official = state.counter_state(counter).official
    return {**(data or {}), "official": official} if official is not None else dict(data or {})


def _counter(office: Office, number: int) -> Counter:
    counter = office.counter(number)
    if counter is None:
        raise QueueError("unknown_counter", f"Không có quầy số {number}.")
    return counter


def _current(state: QueueState, office: Office, counter_number: int) -> Ticket:
    _counter(office, counter_number)
    ticket = state.current_ticket(counter_number)
    if ticket is None:
        raise QueueError("no_current_ticket", f"Quầy {counter_number} chưa gọi số nào.")
    return ticket


def _ticket_by_number(state: QueueState, number: str) -> Ticket:
    ticket = state.by_number(number)
    if ticket is None:
        raise QueueError("not_found", f"Hôm nay chưa cấp số {number}.")
    return ticket


def _status_words(ticket: Ticket) -> str:
    return {
        TicketStatus.WAITING: "đang chờ",
        TicketStatus.CALLED: f"đang được phục vụ tại quầy {ticket.counter}",
        TicketStatus.ABSENT: "đã vắng mặt",
        TicketStatus.PARKED: "đang bổ sung hồ sơ",
        TicketStatus.DONE: "đã hoàn thành",
    }[ticket.status]


# --- evolution: state + event -> state ---------------------------------------------


def evolve(state: QueueState, event: Event) -> QueueState:
    """The state after ``event``. Never refuses: events are facts already decided."""
    kind, data = event.kind, event.data
    if kind is EventKind.ISSUED:
        assert event.ticket is not None
        service = str(data["service"])
        placed = data.get("queued_at")
        booking = data.get("booking")
        ticket = Ticket(
            id=event.ticket,
            day=event.day,
            number=str(data["number"]),
            sequence=int(str(data["sequence"])),
            origin_service=service,
            service=service,
            priority=None if data["priority"] is None else str(data["priority"]),
            issued_at=event.at,
            queued_at=event.at if placed is None else datetime.fromisoformat(str(placed)),
            booking=None if booking is None else str(booking),
            appointment=bool(data.get("appointment")),
            issued_by=event.counter,
        )
        walk_ins = state.walk_ins
        if not ticket.appointment:
            walk_ins = {**walk_ins, service: walk_ins.get(service, 0) + 1}
        return replace(
            state,
            tickets={**state.tickets, ticket.id: ticket},
            last_sequence={**state.last_sequence, service: ticket.sequence},
            next_id=max(state.next_id, ticket.id + 1),
            walk_ins=walk_ins,
        )
    if kind in (EventKind.PAUSED, EventKind.RESUMED):
        assert event.counter is not None
        counter = replace(state.counter_state(event.counter), paused=kind is EventKind.PAUSED)
        return replace(state, counters={**state.counters, counter.number: counter})
    if kind in (EventKind.SIGNED_IN, EventKind.SIGNED_OUT):
        assert event.counter is not None
        official = str(data["official"]) if kind is EventKind.SIGNED_IN else None
        counter = replace(state.counter_state(event.counter), official=official)
        return replace(state, counters={**state.counters, counter.number: counter})

    assert event.ticket is not None
    assert event.counter is not None
    ticket = state.tickets[event.ticket]
    counter = state.counter_state(event.counter)
    if kind in (EventKind.CALLED, EventKind.CALLED_OUT_OF_ORDER):
        reason = data.get("reason")
        ticket = replace(
            ticket,
            status=TicketStatus.CALLED,
            counter=event.counter,
            target_counter=None,
            called_at=event.at,
            call_reason=None if reason is None else str(reason),
            official=_official(data),
        )
        streak: int | None = 0
        if ticket.priority is None:
            previous = counter.ordinary_streak
            streak = None if previous is None else previous + 1
        counter = replace(counter, current=ticket.id, ordinary_streak=streak)
    elif kind is EventKind.RECALLED:
        ticket = replace(ticket, recalls=ticket.recalls + 1)
    elif kind is EventKind.RATED:
        ticket = replace(ticket, rating=int(str(data["level"])))
    elif kind in (EventKind.ABSENT, EventKind.PARKED):
        status = TicketStatus.ABSENT if kind is EventKind.ABSENT else TicketStatus.PARKED
        ticket = replace(ticket, status=status, set_aside_at=event.at)
        counter = _released(counter, ticket)
    elif kind is EventKind.DONE:
        # Who finished serving this citizen; the caller when nobody is signed in now.
        ticket = replace(ticket, status=TicketStatus.DONE, finished_at=event.at,
                         official=_official(data) or ticket.official)
        counter = _released(counter, ticket)
    elif kind is EventKind.TRANSFERRED:
        to_counter = data.get("to_counter")
        ticket = replace(
            ticket,
            status=TicketStatus.WAITING,
            service=str(data["to_service"]),
            target_counter=None if to_counter is None else int(str(to_counter)),
            transferred_from=(
                str(data["from_service"])
                if data["to_service"] != data["from_service"]
                else ticket.transferred_from
            ),
        )
        counter = _released(counter, ticket)
    elif kind is EventKind.RETURNED:
        target = data.get("target_counter")
        ticket = replace(
            ticket,
            status=TicketStatus.WAITING,
            queued_at=datetime.fromisoformat(str(data["queued_at"])),
            target_counter=None if target is None else int(str(target)),
        )
    return replace(
        state,
        tickets={**state.tickets, ticket.id: ticket},
        counters={**state.counters, counter.number: counter},
    )


def _official(data: Mapping[str, Scalar]) -> str | None:
    official = data.get("official")
    return None if official is None else str(official)


def _released(counter: CounterState, ticket: Ticket) -> CounterState:
    return replace(counter, current=None) if counter.current == ticket.id else counter


def apply(state: QueueState, events: Iterable[Event]) -> QueueState:
    for event in events:
        state = evolve(state, event)
    return state


def replay(day: date, events: Iterable[Event], next_id: int = 1) -> QueueState:
    """Rebuild a business day from its log."""
    return apply(QueueState(day=day, next_id=next_id), events)
