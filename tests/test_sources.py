"""Compiled kernels are cached per version of the sources: an edit of a module that a kernel
inlines (the decision rule in ``dynamics.core``) must not leave numba running old code."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numba

import statnn
from statnn.sources import key_numba_cache, package_digest

RUN = """
import numpy as np
from statnn.dynamics import glauber
r = glauber(np.zeros((12, 12)), np.ones(12, np.int8), 1.0, 20, 3)
print(r.spins.tolist())
"""


def _run(root: Path, cache: Path) -> list[int]:
    env = dict(os.environ, PYTHONPATH=str(root), NUMBA_CACHE_DIR=str(cache))
    out = subprocess.run([sys.executable, "-c", RUN], env=env, capture_output=True, text=True,
                         check=True, cwd=root)
    return eval(out.stdout.strip().splitlines()[-1])  # a list literal printed by RUN


def test_editing_an_inlined_module_recompiles_the_kernels_that_inline_it(tmp_path):
    root = tmp_path / "src"
    shutil.copytree(Path(statnn.__file__).parent, root / "statnn",
                    ignore=shutil.ignore_patterns("__pycache__"))
    cache = tmp_path / "numba-cache"
    before = _run(root, cache)
    assert set(before) == {-1, 1}  # free spins (J = 0): each ±1 with probability ½
    core = root / "statnn" / "dynamics" / "core.py"
    text = core.read_text()
    edited = text.replace("        return np.int64(spin)\n", "        return np.int64(-1)\n")
    assert edited != text
    core.write_text(edited)  # kernels.py, which inlines new_spin, is untouched
    after = _run(root, cache)
    assert after == [-1] * 12  # the edited rule ran: every certain decision is −1
    assert len(list(cache.glob("statnn-*"))) == 2
    core.write_text(text)  # back to the first version: its kernels are found again
    assert _run(root, cache) == before


def test_the_cache_directory_is_named_by_the_sources(monkeypatch, tmp_path):
    assert Path(numba.config.CACHE_DIR).name == f"statnn-{package_digest()}"
    assert os.environ["NUMBA_CACHE_DIR"] == numba.config.CACHE_DIR
    # a child process sees the keyed directory and must not nest another one inside it
    monkeypatch.setattr(numba.config, "CACHE_DIR", numba.config.CACHE_DIR)  # restored after
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path / f"statnn-{'0' * 16}"))
    assert key_numba_cache() == tmp_path / f"statnn-{package_digest()}"
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path / "base"))
    assert key_numba_cache() == tmp_path / "base" / f"statnn-{package_digest()}"
    assert numba.config.CACHE_DIR == str(tmp_path / "base" / f"statnn-{package_digest()}")
