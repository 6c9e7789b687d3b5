"""`python -m statnn.cluster check` on recorded command outputs (no SLURM needed), and the
plugin floor in pyproject against the flags the docs, profile and tests use.

tests/data/cluster/*.json are the real outputs of the commands `statnn.cluster.gather` runs,
recorded on the single-node cluster of `.ci/start-slurm` (no_accounting.json) and
`.ci/start-slurm --accounting` (accounting.json), SLURM 22.05.8, user root. The same answers on
the live clusters are checked in tests/test_slurm.py.
"""

from __future__ import annotations

import json
import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest

from statnn import cluster

from .conftest import REPO

DATA = Path(__file__).parent / "data" / "cluster"
PROFILE_DEFAULTS = {"mem_mb": 2000, "runtime": 30}


def recorded(name: str, **patch) -> dict[str, cluster.Result]:
    """The recorded outputs of ``name``, with some commands' answers replaced."""
    rec = json.loads((DATA / f"{name}.json").read_text())
    out = {k: cluster.Result(v["rc"], v["out"], v["err"]) for k, v in rec.items()}
    for prefix, result in patch.items():
        keys = [k for k in out if k.split()[0] == prefix]
        assert keys, prefix
        for k in keys:
            out[k] = result
    return out


def advise(outputs, plugin="2.8.0", floor="2.2.0"):
    def runner(argv):
        return outputs[" ".join(argv)]

    facts = cluster.gather(runner, env={"USER": "root"}, plugin="detect-not", floor=floor)
    facts.plugin = plugin  # None: not installed
    return cluster.advise(facts, PROFILE_DEFAULTS)


def test_without_accounting_recommends_squeue_and_no_account():
    a = advise(recorded("no_accounting"))
    assert "sacct: fails: Slurm accounting storage is disabled" in a.findings
    assert "accounting: disabled (AccountingStorageType=accounting_storage/none)" in a.findings
    assert "MinJobAge: 3600 s" in a.findings
    assert "partitions: main (default) up" in a.findings
    assert "default account: none found" in a.findings
    assert len(a.problems) == 1 and "--slurm-status-command squeue" in a.problems[0]
    assert a.unresolved == []
    assert a.command == ["snakemake", "--workflow-profile", "workflow/profiles/slurm",
                         "--slurm-status-command", "squeue", "--slurm-no-account"]


def test_with_accounting_recommends_sacct_and_the_default_account():
    a = advise(recorded("accounting"))
    assert "accounting: enabled (AccountingStorageType=accounting_storage/slurmdbd)" in a.findings
    assert "default account: statnn, from sacctmgr (default account of root)" in a.findings
    assert a.problems == [] and a.unresolved == []
    # --default-resources replaces the profile's list: its entries are repeated
    assert a.command == ["snakemake", "--workflow-profile", "workflow/profiles/slurm",
                         "--slurm-status-command", "sacct", "--default-resources",
                         "mem_mb=2000", "runtime=30", "slurm_account=statnn"]


def test_account_from_the_environment_wins():
    def runner(argv):
        return recorded("accounting")[" ".join(argv)]

    facts = cluster.gather(runner, env={"USER": "root", "SBATCH_ACCOUNT": "proj7"},
                           plugin="2.8.0", floor="2.2.0")
    assert facts.account == ("proj7", "$SBATCH_ACCOUNT")


def _with_min_job_age(value: str) -> dict[str, cluster.Result]:
    rec = recorded("no_accounting")
    key = "scontrol show config"
    text = re.sub(r"^MinJobAge\s*=.*$", f"MinJobAge               = {value}", rec[key].out,
                  flags=re.M)
    rec[key] = cluster.Result(0, text, "")
    return rec


@pytest.mark.parametrize(("value", "init"), [("60 sec", 20), ("119 sec", 39), ("2", 0)])
def test_short_min_job_age_lowers_the_first_status_check(value, init):
    """The plugin leaves squeue for sacct unless MinJobAge >= 3 x init (init 40 s default)."""
    a = advise(_with_min_job_age(value))
    if init == 0:  # under 3 s nothing can see a job end
        assert any("MinJobAge=2" in u for u in a.unresolved), a.unresolved
        return
    i = a.command.index("--slurm-init-seconds-before-status-checks")
    assert a.command[i + 1] == str(init)
    assert 3 * init <= cluster.parse_seconds(value) < 3 * (init + 1)
    assert any("falls back from squeue to sacct" in p for p in a.problems), a.problems


def test_long_min_job_age_needs_no_extra_flag():
    a = advise(_with_min_job_age("120 sec"))
    assert "--slurm-init-seconds-before-status-checks" not in a.command


def test_no_default_partition_names_the_first_one_that_is_up():
    rec = recorded("no_accounting", sinfo=cluster.Result(0, "short down\nlong up\nmain up\n"))
    a = advise(rec)
    assert any("no default partition" in p for p in a.problems)
    assert a.command[-4:] == ["--default-resources", "mem_mb=2000", "runtime=30",
                              "slurm_partition=long"]


def test_sacct_not_installed_is_no_problem():
    a = advise(recorded("no_accounting", sacct=cluster.Result(127, "", "sacct: not found")))
    assert a.problems == [] and a.unresolved == []
    assert "--slurm-status-command" in a.command and "squeue" in a.command


@pytest.mark.parametrize(("plugin", "bad"), [("2.1.0", True), ("2.2.0", False),
                                             ("2.10.0", False), (None, True)])
def test_plugin_version_against_the_floor(plugin, bad):
    a = advise(recorded("accounting"), plugin=plugin)
    assert any("snakemake-executor-plugin-slurm" in u for u in a.unresolved) == bad


def test_no_controller_is_unresolved():
    down = cluster.Result(1, "", "slurm_load_partitions: Unable to contact slurm controller")
    a = advise(recorded("no_accounting", sinfo=down, squeue=down))
    assert any("Unable to contact slurm controller" in u for u in a.unresolved)


def test_parse_seconds():
    assert [cluster.parse_seconds(v) for v in ("300 sec", "3600", "1h", "2 min", "", None)] == [
        300, 3600, 3600, 120, None, None]


# --- the plugin floor --------------------------------------------------------------------------

FLAG = re.compile(r"--slurm-[a-z][a-z-]*[a-z]")


def flags_used() -> dict[str, set[str]]:
    """Every --slurm-* flag in the docs, README, profiles, CI, tests and statnn.cluster."""
    paths = [REPO / "README.md", *(REPO / "docs").glob("*.md"), *(REPO / ".ci").iterdir(),
             *(REPO / "workflow" / "profiles").rglob("*.yaml"), REPO / "tests" / "test_slurm.py",
             REPO / "src" / "statnn" / "cluster.py"]
    used: dict[str, set[str]] = {}
    for p in paths:
        for flag in FLAG.findall(p.read_text()):
            used.setdefault(flag, set()).add(p.name)
    # a profile may also set plugin options as keys (slurm-status-command: squeue)
    for p in (REPO / "workflow" / "profiles").rglob("*.yaml"):
        for key in re.findall(r"^(slurm-[a-z-]+):", p.read_text(), re.M):
            used.setdefault(f"--{key}", set()).add(p.name)
    return used


def test_every_flag_used_is_in_the_table():
    used = flags_used()
    assert "--slurm-status-command" in used and "--slurm-jobname-prefix" in used
    unknown = {f: sorted(where) for f, where in used.items() if f not in cluster.PLUGIN_FLAGS}
    assert not unknown, f"add these flags to statnn.cluster.PLUGIN_FLAGS: {unknown}"


def test_the_cluster_extra_floor_is_the_newest_flag():
    extras = tomllib.loads((REPO / "pyproject.toml").read_text())["project"][
        "optional-dependencies"]
    (req,) = [r for r in extras["cluster"] if r.startswith(cluster.PLUGIN)]
    floor = re.search(r">=\s*([\d.]+)", req).group(1)
    needed = max((cluster.PLUGIN_FLAGS[f] for f in flags_used()), key=cluster.version_tuple)
    assert cluster.version_tuple(floor) == cluster.version_tuple(needed), (floor, needed)
    assert cluster.plugin_floor() == floor


def test_the_installed_plugin_has_every_flag_of_the_table():
    """The table's flags exist in the installed plugin's settings (the newest side)."""
    from snakemake_executor_plugin_slurm import ExecutorSettings

    fields = set(ExecutorSettings.__dataclass_fields__)
    missing = [f for f in cluster.PLUGIN_FLAGS if f.removeprefix("--slurm-").replace("-", "_")
               not in fields]
    assert not missing, (metadata.version(cluster.PLUGIN), missing)
