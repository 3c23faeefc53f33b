"""2. Call to screen: from a counter's ``call_next`` until every display has the event.

20 display clients and one counter are connected to a server process; a kiosk has
issued the tickets beforehand. For each call the counter sends ``call_next`` and the
clock runs until each of the 20 displays has received the ``ticket_called`` event
for the ticket called (the moment its bytes arrive on the display's socket). One
call at a time, a few milliseconds apart, as calls come in an office.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from bench.harness import (
    Row,
    ServerProcess,
    ms,
    raw_connect,
    start_server,
    summary_ms,
    temp_dir,
    write_office,
)

DISPLAYS = 20
CALLS = 300


async def _measure(server: ServerProcess, calls: int, displays: int) -> dict[str, Any]:
    kiosk, _ = await raw_connect(server.port, server.secret, "kiosk", "kiosk-fanout")
    for i in range(calls + 10):
        request_id = f"i{i}"
        body = {"type": "issue", "id": request_id, "service": "A", "priority": None}
        await kiosk.request(f'"re":"{request_id}"'.encode(), json.dumps(body).encode())
    kiosk.close()
    screens = [
        (await raw_connect(server.port, server.secret, "display", f"tv-{i:02d}"))[0]
        for i in range(displays)
    ]
    counter, _ = await raw_connect(server.port, server.secret, "counter", "quay-1", 1)
    last: list[float] = []  # per call: until the last display had it
    each: list[float] = []  # per call and display
    reply_times: list[float] = []
    for i in range(calls):
        request_id = f"c{i}"
        number = f"A{i + 1:03d}"
        key = f'"ticket_called","ticket":{{"number":"{number}"'.encode()
        arrivals = [screen.watch(key) for screen in screens]
        began = time.perf_counter()
        reply = await counter.request(f'"re":"{request_id}"'.encode(),
                                      json.dumps({"type": "call_next", "id": request_id}).encode())
        reply_times.append(time.perf_counter() - began)
        message = json.loads(reply)
        assert message["type"] == "called", message
        assert message["ticket"]["number"] == number, message
        async with asyncio.timeout(5):
            times = await asyncio.gather(*arrivals)
        each.extend(t - began for t in times)
        last.append(max(times) - began)
        await asyncio.sleep(0.003)
    for client in [*screens, counter]:
        client.close()
    return {
        "displays": displays,
        "calls": calls,
        "all_displays": summary_ms(last),
        "per_display": summary_ms(each),
        "counter_reply": summary_ms(reply_times),
    }


def run(calls: int = CALLS, displays: int = DISPLAYS) -> dict[str, Any]:
    with temp_dir("fanout") as folder:
        office = write_office(folder)
        server = start_server(folder / "data", office)
        try:
            result = asyncio.run(_measure(server, calls, displays))
        finally:
            server.stop()
    a = result["all_displays"]
    print(f"  call to {displays} displays: p50 {a['p50_ms']} ms, p99 {a['p99_ms']} ms "
          f"(counter's reply p50 {result['counter_reply']['p50_ms']} ms)", flush=True)
    return result


def rows(result: dict[str, Any]) -> list[Row]:
    a, r = result["all_displays"], result["counter_reply"]
    return [
        Row(f"call_next → all {result['displays']} displays have ticket_called: p50",
            ms(a["p50_ms"]), "≤ 5 ms", a["p50_ms"] <= 5),
        Row(f"call_next → all {result['displays']} displays have ticket_called: p99",
            ms(a["p99_ms"]), "≤ 20 ms", a["p99_ms"] <= 20),
        Row("call_next → the counter's own reply: p50 / p99",
            f"{r['p50_ms']:.2f} / {r['p99_ms']:.2f} ms"),
    ]


if __name__ == "__main__":
    print(json.dumps(run(), indent=1))
