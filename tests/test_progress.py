"""statnn.progress: lines every 30 s with units done, elapsed time and the time left."""

from __future__ import annotations

import threading
import time

from statnn import progress


class FakeClock:
    def __init__(self):
        self.t = 1000.0

    def __call__(self):
        return self.t


def test_lines_on_a_fake_clock():
    clock, lines = FakeClock(), []
    p = progress.Progress("alpha = 0.1", total=60, unit="runs", clock=clock, emit=lines.append)
    clock.t += 29.9
    assert not p.beat() and lines == []  # not yet 30 s
    clock.t += 0.1
    assert p.beat()
    assert lines == ["alpha = 0.1: 0/60 runs (0%), elapsed 30s, left unknown"]
    p.advance(24)  # 24 runs in 90 s: 36 left at 3.75 s each = 135 s
    clock.t += 60
    assert p.beat()
    assert lines[-1] == "alpha = 0.1: 24/60 runs (40%), elapsed 1m30s, left ~2m15s"
    clock.t += 10
    assert not p.beat() and len(lines) == 2  # the next one 30 s after the last


def test_duration():
    assert [progress.duration(s) for s in (0, 9.4, 59.6, 75, 3599, 3725)] == [
        "0s", "9s", "1m00s", "1m15s", "59m59s", "1h02m"]


def test_track_beats_without_units_finishing_and_counts_across_threads():
    """A heartbeat logs even while no unit is done; advance() from worker threads adds up."""
    lines: list[str] = []
    with progress.track("job", total=400, unit="points", every=0.05, emit=lines.append) as p:
        time.sleep(0.3)  # nothing done: still at least 2 beats
        beats = [line for line in lines if "0/400 points (0%)" in line]
        assert len(beats) >= 2, lines
        workers = [threading.Thread(target=lambda: [progress.advance() for _ in range(100)])
                   for _ in range(4)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        assert p.done == 400
    assert lines[-1].startswith("job: 400/400 points done in ")
    progress.advance()  # nothing tracked any more: no error, no effect
    assert p.done == 400


def test_the_long_loops_advance_the_tracked_job():
    """Hopfield runs, SK samples and capacity trials each count one unit."""
    from statnn.capacity import capacity_table
    from statnn.hopfield import retrieval_shard, stored_patterns
    from statnn.spin_glass import simulate_samples

    with progress.track("capacity", 6, "trials", emit=lambda _: None) as p:
        capacity_table(5, [1.0, 2.0], 3, seed=1, max_epochs=10)
    assert p.done == 2 * 3
    patterns = [stored_patterns(40, 2, 3, r) for r in range(2)]
    for threads in (1, 2):
        with progress.track("hopfield", 6, "runs", emit=lambda _: None) as p:
            retrieval_shard(patterns, 0.05, [0.0, 0.5, 1.0], 2, 0.1, 3, n_threads=threads)
        assert p.done == 2 * 3
    with progress.track("SK", 3, "samples", emit=lambda _: None) as p:
        simulate_samples(6, [0.5, 1.0], 3, 4, 5)
    assert p.done == 3
