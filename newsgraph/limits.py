"""Per-document limits: one hostile document must not hold a run for ever or take the machine's memory.

`within(limits, what)` runs a block under a wall-clock deadline and a cap on how much the process may grow while
it runs. A timer checks both a few times a second and raises DocumentLimitError inside the block, which the
pipeline records as that document's error before it goes on with the next. The timer is a process signal, so the
limits hold in a process's main thread (the local runner, its workers, a Spark task); elsewhere the block runs
unlimited.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType

__all__ = ["DEFAULT_LIMITS", "DocumentLimitError", "Limits", "resident_bytes", "within"]

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_TICK = 0.25  # seconds between checks


class DocumentLimitError(RuntimeError):
    """A document went over its time or memory limit (the message says which, and by how much)."""


@dataclass(frozen=True, slots=True)
class Limits:
    """seconds: wall-clock time per document; memory_mb: how much the process may grow while one document is
    worked on. None: no limit."""

    seconds: float | None = 120.0
    memory_mb: int | None = 2048


DEFAULT_LIMITS = Limits()


def resident_bytes() -> int:
    """The process's resident set size now (0 where /proc is not available)."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * _PAGE
    except (OSError, IndexError, ValueError):
        return 0


@contextmanager
def within(limits: Limits, what: str = "document") -> Iterator[None]:
    """Run the block under the limits; DocumentLimitError is raised inside it when one is passed."""
    if (limits.seconds is None and limits.memory_mb is None) or not _can_signal():
        yield
        return
    started, base = time.monotonic(), resident_bytes()

    def check(signum: int, frame: FrameType | None) -> None:
        elapsed = time.monotonic() - started
        if limits.seconds is not None and elapsed > limits.seconds:
            raise DocumentLimitError(f"{what} took over {limits.seconds:g} s (the time limit)")
        grown = resident_bytes() - base
        if limits.memory_mb is not None and base and grown > limits.memory_mb * 1024 * 1024:
            raise DocumentLimitError(f"{what} needed over {limits.memory_mb} MB (the memory limit)")

    previous = signal.signal(signal.SIGALRM, check)
    signal.setitimer(signal.ITIMER_REAL, _TICK, _TICK)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _can_signal() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
