"""What goes on the paper for a ticket the server just issued.

The kiosk knows a ticket only as the server's JSON (docs/protocol.md, "Ticket"); this
turns it into the ``TicketPrint`` the printing module renders. Names come from the
server's snapshot (the office the server runs), the QR code and footer from the
kiosk's own ``[printer]`` settings (the printer belongs to the kiosk).

Pure: imports no Qt, no network, no printer library.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from shared.core.office import Office
from shared.printing.ticket_image import TicketPrint

log = logging.getLogger(__name__)


def issued_at(ticket: Mapping[str, Any], office: Office) -> datetime:
    """When ``ticket`` was issued, in the office's time zone (aware)."""
    moment = datetime.fromisoformat(str(ticket["issued_at"]))
    if moment.utcoffset() is None:  # the protocol promises an offset; be safe anyway
        moment = moment.replace(tzinfo=ZoneInfo(office.timezone))
    return office.local_time(moment)


def printed_ticket(
    ticket: Mapping[str, Any],
    office: Office,
    *,
    office_name: str | None = None,
    category_name: str | None = None,
) -> TicketPrint:
    """The ``TicketPrint`` for the server's ``ticket``.

    ``office_name`` is the name the server reports (default: the kiosk's config);
    ``category_name`` the Vietnamese name of the ticket's priority category, if any.
    """
    number = str(ticket["number"])
    service = str(ticket.get("service") or "")
    qr = None
    if office.printer.qr_url:
        qr = office.printer.qr_url.format(
            number=quote(number), service=quote(service), office=quote(office.id)
        )
    priority = ticket.get("priority")
    label = None
    if priority:
        label = f"Ưu tiên: {category_name or priority}"
    return TicketPrint(
        office_name=office_name or office.name,
        service_name=str(ticket.get("service_name") or service),
        number=number,
        issued_at=issued_at(ticket, office),
        ahead=max(0, int(ticket.get("ahead") or 0)),
        qr=qr,
        footer=office.printer.footer,
        priority_label=label,
    )
