"""The office files the province keeps: one of defaults for every site (hours, wording,
thresholds, priority categories …) and one per site (its id, name, services, counters,
officials …), merged into the version each site runs.

The merge: a table is merged key by key, the site's file winning; anything else — a
value, a list, a list of tables such as ``[[services]]`` — is the site's if it gives
one, else the default's. A merged version is checked as the site will check it before
anything is published. Imports tomllib, tomli-w and the core.
"""

from __future__ import annotations

import tomllib
from typing import Any, Final

import tomli_w

from shared.core.config import parse_office
from shared.core.errors import MotcuaError

# What the site's own machines decide, never the province.
LOCAL_TABLES: Final = ("server", "desk", "central")


def merged(default: dict[str, Any], site: dict[str, Any]) -> dict[str, Any]:
    out = dict(default)
    for key, value in site.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merged(out[key], value)
        else:
            out[key] = value
    return out


def read(text: str, where: str) -> dict[str, Any]:
    """A file of the province's, as TOML; refused if it names a site's own tables."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise MotcuaError(f"{where}: không phải TOML đúng: {error}. / Not valid TOML.") from None
    local = [t for t in LOCAL_TABLES if t in data]
    if local:
        raise MotcuaError(f"{where}: [{'], ['.join(local)}] là của máy ở điểm, không do tỉnh "
                          "phát hành: hãy bỏ ra khỏi tệp. / These tables belong to the site's "
                          "machines: leave them out.")
    return data


def version_for(site: str, default: str | None, own: str) -> str:
    """The office file ``site`` runs: its own file over the province's defaults, checked
    (ConfigError with every problem, MotcuaError for another site's file)."""
    data = read(own, f"tệp của điểm {site} / {site}'s file")
    if default is not None:
        data = merged(read(default, "tệp mặc định của tỉnh / the province's defaults"), data)
        text = ("# Bản của tỉnh: mặc định của tỉnh, rồi tệp của điểm. / The province's "
                "defaults, then the site's own file.\n" + tomli_w.dumps(data))
    else:
        text = own
    office = parse_office(text, f"cấu hình của điểm {site} / {site}'s configuration")
    if office.id != site:
        raise MotcuaError(f"[office] id của điểm {site} là {office.id!r}. / Site {site}'s "
                          f"[office] id is {office.id!r}.")
    return text

