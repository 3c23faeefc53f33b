"""Office configuration: the embedded default, the documented example, and broken files."""

from __future__ import annotations

import dataclasses
import tomllib
from datetime import time
from pathlib import Path

import pytest

from shared.core.booking import BookingRules
from shared.core.config import format_window, load_office, parse_office, parse_window
from shared.core.errors import ConfigError, ManyConfigError
from shared.core.office import (
    Announcement,
    Central,
    Counter,
    CounterOrder,
    Desk,
    Display,
    Field,
    Kiosk,
    NumberFormat,
    Office,
    Official,
    Printer,
    PriorityCategory,
    PriorityMode,
    PriorityPolicy,
    Rating,
    RatingReason,
    Server,
    Service,
    TimeWindow,
    Voice,
)
from shared.languages.command_line import error_words

DOCS = Path(__file__).resolve().parents[2] / "docs"

# The smallest valid office. Line numbers the cases below rely on:
#  1 [office]   5 [[services]]   7 name (A)    10 [[services]]   12 name (B)
# 15 [[counters]]   16 number   17 services   18 first line of anything appended
BASE = """\
[office]
id = "test-ward"
name = "UBND Phường Thử"

[[services]]
code = "A"
name = "Hộ tịch"
name_en = "Civil status"

[[services]]
code = "B"
name = "Chứng thực"
name_en = "Certification"

[[counters]]
number = 1
services = ["A", "B"]
"""
OFFICE_ONLY = BASE.split("[[services]]")[0]
COUNTERS = BASE[BASE.index("[[counters]]") :]


def with_a(line: str) -> str:
    """BASE with ``line`` added to service A, as line 7."""
    return BASE.replace('code = "A"\n', f'code = "A"\n{line}\n')


def write(tmp_path: Path, text: str, name: str = "office.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_embedded_default_is_the_sample_ward() -> None:
    office = load_office()

    assert office.id == "phuong-mau"
    assert office.name == "UBND Phường Mẫu"
    assert [s.code for s in office.services] == ["A", "B", "C", "D", "E", "F"]
    assert office.service("A") is not None
    assert office.service("A").name == "Tư pháp – Hộ tịch"  # type: ignore[union-attr]
    assert all(s.number_format is NumberFormat.LETTER for s in office.services)
    assert [s.prefix for s in office.services] == ["A", "B", "C", "D", "E", "F"]
    assert [s.daily_cap for s in office.services] == [None, None, 200, None, None, None]
    assert all(s.hours == () for s in office.services), "a first try must work at any hour"
    assert {c.number: c.services for c in office.counters} == {
        1: ("A", "B"),
        2: ("B", "A"),
        3: ("C", "D"),
        4: ("E", "F", "B"),
    }
    assert [c.number for c in office.counters if "B" in c.services] == [1, 2, 4]
    assert len(office.fields) >= 2
    field_codes = {f.code for f in office.fields}
    assert all(s.field in field_codes for s in office.services)
    assert office.priority.mode is PriorityMode.STRICT
    assert [p.code for p in office.priority.categories] == [
        "elderly", "disabled", "pregnant", "merit",
    ]
    assert office.priority_category("merit") == PriorityCategory(
        "merit", "Người có công với cách mạng",
        "People with meritorious service to the revolution",
    )


def test_the_documented_example_loads() -> None:
    office = load_office(DOCS / "office.example.toml")

    assert office.id == "phuong-ben-nghe"
    assert office.service("A").hours == (  # type: ignore[union-attr]
        TimeWindow(time(7, 0), time(11, 15)),
        TimeWindow(time(13, 15), time(16, 30)),
    )
    block = office.service("E")
    assert block is not None
    assert block.number_format is NumberFormat.BLOCK
    assert block.format_number(23) == "5023"
    assert office.counter(3).order is CounterOrder.SERVICE_FIRST  # type: ignore[union-attr]
    assert office.server.host == "192.168.1.10"
    assert office.official("nguyen-van-an") == Official(  # the photo beside the file
        "nguyen-van-an", "Nguyễn Văn An", "Chuyên viên", str(DOCS / "anh/nguyen-van-an.jpg"))
    assert office.official("tran-thi-binh").title == ""  # type: ignore[union-attr]


SECTIONS: dict[str, type] = {
    "office": Office, "fields": Field, "services": Service, "counters": Counter,
    "priority": PriorityPolicy, "priority.categories": PriorityCategory,
    "announcement": Announcement, "printer": Printer, "voice": Voice, "server": Server,
    "kiosk": Kiosk, "display": Display, "rating": Rating, "rating.reasons": RatingReason,
    "officials": Official, "desk": Desk,
}
# Fields that are tables of their own.
NOT_KEYS = {"services", "counters", "fields", "priority", "announcement", "printer", "voice",
            "server", "kiosk", "display", "categories", "rating", "reasons", "officials", "desk",
            "halls", "bookings", "bookings_per_person", "pictogram", "central"}


# Keys the example shows commented out: setting them would change what it shows
# (a QR to another site instead of the ticket's own page).
COMMENTED = {"printer": {"qr_url"}, "desk": {"certificate", "key"}, "display": {"hall"},
             "voice": {"pack"}}


def example_keys() -> dict[str, set[str]]:
    text = (DOCS / "office.example.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    keys: dict[str, set[str]] = {}
    for section in SECTIONS:
        head, _, sub = section.partition(".")
        value = data[head][sub] if sub else data[head]
        tables = value if isinstance(value, list) else [value]
        keys[section] = {k for t in tables for k in t}
        keys[section] |= {k for k in COMMENTED.get(section, ()) if f"\n# {k} = " in text}
    return keys


@pytest.mark.parametrize("section", SECTIONS)
def test_the_example_and_the_guide_show_every_key(section: str) -> None:
    guide = (DOCS / "configuration.md").read_text(encoding="utf-8")
    names = {f.name for f in dataclasses.fields(SECTIONS[section])} - NOT_KEYS

    assert names <= example_keys()[section], "docs/office.example.toml must show every key"
    assert [n for n in sorted(names) if f"`{n}`" not in guide] == []


def test_the_example_and_the_guide_show_the_central_keys() -> None:
    """Commented out in the example: a site without a province's server has none."""
    guide = (DOCS / "configuration.md").read_text(encoding="utf-8")
    example = (DOCS / "office.example.toml").read_text(encoding="utf-8")
    names = {f.name for f in dataclasses.fields(Central)}
    assert [n for n in sorted(names) if f"\n# {n} = " not in example] == []
    assert [n for n in sorted(names) if f"`{n}`" not in guide] == []
    section = example.split("# [central]\n", 1)[1].split("\n\n", 1)[0]
    uncommented = tomllib.loads("[central]\n" + "\n".join(
        line[2:] for line in section.splitlines() if line.startswith("# ")))
    office = parse_office(BASE + "\n[central]\n" + "\n".join(
        f"{k} = {v!r}".replace("'", '"') for k, v in uncommented["central"].items()),
        "office.toml")
    assert office.central == Central(url="https://trung-tam.tinh.gov.vn:8770",
                                     site="phuong-ben-nghe",
                                     key_file="/etc/motcua/central.key",
                                     authority="/etc/motcua/central-ca.crt", batch=500)


def test_the_example_and_the_guide_show_the_bookings_keys() -> None:
    guide = (DOCS / "configuration.md").read_text(encoding="utf-8")
    data = tomllib.loads((DOCS / "office.example.toml").read_text(encoding="utf-8"))
    shown = {k for s in data["services"] for k in s.get("bookings", {})}
    names = {f.name for f in dataclasses.fields(BookingRules)}
    assert names == shown
    assert [n for n in sorted(names) if f"`{n}`" not in guide] == []
    assert data["bookings"] == {"per_person": 2}
    office = load_office(DOCS / "office.example.toml")
    assert office.bookings_per_person == 2
    assert office.service("C").bookings == BookingRules(  # type: ignore[union-attr]
        online_capacity=60, walk_in_capacity=140)


def test_the_example_in_the_guide_is_the_example_file() -> None:
    guide = (DOCS / "configuration.md").read_text(encoding="utf-8")
    assert (DOCS / "office.example.toml").read_text(encoding="utf-8") in guide


BROKEN = [
    pytest.param(
        BASE.replace('name = "Chứng thực"', 'nmae = "Chứng thực"'),
        "services[2].nmae", "unknown key, did you mean 'name'?", 12, id="typo",
    ),
    pytest.param(
        with_a('daily_cap = "300"'),
        "services[1].daily_cap", "must be a whole number, not text ('300')", 7, id="cap-as-text",
    ),
    pytest.param(
        with_a("daily_cap = 1000"),
        "services[1].daily_cap", "must be between 1 and 999, not 1000", 7, id="cap-too-big",
    ),
    pytest.param(
        BASE.replace('name_en = "Certification"\n', ""),
        "services[2].name_en", "missing", 10, id="missing-name-en",
    ),
    pytest.param(
        BASE.replace('code = "B"', 'code = "A"'),
        "services[2].code", "service 'A' is defined twice", 11, id="duplicate-code",
    ),
    pytest.param(
        BASE.replace('code = "B"\n', 'code = "B"\nprefix = "A"\n'),
        "services[2].prefix", "already used by service 'A'", 12, id="duplicate-prefix",
    ),
    pytest.param(
        BASE.replace('["A", "B"]', '["A", "Z"]'),
        "counters[1].services", "'Z' is not a service code (known: A, B)", 17,
        id="counter-unknown-service",
    ),
    pytest.param(
        BASE.replace('["A", "B"]', '["A", "B", "A"]'),
        "counters[1].services", "'A' is listed twice", 17, id="counter-service-twice",
    ),
    pytest.param(
        BASE.replace('["A", "B"]', "[]"),
        "counters[1].services", "must list at least one service", 17, id="counter-no-service",
    ),
    pytest.param(
        BASE + '[[counters]]\nnumber = 1\nservices = ["B"]\n',
        "counters[2].number", "counter 1 is defined twice", 19, id="duplicate-counter",
    ),
    pytest.param(
        BASE.replace("number = 1", "number = 1.0"),
        "counters[1].number", "must be a whole number, not a number (1.0)", 16,
        id="counter-number-float",
    ),
    pytest.param(
        OFFICE_ONLY + COUNTERS,
        "services", "no service is defined", None, id="no-services",
    ),
    pytest.param(
        BASE.split("[[counters]]")[0],
        "counters", "no counter is defined", None, id="no-counters",
    ),
    pytest.param(
        BASE.replace('["A", "B"]', '["A"]'),
        "services[2]", "service 'B' is served by no counter", 10, id="unserved-service",
    ),
    pytest.param(
        with_a('hours = ["11:00-07:00"]'),
        "services[1].hours[1]", "must start before it ends", 7, id="hours-backwards",
    ),
    pytest.param(
        with_a('hours = ["07:00-11:15", "11:00-12:00"]'),
        "services[1].hours[2]", "'11:00-12:00' overlaps '07:00-11:15'", 7, id="hours-overlap",
    ),
    pytest.param(
        with_a('hours = ["7h-11h"]'),
        "services[1].hours[1]", "cannot read '7h-11h'", 7, id="hours-unreadable",
    ),
    pytest.param(
        with_a('hours = ["07:00-25:00"]'),
        "services[1].hours[1]", "not a time of day", 7, id="hours-no-such-time",
    ),
    pytest.param(
        with_a('hours = "07:00-11:15"'),
        "services[1].hours", "must be a list of texts", 7, id="hours-not-a-list",
    ),
    pytest.param(
        BASE.replace('id = "test-ward"\n', 'id = "test-ward"\ntimezone = "Asia/Ha_Noi"\n'),
        "office.timezone", "'Asia/Ha_Noi' is not a known time zone", 3, id="timezone",
    ),
    pytest.param(
        BASE.replace('id = "test-ward"\n', 'id = "test-ward"\ntimezone = "Asia"\n'),
        "office.timezone", "'Asia' is not a known time zone", 3, id="timezone-directory",
    ),
    pytest.param(
        with_a('number_format = "letters"'),
        "services[1].number_format", "must be one of 'letter', 'block', not 'letters'", 7,
        id="number-format",
    ),
    pytest.param(
        BASE + 'order = "lifo"\n',
        "counters[1].order", "must be one of 'fifo', 'service_first', not 'lifo'", 18,
        id="counter-order",
    ),
    pytest.param(
        BASE + '[priority]\nmode = "random"\n',
        "priority.mode", "must be one of 'strict', 'interleave', 'age'", 19, id="priority-mode",
    ),
    pytest.param(
        BASE + '[priority]\nmode = "interleave"\nevery = 0\n',
        "priority.every", "must be between 1 and 100, not 0", 20, id="interleave-every",
    ),
    pytest.param(
        BASE + '[[priority.categories]]\ncode = "elderly"\nname = "Người cao tuổi"\n'
        'name_en = "Elderly"\n[[priority.categories]]\ncode = "elderly"\n'
        'name = "Cao tuổi"\nname_en = "Old"\n',
        "priority.categories[2].code", "category 'elderly' is defined twice", 23,
        id="duplicate-category",
    ),
    pytest.param(
        BASE + '[[officials]]\nid = "an"\nname = "Nguyễn Văn An"\n[[officials]]\nid = "an"\n'
        'name = "Lê Văn An"\n',
        "officials[2].id", "official 'an' is defined twice", 22, id="duplicate-official",
    ),
    pytest.param(
        BASE + '[[officials]]\nid = "Nguyễn An"\nname = "Nguyễn Văn An"\n',
        "officials[1].id", "like 'nguyen-van-an'", 19, id="official-id",
    ),
    pytest.param(
        BASE + '[announcement]\ntemplate = "Mời số {so} đến quầy {counter}"\n',
        "announcement.template", "unknown placeholder {so}", 19, id="template",
    ),
    pytest.param(
        BASE + "[announcement]\nrepeat = true\n",
        "announcement.repeat", "must be a whole number, not true/false (true)", 19,
        id="bool-for-int",
    ),
    pytest.param(
        with_a('number_format = "block"'),
        "services[1].prefix", "a block-format service needs the digit", 5, id="block-no-prefix",
    ),
    pytest.param(
        with_a('number_format = "block"\nprefix = "0"'),
        "services[1].prefix", "must be one digit 1-9, not '0'", 8, id="block-prefix-zero",
    ),
    pytest.param(
        BASE.replace('code = "A"', 'code = "HT"').replace('["A", "B"]', '["HT", "B"]'),
        "services[1].prefix", "the code 'HT' is not a single letter", 5,
        id="letter-code-needs-prefix",
    ),
    pytest.param(
        with_a('prefix = "a"'),
        "services[1].prefix", "must be one capital letter A-Z, not 'a'", 7, id="letter-prefix",
    ),
    pytest.param(
        with_a('field = "XX"'),
        "services[1].field", "'XX' is not a [[fields]] code (known: none is defined)", 7,
        id="unknown-field",
    ),
    pytest.param(
        BASE.replace('code = "A"', 'code = "a"'),
        "services[1].code", "'a' is not a valid code", 6, id="service-code-lower-case",
    ),
    pytest.param(
        BASE.replace('"test-ward"', '"Phuong Ben Nghe"'),
        "office.id", "'Phuong Ben Nghe' is not a valid code", 2, id="office-id",
    ),
    pytest.param(
        BASE.replace('"UBND Phường Thử"', '"  "'),
        "office.name", "must not be empty", 3, id="office-name-empty",
    ),
    pytest.param(
        BASE.replace("[office]\n", "").replace('id = "test-ward"\nname = "UBND Phường Thử"\n', ""),
        "office", "missing; the file needs an [office] table", None, id="no-office",
    ),
    pytest.param(
        BASE.replace("[office]", "[[office]]"),
        "office", "must be one table, written [office], not [[office]]", 1, id="office-array",
    ),
    pytest.param(
        BASE + "[servces]\n",
        "servces", "unknown key, did you mean 'services'?", 18, id="unknown-table",
    ),
    pytest.param(
        OFFICE_ONLY + '[services]\ncode = "A"\nname = "Hộ tịch"\nname_en = "Civil"\n' + COUNTERS,
        "services", "must be a list of tables, each written [[services]]", 5,
        id="services-single-table",
    ),
    pytest.param(
        BASE + "[printer]\nwidth_dots = 400\n",
        "printer.width_dots", "must be 384 (58 mm paper), 512 or 576", 19, id="printer-width",
    ),
    pytest.param(
        BASE + '[printer]\nqr_url = "https://x.vn/?so={ticket}"\n',
        "printer.qr_url", "unknown placeholder {ticket}", 19, id="qr-placeholder",
    ),
    pytest.param(
        BASE + "[voice]\nvolume = 1.5\n",
        "voice.volume", "must be between 0.0 and 1.0, not 1.5", 19, id="volume",
    ),
    pytest.param(
        BASE + "[voice]\nrate = 500\n",
        "voice.rate", "must be between 80 and 400, not 500", 19, id="voice-rate",
    ),
    pytest.param(
        BASE + "[server]\nport = 0\n",
        "server.port", "must be between 1 and 65535, not 0", 19, id="port",
    ),
    pytest.param(
        BASE + '[server]\nembedded = "yes"\n',
        "server.embedded", "must be true or false (without quotes), not text ('yes')", 19,
        id="bool-as-text",
    ),
]


@pytest.mark.parametrize(("text", "key", "problem", "line"), BROKEN)
def test_a_broken_file_is_refused_with_file_key_problem_and_line(
    tmp_path: Path, text: str, key: str, problem: str, line: int | None
) -> None:
    path = write(tmp_path, text, "ward-office.toml")

    with pytest.raises(ConfigError) as caught:
        load_office(path)

    error = first(caught.value)  # a problem may bring others; the first is this one
    message = english(error)
    assert (error.key, error.line) == (key, line), message
    assert "ward-office.toml" in message
    assert f": {key}: " in message
    assert problem in message
    if line is not None:
        assert f"ward-office.toml, line {line}:" in message
    # Said in Vietnamese unless the reader asked for English (issue 16).
    vietnamese = str(error)
    assert f": {key}: " in vietnamese
    assert problem not in vietnamese
    if line is not None:
        assert f"ward-office.toml, dòng {line}:" in vietnamese


def test_a_toml_syntax_error_reports_its_line_and_column(tmp_path: Path) -> None:
    text = BASE.replace('name = "Hộ tịch"', 'name = "Hộ tịch')
    path = write(tmp_path, text)

    with pytest.raises(ConfigError) as caught:
        load_office(path)

    assert caught.value.line == 7
    assert english(caught.value).startswith(f"{path}, line 7: not valid TOML at column ")
    assert str(caught.value).startswith(f"{path}, dòng 7: sai cú pháp TOML ở cột ")


def test_a_key_defined_twice_is_a_toml_error_with_a_line(tmp_path: Path) -> None:
    path = write(tmp_path, with_a('name = "Lại"'))  # service A now has two names

    with pytest.raises(ConfigError, match=r"dòng \d+: sai cú pháp TOML") as caught:
        load_office(path)

    assert caught.value.line is not None


def english(error: ConfigError) -> str:
    """The error as a reader who asked for English reads it (MOTCUA_LANG=en)."""
    return error_words(error, "en")


def first(error: ConfigError) -> ConfigError:
    return error.problems[0] if isinstance(error, ManyConfigError) else error


def test_every_problem_of_a_file_is_listed_at_once(tmp_path: Path) -> None:
    # Issue 16: only the first problem was reported; fix it, run again, meet the next.
    text = BASE.replace('name = "Chứng thực"', 'nmae = "Chứng thực"').replace(
        "[office]", "[office]\nabsent_grace_minutes = -5")
    text += '\n[printer]\nwidth_dots = 300\n\n[kiosk]\nno_open_counter = "maybe"\n'
    path = write(tmp_path, text, "office.toml")
    with pytest.raises(ManyConfigError) as caught:
        load_office(path)
    keys = [problem.key for problem in caught.value.problems]
    assert keys == ["office.absent_grace_minutes", "services[2].nmae", "printer.width_dots",
                    "kiosk.no_open_counter"]
    lines = str(caught.value).splitlines()
    assert lines[0].endswith("office.toml: 4 lỗi:")
    assert len(lines) == 5
    assert all(line.startswith("  - ") for line in lines[1:])
    assert lines[2] == "  - dòng 13: services[2].nmae: khoá không hợp lệ, có phải là 'name'?"
    english_lines = english(caught.value).splitlines()
    assert english_lines[0].endswith("office.toml: 4 problems:")
    assert english_lines[2] == "  - line 13: services[2].nmae: unknown key, did you mean 'name'?"


def test_no_line_is_given_when_the_line_is_not_certain() -> None:
    # Inline tables: the scan cannot tell which line holds which service's key.
    text = 'services = [{code = "A", name = "Hộ tịch", nmae_en = "x"}]\n' + OFFICE_ONLY + COUNTERS

    with pytest.raises(ConfigError) as caught:
        parse_office(text, "inline.toml")

    error = first(caught.value)
    assert (error.key, error.line) == ("services[1].nmae_en", None)
    assert english(error).startswith("inline.toml: services[1].nmae_en: unknown key")


def test_a_table_header_inside_a_multi_line_string_does_not_shift_lines() -> None:
    text = BASE.replace(
        'name = "UBND Phường Thử"\n', 'name = "UBND Phường Thử"\nnotice = """\n[[services]]\n"""\n'
    ).replace('name = "Chứng thực"', 'nmae = "Chứng thực"')

    with pytest.raises(ConfigError) as caught:
        parse_office(text, "office.toml")

    assert (caught.value.key, caught.value.line) == ("services[2].nmae", 15)


def test_a_missing_or_unreadable_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"nowhere\.toml: không đọc được tệp"):
        load_office(tmp_path / "nowhere.toml")

    latin = tmp_path / "latin1.toml"
    latin.write_bytes(BASE.encode("utf-8").replace("Phường".encode(), "Ph\xfd".encode("latin-1")))
    with pytest.raises(ConfigError) as caught:
        load_office(latin)
    assert str(caught.value).endswith("latin1.toml, dòng 3: tệp không phải văn bản UTF-8; "
                                      "hãy lưu lại dưới dạng UTF-8")
    assert english(caught.value).endswith("latin1.toml, line 3: the file is not UTF-8 text; "
                                          "save it as UTF-8")


def test_a_byte_order_mark_from_windows_notepad_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + BASE.encode("utf-8"))

    assert load_office(path).name == "UBND Phường Thử"


def test_defaults_fill_everything_left_out() -> None:
    office = parse_office(BASE, "office.toml")

    assert office == Office(
        id="test-ward",
        name="UBND Phường Thử",
        services=(Service("A", "Hộ tịch", "Civil status", prefix="A"),
                  Service("B", "Chứng thực", "Certification", prefix="B")),
        counters=(Counter(1, "Quầy 1", ("A", "B")),),
    )


@pytest.mark.parametrize(
    ("written", "window", "formatted"),
    [
        ("07:00-11:15", TimeWindow(time(7, 0), time(11, 15)), "07:00-11:15"),
        ("13:15-16:30", TimeWindow(time(13, 15), time(16, 30)), "13:15-16:30"),
        ("7:00 - 11:15", TimeWindow(time(7, 0), time(11, 15)), "07:00-11:15"),
        ("00:00–23:59", TimeWindow(time(0, 0), time(23, 59)), "00:00-23:59"),
    ],
)
def test_hours_round_trip(written: str, window: TimeWindow, formatted: str) -> None:
    assert parse_window(written) == window
    assert format_window(window) == formatted
    assert parse_window(format_window(window)) == window


def test_hours_in_a_file_round_trip_and_decide_issuing() -> None:
    office = parse_office(with_a('hours = ["13:15-16:30", "07:00-11:15"]'), "office.toml")
    service = office.service("A")
    assert service is not None

    assert [format_window(w) for w in service.hours] == ["13:15-16:30", "07:00-11:15"]
    assert service.is_issuing_at(time(7, 0))
    assert not service.is_issuing_at(time(11, 15))
    assert not service.is_issuing_at(time(12, 0))
    assert service.is_issuing_at(time(16, 29))


def test_adjacent_windows_do_not_overlap() -> None:
    office = parse_office(with_a('hours = ["07:00-11:15", "11:15-12:00"]'), "office.toml")
    assert len(office.service("A").hours) == 2  # type: ignore[union-attr]


def test_block_format_prefix_gives_four_digit_numbers() -> None:
    text = with_a('number_format = "block"\nprefix = "1"').replace(
        'code = "B"\n', 'code = "B"\nnumber_format = "block"\nprefix = 2\n'
    )
    office = parse_office(text, "office.toml")
    first, second = office.services

    assert (first.prefix, first.format_number(23)) == ("1", "1023")
    assert (second.prefix, second.format_number(999)) == ("2", "2999")


def test_a_letter_prefix_and_a_block_digit_never_collide() -> None:
    text = BASE.replace('code = "B"\n', 'code = "B"\nnumber_format = "block"\nprefix = "1"\n')
    office = parse_office(text, "office.toml")

    assert [s.format_number(1) for s in office.services] == ["A001", "1001"]


def test_a_long_code_with_its_own_letter_prefix() -> None:
    text = BASE.replace('code = "A"', 'code = "HT"\nprefix = "H"').replace('"A", "B"', '"HT", "B"')
    service = parse_office(text, "office.toml").services[0]

    assert (service.code, service.format_number(7)) == ("HT", "H007")


def test_decomposed_vietnamese_is_stored_composed() -> None:
    decomposed = "UBND Phu\u031bo\u031b\u0300ng Thu\u031b\u0309"  # as some Mac editors write it
    office = parse_office(BASE.replace("UBND Phường Thử", decomposed), "office.toml")

    assert office.name == "UBND Phường Thử"


def test_a_printer_spec_that_no_printer_matches_is_refused_at_load() -> None:
    text = (
        '[office]\nid = "x"\nname = "X"\n\n[[services]]\ncode = "A"\nname = "A"\n'
        'name_en = "A"\n\n[[counters]]\nnumber = 1\nservices = ["A"]\n\n'
        '[printer]\nspec = "lpt1"\n'
    )
    with pytest.raises(ConfigError) as caught:
        parse_office(text, "office.toml")
    message = str(caught.value)
    assert "office.toml" in message
    assert "printer.spec: máy in 'lpt1': chưa ghi loại máy in. Các cách viết" in message
    assert "network:HOST" in message
    assert "printer 'lpt1': no kind of printer is given. Accepted forms:" in english(
        caught.value)


def test_issuing_days_are_read_by_name_and_refused_when_unknown() -> None:
    text = (
        '[office]\nid = "x"\nname = "X"\n\n[[services]]\ncode = "A"\nname = "A"\n'
        'name_en = "A"\ndays = ["mon", "Tue", "fri", "sat"]\n\n'
        '[[counters]]\nnumber = 1\nservices = ["A"]\n'
    )
    assert parse_office(text, "office.toml").services[0].days == (0, 1, 4, 5)
    with pytest.raises(ConfigError) as caught:
        parse_office(text.replace('"sat"', '"holiday"'), "office.toml")
    assert "services[1].days[4]" in str(caught.value)
    assert "'holiday' không phải thứ trong tuần" in str(caught.value)
    assert "not a weekday" in english(caught.value)


def test_a_field_has_a_pictogram_of_motcua_or_of_its_own(tmp_path: Path) -> None:
    office = load_office()
    assert [f.icon for f in office.fields] == ["tu-phap", "dat-dai", "xa-hoi"]
    assert all(f.pictogram.startswith("<svg") for f in office.fields)
    own = tmp_path / "dat.svg"
    own.write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
                   '<rect width="10" height="10" fill="#ffffff"/></svg>', encoding="utf-8")
    fields = '[[fields]]\ncode = "TP"\nname = "Tư pháp"\nname_en = "Justice"\n'
    config = write(tmp_path, BASE.replace("[[services]]", fields + 'icon = "dat.svg"\n\n'
                                          "[[services]]", 1))
    assert '<rect width="10"' in load_office(config).fields[0].pictogram
    own.write_text("not a picture", encoding="utf-8")
    with pytest.raises(ConfigError) as wrong:
        load_office(config)
    assert "must be an SVG picture of at most 16 KB" in english(wrong.value)
    with pytest.raises(ConfigError) as unknown:
        parse_office(BASE.replace("[[services]]", fields + 'icon = "toa-an"\n\n'
                                  "[[services]]", 1), "test")
    assert "'toa-an' is not a pictogram of motcua (known: chung-thuc, cu-tru" in english(
        unknown.value)


@pytest.mark.parametrize(("line", "said"), [
    ('url = "http://trung-tam:8770"', "over HTTPS"),
    ('url = "https://t:8770"\nsite = "Phường 1"\nkey_file = "k"', "lower-case letters"),
    ('url = "https://t:8770"\nsite = "p1"', "key_file"),
])
def test_a_wrong_central_section_says_what_to_write(line: str, said: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_office(BASE + "\n[central]\n" + line + "\n", "office.toml")
    assert said in english(caught.value)
