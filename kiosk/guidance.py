"""Spoken guidance: what the kiosk's voice says of the screen a citizen is on.

For a citizen who cannot read the screen (poor sight, little reading), the kiosk
reads each screen aloud on request: the question, every choice with its number (the
number keys choose it, on a keyboard or a keypad beside the screen), going back, the
help button; then the ticket, its number read as the hall's voice reads it. One
sentence per screen, built from the same texts the screen shows.

Pure: imports no Qt.
"""

from __future__ import annotations

import logging

from kiosk.screens import Menu, MenuItem, Notice, PrintState, TicketView, choices
from kiosk.texts import VI, Language, tr
from shared.core.office import Announcement
from shared.core.reading import read_ticket_number

log = logging.getLogger(__name__)

NBSP = "\u00a0"
NUMBER_KEYS = 9  # the keys 1–9 choose; 0 goes back


def menu_words(menu: Menu, language: Language) -> str:
    """The question, each choice numbered from 1 (the priority entry last), going back
    as 0, and the help button."""
    parts = [_sentence(menu.title)]
    if menu.banner:
        parts.append(_sentence(menu.banner))
    parts.append(tr("guide_choices", language))
    parts += [_item(index, item, language) for index, item in enumerate(choices(menu), 1)]
    if menu.can_go_back:
        parts.append(tr("guide_back", language))
    parts.append(tr("guide_help", language))
    return _plain(" ".join(parts))


def ticket_words(ticket: TicketView, announcement: Announcement, language: Language) -> str:
    """The number (read by the office's rules in Vietnamese, sign by sign in English),
    the service, the priority, how many are ahead, and where the ticket is."""
    if language == VI:
        try:
            number = read_ticket_number(ticket.number, announcement.reading,
                                        southern=announcement.southern)
        except ValueError:
            number = ticket.number  # a number of another shape: the voice reads it as is
    else:
        number = " ".join(ticket.number)
    parts = [tr("guide_number", language, number=number), _sentence(ticket.service_name)]
    # While printing, nothing yet about the paper: the outcome may change the words.
    told = ticket.print_message if ticket.print_state is not PrintState.PRINTING else ""
    parts += [_sentence(text) for text in (ticket.priority, ticket.ahead, told) if text]
    return _plain(" ".join(parts))


def screen_of(page: str, language: Language,
              shown: Menu | TicketView | Notice) -> tuple[object, ...]:
    """What makes a screen another one for the voice: its page, language, choices (and
    whether each is open), the ticket's number and a failed print — not the waiting
    counts, which change under a citizen's eyes every minute and would start the
    reading over and over."""
    if isinstance(shown, Menu):
        return (page, language, shown.title, shown.banner,
                tuple((item.key, item.enabled) for item in choices(shown)))
    if isinstance(shown, TicketView):
        return (page, language, shown.number, shown.print_state is PrintState.FAILED)
    return (page, language, shown.title, shown.body)


def notice_words(notice: Notice) -> str:
    return _plain(" ".join(_sentence(text) for text in (notice.title, notice.body) if text))


def _item(index: int, item: MenuItem, language: Language) -> str:
    # One key per choice: past 9 a choice is touched, so it is named without a number.
    words = (tr("guide_item", language, index=index, title=item.title)
             if index <= NUMBER_KEYS else _sentence(item.title))
    return f"{words} {_sentence(item.detail)}" if item.detail else words


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if not text or text[-1] in ".?!…" else f"{text}."


def _plain(text: str) -> str:
    """As a voice should read it: no-break spaces and the screen's dots as pauses."""
    return text.replace(NBSP, " ").replace(" · ", ", ")
