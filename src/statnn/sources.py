"""Digests of statnn's sources, and where numba keeps the compiled kernels (named by one).

numba's on-disk cache (``cache=True``) checks only the time stamp and size of the file that
defines a kernel, not of the modules whose functions the kernel inlines: every kernel
inlines the decision rule and random stream of ``statnn.dynamics.core``, so after an edit of
``core.py`` (or a ``git pull`` that changes it but not ``kernels.py``) numba would load the
old machine code and run the old rule, silently. ``key_numba_cache`` (run when ``statnn`` is
imported, before any kernel is defined) points numba at ``<base>/statnn-<digest>``, where the
digest covers every source file of the package: any edit selects a fresh directory, and
switching back reuses the old one. ``<base>`` is ``NUMBA_CACHE_DIR`` when set (the workflow
sets ``.snakemake/numba-cache``), else the package's own ``__pycache__/numba``, else
``~/.cache/statnn/numba`` when the package directory is read-only. Old directories are not
removed: ``rm -r`` of the base drops them all.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
_KEYED = re.compile(r"statnn-[0-9a-f]{16}")


def code_digest(paths: Iterable[str | os.PathLike] | str | os.PathLike) -> str:
    """sha256 over the names and contents of the given source files (order-independent)."""
    if isinstance(paths, (str, os.PathLike)):  # one file
        paths = [paths]
    h = hashlib.sha256()
    for path in sorted(Path(p) for p in paths):
        h.update(path.name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def package_digest() -> str:
    """``code_digest`` of every ``*.py`` file of the statnn package (16 hex digits)."""
    return code_digest(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)[:16]


def _writable(path: Path) -> bool:
    try:
        path.mkdir(parents=True, exist_ok=True)
        tempfile.TemporaryFile(dir=path).close()
    except OSError:
        return False
    return True


def key_numba_cache() -> Path | None:
    """Point numba's cache at ``<base>/statnn-<package_digest()>`` (module docstring) and
    return it; None, leaving numba's choice alone, when no candidate is writable."""
    given = os.environ.get("NUMBA_CACHE_DIR", "")
    if given and _KEYED.fullmatch(Path(given).name):  # set by a parent process
        given = str(Path(given).parent)
    bases = ([Path(given)] if given else
             [PACKAGE / "__pycache__" / "numba", Path.home() / ".cache" / "statnn" / "numba"])
    name = f"statnn-{package_digest()}"
    for base in bases:
        if _writable(base / name):
            keyed = base / name
            os.environ["NUMBA_CACHE_DIR"] = str(keyed)  # numba imported later, subprocesses
            numba = sys.modules.get("numba")
            if numba is not None:  # already imported: it read the variable then
                numba.config.CACHE_DIR = str(keyed)
            return keyed
    return None
