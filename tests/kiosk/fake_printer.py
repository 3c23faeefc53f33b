"""A network receipt printer on 127.0.0.1 for the kiosk's tests: a real TCP server in a
thread that records every connection's bytes and answers ESC/POS real-time status
questions (DLE EOT n) with "all is well", as a healthy printer does."""

from __future__ import annotations

import contextlib
import socket
import threading

ESC_INIT, RASTER, CUT = b"\x1b@", b"\x1dv0", b"\x1dV"
STATUS_QUESTION = b"\x10\x04"
HEALTHY = b"\x12"  # DLE EOT 1, 2 and 4 all answer 0x12 when nothing is wrong


class FakePrinter:
    """Listens on ``port`` (0: any free one); ``connections`` holds what each sent."""

    def __init__(self, port: int = 0) -> None:
        self.server = socket.create_server(("127.0.0.1", port))
        self.port = int(self.server.getsockname()[1])
        self.connections: list[bytes] = []
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self._accepting = threading.Thread(target=self._accept, daemon=True)
        self._accepting.start()

    @property
    def jobs(self) -> list[bytes]:
        """Finished connections that carried a print job (not a status question)."""
        with self._lock:
            return [data for data in self.connections if data.startswith(ESC_INIT)]

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.server.shutdown(socket.SHUT_RDWR)
        self.server.close()
        self._accepting.join(5)
        for thread in self._threads:
            thread.join(5)

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            thread = threading.Thread(target=self._serve, args=(connection,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, connection: socket.socket) -> None:
        received = bytearray()
        with connection:
            connection.settimeout(10)
            try:
                while chunk := connection.recv(65536):
                    received += chunk
                    if not received.startswith(ESC_INIT):  # a status probe, not a job
                        for _ in range(chunk.count(STATUS_QUESTION)):
                            connection.sendall(HEALTHY)
            except OSError:
                pass
        with self._lock:
            self.connections.append(bytes(received))
