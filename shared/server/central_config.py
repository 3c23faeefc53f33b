"""The office configuration the province publishes for this site (issue 19, part 3),
as the site keeps it: checked when it arrives, held until the start of the site's
next business day (or the server's next start), then run.

Everything that belongs to the site's own machines stays the site's: its ``[server]``,
``[desk]`` and ``[central]`` come from the local office file, whatever a bundle says.
The files live in ``<data dir>/central-config/``: ``pending-<version>.toml`` and
``running-<version>.toml``, the province's text as it came. Imports the core only.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import re
from pathlib import Path
from typing import Final

from shared.core.config import parse_office, with_files
from shared.core.errors import ConfigError
from shared.core.office import Office
from shared.core.private_files import write_private

log = logging.getLogger(__name__)

FOLDER: Final = "central-config"
_NAME: Final = re.compile(r"(pending|running)-(\d+)\.toml")


class ConfigBundles:
    def __init__(self, data_dir: Path, local: Office, files: Path | None = None) -> None:
        """``files``: the folder of the site's office file, where the pictures and the
        voice pack a version names are looked for (as for the local file)."""
        self.folder = data_dir / FOLDER
        self.local, self.files = local, files
        self.refused: tuple[int, str] | None = None  # the last version refused, and why
        self.served: int | None = None  # the version being run (None: the local file)

    def _found(self, kind: str) -> tuple[int, Path] | None:
        if not self.folder.is_dir():
            return None
        versions = [(int(m[2]), p) for p in self.folder.iterdir()
                    if (m := _NAME.fullmatch(p.name)) and m[1] == kind]
        return max(versions) if versions else None

    @property
    def running(self) -> int | None:
        found = self._found("running")
        return None if found is None else found[0]

    @property
    def pending(self) -> int | None:
        found = self._found("pending")
        return None if found is None else found[0]

    def text(self, kind: str) -> str | None:
        """The file of the ``pending`` or ``running`` version, if there is one."""
        found = self._found(kind)
        try:
            return None if found is None else found[1].read_text(encoding="utf-8")
        except OSError:
            return None

    def is_new(self, version: int) -> bool:
        """A version this site has neither run, held nor refused (any number: a
        province's database restored from a backup numbers again from 1)."""
        return version not in {self.served, self.pending,
                               self.refused[0] if self.refused else None}

    def office_of(self, text: str, where: str) -> Office:
        """The province's configuration, with the site's own machines' sections."""
        office = parse_office(text, where)
        if self.files is not None:
            office = with_files(office, self.files, where)
        if office.id != self.local.id:
            raise ConfigError(where, "office.id", f"là {office.id!r}, không phải "
                              f"{self.local.id!r} của điểm này / it is {office.id!r}, not this "
                              f"site's {self.local.id!r}")
        return dataclasses.replace(office, server=self.local.server, desk=self.local.desk,
                                   central=self.local.central)

    def take(self, version: int, text: str) -> str:
        """Check and keep a version for the next business day; "" or why it is refused."""
        try:
            self.office_of(text, f"cấu hình tỉnh / the province's configuration {version}")
        except ConfigError as problem:
            self.refused = (version, str(problem))
            log.warning("refused the province's configuration %d: %s", version, problem)
            return str(problem)
        self.folder.mkdir(parents=True, exist_ok=True)
        pending = self._found("pending")
        write_private(self.folder / f"pending-{version}.toml", text)
        if pending is not None and pending[0] != version:
            pending[1].unlink(missing_ok=True)  # only the newest waits
        self.refused = None
        log.info("the province's configuration %d is kept for the next business day", version)
        return ""

    def effective(self) -> Office:
        """The office to serve now: a pending version becomes the running one (this is
        the start of a business day, or of the server), else the running one, else the
        local file."""
        pending, running = self._found("pending"), self._found("running")
        if pending is not None:
            try:
                office = self.office_of(pending[1].read_text(encoding="utf-8"), str(pending[1]))
            except (ConfigError, OSError) as problem:  # checked when it came: a damaged file
                log.error("the province's configuration %d cannot be run: %s",  # noqa: TRY400
                          pending[0], problem)
                self.refused = (pending[0], str(problem))
                with contextlib.suppress(OSError):
                    pending[1].unlink(missing_ok=True)
            else:
                try:
                    pending[1].replace(self.folder / f"running-{pending[0]}.toml")
                    if running is not None and running[0] != pending[0]:
                        running[1].unlink(missing_ok=True)
                except OSError as problem:  # the folder cannot be written: run it anyway
                    log.error("cannot keep the province's configuration %d as the "  # noqa: TRY400
                              "running one: %s", pending[0], problem)
                log.info("running the province's configuration %d from now on", pending[0])
                self.served = pending[0]
                return office
        if running is not None:
            try:
                office = self.office_of(running[1].read_text(encoding="utf-8"), str(running[1]))
            except (ConfigError, OSError) as problem:
                log.error("the province's configuration %d cannot be run (%s): the "  # noqa: TRY400
                          "local office file is used", running[0], problem)
            else:
                self.served = running[0]
                return office
        self.served = None
        return self.local
