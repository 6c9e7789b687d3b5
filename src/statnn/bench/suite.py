"""Every Glauber kernel on a set of Hopfield cases, each in a fresh process.

    python -m statnn.bench suite [--quick] [--json]

Runs each case (N, α = P/N, T) with each kernel in a fresh subprocess, so that its peak
memory is its own: "reference", the cached-field kernel on a float64 J
(``dynamics.glauber(hebbian_couplings(ξ), ...)``, the hand-written kernel this suite
measures against); "cached_fields", the same kernel on exact integer counts N·J (int8/int16)
built from bit-packed patterns; "overlaps", the pattern-overlap kernel (N·P int8 patterns, no
N × N matrix). Each run starts from pattern 0 with 10% of its spins flipped; compilation is
not timed; the rate is the best of ``repeats`` identical runs (kernel time only), setup (the
couplings, the initial fields) is timed separately. Memory: the subprocess's peak resident
set (``ru_maxrss``: interpreter, numba and all) and the peak of numpy allocations traced by
``tracemalloc`` while the kernel's state is built and run. The integer kernels must end in
the same state (same trajectory); the float64 reference may differ by rounding only.
"auto" is the kernel ``glauber_hebbian`` would pick for that run (``choose_kernel``); its
ratio is the measured rate of that kernel over the reference's. A case is skipped for a
kernel whose couplings would exceed ``--memory-limit-gib``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import resource
import subprocess
import sys
import time
import tracemalloc

import numpy as np

from statnn import couplings, dynamics
from statnn.dynamics.patterns import counts_dtype
from statnn.loads import n_patterns
from statnn.memory import available_bytes
from statnn.rng import generator

__all__ = ["add_suite_parser", "format_table", "network", "run_case", "suite"]

KERNEL_ORDER = ("reference", "cached_fields", "overlaps")
FIXED_CASES = ((2000, 0.05, 0.5), (2000, 0.1, 0.1), (2000, 0.1, 1.5), (4000, 0.05, 0.5))
SIZE_SWEEP = (500, 1000, 2000, 5000, 10000, 20000, 50000)
SCALE_CASES = ((20000, 0.14, 0.5),)
CUE_NOISE = 0.1
GIB = 2**30


def _sweeps_for(n: int, quick: bool) -> int:
    """Sweeps per timed run: 200 up to N = 2000, then fewer (10 at N ≥ 20 000)."""
    table = ((2000, 200), (5000, 50), (10000, 20))
    for limit, sweeps in table:
        if n <= limit:
            return max(10, sweeps // (4 if quick else 1))
    return 10


def network(neurons: int, alpha: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """P = round(αN) random patterns of a case (stream (seed, "bench", "suite", N, α)) and
    the cue: pattern 0 with each spin flipped with probability 0.1."""
    p = n_patterns(alpha, neurons)
    rng = generator(seed, "bench", "suite", neurons, alpha)
    patterns = couplings.random_patterns(p, neurons, rng)
    cue = patterns[0].copy()
    cue[rng.random(neurons) < CUE_NOISE] *= -1
    return patterns, cue


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def run_case(neurons: int, alpha: float, temperature: float, sweeps: int, kernel: str,
             seed: int = 0, repeats: int = 3) -> dict:
    """One (case, kernel) measurement in this process (``suite`` runs it in a subprocess)."""
    patterns, cue = network(neurons, alpha, seed)
    # load the compiled setup helpers (same dtypes), untimed
    tiny_patterns = network(64, patterns.shape[0] / 64, seed)[0]
    if kernel == "reference":
        couplings.hebbian_couplings(tiny_patterns)
    else:
        tiny = dynamics.HebbianNetwork(tiny_patterns)
        if kernel == "cached_fields":
            tiny.counts()
    rss_before = _rss_mib()
    tracemalloc.start()
    t0 = time.perf_counter()
    if kernel == "reference":
        J = couplings.hebbian_couplings(patterns)

        def run(s):
            return dynamics.glauber(J, cue, temperature, s, seed, patterns=patterns[:1])
    else:
        net = dynamics.HebbianNetwork(patterns)
        if kernel == "cached_fields":
            net.counts()

        def run(s):
            return dynamics.glauber_hebbian(net, cue, temperature, s, seed, kernel=kernel,
                                            n_report=1)
    setup = time.perf_counter() - t0
    run(0)  # compile or load from the cache: untimed
    results = [run(sweeps) for _ in range(repeats)]
    traced_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    best = min(r.kernel_seconds for r in results)
    res = results[0]
    if any(not np.array_equal(r.spins, res.spins) for r in results):
        raise RuntimeError("runs from the same seed differ")
    return {
        "neurons": neurons,
        "patterns": patterns.shape[0],
        "alpha": alpha,
        "temperature": temperature,
        "kernel": kernel,
        "sweeps": sweeps,
        "attempts": res.attempts,
        "seconds": best,
        "attempts_per_second": res.attempts / best if best > 0 else math.inf,
        "seconds_per_sweep": best / sweeps if sweeps else 0.0,
        "setup_seconds": setup,
        "flips": res.flips,
        "flip_rate": res.flip_rate,
        "overlap": float(res.final_overlaps[0]),
        "state_hash": hashlib.sha1(res.spins.tobytes()).hexdigest()[:12],
        "peak_rss_mib": _rss_mib(),
        "rss_before_mib": rss_before,
        "traced_peak_mib": traced_peak / 2**20,
    }


def _subprocess_case(args: dict, timeout: float) -> dict:
    cmd = [sys.executable, "-m", "statnn.bench.suite", "--worker", json.dumps(args)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                          env=dict(os.environ))
    if proc.returncode != 0:
        raise RuntimeError(f"case {args} failed:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _skip_reason(kernel: str, n: int, p: int, limit: float) -> str | None:
    if kernel == "reference":
        need = 8 * n * n
        what = "float64 J (8N²)"
    elif kernel == "cached_fields":
        need = counts_dtype(p).itemsize * n * n + n * p
        what = f"{counts_dtype(p)} counts N²"
    else:
        need = n * p
        what = "int8 patterns N·P"
    if need > limit:
        return f"{what} = {need / GIB:.1f} GiB > limit {limit / GIB:.0f} GiB"
    return None


def _thread_check(quick: bool) -> dict:
    """retrieval_shard wall time with 1 and 2 threads (identical tables required)."""
    from statnn.hopfield import retrieval_shard, stored_patterns

    n, alpha = 2000, 0.1
    temps = [0.0, 0.3, 0.6, 0.9, 1.2, 1.5] if not quick else [0.3, 0.9, 1.2, 1.5]
    sweeps, replicas = (200 if not quick else 100), 2
    xi = [stored_patterns(n, n_patterns(alpha, n), 1, r) for r in range(replicas)]
    retrieval_shard(xi, alpha, temps[:1], 1, CUE_NOISE, 1, n_threads=2)  # warm up
    out = {}
    tables = {}
    for threads in (1, 2):
        t0 = time.perf_counter()
        tables[threads] = retrieval_shard(xi, alpha, temps, sweeps, CUE_NOISE, 1,
                                          n_threads=threads)
        out[f"seconds_{threads}_thread"] = time.perf_counter() - t0
    out["identical"] = bool(tables[1].equals(tables[2]))
    out["speedup"] = out["seconds_1_thread"] / out["seconds_2_thread"]
    out["shard"] = (f"N={n}, alpha={alpha}, {len(temps)} temperatures x {replicas} replicas "
                    f"x {sweeps} sweeps")
    return out


def suite(quick: bool = False, memory_limit_gib: float = 4.0, seed: int = 0,
          repeats: int = 5, log=None, cases=None, thread_check: bool = True) -> dict:
    """Run every case with every kernel (one subprocess each); return rows and summary.

    ``cases``: (group, N, α, T) tuples, group "fixed", "size" or "scale"; default the four
    fixed cases, the size sweep at α = 0.05, T = 0.5 and N = 20 000 at α = 0.14. A kernel
    whose storage exceeds ``memory_limit_gib`` or the memory available is skipped, with why.
    """
    limit = min(memory_limit_gib * GIB, available_bytes())  # never beyond what is free
    if cases is None:
        sizes = (500, 2000, 20000, 50000) if quick else SIZE_SWEEP
        cases = [("fixed", *c) for c in FIXED_CASES]
        cases += [("size", n, 0.05, 0.5) for n in sizes]
        cases += [("scale", *c) for c in SCALE_CASES]
    rows = []
    t_start = time.perf_counter()
    for group, n, alpha, T in cases:
        p = n_patterns(alpha, n)
        sweeps = _sweeps_for(n, quick)
        auto = dynamics.choose_kernel(n, p, T)  # long runs: per-attempt cost
        case_rows = []
        for kernel in KERNEL_ORDER:
            reason = _skip_reason(kernel, n, p, limit)
            if reason is None and group != "fixed" and kernel == "reference" and n > 20000:
                reason = "reference not run beyond N = 20000"
            row = {"group": group, "neurons": n, "patterns": p, "alpha": alpha,
                   "temperature": T, "kernel": kernel, "sweeps": sweeps, "auto": auto}
            if reason is not None:
                row["skipped"] = reason
            else:
                row.update(_subprocess_case(
                    {"neurons": n, "alpha": alpha, "temperature": T, "sweeps": sweeps,
                     "kernel": kernel, "seed": seed, "repeats": repeats}, timeout=600))
            if kernel != "reference":
                costs = dynamics.kernel_costs(n, p, T, row.get("flip_rate"))
                row["model_seconds_per_attempt"] = costs[kernel].seconds_per_attempt
            case_rows.append(row)
            print(f"  {group} N={n} P={p} T={T} {kernel}: "
                  f"{row.get('attempts_per_second', float('nan')):.3g} att/s "
                  f"{row.get('skipped', '')}", file=log or sys.stderr, flush=True)
        ref = next((r for r in case_rows if r["kernel"] == "reference" and "skipped" not in r),
                   None)
        done = {r["kernel"]: r for r in case_rows if "skipped" not in r}
        hashes = {done[k]["state_hash"] for k in ("cached_fields", "overlaps") if k in done}
        for r in case_rows:
            if "skipped" in r:
                continue
            r["ratio_to_reference"] = (r["attempts_per_second"] / ref["attempts_per_second"]
                                       if ref else None)
            r["same_state_as_integer_kernels"] = (len(hashes) == 1 and
                                                  r["state_hash"] in hashes)
        rows.extend(case_rows)
    summary = _summary(rows)
    if thread_check:
        summary["threads"] = _thread_check(quick)
    summary["suite_seconds"] = time.perf_counter() - t_start
    return {"rows": rows, "summary": summary}


def _summary(rows: list[dict]) -> dict:
    by = {(r["group"], r["neurons"], r["alpha"], r["temperature"], r["kernel"]): r
          for r in rows}
    ratios_auto, ratios_best = [], []
    for n, alpha, T in FIXED_CASES:
        ref = by.get(("fixed", n, alpha, T, "reference"))
        if not ref or "skipped" in ref:
            continue
        auto = by[("fixed", n, alpha, T, ref["auto"])]
        best = max(by[("fixed", n, alpha, T, k)]["attempts_per_second"]
                   for k in ("cached_fields", "overlaps"))
        ratios_auto.append(auto["attempts_per_second"] / ref["attempts_per_second"])
        ratios_best.append(best / ref["attempts_per_second"])
    out = {}
    if ratios_auto:
        out["geomean_auto_over_reference"] = float(np.exp(np.mean(np.log(ratios_auto))))
        out["geomean_best_over_reference"] = float(np.exp(np.mean(np.log(ratios_best))))
    big = [r for r in rows if r["group"] == "scale" and "skipped" not in r
           and r["kernel"] == "overlaps"]
    if big:
        out["scale_overlaps_peak_rss_mib"] = big[0]["peak_rss_mib"]
    huge = [r for r in rows if r["neurons"] == 50000 and r["kernel"] == "overlaps"
            and "skipped" not in r]
    if huge:
        out["n50000_overlaps_seconds"] = huge[0]["seconds"]
        out["n50000_overlaps_sweeps"] = huge[0]["sweeps"]
        out["n50000_overlaps_peak_rss_mib"] = huge[0]["peak_rss_mib"]
    consistent = [r.get("same_state_as_integer_kernels") for r in rows
                  if "skipped" not in r and r["kernel"] != "reference"]
    out["integer_kernels_identical"] = all(consistent)
    return out


def format_table(result: dict) -> str:
    """Markdown table of the suite rows and a summary."""
    head = ("| case | N | P | T | kernel | attempts/s | × reference | ms/sweep | model "
            "ms/sweep | flip rate | setup s | peak RSS MiB | traced MiB | auto |")
    lines = [head, "|" + "---|" * 14]
    for r in result["rows"]:
        case = {"fixed": "fixed", "size": "size sweep", "scale": "scale"}[r["group"]]
        pre = (f"| {case} | {r['neurons']} | {r['patterns']} | {r['temperature']} | "
               f"{r['kernel']} |")
        if "skipped" in r:
            lines.append(pre + f" skipped: {r['skipped']} | | | | | | | | {r['auto']} |")
            continue
        ratio = r.get("ratio_to_reference")
        ratio_s = f"{ratio:.2f}" if ratio is not None else "–"
        mark = " ←" if r["kernel"] == r["auto"] else ""
        model = r.get("model_seconds_per_attempt")
        model_s = f"{model * r['neurons'] * 1e3:.3g}" if model is not None else "–"
        lines.append(
            pre + f" {r['attempts_per_second']:.3g} | {ratio_s} |"
            f" {r['seconds_per_sweep'] * 1e3:.3g} | {model_s} | {r['flip_rate']:.3f} |"
            f" {r['setup_seconds']:.3g} | {r['peak_rss_mib']:.0f} | {r['traced_peak_mib']:.0f} |"
            f" {r['auto']}{mark} |"
        )
    s = result["summary"]
    lines.append("")
    if "geomean_auto_over_reference" in s:
        lines.append(f"geometric mean over the fixed cases, auto / reference: "
                     f"{s['geomean_auto_over_reference']:.2f}× (best kernel: "
                     f"{s['geomean_best_over_reference']:.2f}×)")
    if "scale_overlaps_peak_rss_mib" in s:
        lines.append(f"N = 20000, α = 0.14, overlaps: peak RSS "
                     f"{s['scale_overlaps_peak_rss_mib']:.0f} MiB")
    if "n50000_overlaps_seconds" in s:
        lines.append(f"N = 50000, α = 0.05, overlaps: {s['n50000_overlaps_sweeps']} sweeps in "
                     f"{s['n50000_overlaps_seconds']:.2f} s, peak RSS "
                     f"{s['n50000_overlaps_peak_rss_mib']:.0f} MiB")
    lines.append(f"integer kernels end in identical states: {s['integer_kernels_identical']}")
    t = s.get("threads")
    if t is not None:
        lines.append(f"retrieval_shard ({t['shard']}): {t['seconds_1_thread']:.2f} s on 1 "
                     f"thread, {t['seconds_2_thread']:.2f} s on 2 (×{t['speedup']:.2f}), "
                     f"identical tables: {t['identical']}")
    lines.append(f"suite wall time: {s['suite_seconds']:.0f} s")
    return "\n".join(lines)


def _suite_command(args: argparse.Namespace) -> dict | None:
    result = suite(quick=args.quick, memory_limit_gib=args.memory_limit_gib, seed=args.seed,
                   repeats=args.repeats)
    if args.json:
        return result
    print(format_table(result))
    return None


def add_suite_parser(sub) -> None:
    """Register the ``suite`` subcommand of ``python -m statnn.bench``."""
    s = sub.add_parser("suite", help="attempts/s and peak memory of every Glauber kernel")
    s.add_argument("--quick", action="store_true", help="fewer sizes and sweeps (~1 min)")
    s.add_argument("--json", action="store_true", help="print the rows as one JSON line")
    s.add_argument("--memory-limit-gib", type=float, default=4.0,
                   help="skip a kernel whose couplings need more (default 4)")
    s.add_argument("--repeats", type=int, default=5, help="timed runs per case, best kept")
    s.add_argument("--seed", type=int, default=0, help="non-negative integer seed")
    s.set_defaults(func=_suite_command)


def _worker_main(argv: list[str]) -> None:
    """``python -m statnn.bench.suite --worker JSON``: one ``run_case``, its row as JSON."""
    if len(argv) != 2 or argv[0] != "--worker":
        raise SystemExit("usage: python -m statnn.bench.suite --worker JSON")
    json.dump(run_case(**json.loads(argv[1])), sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    _worker_main(sys.argv[1:])
