"""An unexpected error in a running screen: logged, said calmly, and the program goes on.

A kiosk, a counter or a hall display runs all day unattended; one bug in one slot
must not take it down, nor leave a citizen looking at a traceback. ``install`` sets
``sys.excepthook`` (Qt hands it every exception raised in a slot) and
``threading.excepthook`` (workers: speech, printing, zeroconf) so that the error is
logged with its traceback, and ``show`` gets one calm sentence on the GUI thread.

Imports QtCore only.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import threading
from collections.abc import Callable
from types import TracebackType
from typing import Final

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)

CALM_MESSAGE: Final = (
    "Có lỗi ngoài dự kiến; chương trình vẫn chạy. Chi tiết đã ghi vào nhật ký. / "
    "An unexpected error occurred; the program keeps running (details in the log)."
)


class _Messenger(QObject):
    """Carries the sentence to the GUI thread, whichever thread failed."""

    said = Signal(str)


def install(show: Callable[[str], None], parent: QObject | None = None) -> QObject:
    """Log every uncaught exception and call ``show(CALM_MESSAGE)`` on this thread.

    Returns the object that carries the messages (keep it alive with ``parent``).
    """
    messenger = _Messenger(parent)
    messenger.said.connect(show)

    def on_error(
        kind: type[BaseException], value: BaseException | None, trace: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt | SystemExit):
            sys.__excepthook__(kind, value or kind(), trace)
            return
        log.error("unexpected error; the program keeps running",
                  exc_info=(kind, value or kind(), trace))
        with contextlib.suppress(RuntimeError):  # the messenger is gone: closing down
            messenger.said.emit(CALM_MESSAGE)

    def on_thread_error(args: threading.ExceptHookArgs) -> None:
        on_error(args.exc_type, args.exc_value, args.exc_traceback)

    sys.excepthook = on_error
    threading.excepthook = on_thread_error
    return messenger
