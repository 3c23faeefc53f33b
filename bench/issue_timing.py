"""The server's own time for each kiosk issue between two calls, run inside the bench's
server process (``MOTCUA_BENCH_EXPERIMENT``; ``bench.ticket_pages`` sets it).

A round trip as the kiosk sees it moves by milliseconds on a shared machine (the
disk's fsync alone), more than issue 13's 10 %; the server's own steps do not. For
each ``issue`` whose id starts with "k", one line in ``MOTCUA_BENCH_TIMINGS``: the id,
then in seconds the decision (``OfficeService.handle``), the wait for its group
commit (scheduled with ``call_soon``: what the pages' work can delay), and the commit
with the replies and events sent.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from shared.server.office_service import OfficeService
from shared.server.server import OfficeServer

_timings = Path(os.environ["MOTCUA_BENCH_TIMINGS"]).open("a", buffering=1)  # noqa: SIM115
_decided: list[tuple[str, float, float]] = []  # (id, began, ended), since the last commit
_handle = OfficeService.handle
_commit = OfficeServer._commit_batch


def _timed_handle(self: OfficeService, session: Any, request: Any) -> Any:
    began = time.perf_counter()
    try:
        return _handle(self, session, request)
    finally:
        if request.type == "issue" and str(request.id).startswith("k"):
            _decided.append((str(request.id), began, time.perf_counter()))


def _timed_commit(self: OfficeServer) -> None:
    began = time.perf_counter()
    try:
        _commit(self)
    finally:
        ended = time.perf_counter()
        for request_id, asked, decided in _decided:
            _timings.write(f"{request_id} {decided - asked:.6f} {began - decided:.6f} "
                           f"{ended - began:.6f}\n")
        _decided.clear()


OfficeService.handle = _timed_handle  # type: ignore[method-assign]
OfficeServer._commit_batch = _timed_commit  # type: ignore[method-assign]
