"""Background work: off the GUI thread, outcome back on it, exactly once."""

from __future__ import annotations

import threading

from PySide6.QtCore import QCoreApplication

from shared.qt.background import SynchronousRunner, ThreadPoolRunner


def test_work_runs_elsewhere_and_the_result_comes_back_on_the_gui_thread(qtbot) -> None:
    runner = ThreadPoolRunner()
    gui = threading.get_ident()
    seen: dict[str, object] = {}

    def work() -> int:
        seen["worker"] = threading.get_ident()
        return 42

    def done(result: int) -> None:
        seen["result"] = result
        seen["delivered_on"] = threading.get_ident()

    runner.run(work, done, lambda error: seen.setdefault("error", error))
    qtbot.waitUntil(lambda: "result" in seen, timeout=5000)
    assert seen["result"] == 42
    assert seen["worker"] != gui
    assert seen["delivered_on"] == gui
    assert QCoreApplication.instance() is not None


def test_a_failure_is_delivered_instead_of_a_result(qtbot) -> None:
    runner = ThreadPoolRunner()
    errors: list[Exception] = []

    def work() -> int:
        raise OSError("printer gone")

    runner.run(work, lambda _: errors.append(AssertionError("no result expected")), errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert [str(e) for e in errors] == ["printer gone"]


def test_the_synchronous_runner_delivers_at_once() -> None:
    results: list[int] = []
    SynchronousRunner().run(lambda: 7, results.append, lambda e: None)
    assert results == [7]
