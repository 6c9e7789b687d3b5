"""Progress of long jobs in their logs: units done, elapsed time, estimated time left.

A script wraps its long call in ``with track("alpha = 0.1", total=60, unit="runs"):``; the
engine's loops call ``advance()`` after each unit (a no-op when nothing is tracked). A
heartbeat thread logs a line every ``every`` seconds (30 s by default) whether or not a unit
finished, so a job longer than that never stays silent:

    alpha = 0.1: 24/60 runs (40%), elapsed 1m30s, left ~2m15s

The estimate assumes a constant rate: left = elapsed × (total − done) / done.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

log = logging.getLogger("statnn")

EVERY_S = 30.0


def duration(seconds: float) -> str:
    """``75`` -> ``1m15s``, ``3725`` -> ``1h02m``, ``9.4`` -> ``9s``."""
    s = int(round(seconds))
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m{s % 60:02d}s"
    return f"{s // 3600}h{s % 3600 // 60:02d}m"


class Progress:
    """Counts units of a job and says how far it is (thread-safe)."""

    def __init__(self, label: str, total: int, unit: str = "units", every: float = EVERY_S,
                 clock: Callable[[], float] = time.monotonic,
                 emit: Callable[[str], None] | None = None):
        self.label, self.total, self.unit, self.every = label, int(total), unit, float(every)
        self.clock, self.emit = clock, emit or log.info
        self.done = 0
        self.start = self.last = clock()
        self._lock = threading.Lock()

    def advance(self, n: int = 1) -> None:
        with self._lock:
            self.done += n

    def line(self, now: float | None = None) -> str:
        now = self.clock() if now is None else now
        elapsed = now - self.start
        with self._lock:
            done = self.done
        pct = f" ({100 * done / self.total:.0f}%)" if self.total else ""
        left = (f"left ~{duration(elapsed * (self.total - done) / done)}" if done
                else "left unknown")
        return (f"{self.label}: {done}/{self.total} {self.unit}{pct}, "
                f"elapsed {duration(elapsed)}, {left}")

    def beat(self) -> bool:
        """Log a line if ``every`` seconds passed since the last one; True if it did."""
        now = self.clock()
        if now - self.last < self.every:
            return False
        self.last = now
        self.emit(self.line(now))
        return True


_current: list[Progress] = []


def advance(n: int = 1) -> None:
    """``n`` more units of the tracked job are done (nothing is tracked: no-op)."""
    if _current:
        _current[-1].advance(n)


@contextmanager
def track(label: str, total: int, unit: str = "units", every: float = EVERY_S,
          clock: Callable[[], float] = time.monotonic,
          emit: Callable[[str], None] | None = None) -> Iterator[Progress]:
    """Track a job: a heartbeat thread logs its progress every ``every`` s; a last line at
    the end says how long it took."""
    p = Progress(label, total, unit, every, clock, emit)
    stop = threading.Event()

    def heartbeat() -> None:
        while not stop.wait(min(1.0, p.every)):
            p.beat()

    thread = threading.Thread(target=heartbeat, name="statnn-progress", daemon=True)
    _current.append(p)
    thread.start()
    try:
        yield p
    finally:
        stop.set()
        thread.join()
        _current.remove(p)
        p.emit(f"{p.label}: {p.done}/{p.total} {p.unit} done in "
               f"{duration(p.clock() - p.start)}")
