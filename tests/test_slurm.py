"""Cluster execution through a real SLURM: the slurm profile, retries, identical tables.

The SLURM tests need a running SLURM controller and node. In CI, `.ci/start-slurm` starts a
single-node cluster on the runner before the tests. A test run changes nothing outside its
temporary directories unless asked: when SLURM is not running, the fixture starts it (with the
same script, which installs slurm-wlm and munge) only with the opt-in ``--start-slurm`` or
``STATNN_START_SLURM=1``; otherwise the tests are skipped with a message saying how to enable
them. With the environment variable CI set (CI=true), they never skip: a missing SLURM fails
them.

Two kinds of cluster, one after the other (the module-scoped fixture `slurm_cluster` is
parametrized; pytest runs every test of one kind before switching): without accounting
(`squeue` reads job states: `.ci/start-slurm`) and with it (`sacct`, slurmdbd and MariaDB:
`.ci/start-slurm --accounting`). A running cluster of the other kind is switched only with the
opt-in. On each, `python -m statnn.cluster check` must name the flags that kind needs, and the
tiny pipeline (all of it on the first kind; on the second, where only the status command
differs, the simulations of four stages: ``TARGETS``) runs with exactly the command it prints
as its last line.

Test-only command-line flags added to that command (never in the profile): short status-check
intervals, successful jobs' SLURM logs kept for inspection, `--verbose` (the plugin logs which
status command each poll used), and a unique job-name prefix so that this session's jobs can be
found (and cancelled) in `squeue`.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import pytest
import yaml

from .conftest import REPO, TINY_CONFIG, run_snakemake, start_slurm_requested

PROFILE = REPO / "workflow" / "profiles" / "slurm"
DEFAULT_PROFILE = REPO / "workflow" / "profiles" / "default"
START_SLURM = REPO / ".ci" / "start-slurm"
IN_CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
PREFIX = f"statnn_test_{uuid.uuid4().hex[:8]}"
SUBMITTED = re.compile(r"has been submitted with SLURM jobid (\d+)")
RUN_ID = re.compile(r"SLURM run ID: (\S+)")


#: The kinds of cluster: status command -> .ci/start-slurm arguments.
KINDS = {"squeue": [], "sacct": ["--accounting"]}


def check_command() -> subprocess.CompletedProcess:
    """``python -m statnn.cluster check`` on the live cluster (from the repository root)."""
    return subprocess.run([sys.executable, "-m", "statnn.cluster", "check"], cwd=REPO,
                          capture_output=True, text=True, timeout=120)


def recommended() -> list[str]:
    """The check's last line, the snakemake command for this cluster, without `snakemake`."""
    proc = check_command()
    argv = shlex.split(proc.stdout.strip().splitlines()[-1])
    assert argv[0] == "snakemake", proc.stdout
    profile = argv.index("--workflow-profile") + 1
    argv[profile] = str(REPO / argv[profile])
    return argv[1:]


def slurm_flags(workdir: Path) -> list[str]:
    """The check's command for this cluster, and the test-only flags."""
    return [
        *recommended(),
        "--slurm-init-seconds-before-status-checks", "2",
        "--seconds-between-status-checks", "2",
        "--slurm-keep-successful-logs",
        "--verbose",
        "--slurm-jobname-prefix", PREFIX,
        # a group job must fit the test node (the profile asks for up to 2 cores)
        "--cores", str(min(2, node_value("%c"))),
        "--latency-wait", "10",
        *profile_resources_capped(node_value("%m") // 2),
    ]


def profile_resources_capped(mem_cap_mb: int) -> list[str]:
    """The profile's set-resources, with memory capped so that every job fits the test node.

    (Given on the command line, --set-resources replaces the profile's list as a whole, so
    every entry is repeated, its expression kept.)
    """
    entries = []
    for rule, resources in _profile().get("set-resources", {}).items():
        for name, value in resources.items():
            if name == "mem_mb":
                value = f"min({value}, {mem_cap_mb})"
            entries.append(f"{rule}:{name}={value}")
    return ["--set-resources", *entries] if entries else []


def _run(*cmd: str, timeout: int = 30) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)


def node_value(field: str) -> int:
    """Smallest per-node value of a numeric sinfo field (%c: CPUs, %m: memory in MB)."""
    out = _run("sinfo", "--noheader", "--format", field).stdout.split()
    return min(int(v.rstrip("+")) for v in out) if out else 1


def accounting_configured() -> bool:
    """The controller is configured to store accounting in slurmdbd."""
    conf = _run("scontrol", "show", "config").stdout
    return bool(re.search(r"^AccountingStorageType\s*=\s*accounting_storage/slurmdbd", conf,
                          re.M))


def accounting_on() -> bool:
    """The controller stores accounting in slurmdbd and `sacct` answers."""
    return accounting_configured() and _run("sacct", "--noheader", "-X").returncode == 0


def is_kind(kind: str) -> bool:
    """The running SLURM is of this kind: ``sacct``, accounting that answers; ``squeue``, no
    slurmdbd configured at all (one whose database is down is neither)."""
    return accounting_on() if kind == "sacct" else not accounting_configured()


def slurm_state() -> tuple[bool, str]:
    """(usable, why not): a controller answers and some node takes jobs."""
    if shutil.which("sinfo") is None or shutil.which("sbatch") is None:
        return False, "SLURM client commands (sinfo, sbatch) not installed"
    try:
        ping = _run("scontrol", "ping")
        states = _run("sinfo", "--noheader", "--format", "%t").stdout.split()
    except subprocess.TimeoutExpired:
        return False, "scontrol/sinfo timed out"
    if "UP" not in ping.stdout:
        return False, f"no SLURM controller answers: {(ping.stdout + ping.stderr).strip()}"
    if not any(s.rstrip("*~#!%$@^-+") in ("idle", "mix", "alloc") for s in states):
        return False, f"no SLURM node takes jobs (sinfo states: {states})"
    return True, ""


ENABLE_HINT = (
    "start a single-node SLURM with `sudo .ci/start-slurm`, or let the tests start it with "
    "`python -m pytest --start-slurm` (or STATNN_START_SLURM=1); .ci/run does this"
)


def can_start_slurm() -> bool:
    if os.geteuid() == 0:
        return True
    return shutil.which("sudo") is not None and _run("sudo", "-n", "true").returncode == 0


def ensure_cluster(request, kind: str) -> None:
    """A usable SLURM of this kind; (re)started with .ci/start-slurm only on the opt-in;
    else skip (fail in CI)."""
    ok, why = slurm_state()
    if ok and not is_kind(kind):
        ok, why = False, f"the running SLURM is not the {kind} kind"
    opted_in = start_slurm_requested(request.config)
    if not ok and opted_in and can_start_slurm():
        proc = _run(str(START_SLURM), *KINDS[kind], timeout=900)
        ok, why = slurm_state()
        if ok and not is_kind(kind):
            ok, why = False, f".ci/start-slurm {' '.join(KINDS[kind])} did not make a {kind} kind"
        if not ok:
            why += f"; .ci/start-slurm exited {proc.returncode}: {proc.stderr[-2000:]}"
    elif not ok and opted_in:
        why += " and it cannot be started here (needs root or passwordless sudo: .ci/start-slurm)"
    elif not ok:
        why += f"; to run these tests, {ENABLE_HINT}"
    if not ok:
        if IN_CI:
            pytest.fail(f"CI is set but SLURM is not usable: {why}")
        pytest.skip(f"SLURM not available: {why}")


@pytest.fixture(scope="module", params=list(KINDS))
def slurm_cluster(request):
    """A usable SLURM of each kind in turn (the parameter: the status command it needs)."""
    ensure_cluster(request, request.param)
    yield request.param
    # Leave nothing of this session queued or running on the cluster.
    listing = _run("squeue", "--noheader", "--format", "%i %j").stdout.split("\n")
    ours = [line.split()[0] for line in listing if f" {PREFIX}_" in f" {line}"]
    if ours:
        _run("scancel", *ours)


def slurm_jobs(run_id: str, command: str = "squeue") -> dict[str, str]:
    """{job id: state} of every job SLURM knows under this job name (finished ones too), as
    `squeue --states=all` or `sacct` (accounting) reports them."""
    if command == "sacct":
        argv = ["sacct", "--noheader", "-X", "--parsable2", "--name", run_id,
                "--format", "JobID,State"]
    else:
        argv = ["squeue", "--states=all", "--noheader", "--name", run_id, "--format", "%i|%T"]
    proc = _run(*argv)
    assert proc.returncode == 0, proc.stderr
    return dict(line.split("|") for line in proc.stdout.splitlines() if line.strip())


def parquet_files(results: Path) -> dict[str, bytes]:
    return {str(p.relative_to(results)): p.read_bytes() for p in results.rglob("*.parquet")}


def _profile() -> dict:
    return yaml.safe_load((PROFILE / "config.yaml").read_text())


# --- the profiles and the publication config: no cluster needed ------------------------------


def test_profile_names_only_rules_that_exist(tmp_path):
    """Snakemake silently ignores groups/resources of unknown rules: catch renamed rules."""
    proc = subprocess.run(
        [sys.executable, "-m", "snakemake", "-s", str(REPO / "Snakefile"), "-d", str(tmp_path),
         "--list-rules"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    rules = set(proc.stdout.split())
    profile = _profile()
    named = set(profile.get("groups", {})) | set(profile.get("set-resources", {}))
    named |= set(profile.get("set-threads", {}))
    assert named, "the slurm profile groups or sizes no rule"
    assert named <= rules, f"profile names unknown rules: {sorted(named - rules)}"
    groups = set(profile.get("groups", {}).values())
    assert set(profile.get("group-components", {})) <= groups


def test_publication_config_is_valid_and_sharded(tmp_path):
    proc = run_snakemake(
        tmp_path, "-n", "--quiet", "rules", "--configfile", str(REPO / "config/publication.yaml"),
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    pub = yaml.safe_load((REPO / "config/publication.yaml").read_text())
    assert pub["results"] != "results", "the publication config needs its own results dir"
    out = proc.stdout + proc.stderr
    shards = re.search(r"^hopfield_shard\s+(\d+)", out, re.M)
    assert shards and int(shards.group(1)) == len(pub["hopfield"]["alpha"]), out[-3000:]


@pytest.mark.parametrize("profile", [PROFILE, DEFAULT_PROFILE], ids=["slurm", "default"])
def test_profiles_parse_in_a_dry_run(tmp_path, profile):
    proc = run_snakemake(
        tmp_path, "-n", "--workflow-profile", str(profile), config=TINY_CONFIG, timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]


# --- through SLURM -------------------------------------------------------------------------


#: What `python -m statnn.cluster check` must recommend on each kind of test cluster.
EXPECTED_FLAGS = {
    "squeue": ["--slurm-status-command", "squeue", "--slurm-no-account"],
    "sacct": ["--slurm-status-command", "sacct", "--default-resources", "mem_mb=2000",
              "runtime=30", "slurm_account=statnn"],
}


@pytest.mark.slurm
def test_the_check_names_what_this_kind_of_cluster_needs(slurm_cluster):
    proc = check_command()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.strip().splitlines()
    accounting = "enabled" if slurm_cluster == "sacct" else "disabled"
    assert any(line.startswith(f"accounting: {accounting} ") for line in lines), lines
    assert "sinfo: works" in lines and "squeue: works" in lines, lines
    assert ("sacct: works" in lines) == (slurm_cluster == "sacct"), lines
    assert "MinJobAge: 3600 s" in lines, lines  # .ci/start-slurm's slurm.conf
    assert "partitions: main (default) up" in lines, lines
    problems = [line for line in lines if line.startswith("problem")]
    if slurm_cluster == "squeue":  # sacct exists but answers "accounting storage is disabled"
        assert len(problems) == 1 and "waits forever" in problems[0], lines
    else:
        assert problems == [], lines
        assert "default account: statnn, from sacctmgr (default account of root)" in lines
    assert shlex.split(lines[-1]) == ["snakemake", "--workflow-profile",
                                      "workflow/profiles/slurm", *EXPECTED_FLAGS[slurm_cluster]]


#: What each kind runs of the tiny config: the whole pipeline without accounting; with it
#: (where only the status command differs) the fruit group and the simulations of four
#: stages, which spares the suite the figures and report job (the whole pipeline through
#: SLURM takes 4-6 minutes on two cores, mostly job start-up and polling).
TARGETS = {
    "squeue": [],
    "sacct": ["results/mlp/network.parquet", "results/hopfield/grid.parquet",
              "results/spin_glass/equilibrium.parquet", "results/capacity/capacity.parquet"],
}


@pytest.fixture(scope="module")
def slurm_run(slurm_cluster, tmp_path_factory):
    """The tiny config (``TARGETS`` of this kind) through the slurm profile with the check's
    command; returns (workdir, log text, status command)."""
    workdir = tmp_path_factory.mktemp(f"slurm_{slurm_cluster}")
    targets = ["--", *TARGETS[slurm_cluster]] if TARGETS[slurm_cluster] else []
    proc = run_snakemake(workdir, *slurm_flags(workdir), *targets, config=TINY_CONFIG,
                         timeout=900)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-8000:]
    return workdir, out, slurm_cluster


@pytest.mark.slurm
@pytest.mark.workflow
def test_job_states_were_read_with_this_kinds_status_command(slurm_run):
    """The plugin logs each status poll's command (--verbose): only this kind's one."""
    _, out, command = slurm_run
    used = set(re.findall(r"Status query timing \(cycle\): command=(\w+)", out))
    assert used == {command}, (used, out[-3000:])


@pytest.mark.slurm
@pytest.mark.workflow
def test_jobs_really_ran_as_slurm_jobs(slurm_run):
    workdir, out, command = slurm_run
    submitted = set(SUBMITTED.findall(out))
    run_id = RUN_ID.search(out)
    assert run_id and run_id.group(1).startswith(PREFIX), out[-3000:]
    # hopfield shards, simulations and capacity are separate jobs; the fruit/perceptron and
    # the gather/figures/report stages are one group job each
    assert len(submitted) >= (6 if not TARGETS[command] else 5), out[-3000:]
    known = slurm_jobs(run_id.group(1), command)
    assert submitted == set(known), (submitted, known)
    assert set(known.values()) == {"COMPLETED"}, known
    logs = {p.stem for p in (workdir / ".snakemake" / "slurm_logs").rglob("*.log")}
    assert submitted <= logs, (submitted, logs)
    # grouping: the fruit stage, and the figures with the report, ran as one job each
    for group in ("fruit", "gather"):  # (the subset's gather job holds the grid's gathering)
        runs = list((workdir / ".snakemake" / "slurm_logs").glob(f"group_{group}_*/*.log"))
        assert len(runs) == 1, (group, runs)


@pytest.mark.slurm
@pytest.mark.workflow
def test_slurm_tables_identical_to_a_local_run(slurm_run, tiny_run):
    workdir, _, command = slurm_run
    on_slurm = parquet_files(workdir / "results")
    local = parquet_files(tiny_run)
    if TARGETS[command]:  # a subset: its targets and what they need, and nothing else
        assert {f"results/{name}" for name in on_slurm} >= set(TARGETS[command])
        local = {name: data for name, data in local.items() if name in on_slurm}
    assert on_slurm.keys() == local.keys()
    different = sorted(name for name in local if on_slurm[name] != local[name])
    assert not different, f"tables differ between SLURM and local runs: {different}"


RETRY_SNAKEFILE = textwrap.dedent(
    """
    # Test-only workflow: `flaky` fails on its first attempt, then succeeds.


    rule all:
        input:
            "done.txt",


    rule flaky:
        output:
            "done.txt",
        threads: 1
        resources:
            mem_mb=100,
            runtime=5,
            try_number=lambda wildcards, attempt: attempt,
        run:
            import os
            from pathlib import Path

            Path("attempts").mkdir(exist_ok=True)
            job = os.environ.get("SLURM_JOB_ID", "not-in-slurm")
            Path("attempts", job).write_text(str(resources.try_number))
            if resources.try_number == 1:
                raise RuntimeError("injected failure on the first attempt")
            Path(output[0]).write_text(f"succeeded on attempt {resources.try_number}")
    """
)


@pytest.mark.slurm
@pytest.mark.workflow
@pytest.mark.parametrize("slurm_cluster", ["squeue"], indirect=True)
def test_a_failing_job_is_retried_through_slurm(slurm_cluster, tmp_path):
    (tmp_path / "Snakefile").write_text(RETRY_SNAKEFILE)
    proc = subprocess.run(
        [sys.executable, "-m", "snakemake", "-s", "Snakefile", *slurm_flags(tmp_path)],
        cwd=tmp_path, capture_output=True, text=True, timeout=600,
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-6000:]
    assert (tmp_path / "done.txt").read_text() == "succeeded on attempt 2"
    attempts = {p.name: p.read_text() for p in (tmp_path / "attempts").iterdir()}
    assert sorted(attempts.values()) == ["1", "2"], attempts  # two SLURM jobs, one per try
    submitted = SUBMITTED.findall(out)
    assert sorted(submitted) == sorted(attempts), (submitted, attempts)
    states = slurm_jobs(RUN_ID.search(out).group(1))
    by_try = {attempts[j]: states[j] for j in attempts}
    assert by_try == {"1": "FAILED", "2": "COMPLETED"}, states


def test_a_test_run_starts_no_slurm_without_the_opt_in(tmp_path):
    """Without --start-slurm / STATNN_START_SLURM the SLURM tests skip (with how to enable
    them) and nothing is installed or started, even as root (CI unset in the child run).

    SLURM is made to look absent by client commands that fail; every command that starting
    it would run (apt-get, the daemons, munge) leaves a mark instead."""
    fake = tmp_path / "bin"
    fake.mkdir()
    mark = tmp_path / "started"
    for name in ("sinfo", "scontrol", "squeue", "sbatch"):
        (fake / name).write_text("#!/bin/sh\nexit 1\n")
    for name in ("apt-get", "install", "slurmd", "slurmctld", "munged", "mungekey", "munge",
                 "runuser", "sudo", "systemctl"):
        (fake / name).write_text(f"#!/bin/sh\necho {name} >> '{mark}'\nexit 1\n")
    for f in fake.iterdir():
        f.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "STATNN_START_SLURM")}
    env["PATH"] = f"{fake}{os.pathsep}{env['PATH']}"
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", str(Path(__file__)), "-q", "-rs", "-p",
         "no:cacheprovider", "-k", "test_jobs_really_ran_as_slurm_jobs"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-3000:]
    assert not mark.exists(), f"the test run tried to start SLURM: {mark.read_text()}"
    assert "2 skipped" in out, out[-3000:]  # one per kind of cluster
    assert "--start-slurm" in out and "STATNN_START_SLURM=1" in out, out[-3000:]
