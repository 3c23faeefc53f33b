"""Work off the GUI thread, with its outcome delivered back on the GUI thread.

Speech synthesis, printing and other slow calls run through a ``BackgroundRunner``;
``ThreadPoolRunner`` is the real one, ``SynchronousRunner`` runs at once for tests
and command-line tools. Nothing here touches a widget. Imports QtCore only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Protocol, TypeVar

from PySide6.QtCore import QObject, Qt, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

T = TypeVar("T")


class BackgroundRunner(Protocol):
    """Runs ``work`` off the GUI thread; then ``done(result)`` or ``failed(error)``
    on the GUI thread (exactly one of them, exactly once)."""

    def run(
        self,
        work: Callable[[], T],
        done: Callable[[T], None],
        failed: Callable[[Exception], None],
    ) -> None: ...


class SynchronousRunner:
    """Runs the work at once, on the caller's thread: for tests and command-line tools."""

    def run(
        self,
        work: Callable[[], T],
        done: Callable[[T], None],
        failed: Callable[[Exception], None],
    ) -> None:
        try:
            result = work()
        except Exception as problem:
            failed(problem)
            return
        done(result)


class ThreadPoolRunner(QObject):
    """Runs work on a QThreadPool; the outcome is delivered through a queued signal
    to this object's thread (create it on the GUI thread)."""

    _outcome = Signal(object)  # a callable to run on this object's thread

    def __init__(self, parent: QObject | None = None, *, max_threads: int = 1) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._outcome.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def run(
        self,
        work: Callable[[], T],
        done: Callable[[T], None],
        failed: Callable[[Exception], None],
    ) -> None:
        def task() -> None:
            try:
                result = work()
            except Exception as problem:
                self._outcome.emit(partial(failed, problem))
                return
            self._outcome.emit(partial(done, result))

        self._pool.start(task)

    def wait(self, msecs: int = -1) -> bool:
        """Block until the running work is done (for shutdown); True if it all finished."""
        return bool(self._pool.waitForDone(msecs))

    @Slot(object)
    def _deliver(self, outcome: Callable[[], None]) -> None:
        outcome()
