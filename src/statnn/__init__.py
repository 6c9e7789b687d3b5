"""statnn: statistical mechanics of neural networks as a reproducible pipeline."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("statnn")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0+unknown"
