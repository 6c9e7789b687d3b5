"""The hash-pinned lock (requirements/lock-py<XY>-linux-<arch>.txt) covers pyproject."""

from __future__ import annotations

import re
import sys
import tomllib

from packaging.requirements import Requirement
from packaging.version import Version

from statnn import lock

from .conftest import REPO


def pyproject_requirements() -> list[Requirement]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    return [Requirement(r) for r in [*project["dependencies"], *extras["test"], *extras["cluster"]]]


def test_the_lock_for_this_python_exists_and_says_what_it_is_for():
    path = lock.lock_path(REPO)
    assert path.is_file(), f"no lock for this Python: run requirements/lock ({path.name})"
    head, _ = lock.read_lock(path)
    assert head["python"] == f"{sys.version_info[0]}.{sys.version_info[1]}", head
    assert head["platform"].startswith(path.stem.rsplit("-", 1)[1]), head


def test_every_pyproject_dependency_is_pinned_within_its_range():
    _, pins = lock.read_lock(lock.lock_path(REPO))
    reqs = pyproject_requirements()
    assert len(reqs) >= 15
    missing = [str(r) for r in reqs if lock.canonical(r.name) not in pins]
    assert not missing, f"not in the lock: {missing}"
    outside = [f"{r} (locked {pins[lock.canonical(r.name)]})" for r in reqs
               if Version(pins[lock.canonical(r.name)]) not in r.specifier]
    assert not outside, outside


def test_every_pin_is_exact_and_hashed():
    """Each requirement line is name==version followed by at least one sha256 hash."""
    text = lock.lock_path(REPO).read_text()
    blocks = re.split(r"\n(?=\S)", text.split("\n", 2)[2] if text.startswith("#") else text)
    entries = [b for b in blocks if b.strip() and not b.startswith("#")]
    assert len(entries) > 50, len(entries)
    for block in entries:
        assert lock.PIN.match(block), block[:200]
        assert re.search(r"--hash=sha256:[0-9a-f]{64}", block), block[:200]


def test_read_lock_parses_names_versions_and_header():
    head, pins = lock.read_lock(REPO / "tests" / "data" / "lock-example.txt")
    assert head == {"python": "3.11", "platform": "x86_64-unknown-linux-gnu"}
    assert pins == {"argparse-dataclass": "2.0.0", "pyyaml": "6.0.3"}


def test_the_report_line_says_which_lock_and_what_differs(tmp_path):
    from importlib import metadata

    path = lock.lock_path(tmp_path)
    assert lock.lock_summary(tmp_path).startswith(f"none for this Python ({path.name} missing)")
    path.parent.mkdir()
    yaml_version = metadata.version("pyyaml")
    path.write_text("# statnn lock: python 3.11, platform x86_64-unknown-linux-gnu\n"
                    f"pyyaml=={yaml_version} \\\n    --hash=sha256:{'0' * 64}\n"
                    f"numpy==0.0.1 \\\n    --hash=sha256:{'1' * 64}\n")
    line = lock.lock_summary(tmp_path)
    assert line == (f"{path.name} (python 3.11, x86_64-unknown-linux-gnu): 1 of 2 differ: "
                    f"numpy {metadata.version('numpy')} (lock 0.0.1)")
