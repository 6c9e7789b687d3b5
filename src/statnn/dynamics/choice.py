"""The choice between the two Hebbian kernels, by the cost model and a memory bound."""

from __future__ import annotations

from statnn.dynamics.costs import kernel_costs
from statnn.validation import check_int

#: The kernels of ``glauber_hebbian``; "auto" picks one with ``choose_kernel``.
KERNELS = ("cached_fields", "overlaps")

#: Default bound on the couplings storage (bytes) up to which "auto" considers the N × N
#: cached-field kernel: 512 MiB (N ≈ 23 000 with int8 counts, P ≤ 127; ≈ 16 000 with int16).
#: Beyond it the overlap kernel runs, whose memory grows like N·P.
DEFAULT_MEMORY_LIMIT = 2**29


def choose_kernel(
    n_neurons: int,
    n_patterns: int,
    temperature: float,
    flip_rate: float | None = None,
    memory_limit_bytes: int = DEFAULT_MEMORY_LIMIT,
    sweeps: int | None = None,
    runs: int = 1,
    build_counts: bool = True,
) -> str:
    """The cheaper Hebbian kernel, "cached_fields" or "overlaps", by ``kernel_costs``.

    Cached fields cost O(1) per attempt plus O(N) per flip and N² memory; overlaps O(P) per
    attempt and per flip and N·P memory. The cached-field kernel is considered only while
    its storage (N² counts + N·P patterns) is at most ``memory_limit_bytes``. With
    ``sweeps`` the comparison is of total time, setup included (building the counts, shared
    by ``runs`` runs, unless ``build_counts`` is False); without it, per attempt (long runs).
    Results never depend on the choice: both kernels give the same trajectory.
    """
    limit = check_int(memory_limit_bytes, "memory_limit_bytes", 0)
    costs = kernel_costs(n_neurons, n_patterns, temperature, flip_rate, runs, build_counts)
    if costs["cached_fields"].memory_bytes > limit:
        return "overlaps"
    if sweeps is None:
        key = {k: c.seconds_per_attempt for k, c in costs.items()}
    else:
        attempts = check_int(sweeps, "sweeps", 0) * int(n_neurons)
        key = {k: c.seconds(attempts) for k, c in costs.items()}
    return min(KERNELS, key=key.__getitem__)
