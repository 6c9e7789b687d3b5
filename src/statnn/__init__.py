"""statnn: statistical mechanics of neural networks as a reproducible pipeline."""

from importlib.metadata import PackageNotFoundError, version

from statnn.sources import key_numba_cache

try:
    __version__ = version("statnn")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0+unknown"

# before any kernel is defined: compiled kernels are cached per version of the sources
key_numba_cache()
