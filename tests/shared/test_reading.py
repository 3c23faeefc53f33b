"""Vietnamese reading rules, checked against tables written out by hand."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.core.office import Announcement, Counter, Reading
from shared.core.reading import (
    announcement_text,
    check_template,
    letter_name,
    read_counter,
    read_digits,
    read_ticket_number,
    read_whole,
)
from shared.languages.command_line import lookup

COUNTER_3 = Counter(number=3, name="Quầy 3", services=("A",))

WHOLE_NUMBERS = [
    (0, "không"),
    (1, "một"),
    (2, "hai"),
    (3, "ba"),
    (4, "bốn"),
    (5, "năm"),
    (6, "sáu"),
    (7, "bảy"),
    (8, "tám"),
    (9, "chín"),
    (10, "mười"),
    (11, "mười một"),
    (12, "mười hai"),
    (13, "mười ba"),
    (14, "mười bốn"),
    (15, "mười lăm"),
    (16, "mười sáu"),
    (17, "mười bảy"),
    (18, "mười tám"),
    (19, "mười chín"),
    (20, "hai mươi"),
    (21, "hai mươi mốt"),
    (22, "hai mươi hai"),
    (23, "hai mươi ba"),
    (24, "hai mươi tư"),
    (25, "hai mươi lăm"),
    (26, "hai mươi sáu"),
    (27, "hai mươi bảy"),
    (28, "hai mươi tám"),
    (29, "hai mươi chín"),
    (30, "ba mươi"),
    (31, "ba mươi mốt"),
    (34, "ba mươi tư"),
    (35, "ba mươi lăm"),
    (44, "bốn mươi tư"),
    (55, "năm mươi lăm"),
    (91, "chín mươi mốt"),
    (99, "chín mươi chín"),
    (100, "một trăm"),
    (101, "một trăm linh một"),
    (102, "một trăm linh hai"),
    (103, "một trăm linh ba"),
    (104, "một trăm linh bốn"),
    (105, "một trăm linh năm"),
    (106, "một trăm linh sáu"),
    (107, "một trăm linh bảy"),
    (108, "một trăm linh tám"),
    (109, "một trăm linh chín"),
    (110, "một trăm mười"),
    (111, "một trăm mười một"),
    (115, "một trăm mười lăm"),
    (121, "một trăm hai mươi mốt"),
    (124, "một trăm hai mươi tư"),
    (200, "hai trăm"),
    (999, "chín trăm chín mươi chín"),
    (1000, "một nghìn"),
    (1001, "một nghìn không trăm linh một"),
    (1002, "một nghìn không trăm linh hai"),
    (1003, "một nghìn không trăm linh ba"),
    (1004, "một nghìn không trăm linh bốn"),
    (1005, "một nghìn không trăm linh năm"),
    (1006, "một nghìn không trăm linh sáu"),
    (1007, "một nghìn không trăm linh bảy"),
    (1008, "một nghìn không trăm linh tám"),
    (1009, "một nghìn không trăm linh chín"),
    (1010, "một nghìn không trăm mười"),
    (1011, "một nghìn không trăm mười một"),
    (1012, "một nghìn không trăm mười hai"),
    (1013, "một nghìn không trăm mười ba"),
    (1014, "một nghìn không trăm mười bốn"),
    (1015, "một nghìn không trăm mười lăm"),
    (1016, "một nghìn không trăm mười sáu"),
    (1017, "một nghìn không trăm mười bảy"),
    (1018, "một nghìn không trăm mười tám"),
    (1019, "một nghìn không trăm mười chín"),
    (1020, "một nghìn không trăm hai mươi"),
    (1021, "một nghìn không trăm hai mươi mốt"),
    (1022, "một nghìn không trăm hai mươi hai"),
    (1023, "một nghìn không trăm hai mươi ba"),
    (1024, "một nghìn không trăm hai mươi tư"),
    (1025, "một nghìn không trăm hai mươi lăm"),
    (1100, "một nghìn một trăm"),
    (1105, "một nghìn một trăm linh năm"),
    (2024, "hai nghìn không trăm hai mươi tư"),
    (2100, "hai nghìn một trăm"),
    (9999, "chín nghìn chín trăm chín mươi chín"),
    (10_000, "mười nghìn"),
    (10_023, "mười nghìn không trăm hai mươi ba"),
    (15_000, "mười lăm nghìn"),
    (21_000, "hai mươi mốt nghìn"),
    (100_000, "một trăm nghìn"),
    (105_000, "một trăm linh năm nghìn"),
    (999_999, "chín trăm chín mươi chín nghìn chín trăm chín mươi chín"),
    (1_000_000, "một triệu"),
    (1_000_005, "một triệu không trăm linh năm"),
    (1_005_000, "một triệu không trăm linh năm nghìn"),
    (2_500_000, "hai triệu năm trăm nghìn"),
    (
        999_999_999,
        "chín trăm chín mươi chín triệu chín trăm chín mươi chín nghìn chín trăm chín mươi chín",
    ),
    (1_000_000_000, "một tỷ"),
]


@pytest.mark.parametrize(("n", "expected"), WHOLE_NUMBERS)
def test_read_whole(n: int, expected: str) -> None:
    assert read_whole(n) == expected


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (5, "năm"),
        (105, "một trăm lẻ năm"),
        (110, "một trăm mười"),
        (1005, "một nghìn không trăm lẻ năm"),
        (1023, "một nghìn không trăm hai mươi ba"),
        (2009, "hai nghìn không trăm lẻ chín"),
    ],
)
def test_read_whole_southern_says_le_for_linh(n: int, expected: str) -> None:
    assert read_whole(n, southern=True) == expected


def test_read_whole_refuses_negative_numbers() -> None:
    with pytest.raises(ValueError, match=r"negative number.*-1"):
        read_whole(-1)


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (1, "một"),
        (2, "hai"),
        (3, "ba"),
        (4, "bốn"),
        (5, "năm"),
        (6, "sáu"),
        (7, "bảy"),
        (8, "tám"),
        (9, "chín"),
        (10, "mười"),
        (11, "mười một"),
        (12, "mười hai"),
        (13, "mười ba"),
        (14, "mười bốn"),
        (15, "mười lăm"),
        (16, "mười sáu"),
        (17, "mười bảy"),
        (18, "mười tám"),
        (19, "mười chín"),
        (20, "hai mươi"),
        (21, "hai mươi mốt"),
        (22, "hai mươi hai"),
        (23, "hai mươi ba"),
        (24, "hai mươi tư"),
        (25, "hai mươi lăm"),
        (26, "hai mươi sáu"),
        (27, "hai mươi bảy"),
        (28, "hai mươi tám"),
        (29, "hai mươi chín"),
        (30, "ba mươi"),
    ],
)
def test_read_counter(number: int, expected: str) -> None:
    assert read_counter(number) == expected


@pytest.mark.parametrize(
    ("digits", "expected"),
    [
        ("0", "không"),
        ("023", "không hai ba"),
        ("1023", "một không hai ba"),
        ("0000", "không không không không"),
        ("4515", "bốn năm một năm"),
        ("0123456789", "không một hai ba bốn năm sáu bảy tám chín"),
    ],
)
def test_read_digits_says_each_digit(digits: str, expected: str) -> None:
    assert read_digits(digits) == expected


@pytest.mark.parametrize("digits", ["", "12a", " 12", "1 2", "-1", "١٢", "²"])
def test_read_digits_refuses_anything_but_ascii_digits(digits: str) -> None:
    with pytest.raises(ValueError, match="digits 0-9"):
        read_digits(digits)


@pytest.mark.parametrize(
    ("letter", "expected"),
    [
        ("A", "a"),
        ("B", "bê"),
        ("C", "xê"),
        ("D", "dê"),
        ("Đ", "đê"),
        ("E", "e"),
        ("F", "ép"),
        ("G", "giê"),
        ("H", "hát"),
        ("I", "i"),
        ("J", "gi"),
        ("K", "ca"),
        ("L", "e lờ"),
        ("M", "em mờ"),
        ("N", "en nờ"),
        ("O", "o"),
        ("P", "pê"),
        ("Q", "quy"),
        ("R", "e rờ"),
        ("S", "ét xì"),
        ("T", "tê"),
        ("U", "u"),
        ("V", "vê"),
        ("W", "vê kép"),
        ("X", "ích xì"),
        ("Y", "i dài"),
        ("Z", "dét"),
        ("b", "bê"),
        ("đ", "đê"),
        ("x", "ích xì"),
    ],
)
def test_letter_name(letter: str, expected: str) -> None:
    assert letter_name(letter) == expected


@pytest.mark.parametrize("letter", ["", "AB", "1", "Ă", "Ô", " ", "-"])
def test_letter_name_refuses_anything_but_one_latin_letter(letter: str) -> None:
    with pytest.raises(ValueError, match="single letter A-Z or Đ"):
        letter_name(letter)


@pytest.mark.parametrize(
    ("number", "reading", "expected"),
    [
        ("A023", Reading.DIGITS, "a không hai ba"),
        ("A023", Reading.WHOLE, "a hai mươi ba"),
        ("A100", Reading.DIGITS, "a một không không"),
        ("A100", Reading.WHOLE, "a một trăm"),
        ("A105", Reading.WHOLE, "a một trăm linh năm"),
        ("B001", Reading.WHOLE, "bê một"),
        ("B015", Reading.WHOLE, "bê mười lăm"),
        ("C021", Reading.WHOLE, "xê hai mươi mốt"),
        ("L999", Reading.DIGITS, "e lờ chín chín chín"),
        ("đ024", Reading.WHOLE, "đê hai mươi tư"),
        ("1023", Reading.DIGITS, "một không hai ba"),
        ("1023", Reading.WHOLE, "một nghìn không trăm hai mươi ba"),
        ("2005", Reading.WHOLE, "hai nghìn không trăm linh năm"),
        ("3100", Reading.WHOLE, "ba nghìn một trăm"),
        ("023", Reading.WHOLE, "hai mươi ba"),
    ],
)
def test_read_ticket_number(number: str, reading: Reading, expected: str) -> None:
    assert read_ticket_number(number, reading) == expected


def test_read_ticket_number_southern_only_changes_whole_reading() -> None:
    assert read_ticket_number("A105", Reading.WHOLE, southern=True) == "a một trăm lẻ năm"
    assert read_ticket_number("1005", Reading.WHOLE, southern=True) == (
        "một nghìn không trăm lẻ năm"
    )
    assert read_ticket_number("A105", Reading.DIGITS, southern=True) == "a một không năm"


@pytest.mark.parametrize("reading", list(Reading))
@pytest.mark.parametrize(
    "number", ["", "A", "AB12", "A12B", "12A", " A023", "A023 ", "Ă023", "#12"]
)
def test_read_ticket_number_refuses_malformed_numbers(number: str, reading: Reading) -> None:
    with pytest.raises(ValueError, match=re.escape(f"ticket number {number!r} must")):
        read_ticket_number(number, reading)


def test_default_template_reads_letter_number_digit_by_digit() -> None:
    assert announcement_text(Announcement(), "A023", COUNTER_3) == (
        "Xin mời công dân có số thứ tự a không hai ba đến quầy số ba"
    )


def test_default_template_with_whole_reading_of_a_block_number() -> None:
    announcement = Announcement(reading=Reading.WHOLE)
    assert announcement_text(announcement, "1023", COUNTER_3) == (
        "Xin mời công dân có số thứ tự một nghìn không trăm hai mươi ba đến quầy số ba"
    )


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        (
            "Xin mời công dân có số thứ tự {số} đến quầy số {quầy}",
            "Xin mời công dân có số thứ tự bê mười lăm đến quầy số hai mươi mốt",
        ),
        (
            "Kính mời công dân có số thứ tự {số} đến {tên quầy}",
            "Kính mời công dân có số thứ tự bê mười lăm đến Quầy hộ tịch",
        ),
        (
            "Mời số {số}, đến quầy số {quầy}",
            "Mời số bê mười lăm, đến quầy số hai mươi mốt",
        ),
        (
            "Number {number}, counter {counter}: {counter_name}",
            "Number bê mười lăm, counter hai mươi mốt: Quầy hộ tịch",
        ),
        ("Mời số {số}. Mời số {số}.", "Mời số bê mười lăm. Mời số bê mười lăm."),
    ],
)
def test_office_templates(template: str, expected: str) -> None:
    announcement = Announcement(template=template, reading=Reading.WHOLE)
    counter = Counter(number=21, name="Quầy hộ tịch", services=("B",))
    check_template(template)
    assert announcement_text(announcement, "B015", counter) == expected


def test_template_placeholders_match_in_any_unicode_normalisation() -> None:
    # A config file saved with decomposed accents still names the same placeholder.
    template = unicodedata.normalize("NFD", "Mời số {số} đến {tên quầy}")
    announcement = Announcement(template=template)
    # (The name's number is said as a word, by the office's reading rules.)
    assert announcement_text(announcement, "A023", COUNTER_3) == "Mời số a không hai ba đến Quầy ba"


def test_counter_name_is_put_in_as_written_not_read_as_a_placeholder() -> None:
    counter = Counter(number=3, name="Quầy {số}", services=("A",))
    announcement = Announcement(template="Mời {số} đến {tên quầy}")
    assert announcement_text(announcement, "A023", counter) == "Mời a không hai ba đến Quầy {số}"


@pytest.mark.parametrize(
    ("template", "placeholder"),
    [
        ("Mời số {so} đến quầy {quầy}", "{so}"),
        ("Mời số {số} đến {ten quay}", "{ten quay}"),
        ("Mời số {Số}", "{Số}"),
        ("Mời số { số }", "{ số }"),
        ("Mời số {}", "{}"),
        ("Mời số {0}", "{0}"),
    ],
)
def test_unknown_placeholder_is_refused_by_name(template: str, placeholder: str) -> None:
    with pytest.raises(ValueError, match=r"dùng chỗ điền .* không hợp lệ") as refused:
        check_template(template)
    assert "unknown placeholder" in refused.value.args[0].words(lookup("en"))
    message = str(refused.value)
    assert placeholder in message
    assert "{số}" in message
    assert "{tên quầy}" in message
    assert "{number}" in message
    with pytest.raises(ValueError, match=r"dùng chỗ điền .* không hợp lệ"):
        announcement_text(Announcement(template=template), "A023", COUNTER_3)


@pytest.mark.parametrize("template", ["Mời số {số", "Mời số số}", "Mời {{số}}", "Mời }{"])
def test_stray_brace_is_refused(template: str) -> None:
    with pytest.raises(ValueError, match="dấu ngoặc nhọn lẻ") as refused:
        check_template(template)
    assert "unmatched brace" in refused.value.args[0].words(lookup("en"))


def test_template_without_placeholders_is_said_as_written() -> None:
    announcement = Announcement(template="Xin chờ trong giây lát")
    assert announcement_text(announcement, "A023", COUNTER_3) == "Xin chờ trong giây lát"


def test_bad_ticket_number_in_announcement_is_refused() -> None:
    with pytest.raises(ValueError, match="ticket number 'A-23'"):
        announcement_text(Announcement(), "A-23", COUNTER_3)


@given(st.integers(min_value=0, max_value=999_999))
def test_read_whole_is_well_formed(n: int) -> None:
    text = read_whole(n)
    assert text
    assert text == text.strip()
    assert "  " not in text


@given(
    st.integers(min_value=0, max_value=999_999),
    st.one_of(
        st.integers(min_value=0, max_value=999_999),
        # Near neighbours and same-digit shapes are where two readings could collide.
        st.integers(min_value=-1100, max_value=1100),
    ),
)
def test_different_numbers_read_differently(n: int, other: int) -> None:
    m = other if other > 1100 else n + other
    if m != n and 0 <= m <= 999_999:
        assert read_whole(n) != read_whole(m)


def test_every_number_below_twenty_thousand_has_its_own_reading() -> None:
    readings = {read_whole(n) for n in range(20_000)}
    assert len(readings) == 20_000


# Issue 14: with southern = true the ticket number said "lẻ" but the counter number, and
# the numbers in a counter's name, still said "linh".
@pytest.mark.parametrize(
    ("southern", "ticket", "counter", "name", "sentence"),
    [
        (False, "A105", 105, "Quầy 105",
         "Số a một không năm, quầy số một trăm linh năm, Quầy một trăm linh năm"),
        (True, "A105", 105, "Quầy 105",
         "Số a một không năm, quầy số một trăm lẻ năm, Quầy một trăm lẻ năm"),
        (False, "1105", 3, "Bàn 104 - tầng 2",
         "Số một nghìn một trăm linh năm, quầy số ba, Bàn một trăm linh bốn - tầng hai"),
        (True, "1105", 3, "Bàn 104 - tầng 2",
         "Số một nghìn một trăm lẻ năm, quầy số ba, Bàn một trăm lẻ bốn - tầng hai"),
    ],
)
def test_every_number_said_follows_the_office_s_reading(
    southern: bool, ticket: str, counter: int, name: str, sentence: str
) -> None:
    reading = Reading.WHOLE if ticket[0].isdigit() else Reading.DIGITS
    announcement = Announcement(template="Số {number}, quầy số {counter}, {counter_name}",
                                reading=reading, southern=southern)
    assert announcement_text(announcement, ticket, Counter(counter, name, ("A",))) == sentence
