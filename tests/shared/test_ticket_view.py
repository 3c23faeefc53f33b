"""What the ticket's page says in each state of a ticket (issue 13), from the pure view
and its words, in both languages; and the token's spelling."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from shared.core import queue_rules as rules
from shared.core.booking import Booking, BookingRules
from shared.core.errors import ConfigError, QueueError
from shared.core.events import Event
from shared.core.forecast import PRIOR_WEIGHT, forecast, service_seconds, wait_range
from shared.core.office import Area, Office
from shared.core.queue_rules import (
    QueueState,
    absent,
    apply,
    call_next,
    check_in,
    done,
    park,
    transfer,
)
from shared.core.ticket import TicketStatus
from shared.core.ticket_token import grouped, normalised, ticket_token, typed_address
from shared.core.ticket_view import TicketView, hall, same_page, ticket_view
from shared.server.page_texts import Language, headline, rating_levels
from tests.conftest import office_from_toml
from tests.shared.test_queue_rules import (
    ELDERLY,
    MINUTE,
    NOW,
    OFFICE,
    give_many,
    make_office,
    ticket,
)

EVERYONE = (1, 2, 3, 4, 5)


def view_of(state: QueueState, number: str, at: datetime = NOW,
            present: tuple[int, ...] = EVERYONE, wait: float | None = None) -> TicketView:
    """The page of ``number``; ``wait``: its expected wait in seconds, as if forecast."""
    around = hall(state, OFFICE, at, present)
    if wait is not None:
        around = replace(around, waits={ticket(state, number).id: wait})
    return ticket_view(state, OFFICE, ticket(state, number), at, around)


def said(state: QueueState, number: str, at: datetime = NOW,
         present: tuple[int, ...] = EVERYONE, language: Language = "vi") -> str:
    view = view_of(state, number, at, present)
    line = headline(view, language)
    return " ".join((line.text, *line.detail))


def test_waiting_says_how_many_will_be_called_before() -> None:
    state = give_many(OFFICE, "A B A")
    assert said(state, "A001").startswith("Bạn là người tiếp theo")
    assert said(state, "A002").startswith("Trước bạn còn 2 người")
    assert said(state, "A002", language="en").startswith("2 people before you")


def test_nobody_open_to_serve_it_is_said_plainly() -> None:
    state = give_many(OFFICE, "C")
    assert said(state, "C001", present=(1,)) == (
        "Hiện chưa có quầy nào phục vụ dịch vụ này — hãy hỏi cán bộ")


def test_called_absent_parked_and_moved_are_said_in_plain_words() -> None:
    state = give_many(OFFICE, "A A")
    at = NOW + 10 * MINUTE
    state = apply(state, call_next(state, OFFICE, 1, at))
    assert said(state, "A001") == "Đến lượt bạn — mời đến Quầy 1"
    assert said(state, "A001", language="en") == "It is your turn — please go to Quầy 1"

    gone = apply(state, absent(state, OFFICE, 1, at))
    assert said(gone, "A001", at) == "Bạn đã vắng mặt khi được gọi — hãy đến Quầy 1 trước 08:25"
    late = at + timedelta(minutes=OFFICE.absent_grace_minutes + 1)
    assert said(gone, "A001", late) == "Bạn đã vắng mặt khi được gọi — hãy hỏi cán bộ tại Quầy 1"

    parked = apply(state, park(state, OFFICE, 1, at))
    assert said(parked, "A001") == ("Bạn đang bổ sung giấy tờ — khi xong, hãy quay lại Quầy 1")

    moved = apply(state, transfer(state, OFFICE, 1, at, service="C"))
    assert "được chuyển từ “Tư pháp – Hộ tịch” sang “Đất đai – Địa chính”" in said(moved, "A001")
    sent = apply(state, transfer(state, OFFICE, 1, at, to_counter=2))
    assert "Bạn được chuyển đến Quầy 2; quầy này sẽ gọi bạn." in said(sent, "A001")


def test_a_token_belongs_to_one_ticket_on_one_day() -> None:
    key = bytes(range(32))
    day = date(2026, 12, 2)
    token = ticket_token(key, day, 7)
    assert token == ticket_token(key, day, 7)  # nothing stored: made again at will
    others = {ticket_token(key, day, 8), ticket_token(key, day + timedelta(days=1), 7),
              ticket_token(bytes(32), day, 7)}
    assert token not in others
    assert len(others) == 3


@pytest.mark.parametrize(
    "typed", ["PFAT-5XRH-23WM-7RWB", "pfat 5xrh 23wm 7rwb", "pfat5xrh23wm7rwb"])
def test_typing_the_printed_token_forgives_case_dashes_and_spaces(typed: str) -> None:
    assert normalised(typed) == "pfat5xrh23wm7rwb"
    assert normalised("l0oi") == "1001"  # l and i read as 1, o as 0
    assert grouped("pfat5xrh23wm7rwb") == "pfat-5xrh-23wm-7rwb"
    assert typed_address("http://192.168.1.10:8765/t/pfat5xrh23wm7rwb") == (
        "192.168.1.10:8765/t/pfat-5xrh-23wm-7rwb")


def test_the_expected_wait_is_a_range_in_steps_of_five_minutes() -> None:
    assert wait_range(12 * 60) == (5, 15)  # 80 % of 12 is 9.6, 125 % is 15
    assert wait_range(2 * 60) == (0, 5)
    assert wait_range(40 * 60) == (30, 50)
    state = give_many(OFFICE, "A A A")
    view = view_of(state, "A003", wait=12 * 60)
    assert headline(view, "vi").detail[0] == "Thời gian chờ dự kiến: khoảng 5–15 phút."
    assert headline(view, "en").detail[0] == "Expected wait: about 5–15 minutes."
    unknown = view_of(state, "A003")
    assert not any("dự kiến" in line for line in headline(unknown, "vi").detail)


def test_the_forecast_plays_the_next_calls_of_the_open_counters() -> None:
    # Counter 1 (A, B) alone is open; A takes 10 minutes, B 4.
    state = give_many(OFFICE, "A B A")
    seconds = {"A": 600.0, "B": 240.0}
    waits = forecast(state, OFFICE, (1,), NOW + 3 * MINUTE, seconds)
    by_number = {state.tickets[i].number: w / 60 for i, w in waits.items()}
    assert by_number == {"A001": 0, "B001": 10, "A002": 14}
    # Counter 3 (C only) never reaches A or B; unknown times leave tickets out.
    assert forecast(state, OFFICE, (3,), NOW, seconds) == {}
    partly = forecast(state, OFFICE, (1,), NOW, {"A": 600.0})
    assert {state.tickets[i].number for i in partly} == {"A001", "B001"}


def test_expected_service_times_come_from_today_then_history_then_the_setting() -> None:
    office = make_office(A={"service_minutes": 7.0})
    state = give_many(office, "A A A A B")
    at = NOW + 10 * MINUTE
    assert service_seconds(state, office, {"B": 300.0}) == {"A": 420.0, "B": 300.0}
    for i in range(3):  # three citizens of A served in 2 minutes each
        state = apply(state, call_next(state, office, 1, at + 2 * i * MINUTE))
        state = apply(state, done(state, office, 1, at + (2 * i + 2) * MINUTE))
    # The first done are the quick ones: today's 2 minutes weigh against the 7 known
    # before as 3 citizens against PRIOR_WEIGHT.
    assert service_seconds(state, office, {})["A"] == (3 * 120 + PRIOR_WEIGHT * 420) / (
        3 + PRIOR_WEIGHT)
    # With nothing known before, today's mean alone, once three are served.
    unset = make_office()
    assert service_seconds(state, unset, {}) == {"A": 120.0}


def test_the_rating_scale_is_three_levels_or_five_stars_and_nothing_else() -> None:
    assert [label for _, label, _ in rating_levels(3, "vi")] == [
        "Rất hài lòng", "Hài lòng", "Không hài lòng"]
    assert rating_levels(5, "en")[0] == (5, "★★★★★", "5 stars")
    head = ('[office]\nid = "x"\nname = "X"\n[[services]]\ncode = "A"\nname = "A"\n'
            'name_en = "A"\nprefix = "A"\n[[counters]]\nnumber = 1\nname = "Quầy 1"\n'
            'services = ["A"]\n[rating]\n')
    stars = office_from_toml(head + "scale = 5\n")
    assert (stars.rating.scale, stars.rating.low) == (5, 2)
    with pytest.raises(ConfigError, match=r"rating\.scale.*phải là 3 .* hoặc 5"):
        office_from_toml(head + "scale = 4\n")


def test_the_page_says_to_step_out_only_when_the_wait_is_surely_long() -> None:
    state = give_many(OFFICE, "A A A A A A A")

    def advice(number: str, wait: float | None) -> str:
        view = view_of(state, number, wait=wait)
        return headline(view, "vi").detail[-1]

    assert advice("A001", 0) == "Hãy ở gần các quầy: sắp đến lượt bạn."
    assert advice("A007", 30 * 60).startswith("Bạn có thể ra ngoài một lát")
    assert advice("A007", None).startswith("Bạn có thể ra ngoài một lát")  # 6 ahead
    assert advice("A004", 9 * 60).startswith("Thời gian chờ dự kiến")  # neither: no advice


def test_two_counters_of_one_name_never_share_a_page_s_counter_list() -> None:
    # Review of issue 13: the rendered list of counters was cached by the name of the
    # counter a ticket was sent to; two counters may share a name.
    from shared.core.office import Counter, Office
    from shared.core.queue_rules import pause
    from shared.server.ticket_pages import TicketPages
    from tests.shared.test_queue_rules import SERVICES

    office = Office(id="x", name="X", services=SERVICES, counters=(
        Counter(1, "Quầy 1", ("A", "B", "C", "L")),
        Counter(2, "Hộ tịch", ("A",)),
        Counter(3, "Hộ tịch", ("A",)),
    ))
    state = give_many(office, "A A A")
    for counter in (2, 3):  # counter 1 sends A001 to counter 2, A002 to counter 3
        state = apply(state, call_next(state, office, 1, NOW + 5 * MINUTE))
        state = apply(state, transfer(state, office, 1, NOW + 5 * MINUTE, to_counter=counter))
    state = apply(state, pause(state, office, 2, NOW + 6 * MINUTE))

    def pages() -> TicketPages:
        return TicketPages(office, bytes(32), lambda: "http://x", lambda: state,
                           lambda: NOW + 7 * MINUTE, lambda: (1, 2, 3))

    shared = pages()
    for number in ("A001", "A002"):
        view = shared.view(ticket(state, number).id)
        alone = pages().view(ticket(state, number).id)
        assert view is not None
        assert alone is not None
        assert shared._hall_html(view, "vi") == pages()._hall_html(alone, "vi"), number
    a002 = shared.view(ticket(state, "A002").id)
    assert a002 is not None
    assert "tạm dừng" not in shared._hall_html(a002, "vi")  # counter 3 is not paused


def test_an_appointment_checked_in_early_is_told_when_it_will_be_called() -> None:
    office = replace(OFFICE, services=tuple(
        replace(s, bookings=BookingRules()) if s.code == "A" else s for s in OFFICE.services))
    local = office.local_time(NOW)
    slot = (local + 20 * MINUTE).replace(second=0, microsecond=0)
    booking = Booking("HEN0001", "A", local.date(), slot.time(), (slot + 20 * MINUTE).time())
    state = QueueState(day=local.date())
    state = apply(state, check_in(state, office, booking, "HEN0001", NOW))
    waiting = state.by_booking("HEN0001")
    assert waiting is not None
    around = hall(state, office, NOW, EVERYONE)
    line = headline(ticket_view(state, office, waiting, NOW, around), "vi")
    assert line.detail[0] == f"Bạn có lịch hẹn lúc {slot:%H:%M}: bạn sẽ được gọi từ {slot:%H:%M}."
    english = headline(ticket_view(state, office, waiting, NOW, around), "en")
    assert english.detail[0].startswith(f"You have a booking at {slot:%H:%M}")
    later = NOW + 21 * MINUTE  # its slot came: no more to say about it
    then = ticket_view(state, office, waiting, later, hall(state, office, later, EVERYONE))
    line = headline(then, "vi")
    assert not any("lịch hẹn" in d for d in line.detail)
    # The page is pushed again when the slot comes: its key says so (nothing else moved).
    assert then.own_key != ticket_view(state, office, waiting, NOW, around).own_key


def _shown(view: TicketView) -> tuple[object, ...]:
    """All a page says: its own part, and the hall part (a served ticket's page has
    none: it asks for a rating)."""
    if view.status is TicketStatus.DONE:
        return (view.own_key,)
    return (view.own_key, view.counters, view.latest)


STEPS = ("issue", "issue", "call", "call", "done", "absent", "park", "recall", "pause",
         "resume", "return", "to_service", "to_counter", "out_of_order", "leave", "come")


def _step(step: str, state: QueueState, office: Office, counter: int, at: datetime,
          chance: random.Random) -> list[Event]:
    """The events of one thing an official or a citizen does (QueueError: refused)."""
    numbers = [t.number for t in state.tickets.values()]
    aside = [t.number for t in state.tickets.values()
             if t.status in (TicketStatus.ABSENT, TicketStatus.PARKED)]
    match step:
        case "issue":
            return rules.issue(state, office, chance.choice("ABC"),
                               chance.choice([None, None, ELDERLY.code]), at)
        case "call":
            return call_next(state, office, counter, at)
        case "done":
            return done(state, office, counter, at)
        case "absent":
            return absent(state, office, counter, at)
        case "park":
            return park(state, office, counter, at)
        case "recall":
            return rules.recall(state, office, counter, at)
        case "pause":
            return rules.pause(state, office, counter, at)
        case "resume":
            return rules.resume(state, office, counter, at)
        case "return":
            return rules.return_ticket(state, office, counter, chance.choice(aside or numbers),
                                       at)
        case "to_service":
            return transfer(state, office, counter, at, service=chance.choice("ABC"))
        case "to_counter":
            others = [n for n in EVERYONE if n != counter]
            return transfer(state, office, counter, at, to_counter=chance.choice(others))
        case "out_of_order":
            return rules.call_number(state, office, counter, chance.choice(numbers), "x", at)
    return []  # a counter's program leaves or comes: no event, the hall changes


AT_A_DESK = {"done", "absent", "park", "recall", "to_service", "to_counter"}
TWO_HALLS = replace(OFFICE, halls=(Area("t1", "Tầng 1", "Floor 1", (1, 2)),
                                   Area("t2", "Tầng 2", "Floor 2", (3, 4, 5))))


@pytest.mark.parametrize("office", [OFFICE, TWO_HALLS], ids=["one hall", "two halls"])
@pytest.mark.parametrize("seed", range(8))
def test_a_page_said_unchanged_by_the_pages_shortcut_is_truly_unchanged(
        seed: int, office: Office) -> None:
    """``same_page`` lets a thousand pages sleep through a change that is not theirs
    (a kiosk's issue, another service's call); it must never let one miss its news —
    whatever is done, and however much time passes (a grace period ends, say)."""
    chance = random.Random(seed)
    state, at = give_many(office, "A B A* C B A C*"), NOW + 10 * MINUTE
    present = set(EVERYONE)
    before = hall(state, office, at, present, service_seconds(state, office, {}))
    slept = woken = 0
    done_steps: set[str] = set()
    for _ in range(250):
        step = chance.choice(STEPS)
        busy = [n for n in EVERYONE if state.current_ticket(n) is not None]
        counter = chance.choice(busy if busy and step in AT_A_DESK else EVERYONE)
        try:
            events = _step(step, state, office, counter, at, chance)
        except QueueError:
            continue  # refused here (nobody to call, say)
        done_steps.add(step)
        if step == "leave":
            present.discard(counter)
        elif step == "come":
            present.add(counter)
        after_state = apply(state, events)
        later = at + chance.choice([timedelta(0), timedelta(seconds=31), 3 * MINUTE,
                                    16 * MINUTE])
        after = hall(after_state, office, later, present,
                     service_seconds(after_state, office, {}))
        alike = after.looks_like(before)
        for ticket_id, shown in state.tickets.items():
            now_ticket = after_state.tickets[ticket_id]
            if same_page(shown, before, now_ticket, after, alike=alike):
                slept += 1
                was = ticket_view(state, office, shown, at, before)
                assert _shown(ticket_view(after_state, office, now_ticket, later, after)) == (
                    _shown(was)), (step, shown.number)
            else:
                woken += 1
        state, before, at = after_state, after, later
    assert slept > 0  # both ways were taken
    assert woken > 0
    assert done_steps >= {"issue", "call", "return", "to_service", "to_counter"}
