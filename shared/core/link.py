"""A program's link to its office, and why it cannot join it: the same states, and
the same words for another office, on every screen.

Pure: no Qt, no network.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Link(StrEnum):
    """A program's connection to its office server, as every screen shows it."""

    CONNECTING = "connecting"
    ONLINE = "online"
    OFFLINE = "offline"
    REFUSED = "refused"  # wrong or missing pairing code, or no such counter
    WRONG_OFFICE = "wrong_office"  # the server is another office's: no code can help


@dataclass(frozen=True)
class WrongOffice:
    """The server found belongs to another office than this program's own file says."""

    ours_id: str
    ours_name: str
    theirs_id: str
    theirs_name: str
    address: str  # where that server answered: "192.168.1.10:8765"

    def vietnamese(self) -> str:
        return (
            f"Máy này được cấu hình cho văn phòng “{self.ours_name}” ({self.ours_id}), "
            f"nhưng máy chủ tại {self.address} thuộc văn phòng “{self.theirs_name}” "
            f"({self.theirs_id}). Hãy dùng tệp cấu hình của văn phòng này, hoặc chạy "
            "không có --config để theo máy chủ."
        )

    def brief(self) -> str:
        """One line for a banner read from afar (the whole of it goes to the log)."""
        return (f"Máy chủ tại {self.address} là của “{self.theirs_name}”, "
                f"không phải “{self.ours_name}”")

    def english(self) -> str:
        return (
            f"This machine is set up for the office “{self.ours_name}” ({self.ours_id}), "
            f"but the server at {self.address} belongs to “{self.theirs_name}” "
            f"({self.theirs_id}). Use this office's configuration file, or start without "
            "--config to follow the server."
        )
