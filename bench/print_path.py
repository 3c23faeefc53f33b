"""5. Kiosk press to printer bytes, the ticket image rendered on the way.

Through the real kiosk program (``bench.kiosk_press``: ``kiosk.app.build`` as
``motcua kiosk`` runs it, offscreen): from the controller's ``press_service`` — what a
tap on a service button calls — through ``issue`` to the server and back, the
ticket rendered as a raster image (``render_ticket``), made into an ESC/POS job
(``ticket_job``) and sent by ``EscposTicketPrinter`` to ``network:127.0.0.1:PORT``, until
a TCP listener standing in for the printer has received every byte (the printer
connection closed after the job). The listener answers the kiosk's status
questions as a healthy printer does.

Also the shared printing path alone, in this process: ``render_ticket`` +
``ticket_job`` + ``send`` to the same listener, with the share of each step.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import threading
import time
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bench.harness import (
    PYTHON,
    ROOT,
    Row,
    ms,
    start_server,
    summary_ms,
    temp_dir,
    write_office,
)

ESC_INIT = b"\x1b@"
STATUS_QUESTION = b"\x10\x04"
HEALTHY = b"\x12"
PRESSES = 30


class Listener:
    """A receipt printer on 127.0.0.1: records each job's bytes and when the last arrived."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.server.getsockname()[1])
        self.jobs: list[tuple[float, float, int]] = []  # (first byte, all bytes, length)
        self.job_done = threading.Condition()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection: socket.socket) -> None:
        received = bytearray()
        first = 0.0
        with connection:
            connection.settimeout(10)
            try:
                while chunk := connection.recv(1 << 20):
                    if not received:
                        first = time.monotonic()
                    received += chunk
                    if not received.startswith(ESC_INIT):
                        for _ in range(chunk.count(STATUS_QUESTION)):
                            connection.sendall(HEALTHY)
            except OSError:
                pass
        done = time.monotonic()
        if received.startswith(ESC_INIT):
            with self.job_done:
                self.jobs.append((first, done, len(received)))
                self.job_done.notify_all()

    def wait_jobs(self, count: int, timeout: float = 10.0) -> None:
        with self.job_done:
            self.job_done.wait_for(lambda: len(self.jobs) >= count, timeout)

    def close(self) -> None:
        self.server.close()


def _shared_path(listener: Listener, rounds: int = 30) -> dict[str, Any]:
    from shared.core.config import load_office
    from shared.printing.escpos_job import ticket_job
    from shared.printing.print_test import sample_ticket
    from shared.printing.printer import EscposTicketPrinter
    from shared.printing.ticket_image import render_ticket

    office = load_office()
    printer = EscposTicketPrinter(f"network:127.0.0.1:{listener.port}")
    now = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo(office.timezone))
    render_s, job_s, send_s, total_s = [], [], [], []
    size = 0
    for i in range(rounds + 3):
        ticket = sample_ticket(office, now)
        before = len(listener.jobs)
        t0 = time.monotonic()
        image = render_ticket(ticket, printer.width_dots, printer.font_path)
        t1 = time.monotonic()
        job = ticket_job(image, profile=printer.profile)
        t2 = time.monotonic()
        printer.send(job)
        listener.wait_jobs(before + 1)
        t3 = listener.jobs[before][1]
        size = len(job)
        if i >= 3:  # the first renders load fonts
            render_s.append(t1 - t0)
            job_s.append(t2 - t1)
            send_s.append(t3 - t2)
            total_s.append(t3 - t0)
    return {"render_ticket": summary_ms(render_s), "ticket_job": summary_ms(job_s),
            "send_until_all_bytes": summary_ms(send_s), "total": summary_ms(total_s),
            "job_bytes": size, "width_dots": printer.width_dots}


def _kiosk_path(listener: Listener, presses: int) -> dict[str, Any]:
    with temp_dir("print") as folder:
        office = write_office(folder, services=6)
        server = start_server(folder / "data", office)
        config_home = folder / "config"
        try:
            process = subprocess.run(
                [PYTHON, "-m", "bench.kiosk_press", "--server", f"127.0.0.1:{server.port}",
                 "--pairing-code", server.secret, "--config", str(office),
                 "--printer", f"network:127.0.0.1:{listener.port}", "--windowed"],
                cwd=ROOT, capture_output=True, text=True, timeout=120,
                env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "BENCH_PRESSES": str(presses),
                     "XDG_CONFIG_HOME": str(config_home)},
            )
        finally:
            server.stop()
    lines = [json.loads(line) for line in process.stdout.splitlines() if line.startswith("{")]
    presses_at = [line["t"] for line in lines if line["what"] == "press"]
    shown_at = [line["t"] for line in lines if line["what"] == "shown"]
    failed = [line for line in lines if line["what"] == "failed"]
    jobs = sorted(listener.jobs)
    if failed or len(jobs) < len(presses_at) or not presses_at:
        problem = failed or process.stderr[-2000:]
        raise RuntimeError(f"the kiosk did not print every ticket: {problem}")
    to_bytes = [job[1] - press for press, job in zip(presses_at, jobs, strict=False)]
    to_screen = [shown - press for press, shown in zip(presses_at, shown_at, strict=False)]
    warm = 3  # the first tickets load fonts and warm the connection
    return {"presses": len(presses_at) - warm,
            "press_to_printer_bytes": summary_ms(to_bytes[warm:]),
            "press_to_number_on_screen": summary_ms(to_screen[warm:]),
            "first_press_to_printer_bytes_ms": round(to_bytes[0] * 1000, 1)}


def run(presses: int = PRESSES) -> dict[str, Any]:
    listener = Listener()
    try:
        shared = _shared_path(listener)
        listener.jobs.clear()
        kiosk = _kiosk_path(listener, presses + 3)
    finally:
        listener.close()
    k, s = kiosk["press_to_printer_bytes"], shared["total"]
    print(f"  print: kiosk press → printer bytes p50 {k['p50_ms']} ms, p99 {k['p99_ms']} ms; "
          f"shared path alone p50 {s['p50_ms']} ms (render {shared['render_ticket']['p50_ms']}"
          f" ms)", flush=True)
    return {"kiosk": kiosk, "shared": shared}


def rows(result: dict[str, Any]) -> list[Row]:
    k, s = result["kiosk"], result["shared"]
    p = k["press_to_printer_bytes"]
    return [
        Row("kiosk press → all printer bytes (through the kiosk program): p50",
            ms(p["p50_ms"]), "≤ 30 ms", p["p50_ms"] <= 30),
        Row("kiosk press → all printer bytes: p99 / first press",
            f"{p['p99_ms']:.1f} / {k['first_press_to_printer_bytes_ms']:.1f} ms"),
        Row("kiosk press → number on screen: p50",
            ms(k["press_to_number_on_screen"]["p50_ms"])),
        Row("shared printing path alone (render + job + send): p50",
            f"{ms(s['total']['p50_ms'])} (render {s['render_ticket']['p50_ms']:.1f}, job "
            f"{s['ticket_job']['p50_ms']:.1f}, send {s['send_until_all_bytes']['p50_ms']:.1f};"
            f" {s['job_bytes']:,} bytes)"),
    ]


if __name__ == "__main__":
    print(json.dumps(run(), indent=1))
