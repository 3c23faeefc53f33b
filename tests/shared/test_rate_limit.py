"""Allowances per key (``shared.core.rate_limit``): what a guesser meets, and what a
day of passing phones leaves behind."""

from __future__ import annotations

from shared.core.rate_limit import RateLimit


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_an_allowance_runs_out_and_others_keep_theirs() -> None:
    limit = RateLimit(120, clock=Clock())  # 10 at once, then 2 a second
    assert sum(limit.allows("10.0.0.5") for _ in range(30)) == 10
    assert limit.allows("10.0.0.6")


def test_keys_whose_allowance_is_whole_again_are_forgotten_when_there_are_many() -> None:
    clock = Clock()
    limit = RateLimit(120, keep=100, clock=clock)
    for i in range(99):
        limit.allows(f"10.0.{i // 250}.{i % 250}")  # phones passing by, one request each
    clock.now += 60  # a minute later their allowances are whole again
    for _ in range(10):
        limit.allows("10.9.9.9")  # a guesser, out of allowance
    limit.allows("10.8.8.8")  # one more key than kept: the whole ones are forgotten
    assert len(limit) == 2
    assert not limit.allows("10.9.9.9")  # the guesser is remembered, still held back
