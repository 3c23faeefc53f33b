"""An office configuration file of its own for a test: the sample ward under a unique id
(so that servers of other test runs on this machine never answer), on a free port, and
looking for a server only briefly before the kiosk starts its own."""

from __future__ import annotations

import uuid
from importlib.resources import files
from pathlib import Path

from shared.cli.demo import free_port


def office_file(folder: Path, *, wait_seconds: float = 0.5) -> tuple[Path, str, int]:
    """(the TOML file, its office id, its server port)."""
    office_id = f"test-{uuid.uuid4().hex[:12]}"
    port = free_port()
    text = (files("shared.core") / "default_office.toml").read_text("utf-8")
    text = text.replace('id = "phuong-mau"', f'id = "{office_id}"')
    text = text.replace('name = "UBND Phường Mẫu"', f'name = "UBND Thử {office_id[-6:]}"')
    text = text.replace("port = 8765", f"port = {port}")
    text += f"\n[kiosk]\nserver_wait_seconds = {wait_seconds}\n"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "office.toml"
    path.write_text(text, "utf-8")
    return path, office_id, port
