"""Cost model of the two Hebbian kernels: seconds per attempt, setup and memory."""

from __future__ import annotations

import math
from dataclasses import dataclass

from statnn.dynamics.checks import check_temperature
from statnn.dynamics.flip_rates import expected_flip_rate
from statnn.dynamics.patterns import counts_dtype, padded_patterns
from statnn.validation import check_int


@dataclass(frozen=True)
class CostModel:
    """Cost coefficients (seconds) of the two Hebbian kernels; see ``kernel_costs``.

    Per attempt, with r the flip rate and b = 2r(1 − r) the rate of mispredicted flip
    branches (a flip is a coin the CPU cannot predict):

        cached fields:  t = cached_attempt + b · cached_branch + r · B · c,
        overlaps:       t = overlap_attempt + b · overlap_branch + P̃ (d + r · overlap_flip_pattern),

    B the bytes streamed per flip (a row of the counts K plus the sums f), c =
    ``cached_byte`` while the N² counts fit in ``cache_bytes`` (half the 32 MiB L3;
    ``cached_byte_dram`` beyond), P̃ = 64⌈P/64⌉ and d = ``overlap_pattern`` while the N·P̃
    patterns fit in ``cache_bytes`` (``overlap_pattern_dram`` beyond). Setup per run: N²
    ``sums_setup`` for the initial sums (cached fields; N·P̃ for the overlaps) and, unless
    the counts exist, ``build_word`` per popcount word (N² ⌈P/64⌉ / 2) to build them, shared
    by ``runs`` runs. Defaults: fitted on a 2-core AMD EPYC (Zen 5) VM by ``python -m
    statnn.bench calibrate``.
    """

    cached_attempt: float = 9.05e-9
    cached_branch: float = 23.7e-9
    cached_byte: float = 0.00544e-9
    cached_byte_dram: float = 0.022e-9
    overlap_attempt: float = 12.8e-9
    overlap_branch: float = 26.5e-9
    overlap_pattern: float = 0.0186e-9
    overlap_pattern_dram: float = 0.0729e-9
    overlap_flip_pattern: float = 0.0e-9
    sums_setup: float = 0.684e-9
    build_word: float = 0.504e-9
    cache_bytes: int = 16 * 2**20


#: The calibrated cost model used by ``choose_kernel``.
COST_MODEL = CostModel()


@dataclass(frozen=True)
class KernelCost:
    """Estimated cost of one Hebbian kernel: seconds per attempt, setup seconds per run
    (initial state and, amortised over the runs, building the couplings) and the bytes of
    couplings storage (patterns N·P int8, plus the N² counts for cached fields)."""

    kernel: str
    seconds_per_attempt: float
    setup_seconds: float
    memory_bytes: int

    def seconds(self, attempts: int) -> float:
        """Total estimated seconds for a run of ``attempts`` update attempts."""
        return self.setup_seconds + attempts * self.seconds_per_attempt


def cached_bytes_per_flip(n: int, p: int) -> int:
    """Bytes streamed per flip by the cached-field kernel: a counts row plus the sums.

    The sums are int16 when max_i Σ_j |K_ij| < 2¹⁵, estimated as N √(2P/π) · 1.1 (|K_ij| is
    a sum of P random signs).
    """
    k_bytes = counts_dtype(p).itemsize
    f_bytes = 2 if n * math.sqrt(2 * p / math.pi) * 1.1 < 2**15 else 4
    return n * (k_bytes + f_bytes)


def kernel_costs(
    n_neurons: int,
    n_patterns: int,
    temperature: float,
    flip_rate: float | None = None,
    runs: int = 1,
    build_counts: bool = True,
    model: CostModel = COST_MODEL,
) -> dict[str, KernelCost]:
    """Estimated cost of the "cached_fields" and "overlaps" kernels of a Hebbian network.

    ``flip_rate`` r (flips per attempt) defaults to ``expected_flip_rate(P/N, T)``; pass a
    measured one when known. ``runs`` runs share the N² counts, built only if
    ``build_counts``. The formulas are those of ``CostModel``.
    """
    N = check_int(n_neurons, "n_neurons", 1)
    P = check_int(n_patterns, "n_patterns", 0)
    T = check_temperature(temperature)
    runs = check_int(runs, "runs", 1)
    if flip_rate is None:
        r = expected_flip_rate(P / N, T)
    else:
        r = float(flip_rate)
        if not 0.0 <= r <= 1.0:
            raise ValueError(f"flip_rate must be in [0, 1], got {flip_rate!r}")
    Pp = padded_patterns(P)
    pattern_bytes = N * Pp
    k_bytes = N * N * counts_dtype(P).itemsize
    branch = 2 * r * (1 - r)
    per_byte = model.cached_byte if k_bytes <= model.cache_bytes else model.cached_byte_dram
    cached = (model.cached_attempt + branch * model.cached_branch
              + r * cached_bytes_per_flip(N, P) * per_byte)
    build = N * N * ((P + 63) // 64) / 2 * model.build_word if build_counts else 0.0
    d = model.overlap_pattern if pattern_bytes <= model.cache_bytes else model.overlap_pattern_dram
    overlap = (model.overlap_attempt + branch * model.overlap_branch
               + Pp * (d + r * model.overlap_flip_pattern))
    return {
        "cached_fields": KernelCost("cached_fields", cached,
                                    N * N * model.sums_setup + build / runs,
                                    k_bytes + pattern_bytes),
        "overlaps": KernelCost("overlaps", overlap, pattern_bytes * model.sums_setup,
                               pattern_bytes),
    }
