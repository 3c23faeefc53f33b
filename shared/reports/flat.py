"""The report as CSV (for a spreadsheet or a province's data centre) and as JSON.

The same figures as the workbook, times in minutes. CSV holds one table after the
other — by service, counter, official, hour, wait, day; ratings, bookings, sites — each
under a title line and separated by an empty line, in UTF-8 with a byte-order mark
so that Excel reads the Vietnamese right. Imports the core's report only.
"""

from __future__ import annotations

import csv
import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from shared.core.report import Report
from shared.reports.workbook import minutes


def as_data(report: Report) -> dict[str, Any]:
    """The whole report as plain JSON data, times in minutes."""
    services = []
    for s in report.services:
        row = asdict(s)
        for key in ("average_wait", "longest_wait", "average_service", "longest_service"):
            row[f"{key}_minutes"] = minutes(row.pop(key))
        row["over_threshold_share"] = s.over_threshold_share
        services.append(row)
    counters = []
    for c in report.counters:
        row = asdict(c)
        row["average_service_minutes"] = minutes(row.pop("average_service"))
        row["paused_minutes"] = minutes(row.pop("paused"))
        counters.append(row)
    return {
        "office": report.office_name,
        "from": report.start.isoformat(),
        "to": report.end.isoformat(),
        "totals": {**report.totals,
                   "average_wait": minutes(_seconds(report.totals.get("average_wait"))),
                   "longest_wait": minutes(_seconds(report.totals.get("longest_wait"))),
                   "average_service": minutes(_seconds(report.totals.get("average_service")))},
        "services": services,
        "counters": counters,
        "officials": [{"official": o.official, "name": o.name, "title": o.title,
                       "served": o.served, "average_service_minutes": minutes(o.average_service),
                       "paused_minutes": minutes(o.paused), "out_of_order": o.out_of_order}
                      for o in report.officials],
        "by_hour": [{"hour": h, "issued": report.issued_by_hour[h],
                     "served": report.served_by_hour[h]} for h in range(24)],
        "waits": [{"range": label, "citizens": count} for label, count in report.waits],
        "days": [{"day": d.day.isoformat(), "issued": d.issued, "served": d.served,
                  "absent": d.absent, "average_wait_minutes": minutes(d.average_wait)}
                 for d in report.days],
        "satisfaction": _satisfaction(report),
        "appointments": [{**{k: v for k, v in asdict(a).items()
                             if k not in ("average_arrival", "average_wait", "longest_wait")},
                          "average_arrival_minutes": minutes(a.average_arrival),
                          "average_wait_minutes": minutes(a.average_wait),
                          "longest_wait_minutes": minutes(a.longest_wait)}
                         for a in report.appointments],
        "sites": [{**{k: v for k, v in asdict(s).items()
                      if k not in ("average_wait", "longest_wait", "average_service")},
                   "average_wait_minutes": minutes(s.average_wait),
                   "longest_wait_minutes": minutes(s.longest_wait),
                   "average_service_minutes": minutes(s.average_service)}
                  for s in report.sites],
    }


def _satisfaction(report: Report) -> list[dict[str, Any]]:
    """One row per official (and per counter while nobody was signed in there): the
    ratings, and each level's count, best first."""
    figures = report.satisfaction
    if figures is None:
        return []
    return [{"official": r.official, "counter": r.counter, "name": r.name, "ratings": r.total,
             **dict(zip(figures.labels, r.levels, strict=True))} for r in figures.rows]


def _seconds(value: float | int | None) -> float | None:
    return None if value is None else float(value)


def write_json(report: Report, path: Path) -> None:
    path.write_text(json.dumps(as_data(report), ensure_ascii=False, indent=2) + "\n",
                    encoding="utf-8")


def write_csv(report: Report, path: Path) -> None:
    data = as_data(report)
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        out = csv.writer(file)
        for title, rows in (("Theo dịch vụ", data["services"]), ("Theo quầy", data["counters"]),
                            ("Theo cán bộ", data["officials"]),
                            ("Theo giờ", data["by_hour"]), ("Thời gian chờ", data["waits"]),
                            ("Theo ngày", data["days"]), ("Đánh giá", data["satisfaction"]),
                            ("Lịch hẹn", data["appointments"]),
                            ("So sánh các điểm", data["sites"])):
            if title == "So sánh các điểm" and not rows:
                continue  # one office's report: no sites to compare
            out.writerow([title])
            if rows:
                out.writerow(list(rows[0]))
                out.writerows([list(row.values()) for row in rows])
            out.writerow([])
