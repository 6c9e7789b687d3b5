"""Memory guard: allocations that grow with N² or N·P are refused, with one message, before
they are made; commands exit non-zero with that message, never with a signal or a traceback.

The refusals run in subprocesses under a lowered address-space limit (RLIMIT_AS, as
`ulimit -v` sets it): without the guard they would die in the allocator (MemoryError
traceback, or a signal inside a library).
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from statnn import memory

LIMIT_BYTES = 1_500_000_000  # address space of the child processes below (ulimit -v)


def run_limited(args: list[str], limit: int = LIMIT_BYTES, env: dict | None = None):
    """Run ``python args`` with RLIMIT_AS = ``limit`` and one BLAS thread."""

    def lower_limit():
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    child_env = {k: v for k, v in os.environ.items() if k != memory.ENV_LIMIT}
    child_env.update(OPENBLAS_NUM_THREADS="1", **(env or {}))
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=300,
                          preexec_fn=lower_limit, env=child_env)


def test_message_names_request_need_available_and_what_fits(monkeypatch):
    monkeypatch.setenv(memory.ENV_LIMIT, "1M")
    assert memory.available_bytes() == 2**20
    with pytest.raises(MemoryError) as err:
        memory.require_memory("thing (N = 7)", 3 * 2**20, "N <= 3 fits")
    text = str(err.value)
    assert isinstance(err.value, memory.InsufficientMemoryError)
    assert "thing (N = 7) needs 3.1 MB (3145728 bytes)" in text
    assert "1.0 MB (1048576 bytes) are available" in text
    assert text.endswith("; N <= 3 fits")
    memory.require_memory("small", 2**20)  # exactly what is available: allowed


@pytest.mark.parametrize(("raw", "value"), [("4096", 4096), ("2k", 2048), ("3G", 3 * 2**30),
                                            ("1.5M", 1.5 * 2**20), ("7TB", 7 * 2**40)])
def test_env_limit_sizes(monkeypatch, raw, value):
    monkeypatch.setenv(memory.ENV_LIMIT, raw)
    assert memory._env_limit() == value
    assert memory.available_bytes() == min(value, memory._physical_available())


@pytest.mark.parametrize("raw", ["lots", "-5", "0"])
def test_bad_env_limit_is_named(monkeypatch, raw):
    monkeypatch.setenv(memory.ENV_LIMIT, raw)
    with pytest.raises(ValueError, match=memory.ENV_LIMIT):
        memory.available_bytes()


def test_largest_n_is_the_largest_that_fits():
    assert memory.largest_n(8, have=8 * 1000**2) == 1000
    assert memory.largest_n(8, have=8 * 1000**2 - 1) == 999


def test_address_space_limit_is_seen():
    """Under RLIMIT_AS the available bytes are what the limit leaves above the process."""
    code = ("from statnn import memory; import resource; "
            "print(memory.available_bytes(), resource.getrlimit(resource.RLIMIT_AS)[0])")
    proc = run_limited(["-c", code])
    assert proc.returncode == 0, proc.stderr
    have, limit = map(float, proc.stdout.split())
    assert limit == LIMIT_BYTES
    assert 0 < have < LIMIT_BYTES


def test_large_bench_is_refused_with_a_message_not_a_crash():
    """The command from issue 16 (N = 50,000 reference and cached-field counts)."""
    proc = run_limited(["-m", "statnn.bench", "glauber", "--neurons", "50000", "--alpha",
                        "0.05", "--temperature", "0.5", "--sweeps", "10", "--seed", "1"])
    assert proc.returncode == 3, (proc.returncode, proc.stderr[-3000:])
    assert "Traceback" not in proc.stderr
    assert "skipping the numpy reference" in proc.stderr
    refusal = [line for line in proc.stderr.splitlines() if "refused" in line]
    assert len(refusal) == 1, proc.stderr
    assert "N = 50000" in refusal[0] and "needs 5.0 GB (5000000000 bytes)" in refusal[0]
    assert "are available" in refusal[0] and "kernel='overlaps'" in refusal[0]
    assert proc.stdout == ""


def test_large_bench_runs_where_it_fits():
    """Same size on the overlap kernel (N·P memory): the reference is skipped, with the
    message, and the kernel runs."""
    proc = run_limited(["-m", "statnn.bench", "glauber", "--neurons", "50000", "--alpha",
                        "0.05", "--temperature", "0.5", "--sweeps", "2", "--seed", "1",
                        "--kernel", "overlaps", "--repeats", "1"])
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "skipping the numpy reference" in proc.stderr and "--no-reference" in proc.stderr
    assert '"glauber_kernel": "overlaps"' in proc.stdout
    assert '"reference_agrees": null' in proc.stdout


API_CALLS = textwrap.dedent("""
    import numpy as np
    from statnn import couplings, dynamics
    from statnn.memory import InsufficientMemoryError
    from statnn.rng import generator

    N, P = 50000, 100
    xi = couplings.random_patterns(P, N, generator(1, "memory-test"))
    cue = xi[0].copy()
    calls = {
        "hebbian_couplings": lambda: couplings.hebbian_couplings(xi),
        "hebbian_counts": lambda: couplings.hebbian_counts(xi),
        "sk_couplings": lambda: couplings.sherrington_kirkpatrick_couplings(
            N, generator(1, "sk")),
        "glauber_hebbian_cached": lambda: dynamics.glauber_hebbian(
            xi, cue, 0.0, 1, 0, kernel="cached_fields"),
        "glauber_converted_copy": lambda: dynamics.glauber(
            np.zeros((16000, 16000), np.float16), np.ones(16000), 0.5, 1, 0),
        "hebbian_network": lambda: dynamics.HebbianNetwork(
            np.ones((12000, 100000), np.int8)),
        "recorded_spins": lambda: dynamics.glauber_hebbian(
            xi[:, :2000], cue[:2000], 0.5, 10**6, 0, kernel="overlaps", record_every=1,
            record_spins=True),
        "parallel_tempering_records": lambda: dynamics.parallel_tempering(
            np.zeros((10, 10)), [0.5, 1.0], 10**9, 0),
    }
    for name, call in calls.items():
        try:
            call()
        except InsufficientMemoryError as err:
            print(name, "REFUSED", str(err).replace("\\n", " "))
        else:
            print(name, "RAN")
    # what fits still runs: the automatic kernel avoids the N² counts
    r = dynamics.glauber_hebbian(xi, cue, 0.0, 1, 0)
    print("auto", r.kernel, r.final_overlaps[0])
""")


def test_api_calls_refused_under_a_small_limit_and_fitting_ones_run():
    proc = run_limited(["-c", API_CALLS], limit=2_500_000_000)
    assert proc.returncode == 0, proc.stderr[-3000:]
    lines = dict(line.split(" ", 1) for line in proc.stdout.splitlines())
    for name in ("hebbian_couplings", "hebbian_counts", "sk_couplings",
                 "glauber_hebbian_cached", "glauber_converted_copy", "hebbian_network",
                 "recorded_spins", "parallel_tempering_records"):
        assert lines[name].startswith("REFUSED"), (name, lines[name])
        assert "needs" in lines[name] and "are available" in lines[name], lines[name]
    assert "N = 50000" in lines["hebbian_couplings"]
    assert "kernel='overlaps'" in lines["glauber_hebbian_cached"]
    kernel, overlap = lines["auto"].split()
    assert kernel == "overlaps" and float(overlap) == 1.0


def test_fitting_sizes_are_not_refused():
    """The guards leave ordinary sizes alone (same results as without them)."""
    from statnn import couplings, dynamics
    from statnn.rng import generator

    xi = couplings.random_patterns(5, 200, generator(2, "fits"))
    x = xi.astype(np.float64)
    expected = x.T @ x / 200
    np.fill_diagonal(expected, 0.0)
    assert np.array_equal(couplings.hebbian_couplings(xi), expected)
    run = dynamics.glauber_hebbian(xi, xi[0], 0.0, 3, 0, kernel="cached_fields")
    assert run.final_overlaps[0] == 1.0
