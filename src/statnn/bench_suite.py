"""Kernel suite and cost-model calibration for Glauber dynamics of Hopfield networks.

    python -m statnn.bench suite [--quick] [--json]
    python -m statnn.bench calibrate

``suite`` runs each case (N, α = P/N, T) with each kernel in a fresh subprocess, so that its
peak memory is its own: "reference", the cached-field kernel on a float64 J
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

``calibrate`` measures the coefficients of ``dynamics.CostModel`` and the flip-rate table of
``dynamics.expected_flip_rate`` on this machine and prints them as JSON.
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

__all__ = ["add_suite_parsers", "calibrate", "run_case", "suite"]

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


def _network(neurons: int, alpha: float, seed: int):
    from statnn import couplings
    from statnn.rng import generator

    p = max(1, round(alpha * neurons))
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
    from statnn import couplings, dynamics

    patterns, cue = _network(neurons, alpha, seed)
    if kernel != "reference":  # load the compiled setup helpers (same dtypes), untimed
        tiny = dynamics.HebbianNetwork(_network(64, patterns.shape[0] / 64, seed)[0])
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
    cmd = [sys.executable, "-m", "statnn.bench_suite", "--worker", json.dumps(args)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                          env=dict(os.environ))
    if proc.returncode != 0:
        raise RuntimeError(f"case {args} failed:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _skip_reason(kernel: str, n: int, p: int, limit: float) -> str | None:
    from statnn.kernels_overlap import counts_dtype

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
    from statnn.hopfield import n_patterns, retrieval_shard, stored_patterns

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
    fixed cases, the size sweep at α = 0.05, T = 0.5 and N = 20 000 at α = 0.14.
    """
    from statnn import dynamics

    limit = memory_limit_gib * GIB
    if cases is None:
        sizes = (500, 2000, 20000, 50000) if quick else SIZE_SWEEP
        cases = [("fixed", *c) for c in FIXED_CASES]
        cases += [("size", n, 0.05, 0.5) for n in sizes]
        cases += [("scale", *c) for c in SCALE_CASES]
    rows = []
    t_start = time.perf_counter()
    for group, n, alpha, T in cases:
        p = max(1, round(alpha * n))
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


# --------------------------------------------------------------------------------------
# calibration of the cost model
# --------------------------------------------------------------------------------------


def _rate_point(net, cue, T, kernel, attempts, seed=0, repeats=3):
    from statnn import dynamics

    n = net.n_neurons
    sweeps = max(2, attempts // n)
    dynamics.glauber_hebbian(net, cue, T, 0, seed, kernel=kernel, n_report=1)
    res = [dynamics.glauber_hebbian(net, cue, T, sweeps, seed, kernel=kernel, n_report=1)
           for _ in range(repeats)]
    best = min(r.kernel_seconds for r in res)
    return best / res[0].attempts, res[0].flip_rate


def calibrate(quick: bool = False) -> dict:
    """Fit ``CostModel`` coefficients and measure the flip-rate table on this machine."""
    from scipy.optimize import nnls

    from statnn import dynamics
    from statnn.dynamics import _cached_bytes_per_flip, _coupling_sums
    from statnn.kernels_overlap import hebbian_counts_packed, neuron_major, padded_patterns

    model = dynamics.COST_MODEL
    temps = (0.0, 0.5, 1.0, 2.0)
    cached_cache, cached_dram, over_cache, over_dram = [], [], [], []
    budget = 5e5 if quick else 2e6
    for n, alpha in ((500, 0.03), (1000, 0.03), (1000, 0.1), (2000, 0.03), (2000, 0.1),
                     (3000, 0.03), (8000, 0.05), (12000, 0.05)):
        patterns, cue = _network(n, alpha, 0)
        net = dynamics.HebbianNetwork(patterns)
        net.counts()
        p = patterns.shape[0]
        for T in temps:
            t, r = _rate_point(net, cue, T, "cached_fields", int(budget / (1 + n / 2000)))
            row = (t, r, _cached_bytes_per_flip(n, p))
            in_cache = net.memory_bytes("cached_fields") - n * p <= model.cache_bytes
            (cached_cache if in_cache else cached_dram).append(row)
    for n, alpha in ((1000, 0.02), (1000, 0.25), (2000, 0.05), (2000, 0.1), (4000, 0.02),
                     (4000, 0.1), (10000, 0.02), (20000, 0.14), (50000, 0.05)):
        patterns, cue = _network(n, alpha, 0)
        net = dynamics.HebbianNetwork(patterns)
        p = patterns.shape[0]
        for T in temps:
            t, r = _rate_point(net, cue, T, "overlaps", int(budget / (1 + p / 200)))
            pp = padded_patterns(p)
            (over_cache if n * pp <= model.cache_bytes else over_dram).append((t, r, pp))
    # cached: t = a + 2r(1−r) m + r B c ; dram: (t − a − 2r(1−r) m) / (r B) = c'
    A = np.array([[1.0, 2 * r * (1 - r), r * b] for _, r, b in cached_cache])
    y = np.array([t for t, _, _ in cached_cache])
    (a_c, m_c, c_c), _ = nnls(A, y)
    c_dram = float(np.mean([(t - a_c - 2 * r * (1 - r) * m_c) / (r * b)
                            for t, r, b in cached_dram if r > 0.05]))
    # overlaps: t = a + 2r(1−r) m + P̃ d + r P̃ u ; dram: (t − a − 2r(1−r) m − r P̃ u) / P̃ = d'
    A = np.array([[1.0, 2 * r * (1 - r), p, r * p] for _, r, p in over_cache])
    y = np.array([t for t, _, _ in over_cache])
    (a_o, m_o, d_o, u_o), _ = nnls(A, y)
    d_dram = float(np.mean([(t - a_o - 2 * r * (1 - r) * m_o - r * p * u_o) / p
                            for t, r, p in over_dram]))
    # setup: popcount words of the counts build, initial sums per coupling
    patterns, cue = _network(4000, 0.05, 0)
    xi_nm = neuron_major(patterns)
    p = patterns.shape[0]
    hebbian_counts_packed(xi_nm[:64], p)
    t0 = time.perf_counter()
    K = hebbian_counts_packed(xi_nm, p)
    build = (time.perf_counter() - t0) / (4000**2 * ((p + 63) // 64) / 2)
    f = np.empty(4000, np.int16)
    _coupling_sums(K, cue, f)
    t0 = time.perf_counter()
    _coupling_sums(K, cue, f)
    sums = (time.perf_counter() - t0) / 4000**2
    return {
        "cost_model": {
            "cached_attempt": a_c, "cached_branch": m_c, "cached_byte": c_c,
            "cached_byte_dram": c_dram, "overlap_attempt": a_o, "overlap_branch": m_o,
            "overlap_pattern": d_o,
            "overlap_pattern_dram": d_dram, "overlap_flip_pattern": u_o,
            "sums_setup": sums, "build_word": build,
        },
        "flip_rates": _flip_rate_table(),
    }


def _flip_rate_table() -> dict:
    """Flip rates from a cue at overlap 0.8, 40 sweeps, N = 2000, on the model's grid."""
    from statnn import dynamics

    rates = []
    for alpha in dynamics._FLIP_ALPHAS:
        patterns, cue = _network(2000, float(alpha), 0)
        net = dynamics.HebbianNetwork(patterns)
        rates.append([round(dynamics.glauber_hebbian(net, cue, float(T), 40, 0,
                                                     n_report=1).flip_rate, 3)
                      for T in dynamics._FLIP_TEMPERATURES])
    return {"alphas": dynamics._FLIP_ALPHAS.tolist(),
            "temperatures": dynamics._FLIP_TEMPERATURES.tolist(), "rates": rates}


# --------------------------------------------------------------------------------------
# command line
# --------------------------------------------------------------------------------------


def _suite_command(args: argparse.Namespace) -> dict | None:
    result = suite(quick=args.quick, memory_limit_gib=args.memory_limit_gib, seed=args.seed,
                   repeats=args.repeats)
    if args.json:
        return result
    print(format_table(result))
    return None


def _calibrate_command(args: argparse.Namespace) -> dict:
    return calibrate(quick=args.quick)


def add_suite_parsers(sub) -> None:
    """Register the ``suite`` and ``calibrate`` subcommands of ``python -m statnn.bench``."""
    s = sub.add_parser("suite", help="attempts/s and peak memory of every Glauber kernel")
    s.add_argument("--quick", action="store_true", help="fewer sizes and sweeps (~1 min)")
    s.add_argument("--json", action="store_true", help="print the rows as one JSON line")
    s.add_argument("--memory-limit-gib", type=float, default=4.0,
                   help="skip a kernel whose couplings need more (default 4)")
    s.add_argument("--repeats", type=int, default=5, help="timed runs per case, best kept")
    s.add_argument("--seed", type=int, default=0, help="non-negative integer seed")
    s.set_defaults(func=_suite_command)
    c = sub.add_parser("calibrate", help="fit the kernel cost model on this machine")
    c.add_argument("--quick", action="store_true", help="shorter timing runs")
    c.set_defaults(func=_calibrate_command)


def _worker_main(argv: list[str]) -> None:
    if len(argv) != 2 or argv[0] != "--worker":
        raise SystemExit("usage: python -m statnn.bench_suite --worker JSON")
    json.dump(run_case(**json.loads(argv[1])), sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    _worker_main(sys.argv[1:])
