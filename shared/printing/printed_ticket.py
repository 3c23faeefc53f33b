"""What goes on the paper for a ticket the server just issued.

A kiosk, or a counter with a printer of its own (a ticket issued for a citizen
standing there), knows a ticket only as the server sent it (``wire.Ticket``,
docs/protocol.md); this turns it into the ``TicketPrint`` the printing module
renders. Names come from the server's snapshot (the office the server runs), the QR
code and footer from the program's own ``[printer]`` settings (the printer is its own).

Pure: imports no Qt, no network, no printer library.
"""

from __future__ import annotations

import logging
from datetime import datetime
from urllib.parse import quote
from zoneinfo import ZoneInfo

from shared.core import wire
from shared.core.office import Office
from shared.core.ticket_token import typed_address
from shared.languages.catalogue import EN, VI
from shared.printing.ticket_image import TicketPrint
from shared.printing.ticket_words import tr

log = logging.getLogger(__name__)


def issued_at(ticket: wire.Ticket, office: Office) -> datetime:
    """When ``ticket`` was issued, in the office's time zone (aware)."""
    moment = ticket.issued_at
    if moment.utcoffset() is None:  # the protocol promises an offset; be safe anyway
        moment = moment.replace(tzinfo=ZoneInfo(office.timezone))
    return office.local_time(moment)


def printed_ticket(
    ticket: wire.Ticket,
    office: Office,
    *,
    office_name: str | None = None,
    category_name: str | None = None,
    unserved: bool = False,
    page: str | None = None,
    slot: str | None = None,
    language: str = VI,
    service_name: str | None = None,
) -> TicketPrint:
    """The ``TicketPrint`` for the server's ``ticket``.

    ``office_name`` is the name the server reports (default: the kiosk's config);
    ``category_name`` the Vietnamese name of the ticket's priority category, if any;
    ``unserved`` that no counter serves its service right now; ``page`` the
    ticket's page on the office's server (the reply to ``issue``), which the QR
    opens unless the kiosk's ``[printer] qr_url`` names another address; ``slot`` a
    checked-in booking's time, marked on the ticket as an appointment;
    ``language`` the citizen's (the kiosk's now), with ``service_name`` and
    ``category_name`` in it.
    """
    number = ticket.number
    service = ticket.service
    qr, address = page, typed_address(page) if page else ""
    if page and language != VI:  # the phone opens the page in the citizen's language
        qr = f"{page}?lang={quote(language)}"
    if office.printer.qr_url:
        qr, address = office.printer.qr_url.format(
            number=quote(number), service=quote(service), office=quote(office.id)
        ), ""
    priority = ticket.priority
    label = None
    if priority:
        label = tr("priority", language, name=category_name or priority)
    elif ticket.appointment is True:  # the counter sees at a glance it was booked
        label = tr("appointment_at", language, slot=slot) if slot else tr("booked", language)
    halls = office.halls_serving(service)
    return TicketPrint(
        office_name=office_name or office.name,
        service_name=service_name or ticket.service_name or service,
        number=number,
        issued_at=issued_at(ticket, office),
        ahead=max(0, ticket.ahead),
        qr=qr,
        footer=office.printer.footer,
        priority_label=label,
        qr_caption=office.printer.qr_caption,
        unserved=unserved,
        qr_address=address,
        where=f" {tr('or', language)} ".join(h.name_en if language == EN and h.name_en
                                             else h.name for h in halls),
        language=language,
    )
