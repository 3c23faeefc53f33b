"""The picture an ESC/POS job prints, rebuilt from its bytes (GS v 0 rasters), so that
a test can read what the paper shows: its QR code, for instance."""

from __future__ import annotations

from PIL import Image

RASTER = b"\x1dv0"


def printed_image(job: bytes) -> Image.Image:
    """Every GS v 0 raster of ``job``, one under the other, black ink on white."""
    rows: list[Image.Image] = []
    at = job.find(RASTER)
    while at >= 0:
        width_bytes = int.from_bytes(job[at + 4:at + 6], "little")
        height = int.from_bytes(job[at + 6:at + 8], "little")
        data = job[at + 8:at + 8 + width_bytes * height]
        band = Image.frombytes("1", (width_bytes * 8, height), data)
        rows.append(Image.eval(band.convert("L"), lambda v: 255 - v))  # 1 bits are ink
        at = job.find(RASTER, at + 8 + len(data))
    if not rows:
        raise ValueError("the job holds no raster image")
    sheet = Image.new("L", (rows[0].width, sum(r.height for r in rows)), 255)
    top = 0
    for band in rows:
        sheet.paste(band, (0, top))
        top += band.height
    return sheet
