"""The bytes of one print job, built with python-escpos's Dummy printer.

"Render, then send": everything here is pure. A job is built whole in memory, then
handed to a connector in one write, so a failing printer never receives half a ticket
and a test can compare exact bytes.

Imports the escpos command builder only; never a connector, never a device.
"""

from __future__ import annotations

import logging
import textwrap
import unicodedata
from typing import Any

from escpos.printer import Dummy
from PIL import Image

from shared.core.errors import MotcuaError
from shared.core.system_words import said
from shared.printing.ticket_image import TicketPrint

log = logging.getLogger(__name__)

_TCVN3 = ("TCVN-3-1", "TCVN-3-2")  # lower-case and capital tone letters
# The capabilities table puts Icelandic Ð (U+00D0) where TCVN-3 has Đ (U+0110);
# they print the same, so Đ is sent as Ð.
_TCVN3_FIXES = str.maketrans({"Đ": "Ð", "–": "-", "—": "-", "“": '"', "”": '"', "’": "'"})


class PrinterProfileError(MotcuaError):
    """A printer profile name python-escpos does not know, or one unfit for the job."""


def _dummy(profile: str | None, **kwargs: Any) -> Any:
    try:
        return Dummy(profile=profile, **kwargs)
    except KeyError:
        from escpos.capabilities import CAPABILITIES

        known = ", ".join(sorted(CAPABILITIES["profiles"]))
        raise PrinterProfileError(said("unknown_profile", profile=profile, known=known)) \
            from None


def profile_width(profile: str | None) -> int | None:
    """The printable width in dots of ``profile``, if its capabilities say."""
    if profile is None:
        return None
    pixels = _dummy(profile).profile.profile_data.get("media", {}).get("width", {})
    value = pixels.get("pixels")
    return value if isinstance(value, int) else None


def supports_tcvn3(profile: str | None) -> bool:
    """Whether ``profile`` lists both TCVN-3 code pages (Vietnamese in text mode)."""
    if profile is None:
        return False
    pages = _dummy(profile).profile.get_code_pages()
    return all(page in pages for page in _TCVN3)


def ticket_job(image: Image.Image, *, qr: str | None = None, cut: bool = True,
               profile: str | None = None) -> bytes:
    """Initialise (ESC @), the image as one raster (GS v 0) per 960 rows, feed, cut (GS V).

    ``qr``, when given, is appended as a QR code drawn by the printer itself (GS ( k);
    :func:`render_ticket` already draws the ticket's QR into the image, so this is for
    jobs without one.
    """
    printer = _dummy(profile)
    # The image is exactly the paper's width; telling the Dummy so keeps python-escpos
    # from printing a warning about an unknown width to stdout on every ticket.
    data = dict(printer.profile.profile_data)
    data["media"] = {**data.get("media", {}), "width": {"pixels": image.width}}
    printer.profile.profile_data = data
    printer.hw("INIT")
    printer.image(image, impl="bitImageRaster")
    _finish(printer, qr, cut)
    return bytes(printer.output)


def text_job(ticket: TicketPrint, *, profile: str, qr: str | None = None,
             cut: bool = True) -> bytes:
    """The ticket in the printer's own font, for printers known to have TCVN-3.

    Text is encoded in the TCVN-3 (ABC) code pages "TCVN-3-1" (lower case) and
    "TCVN-3-2" (capitals), selected with ESC t at the numbers ``profile`` gives them
    (30 and 31 on Epson TM-T88V); python-escpos switches between the two as letters
    need. CP1258 is never used: its combining tone marks mis-print on many printers.
    Raises PrinterProfileError for a profile without both TCVN-3 pages.
    """
    from escpos.magicencode import Encoder

    if not supports_tcvn3(profile):
        raise PrinterProfileError(said("profile_no_tcvn3", profile=profile))
    pages = _dummy(profile).profile.get_code_pages()
    encoder = Encoder({page: pages[page] for page in _TCVN3})
    printer = _dummy(profile, magic_encode_args={"encoder": encoder})
    columns = _columns(printer)

    def line(text: str, width: int = columns) -> None:
        text = unicodedata.normalize("NFC", text).translate(_TCVN3_FIXES)
        for part in textwrap.wrap(text, width) or [""]:
            printer.textln(part)

    printer.hw("INIT")
    printer.set(align="center", bold=True)
    line(ticket.office_name.upper())
    line(ticket.service_name)
    if ticket.priority_label:
        line(ticket.priority_label)
    printer.set(align="center", bold=False, normal_textsize=True)
    line(ticket.said("number"))
    printer.set(align="center", bold=True, custom_size=True, width=4, height=4)
    line(ticket.number, max(1, columns // 4))
    printer.set(align="center", bold=False, normal_textsize=True)
    line(ticket.said("time", when=ticket.issued_at.strftime("%d/%m/%Y %H:%M")))
    line(ticket.ahead_line)
    if ticket.footer:
        line(ticket.footer_text)
    if qr:
        printer.set(align="center")
        printer.qr(qr, size=6, native=True)
        if ticket.qr_caption:
            line(ticket.qr_caption_text)  # in TCVN-3, as every line of this job
        if ticket.qr_address:
            line(ticket.qr_address)
    _finish(printer, None, cut)
    return bytes(printer.output)


def _columns(printer: Any) -> int:
    try:
        return int(printer.profile.get_columns("a"))
    except (KeyError, ValueError, TypeError, AttributeError):
        return 32  # font A on 58 mm paper: the narrowest common case


def _finish(printer: Any, qr: str | None, cut: bool) -> None:
    if qr:
        printer.set(align="center")
        printer.qr(qr, size=6, native=True)
        printer.set(align="left")
    if cut:
        printer.cut(feed=True)  # feeds the ticket past the blade first (ESC d 6)
    else:
        printer.print_and_feed(6)  # enough paper to tear it off by hand
