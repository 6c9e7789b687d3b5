"""Memory guard: refuse an allocation that cannot fit before making it.

Arrays that grow with N² (dense couplings, Hebbian counts) or N·P (patterns) are the ones
that can exhaust a machine: a float64 J at N = 50,000 is 20 GB. Every entry point that makes
one calls ``require_memory`` with its estimate first, and gets one clear message instead of
a crash in the allocator (or a SIGSEGV inside BLAS):

    glauber couplings (N = 50000) need 20.0 GB (20000000000 bytes) but 1.2 GB (...) are
    available; use kernel='overlaps' (N·P memory), or N <= 12247

The bytes available are the smallest of
- 80 % of the physical memory the kernel reports free for new allocations
  (``MemAvailable`` in /proc/meminfo, else ``os.sysconf`` pages): the rest is headroom for
  the temporaries and the other processes an estimate does not see,
- what the address-space limit (``ulimit -v``, RLIMIT_AS) leaves above the process's
  current virtual size, and
- ``STATNN_MEMORY_LIMIT`` (bytes, or with a suffix K, M, G, T: ``STATNN_MEMORY_LIMIT=4G``),
  the documented way to cap statnn below what the machine has.
"""

from __future__ import annotations

import math
import os
import resource

__all__ = [
    "InsufficientMemoryError",
    "available_bytes",
    "format_bytes",
    "largest_n",
    "require_memory",
]

ENV_LIMIT = "STATNN_MEMORY_LIMIT"
_SUFFIX = {"": 1, "K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}


class InsufficientMemoryError(MemoryError):
    """An allocation refused before it was made; the message says what would fit."""


def format_bytes(n: float) -> str:
    """'20.0 GB (20000000000 bytes)': decimal units, then the exact count."""
    for unit, size in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= size:
            return f"{n / size:.1f} {unit} ({int(n)} bytes)"
    return f"{int(n)} bytes"


def _env_limit() -> float:
    raw = os.environ.get(ENV_LIMIT, "").strip()
    if not raw:
        return math.inf
    number, suffix = raw.upper().rstrip("B"), ""
    if number and number[-1] in _SUFFIX:
        number, suffix = number[:-1], number[-1]
    try:
        value = float(number) * _SUFFIX[suffix]
    except ValueError:
        raise ValueError(f"{ENV_LIMIT}={raw!r} is not a size (bytes, or e.g. 512M, 4G)") from None
    if not value > 0:
        raise ValueError(f"{ENV_LIMIT}={raw!r} must be > 0")
    return value


def _proc_kib(path: str, key: str) -> float | None:
    """The 'key:  N kB' entry of a /proc file, in bytes (None when absent or unreadable)."""
    try:
        with open(path) as fh:
            for line in fh:
                if line.startswith(key + ":"):
                    return float(line.split()[1]) * 1024
    except OSError:
        pass
    return None


PHYSICAL_FRACTION = 0.8


def _physical_available() -> float:
    found = _proc_kib("/proc/meminfo", "MemAvailable")
    if found is not None:
        return PHYSICAL_FRACTION * found
    try:
        return PHYSICAL_FRACTION * os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return math.inf


def _address_space_left() -> float:
    soft, _hard = resource.getrlimit(resource.RLIMIT_AS)
    if soft == resource.RLIM_INFINITY:
        return math.inf
    return max(0.0, soft - (_proc_kib("/proc/self/status", "VmSize") or 0.0))


def available_bytes() -> float:
    """Bytes a new allocation may take now: min(physical, address space, STATNN_MEMORY_LIMIT)."""
    return min(_physical_available(), _address_space_left(), _env_limit())


def require_memory(what: str, need_bytes: float, fits: str = "") -> None:
    """Raise ``InsufficientMemoryError`` if ``need_bytes`` exceed ``available_bytes()``.

    ``what`` names the request (with its size, e.g. "glauber couplings (N = 50000)") and
    ``fits`` says what would fit (another kernel, a smaller N, a flag).
    """
    have = available_bytes()
    if need_bytes > have:
        hint = f"; {fits}" if fits else ""
        raise InsufficientMemoryError(
            f"{what} needs {format_bytes(need_bytes)} but {format_bytes(have)} are available "
            f"(free memory, ulimit -v and {ENV_LIMIT}){hint}"
        )


def largest_n(bytes_per_n2: float, have: float | None = None) -> int:
    """The largest N whose N² · ``bytes_per_n2`` bytes fit in ``have`` (default: available)."""
    have = available_bytes() if have is None else have
    if not math.isfinite(have):
        return 2**62
    return max(0, math.isqrt(int(have / bytes_per_n2)))
