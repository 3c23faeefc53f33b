"""Officials at the counters in the queue rules (issue 12, part 1): signing in and out,
and every action afterwards carrying who did it."""

from __future__ import annotations

from dataclasses import replace

from shared.core.events import EventKind
from shared.core.office import Official
from shared.core.queue_rules import (
    call_next,
    close_day,
    done,
    issue,
    pause,
    rate,
    replay,
    resume,
    sign_in,
    sign_out,
    transfer,
)
from tests.shared.test_queue_rules import (
    MINUTE,
    NOW,
    OFFICE,
    call,
    fresh,
    give_many,
    kinds,
    refused,
    run,
    ticket,
)

AN = Official("an", "Nguyễn Văn An", "Chuyên viên")
BINH = Official("binh", "Trần Thị Bình")
STAFFED = replace(OFFICE, officials=(AN, BINH))


def test_nobody_is_signed_in_until_someone_signs_in_and_actions_then_carry_them() -> None:
    state = give_many(STAFFED, "A A")
    state = call(state, STAFFED, 1, NOW + 5 * MINUTE)
    assert state.counter_state(1).official is None
    assert ticket(state, "A001").official is None

    events = sign_in(state, STAFFED, 1, "an", NOW + 6 * MINUTE)
    assert kinds(events) == [EventKind.SIGNED_IN]
    state = run(state, events)
    assert state.counter_state(1).official == "an"
    finished = done(state, STAFFED, 1, NOW + 7 * MINUTE)
    assert finished[0].data["official"] == "an"
    state = run(state, finished)
    assert ticket(state, "A001").official == "an"  # done by An, though called before
    calling = call(state, STAFFED, 1, NOW + 8 * MINUTE)
    assert ticket(calling, "A002").official == "an"
    assert pause(calling, STAFFED, 1, NOW + 9 * MINUTE)[0].data == {"official": "an"}


def test_a_counter_with_nobody_signed_in_works_as_before() -> None:
    state = call(give_many(STAFFED, "A"), STAFFED, 1, NOW + MINUTE)
    events = done(state, STAFFED, 1, NOW + 2 * MINUTE)
    assert "official" not in events[0].data
    assert ticket(run(state, events), "A001").official is None


def test_another_official_replaces_the_one_signed_in() -> None:
    state = run(fresh(), sign_in(fresh(), STAFFED, 1, "an", NOW))
    events = sign_in(state, STAFFED, 1, "binh", NOW + MINUTE)
    assert [(e.kind, e.data.get("official"), e.data.get("why")) for e in events] == [
        (EventKind.SIGNED_OUT, "an", "replaced"), (EventKind.SIGNED_IN, "binh", None)]
    assert run(state, events).counter_state(1).official == "binh"


def test_an_official_is_at_one_counter_at_a_time() -> None:
    state = run(fresh(), sign_in(fresh(), STAFFED, 1, "an", NOW))
    events = sign_in(state, STAFFED, 2, "an", NOW + MINUTE)
    assert [(e.kind, e.counter, e.data.get("why")) for e in events] == [
        (EventKind.SIGNED_OUT, 1, "moved"), (EventKind.SIGNED_IN, 2, None)]
    state = run(state, events)
    assert (state.counter_state(1).official, state.counter_state(2).official) == (None, "an")
    assert sign_in(state, STAFFED, 2, "an", NOW + 2 * MINUTE) == []  # already there


def test_signing_out_and_unknown_officials() -> None:
    assert sign_out(fresh(), STAFFED, 1, NOW) == []  # nobody was there
    state = run(fresh(), sign_in(fresh(), STAFFED, 3, "binh", NOW))
    events = sign_out(state, STAFFED, 3, NOW + MINUTE)
    assert [(e.kind, e.data) for e in events] == [
        (EventKind.SIGNED_OUT, {"official": "binh", "why": "signed_out"})]
    assert run(state, events).counter_state(3).official is None
    problem = refused(lambda: sign_in(fresh(), STAFFED, 1, "chau", NOW))
    assert problem.code == "unknown_official"
    assert "chau" in problem.message
    assert refused(lambda: sign_in(fresh(), STAFFED, 42, "an", NOW)).code == "unknown_counter"


def test_a_rating_is_about_the_official_who_served_not_who_sits_there_now() -> None:
    state = give_many(STAFFED, "A")
    state = run(state, sign_in(state, STAFFED, 1, "an", NOW))
    state = call(state, STAFFED, 1, NOW + MINUTE)
    state = run(state, done(state, STAFFED, 1, NOW + 2 * MINUTE))
    state = run(state, sign_in(state, STAFFED, 1, "binh", NOW + 3 * MINUTE))
    rated = rate(state, STAFFED, ticket(state, "A001").id, 1, [], NOW + 4 * MINUTE)
    assert rated[0].data["official"] == "an"


def test_a_transfer_and_a_resume_say_who_did_them() -> None:
    state = give_many(STAFFED, "A")
    state = run(state, sign_in(state, STAFFED, 1, "an", NOW))
    state = call(state, STAFFED, 1, NOW + MINUTE)
    moved = transfer(state, STAFFED, 1, NOW + 2 * MINUTE, service="B")
    assert moved[0].data["official"] == "an"
    state = run(state, pause(state, STAFFED, 1, NOW + 3 * MINUTE))
    assert resume(state, STAFFED, 1, NOW + 4 * MINUTE)[0].data == {"official": "an"}


def test_the_day_ends_with_everyone_signed_out_and_replays_to_the_same_state() -> None:
    state, log = fresh(), []
    for step in (lambda s: issue(s, STAFFED, "A", None, NOW),
                 lambda s: issue(s, STAFFED, "B", None, NOW + MINUTE),
                 lambda s: sign_in(s, STAFFED, 1, "an", NOW + MINUTE),
                 lambda s: sign_in(s, STAFFED, 2, "binh", NOW + MINUTE),
                 lambda s: call_next(s, STAFFED, 1, NOW + 2 * MINUTE),
                 lambda s: sign_in(s, STAFFED, 3, "binh", NOW + 3 * MINUTE)):
        events = step(state)
        state, log = run(state, events), log + events
    assert replay(state.day, log) == state
    closing = close_day(state, NOW + 600 * MINUTE)
    assert [(e.kind, e.counter, e.data.get("why") or e.data.get("implicit")) for e in closing] \
        == [(EventKind.DONE, 1, "day_end"), (EventKind.SIGNED_OUT, 1, "day_end"),
            (EventKind.SIGNED_OUT, 3, "day_end")]
    assert closing[0].data["official"] == "an"
