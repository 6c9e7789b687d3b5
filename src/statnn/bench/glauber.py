"""One Glauber kernel on a Hopfield network against a plain numpy loop, one JSON line.

    python -m statnn.bench glauber --neurons 2000 --alpha 0.05 --temperature 0.5 \\
        --sweeps 200 --seed 0

Builds Hebbian couplings from P = round(αN) random patterns (``--couplings``: integer counts
N·J in int8 with scale 1/N, the default, or a float32 / float64 J; with counts, ``--kernel``
picks the cached-field kernel (default), the pattern-overlap kernel or "auto",
``dynamics.glauber_hebbian``'s choice), starts from pattern 0 with 10% of its spins flipped,
compiles the kernel first (compilation is not timed), times the kernel (best of
``--repeats`` runs from the same start, which give identical trajectories) and a plain
Python/numpy reference loop doing one dot product J[i] @ S per update attempt on the same
random stream (float J: float64 for counts, the given dtype otherwise), and prints both
rates and their ratio ``speedup``. ``reference_agrees`` says whether the kernel reproduced
the reference's final state.
"""

from __future__ import annotations

import math
import sys
import time

import numpy as np

from statnn import couplings, dynamics, observables
from statnn.bench import keyword_command, nonnegative_float, positive_int
from statnn.loads import n_patterns
from statnn.memory import InsufficientMemoryError, largest_n, require_memory
from statnn.rng import generator

__all__ = ["add_glauber_parser", "bench_glauber", "reference_glauber"]

CUE_NOISE = 0.1


def reference_glauber(
    J: np.ndarray,
    spins: np.ndarray,
    temperature: float,
    indices: np.ndarray,
    uniforms: np.ndarray,
    time_budget: float = math.inf,
) -> tuple[np.ndarray, int, int, float]:
    """Plain Python/numpy Glauber loop: one dot product J[i] @ S per attempt.

    Follows the (index, uniform) stream given (``dynamics.attempt_stream``) with the rule
    "up iff u < 1/(1 + exp(−2β J[i]·S))" (sign at T = 0). Stops after the stream or, checked
    every 1000 attempts, once ``time_budget`` seconds have passed. Returns (spins, flips,
    attempts done, seconds).
    """
    S = spins.astype(J.dtype)
    two_beta = 2.0 / temperature if temperature > 0 else math.inf
    flips = 0
    done = 0
    t0 = time.perf_counter()
    for a in range(indices.shape[0]):
        i = indices[a]
        f = float(J[i] @ S)
        if temperature == 0:
            new = 1.0 if f > 0 else (-1.0 if f < 0 else S[i])
        else:
            x = two_beta * f
            p = 1.0 / (1.0 + math.exp(-x)) if x >= 0 else 1.0 - 1.0 / (1.0 + math.exp(x))
            new = 1.0 if uniforms[a] < p else -1.0
        if new != S[i]:
            S[i] = new
            flips += 1
        done += 1
        if done % 1000 == 0 and time.perf_counter() - t0 > time_budget:
            break
    return S.astype(np.int8), flips, done, time.perf_counter() - t0


def bench_glauber(
    neurons: int,
    alpha: float,
    temperature: float,
    sweeps: int,
    seed: int,
    couplings_form: str = "counts",
    repeats: int = 5,
    reference_seconds: float = 1.5,
    kernel: str = "cached_fields",
    reference: bool = True,
) -> dict:
    """Time ``dynamics.glauber`` (or, for ``kernel`` "overlaps"/"auto",
    ``dynamics.glauber_hebbian``) on a Hopfield network and compare with the numpy loop.

    The reference needs a dense float64 J (8 N² bytes): with ``reference`` False, or when
    that does not fit in memory (said on stderr), it is skipped and its fields are None.
    """
    if not 0 < alpha <= 1:
        raise ValueError(f"alpha must be in (0, 1], got {alpha!r}")
    if kernel not in ("cached_fields", "overlaps", "auto"):
        raise ValueError(f"kernel must be 'cached_fields', 'overlaps' or 'auto', got {kernel!r}")
    if kernel != "cached_fields" and couplings_form != "counts":
        raise ValueError(f"kernel {kernel!r} runs on Hebbian counts: use --couplings counts")
    p = n_patterns(alpha, neurons)
    rng = generator(seed, "bench", "glauber", neurons, alpha)
    patterns = couplings.random_patterns(p, neurons, rng)
    if couplings_form not in ("counts", "float32", "float64"):
        raise ValueError(f"couplings must be 'counts', 'float32' or 'float64', "
                         f"got {couplings_form!r}")
    # the reference loop runs on float64 J: 8 N² bytes unless the float64 J exists anyway
    reference = reference and _reference_fits(neurons, couplings_form)
    network = dynamics.HebbianNetwork(patterns) if couplings_form == "counts" else None
    if couplings_form == "counts":  # integer N·J, int8 rows, exact integer fields
        K, scale = (couplings.hebbian_counts(patterns) if kernel == "cached_fields"
                    else None), 1.0 / neurons
        J = couplings.hebbian_couplings(patterns) if reference else None
    else:
        J = couplings.hebbian_couplings(patterns, dtype=np.dtype(couplings_form))
        K, scale = J, 1.0
    cue = patterns[0].copy()
    cue[rng.random(neurons) < CUE_NOISE] *= -1

    def simulate(s):
        if kernel != "cached_fields":
            return dynamics.glauber_hebbian(network, cue, temperature, s, seed, kernel=kernel,
                                            n_report=1)
        return dynamics.glauber(K, cue, temperature, s, seed, patterns=patterns[:1],
                                coupling_scale=scale)

    # compile (or load from the cache) the exact kernel signature with a 0-sweep run, untimed
    simulate(0)
    results = [simulate(sweeps) for _ in range(repeats)]
    run = results[0]
    if any(not np.array_equal(r.spins, run.spins) for r in results):
        raise RuntimeError("kernel runs from the same seed differ")
    times = sorted(r.kernel_seconds for r in results)
    seconds = times[0]
    energy = (network.energy_per_neuron(run.spins) if network is not None
              else float(observables.energy_per_neuron(J, run.spins)))

    ref_attempts = ref_seconds = ref_rate = agrees = None
    if reference:  # same stream, as many attempts as fit in the time budget
        idx, uni = dynamics.attempt_stream(seed, neurons, sweeps * neurons)
        ref_spins, _, ref_attempts, ref_seconds = reference_glauber(
            J, cue, temperature, idx, uni, time_budget=reference_seconds
        )
        ref_rate = ref_attempts / ref_seconds
        ref_sweeps = ref_attempts // neurons
        if ref_sweeps > 0:  # the kernel must reproduce the reference trajectory
            done = ref_sweeps * neurons  # float64 J: the kernel's field values, up to rounding
            ref_spins, _, _, _ = reference_glauber(
                J.astype(np.float64, copy=False), cue, temperature, idx[:done], uni[:done]
            )
            short = simulate(ref_sweeps)
            agrees = bool(np.array_equal(short.spins, ref_spins))
    rate = run.attempts / seconds
    return {
        "kernel": "glauber",
        "glauber_kernel": run.kernel,
        "couplings": couplings_form,
        "coupling_dtype": str(K.dtype) if K is not None else "int8 patterns (N·P)",
        "reference_dtype": str(J.dtype) if reference else None,
        "neurons": neurons,
        "patterns": p,
        "alpha": p / neurons,
        "temperature": temperature,
        "sweeps": sweeps,
        "seed": seed,
        "attempts": run.attempts,
        "flips": run.flips,
        "repeats": repeats,
        "seconds": seconds,
        "seconds_median": times[len(times) // 2],
        "attempts_per_second": rate,
        "overlap": float(run.final_overlaps[0]),
        "time_averaged_overlap": float(run.time_averaged_overlap[0]),
        "energy_per_neuron": energy,
        "flip_rate": run.flip_rate,
        "reference_attempts": ref_attempts,
        "reference_seconds": ref_seconds,
        "reference_attempts_per_second": ref_rate,
        "reference_agrees": agrees,
        "speedup": rate / ref_rate if reference else None,
    }


def _reference_fits(neurons: int, couplings_form: str) -> bool:
    """Whether the reference's float64 J fits (8 N² bytes, none for a float64 benchmark J,
    which it shares); if not, say so on stderr."""
    need = 0 if couplings_form == "float64" else 8 * neurons**2
    try:
        require_memory(f"the numpy reference (N = {neurons}, dense float64 J)", need,
                       f"it runs for N <= {largest_n(8)}; --no-reference skips it")
    except InsufficientMemoryError as err:
        print(f"statnn.bench glauber: skipping the numpy reference: {err}", file=sys.stderr)
        return False
    return True


def add_glauber_parser(sub) -> None:
    """Register the ``glauber`` subcommand of ``python -m statnn.bench``."""
    g = sub.add_parser("glauber", help="Glauber kernel on a Hopfield network vs a numpy loop")
    g.add_argument("--neurons", type=positive_int, default=2000, help="N (default 2000)")
    g.add_argument("--alpha", type=float, default=0.05, help="load P/N in (0, 1]")
    g.add_argument("--temperature", type=nonnegative_float, default=0.5, help="T >= 0")
    g.add_argument("--sweeps", type=positive_int, default=200, help="sweeps of N attempts")
    g.add_argument("--seed", type=int, default=0, help="non-negative integer seed")
    g.add_argument("--couplings", dest="couplings_form",
                   choices=("counts", "float32", "float64"), default="counts",
                   help="J as integer Hebbian counts N·J (int8, scale 1/N; default) or as "
                        "float32/float64 matrices; the reference uses float64 for counts")
    g.add_argument("--kernel", choices=("cached_fields", "overlaps", "auto"),
                   default="cached_fields",
                   help="with --couplings counts: cached local fields (default), pattern "
                        "overlaps (N·P memory) or the automatic choice")
    g.add_argument("--repeats", type=positive_int, default=5, help="kernel timings, best kept")
    g.add_argument("--reference-seconds", type=nonnegative_float, default=1.5,
                   help="time budget of the numpy reference loop")
    g.add_argument("--no-reference", dest="reference", action="store_false",
                   help="skip the numpy reference loop (it needs a dense float64 J, 8 N² "
                        "bytes; skipped with a message anyway when that does not fit)")
    g.set_defaults(func=keyword_command(bench_glauber))
