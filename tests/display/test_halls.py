"""A centre with several halls (issue 17, part 1): each display shows and says only its
hall's counters and calls; each hall has its own voice."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import msgspec
import pytest

from display.hall import apply_event, hall_from_office, hall_from_snapshot
from shared.core import wire
from shared.core.config import load_office
from shared.core.errors import ConfigError
from shared.core.office import Area, Office
from shared.languages.command_line import error_words
from shared.server.server import OfficeServer
from tests.conftest import MakeServer, office_from_toml
from tests.display.test_hall import SNAPSHOT_JSON, called
from tests.office_client import OfficeClient, UnauthorizedError

HALLS = [{"code": "tang-1", "name": "Tầng 1 — Khu A", "name_en": "Floor 1, area A",
          "counters": [1, 2]},
         {"code": "tang-2", "name": "Tầng 2 — Khu B", "name_en": "Floor 2, area B",
          "counters": [3]}]
SNAPSHOT = msgspec.convert({**SNAPSHOT_JSON, "halls": HALLS}, wire.Snapshot)


def test_a_display_shows_only_its_hall() -> None:
    upstairs = hall_from_snapshot(SNAPSHOT, "tang-2")
    assert [s.number for s in upstairs.seats] == [3]
    assert [line.code for line in upstairs.lines] == ["B"]  # what counter 3 serves
    assert upstairs.recent == ()  # both calls were downstairs
    assert upstairs.office_name == "UBND Phường Mẫu — Tầng 2 — Khu B"
    whole = hall_from_snapshot(SNAPSHOT)
    assert [s.number for s in whole.seats] == [1, 2, 3]  # an office of one hall: as before


def test_another_hall_s_call_is_neither_shown_nor_said_here() -> None:
    upstairs = hall_from_snapshot(SNAPSHOT, "tang-2")
    after, call = apply_event(upstairs, called("A005", 1, "2026-11-23T08:30:00+07:00"))
    assert call is None
    assert after.newest is None
    after, call = apply_event(upstairs, called("B001", 3, "2026-11-23T08:31:00+07:00"))
    assert call is not None
    assert (call.number, call.counter) == ("B001", 3)
    downstairs = hall_from_snapshot(SNAPSHOT, "tang-1")
    # B001 is sent on downstairs and called there: it leaves counter 3 upstairs.
    after, _ = apply_event(after, called("B001", 1, "2026-11-23T08:40:00+07:00"))
    assert after.seat(3).serving is None  # type: ignore[union-attr]
    assert apply_event(downstairs, called("B001", 1, "2026-11-23T08:40:00+07:00"))[1]


def test_before_the_server_answers_the_configuration_names_the_hall() -> None:
    office = _office()
    hall = hall_from_office(replace(office, display=replace(office.display, hall="tang-2")))
    assert [s.number for s in hall.seats] == [3, 4]
    assert hall.office_name.endswith("— Tầng 2 — Khu B")


def _office() -> Office:
    return replace(load_office(), halls=(
        Area("tang-1", "Tầng 1 — Khu A", "Floor 1, area A", (1, 2)),
        Area("tang-2", "Tầng 2 — Khu B", "Floor 2, area B", (3, 4))))


BASE = Path(__file__).parents[2] / "docs" / "office.example.toml"


@pytest.mark.parametrize(("halls", "said"), [
    ('[[halls]]\ncode = "a"\nname = "A"\nname_en = "A"\ncounters = [9]\n',
     "9 is not a counter of this office"),
    ('[[halls]]\ncode = "a"\nname = "A"\nname_en = "A"\ncounters = [1]\n'
     '[[halls]]\ncode = "b"\nname = "B"\nname_en = "B"\ncounters = [1, 2]\n',
     "counter 1 is already in hall 'a'"),
    ('[[halls]]\ncode = "a"\nname = "A"\nname_en = "A"\ncounters = []\n',
     "at least one counter"),
    ('[[halls]]\ncode = "a"\nname = "A"\nname_en = "A"\ncounters = [1, 2]\n',
     "every counter is in one; not in any: 3, 4"),
])
def test_halls_in_the_office_file_are_checked(halls: str, said: str) -> None:
    with pytest.raises(ConfigError) as caught:
        office_from_toml(BASE.read_text("utf-8") + "\n" + halls)
    assert said in error_words(caught.value, "en")  # Vietnamese unless asked: issue 16


async def test_each_hall_has_its_own_voice_and_a_display_names_a_real_hall(
        make_server: MakeServer) -> None:
    server: OfficeServer = await make_server(_office())
    async with OfficeClient.connect(server.url, server.secret, "display", "tv-1",
                                    speaks=True, hall="tang-1") as one, \
            OfficeClient.connect(server.url, server.secret, "display", "tv-2",
                                 speaks=True, hall="tang-2") as two:
        assert two.snapshot["speakers"] == {"tang-1": "tv-1", "tang-2": "tv-2"}
        assert [h["code"] for h in two.snapshot["halls"]] == ["tang-1", "tang-2"]
        heard = await one.next_event("speaker_changed")
        assert (heard["speaker"], heard["hall"]) == ("tv-1", "tang-1")
        # Another hall's voice is that hall's business: tv-1 never hears of tv-2.
        async with OfficeClient.connect(server.url, server.secret, "display", "tv-lobby",
                                        speaks=True) as lobby:
            # A TV naming no hall in a centre of halls shows everything, silently.
            assert lobby.snapshot["speakers"] == {"tang-1": "tv-1", "tang-2": "tv-2"}
        assert all(e.get("event") != "speaker_changed" for e in _drain(one))
    with pytest.raises(UnauthorizedError, match="không có khu vực “tang-9”"):
        async with OfficeClient.connect(server.url, server.secret, "display", "tv-9",
                                        hall="tang-9"):
            pass


def test_the_ticket_says_which_hall_to_go_to() -> None:
    from kiosk.screens import Catalog, ticket_view
    from kiosk.texts import EN, VI
    from shared.printing.printed_ticket import printed_ticket
    from shared.printing.ticket_image import render_ticket
    from tests.kiosk.test_texts_and_paper import TICKET  # a C ticket: counter 3 serves C

    office = _office()
    paper = printed_ticket(TICKET, office)
    assert paper.where == "Tầng 2 — Khu B"
    with_hall = render_ticket(paper, 576)
    without = render_ticket(replace(paper, where=""), 576)
    assert with_hall.height > without.height  # the line is printed
    assert printed_ticket(TICKET, load_office()).where == ""  # one hall: nothing to say

    catalog = Catalog.from_snapshot(msgspec.convert(
        {**SNAPSHOT_JSON, "halls": HALLS, "counters": [
            *SNAPSHOT_JSON["counters"][:2],
            {"number": 3, "name": "Quầy 3", "services": ["C"], "paused": False,
             "connected": True, "current": None}]}, wire.Snapshot))
    from kiosk.controller import PrintState

    shown = ticket_view(catalog, TICKET, PrintState.PRINTED, VI)
    assert shown.ahead.endswith(".\nMời đến: Tầng 2 — Khu B")  # two sentences, read so
    assert ticket_view(catalog, TICKET, PrintState.PRINTED, EN).ahead.endswith(
        "Please go to: Floor 2, area B")


@pytest.mark.parametrize("size", [(1920, 1080), (1366, 768), (1080, 1920)],
                         ids=["1920x1080", "1366x768", "portrait"])
def test_fifty_counters_are_paged_never_shrunk_below_a_readable_size(
        qtbot: object, size: tuple[int, int]) -> None:
    from datetime import datetime

    from display.controller import DisplayController
    from display.counter_board import LEGIBLE_NUMBER
    from display.hall import Hall, Seat
    from display.window import DisplayWindow
    from shared.core.office import Display
    from shared.qt.connection import ServerConnection

    seats = tuple(Seat(n, f"Quầy {n}", serving=f"A{n:03d}", connected=True)
                  for n in range(1, 51))
    connection = ServerConnection("display", "tv-test", "")
    controller = DisplayController(connection, Display(), hall=Hall(
        office_name="Trung tâm Phục vụ hành chính công", seats=seats))
    window = DisplayWindow(controller, "", lambda: datetime(2026, 12, 2, 9, 0))
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    window.resize(*size)
    window.show()
    board = window.board
    qtbot.waitUntil(lambda: board.pages > 1)  # type: ignore[attr-defined]
    first = board.shown()
    assert 1 < len(first) < 50
    assert board.title.endswith(f"1/{board.pages}")
    assert board.number_px >= board.s(LEGIBLE_NUMBER)  # as large as the hall needs
    board.turn_page()
    assert board.shown()[0][0] == f"Quầy {len(first) + 1}"
    assert board.title.endswith(f"2/{board.pages}")
    # A fresh call at counter 47 brings its page, whichever page was shown.
    connection.event_received.emit(called("A047", 47, "2026-12-02T09:01:00+07:00"))
    assert "Quầy 47" in [name for name, _ in board.shown()]


def test_the_ticket_page_says_the_hall_of_the_counter_it_is_sent_to() -> None:
    from datetime import datetime, timedelta

    from shared.core import queue_rules as rules
    from shared.core.ticket_view import hall, ticket_view

    office = _office()
    now = datetime(2026, 12, 2, 8, 0).astimezone()
    state = rules.QueueState(day=now.date())
    state = rules.apply(state, rules.issue(state, office, "A", None, now))
    state = rules.apply(state, rules.call_next(state, office, 1, now))
    state = rules.apply(state, rules.transfer(state, office, 1, now + timedelta(minutes=1),
                                              to_counter=3))
    moved = state.by_number("A001")
    assert moved is not None
    around = hall(state, office, now, frozenset({1, 2, 3, 4}))
    assert ticket_view(state, office, moved, now, around).sent_to == "Quầy 3 (Tầng 2 — Khu B)"


def _drain(client: OfficeClient) -> list[dict[str, object]]:
    found = []
    while not client.events.empty():
        found.append(client.events.get_nowait())
    return found


def test_a_hall_gets_its_own_latest_calls_after_a_reconnect() -> None:
    from datetime import datetime, timedelta

    from shared.core import queue_rules as rules
    from shared.core.snapshot import RECENT_CALLS, snapshot

    office = _office()
    now = datetime(2026, 12, 2, 8, 0).astimezone()
    state = rules.QueueState(day=now.date())
    state = rules.apply(state, rules.issue(state, office, "C", None, now))
    state = rules.apply(state, rules.call_next(state, office, 3, now))  # upstairs, early
    for minute in range(1, RECENT_CALLS + 3):  # then a dozen calls downstairs
        moment = now + timedelta(minutes=minute)
        state = rules.apply(state, rules.issue(state, office, "A", None, moment))
        state = rules.apply(state, rules.call_next(state, office, 1, moment))
    taken = snapshot(state, office, now + timedelta(minutes=30))
    upstairs = hall_from_snapshot(taken, "tang-2")
    assert upstairs.newest is not None
    assert upstairs.newest.number == "C001"
    assert len(hall_from_snapshot(taken).recent) > RECENT_CALLS - 1
