"""The report's workbook as LibreOffice prints it: ``python -m tests.report_screenshots [DIR]``.

A scripted morning at the sample office with two officials signed in (the queue rules
and the real store, an injected clock), the workbook written by ``motcua report``'s
own code, converted to PDF by LibreOffice (headless) and to one PNG a page by
``pdftoppm``. Needs ``libreoffice-calc`` and ``poppler-utils`` (not part of the test
set-up). Writes to DIR (default docs/screenshots/report).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from shared.core import pin, report
from shared.core.config import load_office
from shared.core.office import Official
from shared.reports import workbook
from shared.server.devices import DeviceRegistry
from shared.server.office_service import OfficeService, Session
from shared.server.store import SqliteStore
from tests.conftest import handle_json

OFFICIALS = (Official("nguyen-van-an", "Nguyễn Văn An", "Chuyên viên"),
             Official("tran-thi-binh", "Trần Thị Bình", "Chuyên viên"))


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    office = replace(load_office(), officials=OFFICIALS)
    zone = ZoneInfo(office.timezone)
    clock = [datetime(2026, 12, 1, 7, 30, tzinfo=zone)]
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder)
        pins = DeviceRegistry(data)
        for official in OFFICIALS:
            pins.set_pin(official.id, pin.hash_pin("2468"), datetime.now())
        store = SqliteStore(data / "motcua.sqlite")
        service = OfficeService(office, store, lambda: clock[0], pin_of=pins.pin_hash)
        counters = [Session(f"quay-{n}", "counter", n, key=f"{n:02d}" * 32) for n in (1, 2, 3)]
        ids = iter(range(1, 10_000))

        def ask(session: Session, **message: object) -> dict[str, object]:
            return handle_json(service, session, {"id": f"r{next(ids)}", **message}).reply

        for session, official in zip(counters, OFFICIALS, strict=False):
            assert session.key is not None
            ask(session, type="sign_in", official=official.id,
                pin=pin.seal(session.key, session.client, official.id, "2468"))
        kiosk = Session("kiosk", "admin")
        for minute in range(0, 240, 3):
            clock[0] += timedelta(minutes=3)
            ask(kiosk, type="issue", service="ABCABDAEFA"[minute % 10])
            if minute % 6 == 0:
                for session in counters:
                    ask(session, type="call_next")
            if minute == 90:
                ask(counters[1], type="pause")
            if minute == 111:
                ask(counters[1], type="resume")
        levels = [3, 3, 2, 3, 1, 3, 2, 3]
        for ticket in list(service.state.tickets.values())[:40]:
            if ticket.status.value == "done":
                service.rate(ticket.id, levels[ticket.id % len(levels)],
                             ["cho_lau"] if levels[ticket.id % len(levels)] == 1 else [])
        day = clock[0].date()
        built = report.build(office, day, day, store.report_days(day, day))
        store.close()
        pins.close()
        book = Path(folder) / "bao-cao.xlsx"
        workbook.write(built, book, day)
        subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", folder,
                        str(book)], check=True, capture_output=True)
        subprocess.run(["pdftoppm", "-png", "-r", "70", str(Path(folder) / "bao-cao.pdf"),
                        str(Path(folder) / "page")], check=True)
        for page in sorted(Path(folder).glob("page-*.png")):
            shutil.copy(page, out / page.name)
            print(out / page.name)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1
         else Path(__file__).resolve().parents[1] / "docs" / "screenshots" / "report")
