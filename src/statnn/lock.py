"""The hash-pinned lock of the tested environment: requirements/lock-py<XY>-linux-<arch>.txt.

Written by ``requirements/lock`` (uv pip compile --generate-hashes over pyproject's
dependencies and its ``test`` and ``cluster`` extras); its first line says what it is for:
``# statnn lock: python 3.11, platform x86_64-unknown-linux-gnu``. Installed by
``pip install --require-hashes -r LOCK && pip install --no-deps -e .`` (.ci/run).
"""

from __future__ import annotations

import platform
import re
import sys
from importlib import metadata
from pathlib import Path

HEADER = re.compile(r"^# statnn lock: python (?P<python>[\d.]+), platform (?P<platform>\S+)$")
PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[^\s;\\]+)")


def canonical(name: str) -> str:
    """PEP 503 name: lower case, runs of ``-_.`` as one ``-``."""
    return re.sub(r"[-_.]+", "-", name).lower()


def lock_path(repo: str | Path) -> Path:
    """The lock file for this interpreter's Python version and machine."""
    tag = f"py{sys.version_info[0]}{sys.version_info[1]}-linux-{platform.machine()}"
    return Path(repo) / "requirements" / f"lock-{tag}.txt"


def read_lock(path: str | Path) -> tuple[dict[str, str], dict[str, str]]:
    """(header fields {python, platform}, {canonical name: pinned version})."""
    lines = Path(path).read_text().splitlines()
    head = HEADER.match(lines[0]) if lines else None
    pins = {canonical(m["name"]): m["version"] for m in map(PIN.match, lines) if m}
    return (head.groupdict() if head else {}), pins


def lock_summary(repo: str | Path) -> str:
    """One line for the report's provenance: which lock, for what, and whether the installed
    packages are exactly its pins."""
    path = lock_path(repo)
    if not path.is_file():
        return f"none for this Python ({path.name} missing): installed from pyproject's ranges"
    head, pins = read_lock(path)
    differ = []
    for name, version in sorted(pins.items()):
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = "not installed"
        if installed != version:
            differ.append(f"{name} {installed} (lock {version})")
    what = f"{path.name} (python {head.get('python', '?')}, {head.get('platform', '?')})"
    if not differ:
        return f"{what}: all {len(pins)} pinned packages installed at their locked versions"
    return f"{what}: {len(differ)} of {len(pins)} differ: {', '.join(differ)}"
