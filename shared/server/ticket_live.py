"""The part of the ticket's page that changes: what is pushed to the phone.

Made with f-strings rather than a template: after each call it is made again for
every page that follows a ticket — a thousand in a provincial centre — and Jinja2
took 32 µs per page for these eleven lines where this takes 4 (``bench/ticket_pages``,
docs/performance.md). The page itself (``ticket.html``) puts it in place as it is.
Every value that is not ours is escaped (the standard library's ``html.escape``, on
plain strings: markupsafe's builds a Markup for each value).
"""

from __future__ import annotations

from html import escape

from markupsafe import Markup

from shared.core.ticket_view import TicketView
from shared.server.page_texts import Headline


def live_html(view: TicketView, line: Headline, your_number: str, hall_html: Markup) -> Markup:
    """The ticket's part (its headline: urgent ones are read out at once by a screen
    reader; its number and service) and the hall's part, in one ``div`` whose data
    says the status and the recalls to the page's script."""
    urgent = line.urgent
    alert = ' class="urgent" role="alert"' if urgent else ""
    details = "".join(f'<p class="detail">{escape(detail)}</p>' for detail in line.detail)
    label = escape(your_number)
    return Markup(
        f'<div data-status="{escape(str(view.status))}" data-urgent="{"yes" if urgent else "no"}"'
        f' data-recalls="{view.recalls:d}">\n'
        f"<section{alert}>\n"
        f'  <p class="headline">{escape(line.text)}</p>\n'
        f"  {details}\n"
        f"</section>\n"
        f'<section aria-label="{label}">\n'
        f"  <h2>{label}</h2>\n"
        f'  <p class="number">{escape(view.number)}</p>\n'
        f'  <p class="service">{escape(view.service_name)}</p>\n'
        f"</section>\n"
        f"{hall_html}\n"
        f"</div>")
