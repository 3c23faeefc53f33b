"""The ticket as a picture: what the citizen takes home, rendered at the printer's width.

Receipt printers mis-print precomposed Vietnamese tone letters in text mode, so the
ticket is drawn with Pillow in a font that has them (DejaVu Sans by default) and sent
as a raster image. Long names are wrapped by their measured width, never clipped; the
number is drawn as large as the paper allows.

Pure: no printer library, no device, no network. The same image can be shown on the
kiosk's screen when the printer fails.
"""

from __future__ import annotations

import functools
import logging
import shutil
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

import qrcode  # type: ignore[import-untyped,unused-ignore]  # python-escpos needs it; untyped
from PIL import Image, ImageDraw, ImageFont

from shared.core.errors import MotcuaError
from shared.core.office import Office
from shared.core.system_words import said
from shared.core.ticket import Ticket
from shared.languages.catalogue import VI
from shared.printing.ticket_words import TEXTS, office_words, tr

log = logging.getLogger(__name__)

Font = ImageFont.FreeTypeFont
_INK, _PAPER = 0, 255
# Letters that show whether a font really has Vietnamese glyphs.
_VIETNAMESE = "ĂăÂâĐđÊêÔôƠơƯưẠạẶặẾếỆệỖỗỰựỲỳỹ"
_KNOWN_FONTS = (  # (regular, bold): Linux, then Windows and macOS (found by Pillow)
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
     "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/TTF/DejaVuSans.ttf", "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/dejavu/DejaVuSans.ttf", "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf"),
    ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("arial.ttf", "arialbd.ttf"),
    ("segoeui.ttf", "segoeuib.ttf"),
    ("tahoma.ttf", "tahomabd.ttf"),
    ("Arial.ttf", "Arial Bold.ttf"),
)


class FontError(MotcuaError):
    """No font with Vietnamese letters could be found for the ticket."""


QR_CAPTION = TEXTS["qr_caption"]


@dataclass(frozen=True)
class TicketPrint:
    """Everything printed on one ticket, already in the citizen's words."""

    office_name: str
    service_name: str
    number: str  # "A023" or "1023"
    issued_at: datetime  # timezone-aware; printed in its own zone (pass office-local time)
    ahead: int  # people waiting before this ticket in its service
    qr: str | None = None  # text of the QR code, e.g. a tracking URL
    footer: str = ""
    priority_label: str | None = None  # e.g. "Ưu tiên: Người cao tuổi"
    qr_caption: str = QR_CAPTION  # under the QR code: what it is for
    unserved: bool = False  # no counter serves the service now: say so, not "you are next"
    qr_address: str = ""  # under the caption: the QR's address, to type by hand
    where: str = ""  # a large centre's hall to go to: "Tầng 2 — Khu B" (issue 17)
    language: str = VI  # the citizen's, chosen on the kiosk (``ticket_words``)

    def __post_init__(self) -> None:
        if self.issued_at.utcoffset() is None:
            raise ValueError("TicketPrint.issued_at must be timezone-aware")
        if self.ahead < 0:
            raise ValueError("TicketPrint.ahead cannot be negative")

    @property
    def ahead_line(self) -> str:
        """The line under the time: how many are before this ticket, in words."""
        if self.unserved:
            return tr("unserved", self.language)
        if self.ahead == 0:
            return tr("next", self.language)
        return tr("ahead", self.language, count=self.ahead)

    def said(self, key: str, **values: object) -> str:
        """One of the ticket's own lines (``ticket_words``) in the citizen's language."""
        return tr(key, self.language, **values)

    @property
    def footer_text(self) -> str:
        return office_words("footer", self.footer, self.language)

    @property
    def qr_caption_text(self) -> str:
        return office_words("qr_caption", self.qr_caption, self.language)


def ticket_print(office: Office, ticket: Ticket, ahead: int) -> TicketPrint:
    """What to print for ``ticket``: names from the office, time in its zone, the QR URL."""
    service = office.service(ticket.service)
    category = office.priority_category(ticket.priority) if ticket.priority else None
    qr = None
    if office.printer.qr_url:
        qr = office.printer.qr_url.format(number=quote(ticket.number),
                                          service=quote(ticket.service), office=quote(office.id))
    return TicketPrint(
        office_name=office.name,
        service_name=service.name if service else ticket.service,
        number=ticket.number,
        issued_at=office.local_time(ticket.issued_at),
        ahead=ahead,
        qr=qr,
        footer=office.printer.footer,
        priority_label=tr("priority", VI, name=category.name) if category else None,
        qr_caption=office.printer.qr_caption,
    )


def render_ticket(ticket: TicketPrint, width_dots: int,
                  font_path: Path | None = None) -> Image.Image:
    """The ticket as a 1-bit image exactly ``width_dots`` wide (black pixels print)."""
    if width_dots < 128:
        raise ValueError(f"a ticket needs at least 128 dots of width, not {width_dots}")
    regular, bold = find_fonts(font_path)
    scale = 1 + (width_dots / 384 - 1) * 0.6  # 80 mm paper: larger text, not 1.5x larger
    margin = max(8, width_dots // 32)
    inner = width_dots - 2 * margin

    def px(size: float) -> int:
        return round(size * scale)

    def font(path: str, size: float) -> Font:
        return _font(path, px(size))

    gap = px(10)
    rows: list[Image.Image | int] = [
        px(4),
        _text(ticket.office_name.upper(), font(bold, 21), inner),
        gap, _rule(inner, px(2)), gap,
        _text(ticket.service_name, font(bold, 28), inner),
    ]
    if ticket.priority_label:
        rows += [gap, _text(ticket.priority_label, font(bold, 21), inner, invert=True)]
    rows += [gap, _text(ticket.said("number"), font(regular, 18), inner), px(6),
             _number(ticket.number, bold, inner, max_height=width_dots * 9 // 20), px(12)]
    when = ticket.issued_at.strftime("%d/%m/%Y %H:%M")
    rows += [_text(ticket.said("time", when=when), font(regular, 20), inner), px(4),
             _text(ticket.ahead_line, font(bold, 21), inner)]
    if ticket.where:
        rows += [px(6), _text(ticket.said("go_to", where=ticket.where), font(bold, 22), inner,
                              invert=True)]
    if ticket.qr:
        rows += [gap, _qr(ticket.qr, inner, width_dots)]
        if ticket.qr_caption:
            rows += [px(4), _text(ticket.qr_caption_text, font(regular, 16), inner)]
        if ticket.qr_address:
            rows += [px(2), _text(ticket.qr_address, font(bold, 16), inner)]
    if ticket.footer:
        rows += [gap, _rule(inner, 1), gap, _text(ticket.footer_text, font(regular, 19), inner)]
    rows.append(px(8))
    return _stack(rows, width_dots, margin)


def find_fonts(font_path: Path | None = None) -> tuple[str, str]:
    """(regular, bold) font files with Vietnamese letters; ``font_path`` serves for both."""
    if font_path is not None:
        path = str(font_path)
        if not font_path.is_file() or not _has_vietnamese(path):
            raise FontError(said("font_missing", path=path))
        return path, path
    return _system_fonts()


@functools.cache
def _system_fonts() -> tuple[str, str]:
    candidates = list(_KNOWN_FONTS)
    if shutil.which("fc-match"):
        candidates += [(_fc_match("DejaVu Sans"), _fc_match("DejaVu Sans:style=Bold")),
                       (_fc_match("sans-serif:lang=vi"), _fc_match("sans-serif:lang=vi:bold"))]
    for regular, bold in candidates:
        found = [_resolve(name) for name in (regular, bold)]
        if found[0] and _has_vietnamese(found[0]):
            resolved_bold = found[1] if found[1] and _has_vietnamese(found[1]) else found[0]
            log.debug("ticket fonts: %s, %s", found[0], resolved_bold)
            return found[0], resolved_bold
    raise FontError(said("no_font"))


def _fc_match(pattern: str) -> str:
    try:
        done = subprocess.run(["fc-match", "-f", "%{file}", pattern], capture_output=True,
                              text=True, timeout=10, check=True)
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip()


def _resolve(name: str) -> str | None:
    """The file Pillow loads for ``name`` (a path, or a bare name in the system font dirs)."""
    if not name:
        return None
    try:
        return str(ImageFont.truetype(name, 12).path)
    except OSError:
        return None


@functools.cache
def _has_vietnamese(path: str) -> bool:
    try:
        font = ImageFont.truetype(path, 24)
    except OSError:
        return False

    def glyph(char: str) -> bytes:
        image = Image.new("L", (48, 48), 0)
        ImageDraw.Draw(image).text((8, 4), char, font=font, fill=255)
        return image.tobytes()

    missing, blank = glyph("\uffff"), bytes(48 * 48)  # U+FFFF is never in a font
    return all(glyph(c) not in (missing, blank) for c in _VIETNAMESE)


@functools.lru_cache(maxsize=64)
def _font(path: str, size: int) -> Font:
    return ImageFont.truetype(path, size)


def _wrap(text: str, font: Font, width: int) -> list[str]:
    """Lines of ``text`` no wider than ``width`` when drawn, of even length where they can be."""
    lines = _greedy(text, font, width)
    low, high = width // 2, width
    while len(lines) > 1 and low < high:  # the narrowest width that needs no more lines
        middle = (low + high) // 2
        if len(_greedy(text, font, middle)) == len(lines):
            high = middle
        else:
            low = middle + 1
    return _greedy(text, font, high) if len(lines) > 1 else lines


def _greedy(text: str, font: Font, width: int) -> list[str]:
    """Lines of ``text`` no wider than ``width``; a word wider than that is broken."""
    lines: list[str] = []
    for word in text.split():
        if lines and _ink_width(f"{lines[-1]} {word}", font) <= width:
            lines[-1] += f" {word}"
            continue
        lines.append("")
        for char in word:  # a word wider than the paper is broken where it must be
            if lines[-1] and _ink_width(lines[-1] + char, font) > width:
                lines.append("")
            lines[-1] += char
    return lines or [""]


def _ink_width(text: str, font: Font) -> int:
    left, _, right, _ = font.getbbox(text)
    return int(right - left)


def _text(text: str, font: Font, width: int, *, invert: bool = False) -> Image.Image:
    """A centred, wrapped block exactly as tall as its ink and the font's line pitch."""
    ascent, descent = font.getmetrics()
    size = int(font.size)
    pad = size // 4 if invert else 0
    placed: list[tuple[str, float, float]] = []
    height = pad
    for line in _wrap(text, font, width - 2 * pad):
        left, top, right, bottom = font.getbbox(line)
        top, bottom = min(0, top), max(ascent + descent, bottom)
        placed.append((line, (width - (right - left)) / 2 - left, height - top))
        height += int(bottom - top) + size // 6
    height += pad - size // 6
    image = Image.new("L", (width, height), _INK if invert else _PAPER)
    draw = ImageDraw.Draw(image)
    for line, x, y in placed:
        draw.text((x, y), line, font=font, fill=_PAPER if invert else _INK)
    return image


def _number(number: str, path: str, width: int, max_height: int) -> Image.Image:
    """The ticket number in the largest size whose ink fits ``width`` and ``max_height``."""
    low, high = 12, max_height * 2
    while low < high:  # the largest size that fits
        size = (low + high + 1) // 2
        left, top, right, bottom = _font(path, size).getbbox(number)
        if right - left <= width and bottom - top <= max_height:
            low = size
        else:
            high = size - 1
    font = _font(path, low)
    left, top, right, bottom = font.getbbox(number)
    if right - left > width:
        return _text(number, font, width)  # cannot happen for real numbers; never clip
    image = Image.new("L", (width, int(bottom - top)), _PAPER)
    ImageDraw.Draw(image).text(((width - (right - left)) / 2 - left, -top), number,
                               font=font, fill=_INK)
    return image


def _rule(width: int, thickness: int) -> Image.Image:
    return Image.new("L", (width, max(1, thickness)), _INK)


def _qr(text: str, width: int, paper: int) -> Image.Image:
    code = qrcode.QRCode(border=0, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(text)
    code.make(fit=True)
    matrix: list[list[bool]] = code.get_matrix()
    box = max(2, min(width, paper * 2 // 5) // len(matrix))
    side = box * len(matrix)
    image = Image.new("L", (width, side), _PAPER)
    draw = ImageDraw.Draw(image)
    left = (width - side) // 2
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                draw.rectangle((left + x * box, y * box, left + (x + 1) * box - 1,
                                (y + 1) * box - 1), fill=_INK)
    return image


def _stack(rows: list[Image.Image | int], width: int, margin: int) -> Image.Image:
    """Rows (images, or ints for blank space) one under the other, then made 1-bit."""
    height = sum(r if isinstance(r, int) else r.height for r in rows)
    page = Image.new("L", (width, height), _PAPER)
    y = 0
    for row in rows:
        if isinstance(row, int):
            y += row
            continue
        page.paste(row, (margin, y))
        y += row.height
    # A hard threshold, not dithering: thermal dots are on or off, and edges stay crisp.
    return page.point(lambda v: 255 if v >= 128 else 0).convert("1", dither=Image.Dither.NONE)
