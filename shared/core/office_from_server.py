"""The office a program works with: the server's word for everything office-wide.

A kiosk, counter or display may start with no office file at all, or with a file
copied from another office: what the whole office shares (names, time zone,
services, counters, the announcement and its reading rules, the voice, the notice,
the ticket's footer) comes from the server's snapshot; the local file keeps only what
belongs to the device (its printer, whether it speaks, its screen).

Pure: imports the core only.
"""

from __future__ import annotations

from dataclasses import replace

from shared.core import wire
from shared.core.office import (
    Announcement,
    Area,
    Counter,
    CounterOrder,
    Display,
    Field,
    NoOpenCounter,
    Office,
    Official,
    PriorityCategory,
    Service,
)


def office_from_server(local: Office, snapshot: wire.Snapshot) -> Office:
    """``local`` with every office-wide setting replaced by the server's."""
    info = snapshot.office
    spoken = info.announcement
    known_services = {s.code: s for s in local.services}
    known_counters = {c.number: c for c in local.counters}
    return replace(
        local,
        id=info.id,
        name=info.name,
        timezone=info.timezone,
        notice=info.notice,
        services=tuple(
            replace(known_services[s.code], name=s.name, name_en=s.name_en, field=s.field)
            if s.code in known_services
            else Service(s.code, s.name, s.name_en, field=s.field)
            for s in snapshot.services
        ),
        counters=tuple(
            Counter(c.number, c.name, c.services,
                    known_counters[c.number].order if c.number in known_counters
                    else CounterOrder.FIFO)
            for c in snapshot.counters
        ),
        fields=tuple(Field(f.code, f.name, f.name_en) for f in snapshot.fields),
        officials=tuple(Official(o.id, o.name, o.title) for o in snapshot.officials),
        halls=tuple(Area(h.code, h.name, h.name_en, h.counters) for h in snapshot.halls),
        priority=replace(local.priority, categories=tuple(
            PriorityCategory(p.code, p.name, p.name_en) for p in snapshot.priority_categories
        )),
        announcement=Announcement(
            template=spoken.template or local.announcement.template,
            reading=spoken.reading,
            southern=spoken.southern,
            repeat=spoken.repeat,
            pause_seconds=spoken.pause_seconds,
            keep_up=spoken.keep_up,
            loudness_dbfs=spoken.loudness_dbfs,
        ),
        # Whether this screen speaks stays the device's own choice.
        voice=replace(local.voice, voice=info.voice.voice, rate=info.voice.rate,
                      volume=info.voice.volume),
        # Which hall a display shows stays its own choice.
        display=Display(info.display.recent_calls, info.display.highlight_seconds,
                        local.display.hall),
        printer=replace(local.printer, footer=info.ticket_footer),
        kiosk=replace(local.kiosk, no_open_counter=NoOpenCounter(info.kiosk.no_open_counter)),
    )
