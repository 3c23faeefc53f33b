"""Makes docs/screenshots/demo.png: `motcua demo` on a virtual 1920×1080 screen (Xvfb),
with a few citizens served, as a person trying motcua would see it.

    .venv/bin/python -m tests.demo_screenshot        (needs Debian's xvfb)

Not a test: pytest does not collect it.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).parents[1]
OUT = ROOT / "docs" / "screenshots" / "demo.png"
SCREEN = "1920x1080"


def ask(control: Path, **request: object) -> dict[str, object]:
    deadline = time.monotonic() + 60
    while True:
        try:
            with socket.socket(socket.AF_UNIX) as peer:
                peer.settimeout(30)
                peer.connect(str(control))
                peer.sendall(json.dumps(request).encode() + b"\n")
                answer: dict[str, object] = json.loads(peer.makefile().readline())
        except (FileNotFoundError, ConnectionRefusedError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
            continue
        if "error" in answer and time.monotonic() < deadline:
            time.sleep(0.2)  # the screen is not there yet
            continue
        return answer


def main() -> int:
    if shutil.which("Xvfb") is None:
        print("needs Xvfb: apt-get install xvfb", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="mc-shot-") as root:
        base = Path(root)
        display = ":97"
        xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", f"{SCREEN}x24", "-nolisten",
                                 "tcp"], stderr=subprocess.DEVNULL)
        env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb",
               "MOTCUA_REMOTE_CONTROL_DIR": str(base), "XDG_CONFIG_HOME": str(base / "cfg"),
               "XDG_STATE_HOME": str(base / "state")}
        demo = subprocess.Popen([sys.executable, "-m", "shared.cli", "demo"], env=env,
                                cwd=ROOT, stdout=subprocess.PIPE, text=True)
        try:
            assert demo.stdout is not None
            demo.stdout.readline()
            kiosk = base / "kiosk"
            for field, service in [
                ("Tư pháp – Chứng thực", "Chứng thực"),
                ("Tư pháp – Chứng thực", "Tư pháp – Hộ tịch"),
                ("Xã hội – Cư trú", "Cư trú – Khác"),
                ("Tư pháp – Chứng thực", "Chứng thực"),
                ("Tư pháp – Chứng thực", "Tư pháp – Hộ tịch"),
                ("Đất đai – Xây dựng", "Đất đai – Địa chính"),
                ("Tư pháp – Chứng thực", "Chứng thực"),
            ]:
                ask(kiosk, op="click", text=field)
                ask(kiosk, op="click", text=service)
                while field not in ask(kiosk, op="texts")["texts"]:  # type: ignore[operator]
                    time.sleep(0.3)  # the ticket page ignores a key in its first second
                    ask(kiosk, op="key", key="Escape")
            for counter in ("counter-1", "counter-2"):
                while not any("Đã kết nối" in text for text in
                              ask(base / counter, op="texts")["texts"]):  # type: ignore[attr-defined]
                    time.sleep(0.2)
                ask(base / counter, op="click", text="Gọi số tiếp theo")
            ask(kiosk, op="click", text="Xã hội – Cư trú")
            ask(kiosk, op="click", text="Lao động – Thương binh – Xã hội")
            time.sleep(1.5)  # let the highlight and the clock settle before the picture
            grab = ("from PySide6.QtGui import QGuiApplication\n"
                    "app = QGuiApplication([])\n"
                    f"app.primaryScreen().grabWindow(0).save({str(OUT)!r})\n")
            subprocess.run([sys.executable, "-c", grab], env=env, check=True)
            print(f"wrote {OUT}")
        finally:
            demo.send_signal(signal.SIGINT)
            demo.wait(timeout=60)
            xvfb.terminate()
            xvfb.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
