"""Where a kiosk, counter or display keeps the key its office gave it at enrolment.

One small JSON file per client id (``{"office": ..., "key": ...}``), in a folder
readable by the user alone (0700, files 0600): ``~/.config/motcua/devices/`` on
Linux, the roaming application data folder on Windows. Not in the program's
QSettings, which Qt writes world-readable. A key belongs to one office: a device
moved to another office enrols there afresh.

Imports the standard library, platformdirs and the core.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import re
from pathlib import Path

from shared.core.private_files import private_dir, write_private

log = logging.getLogger(__name__)

_SAFE = re.compile(r"[A-Za-z0-9._-]{1,80}")


class DeviceKeys:
    """The device keys of this user's motcua programs, one file per client id."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @classmethod
    def default(cls) -> DeviceKeys:
        import platformdirs

        return cls(platformdirs.user_config_path("motcua", appauthor=False) / "devices")

    def load(self, client: str, office: str) -> str | None:
        """The key this client was given by ``office``, or None."""
        try:
            stored = json.loads(self._path(client).read_text("utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as problem:
            log.warning("cannot read the device key %s (%s); enrolling again",
                        self._path(client), problem)
            return None
        if not isinstance(stored, dict) or stored.get("office") != office:
            return None
        key = stored.get("key")
        return key if isinstance(key, str) and key else None

    def has(self, client: str) -> bool:
        """Whether this client was given a key by some office."""
        return self._path(client).is_file()

    def save(self, client: str, office: str, key: str) -> None:
        private_dir(self.folder)
        write_private(self._path(client), json.dumps({"office": office, "key": key}) + "\n")

    def forget(self, client: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self._path(client).unlink()

    def _path(self, client: str) -> Path:
        name = client if _SAFE.fullmatch(client) and not client.startswith(".") else (
            hashlib.sha256(client.encode()).hexdigest()[:32])
        return self.folder / f"{name}.json"
