"""Vietnamese reading rules: how a ticket number and a counter are said aloud.

Turns numbers into correct Vietnamese words ("một nghìn không trăm hai mươi ba"),
letters into their spoken names ("a", "bê", "xê"), and fills an office's
announcement template into the sentence the speech engine says. The rules are the
project's own, tested against a table, because ``num2words(..., lang="vi")`` gets
some of them wrong.

Pure: imports only the standard library and ``shared.core.office``; no Qt, no network,
no database, no speech engine.
"""

from __future__ import annotations

import logging
import re
import unicodedata

from shared.core.config_words import said
from shared.core.office import Announcement, Counter, Reading

log = logging.getLogger(__name__)

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_ASCII_DIGITS = frozenset("0123456789")

# Scale words for the groups of three digits below a billion; past that the
# reading repeats: 10**12 is "một nghìn tỷ".
_SCALES = ("", "nghìn", "triệu")
_BILLION = 10**9

# Spaces rather than hyphens ("e lờ", not "e-lờ"): this text goes to a speech engine.
_LETTER_NAMES = {
    "A": "a",
    "B": "bê",
    "C": "xê",
    "D": "dê",
    "Đ": "đê",
    "E": "e",
    "F": "ép",
    "G": "giê",
    "H": "hát",
    "I": "i",
    "J": "gi",
    "K": "ca",
    "L": "e lờ",
    "M": "em mờ",
    "N": "en nờ",
    "O": "o",
    "P": "pê",
    "Q": "quy",
    "R": "e rờ",
    "S": "ét xì",
    "T": "tê",
    "U": "u",
    "V": "vê",
    "W": "vê kép",
    "X": "ích xì",
    "Y": "i dài",
    "Z": "dét",
}

# Placeholder -> what it stands for. Offices write the Vietnamese names.
_PLACEHOLDERS = {
    "number": "number",
    "số": "number",
    "counter": "counter",
    "quầy": "counter",
    "counter_name": "counter_name",
    "tên quầy": "counter_name",
}
# How a call joins the one before it in one sentence when calls are waiting: short, as
# the hall already heard the office's full template (issue 14: a burst keeps up).
FOLLOW_TEMPLATE = "số {number} đến quầy {counter}"
FOLLOW_JOIN = ", "

_KNOWN = ", ".join("{" + name + "}" for name in _PLACEHOLDERS)
_BRACED = re.compile(r"\{([^{}]*)\}")


def _read_units_after_tens(tens: int, unit: int) -> str:
    """The unit digit as said after "mười" (tens == 1) or "mươi" (tens >= 2)."""
    if unit == 5:
        return "lăm"
    if tens >= 2 and unit == 1:
        return "mốt"
    if tens >= 2 and unit == 4:
        return "tư"
    return _DIGITS[unit]


def _read_group(group: int, *, padded: bool, southern: bool) -> list[str]:
    """Words for 1 … 999; ``padded`` when a higher group precedes it (1005, 10023).

    A padded group always says its hundreds, "không trăm" included, so that the
    tens and units that follow are heard in their place.
    """
    hundreds, rest = divmod(group, 100)
    tens, unit = divmod(rest, 10)
    words: list[str] = []
    if hundreds or padded:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if unit:
            if words:
                words.append("lẻ" if southern else "linh")
            words.append(_DIGITS[unit])
    else:
        words += ["mười"] if tens == 1 else [_DIGITS[tens], "mươi"]
        if unit:
            words.append(_read_units_after_tens(tens, unit))
    return words


def _read_below_billion(n: int, *, padded: bool, southern: bool) -> list[str]:
    """Words for 1 … 999 999 999; groups that are zero are left out."""
    groups: list[int] = []
    while n:
        n, group = divmod(n, 1000)
        groups.append(group)
    words: list[str] = []
    for scale in reversed(range(len(groups))):
        group = groups[scale]
        if group == 0:
            continue
        words += _read_group(group, padded=padded or bool(words), southern=southern)
        if _SCALES[scale]:
            words.append(_SCALES[scale])
    return words


def _read_positive(n: int, *, padded: bool, southern: bool) -> list[str]:
    billions, rest = divmod(n, _BILLION)
    words: list[str] = []
    if billions:
        words += _read_positive(billions, padded=padded, southern=southern)
        words.append("tỷ")
    if rest:
        words += _read_below_billion(rest, padded=padded or bool(words), southern=southern)
    return words


def read_whole(n: int, *, southern: bool = False) -> str:
    """``n`` (0 or more) in Vietnamese words: 1023 -> "một nghìn không trăm hai mươi ba".

    ``southern`` says "lẻ" where the north says "linh" (105 -> "một trăm lẻ năm").
    """
    if n < 0:
        raise ValueError(f"cannot read a negative number aloud: {n}")
    if n == 0:
        return _DIGITS[0]
    return " ".join(_read_positive(n, padded=False, southern=southern))


def read_digits(digits: str) -> str:
    """Each digit in turn: "023" -> "không hai ba"."""
    if not digits or not set(digits) <= _ASCII_DIGITS:
        raise ValueError(f"expected one or more digits 0-9, got {digits!r}")
    return " ".join(_DIGITS[int(digit)] for digit in digits)


def letter_name(letter: str) -> str:
    """The Vietnamese name of a Latin letter, either case: "B" -> "bê", "đ" -> "đê"."""
    name = _LETTER_NAMES.get(letter.upper()) if len(letter) == 1 else None
    if name is None:
        raise ValueError(f"expected a single letter A-Z or Đ, got {letter!r}")
    return name


def read_ticket_number(number: str, reading: Reading, *, southern: bool = False) -> str:
    """A ticket number aloud: an optional letter, then its digits as ``reading`` says.

    "A023" -> "a không hai ba" (DIGITS) or "a hai mươi ba" (WHOLE);
    "1023" -> "một không hai ba" (DIGITS) or "một nghìn không trăm hai mươi ba" (WHOLE).
    """
    letter, digits = ("", number) if number[:1] in _ASCII_DIGITS else (number[:1], number[1:])
    if letter and letter.upper() not in _LETTER_NAMES:
        raise ValueError(
            f"ticket number {number!r} must start with a letter A-Z or Đ, or with a digit"
        )
    if not digits or not set(digits) <= _ASCII_DIGITS:
        raise ValueError(
            f"ticket number {number!r} must be an optional letter followed by digits 0-9, "
            "like 'A023' or '1023'"
        )
    if reading is Reading.DIGITS:
        spoken = read_digits(digits)
    else:
        spoken = read_whole(int(digits), southern=southern)
    return f"{letter_name(letter)} {spoken}" if letter else spoken


def read_counter(number: int, *, southern: bool = False) -> str:
    """A counter number as a whole number, without a leading zero: 21 -> "hai mươi mốt"
    (always whole: "quầy số mười hai", never digit by digit), the office's southern
    reading included: 105 -> "một trăm lẻ năm"."""
    return read_whole(number, southern=southern)


def read_name(name: str, *, southern: bool = False) -> str:
    """A counter's name as it is said: its numbers read as words by the office's rules
    ("Quầy 105" -> "Quầy một trăm lẻ năm" in the south), not left to the voice."""
    return re.sub(r"\d+", lambda digits: read_whole(int(digits[0]), southern=southern), name)


def _checked(template: str) -> str:
    """``template`` in NFC; ValueError (its argument a ``Phrase``) for an unknown
    placeholder or a stray brace.

    NFC because a file saved with decomposed accents must still name "{số}", and the
    speech engine should get one spelling of each word.
    """
    template = unicodedata.normalize("NFC", template)
    for name in _BRACED.findall(template):
        if name not in _PLACEHOLDERS:
            raise ValueError(said("template_placeholder", name=name, template=template,
                                  known=_KNOWN))
    outside = _BRACED.sub("", template)
    if "{" in outside or "}" in outside:
        raise ValueError(said("template_brace", template=template, known=_KNOWN))
    return template


def check_template(template: str) -> None:
    """Refuse a template with an unknown placeholder or a stray brace (ValueError)."""
    _checked(template)


def announcement_text(announcement: Announcement, number: str, counter: Counter) -> str:
    """The sentence to say when ticket ``number`` is called to ``counter``."""
    template = _checked(announcement.template)
    values = {
        "number": read_ticket_number(number, announcement.reading, southern=announcement.southern),
        "counter": read_counter(counter.number, southern=announcement.southern),
        "counter_name": read_name(counter.name, southern=announcement.southern),
    }
    # One pass, so text put in (a counter's name) is never read as a placeholder.
    return _BRACED.sub(lambda match: values[_PLACEHOLDERS[match[1]]], template)
