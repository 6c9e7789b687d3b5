"""Pre-flight check of a SLURM cluster for the slurm profile: ``python -m statnn.cluster check``.

Runs the SLURM client commands the executor plugin relies on, reads ``scontrol show config``
and prints one line per finding, one ``problem:`` line per reason a run with the plain profile
would hang or fail, and as its last line the ``snakemake`` command to use here.

The plugin (snakemake-executor-plugin-slurm) polls job states with ``sacct`` whenever the
binary exists (``--slurm-status-command``, default ``sacct``). Without an accounting database
``sacct`` answers "accounting storage is disabled" and finished jobs are never seen: the run
waits forever. With ``--slurm-status-command squeue`` it reads ``squeue --states=all``, which
sees a finished job only for ``MinJobAge`` seconds, and the plugin itself switches back to
``sacct`` unless ``MinJobAge >= 3 * init`` (``init``: the flag
``--slurm-init-seconds-before-status-checks``, default 40 s).

Parsing is separate from running the commands (``gather`` takes a runner) so that it is tested
with recorded outputs; exit status 0 when the printed command addresses every problem.
"""

from __future__ import annotations

import getpass
import os
import re
import shlex
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

PLUGIN = "snakemake-executor-plugin-slurm"
PROFILE = "workflow/profiles/slurm"
REPO = Path(__file__).resolve().parents[2]

#: First plugin release with each command-line flag (read from each release's
#: ``ExecutorSettings``: ``pip download --no-deps snakemake-executor-plugin-slurm==V``).
PLUGIN_FLAGS = {
    "--slurm-init-seconds-before-status-checks": "0.8.0",
    "--slurm-requeue": "0.11.0",
    "--slurm-keep-successful-logs": "0.12.0",
    "--slurm-no-account": "1.1.0",
    "--slurm-qos": "1.7.0",
    "--slurm-status-command": "2.0.1",
    "--slurm-jobname-prefix": "2.2.0",
}
#: The plugin's default wait before the first status check (seconds).
DEFAULT_INIT_SECONDS = 40


@dataclass(frozen=True)
class Result:
    """One command's exit status and output (rc 127: not installed)."""

    rc: int
    out: str = ""
    err: str = ""

    @property
    def ok(self) -> bool:
        return self.rc == 0

    def why(self) -> str:
        text = (self.err or self.out).strip().splitlines()
        return text[0] if text else f"exit status {self.rc}"


Runner = Callable[[list[str]], Result]


def run_command(argv: list[str], timeout: float = 15) -> Result:
    """Run ``argv``; a missing binary is rc 127, a timeout rc 124."""
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
    except FileNotFoundError:
        return Result(127, "", f"{argv[0]}: command not found")
    except subprocess.TimeoutExpired:
        return Result(124, "", f"{argv[0]}: no answer within {timeout:g} s")
    return Result(proc.returncode, proc.stdout, proc.stderr)


def parse_config(text: str) -> dict[str, str]:
    """``scontrol show config`` as {key: value} (lines ``Key = value``)."""
    pairs = (line.split("=", 1) for line in text.splitlines() if "=" in line)
    return {k.strip(): v.strip() for k, v in pairs if k.strip() and " " not in k.strip()}


def parse_seconds(value: str | None) -> int | None:
    """SLURM durations as printed by scontrol: ``300 sec``, ``1h``, ``3600`` -> seconds."""
    m = re.match(r"^(\d+)\s*([a-zA-Z]*)", (value or "").strip())
    if not m:
        return None
    unit = m.group(2).lower()
    scale = {"h": 3600, "hour": 3600, "hours": 3600, "min": 60, "m": 60}.get(unit, 1)
    return int(m.group(1)) * scale


def parse_partitions(text: str) -> list[tuple[str, bool, str]]:
    """``sinfo --noheader --format '%P %a'`` -> [(name, is_default, availability)]."""
    parts = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) >= 2:
            name = fields[0]
            parts.append((name.rstrip("*"), name.endswith("*"), fields[1]))
    return parts


def version_tuple(version: str) -> tuple[int, ...]:
    """``2.10.1`` -> (2, 10, 1); pre-release suffixes are dropped."""
    return tuple(int(p) for p in re.findall(r"\d+", version.split("+")[0])[:3])


def plugin_floor(pyproject: Path = REPO / "pyproject.toml") -> str | None:
    """The minimum plugin version the ``cluster`` extra requires (``>=X``)."""
    import tomllib

    if pyproject.is_file():
        extras = tomllib.loads(pyproject.read_text())["project"]["optional-dependencies"]
        reqs = extras.get("cluster", [])
    else:
        reqs = [r for r in metadata.requires("statnn") or [] if "cluster" in r]
    for req in reqs:
        m = re.match(rf"{re.escape(PLUGIN)}\s*[^;]*>=\s*([\d.]+)", req)
        if m:
            return m.group(1)
    return None


def installed_plugin() -> str | None:
    try:
        return metadata.version(PLUGIN)
    except metadata.PackageNotFoundError:
        return None


@dataclass
class Facts:
    """What the commands said (filled by ``gather``)."""

    tools: dict[str, Result]
    config: dict[str, str]
    partitions: list[tuple[str, bool, str]]
    account: tuple[str, str] | None  # (account, where it was found)
    plugin: str | None
    floor: str | None
    env: dict[str, str] = field(default_factory=dict)


def gather(run: Runner = run_command, env=None, plugin=None, floor=None) -> Facts:
    """Run the client commands (through ``run``) and collect the facts."""
    env = dict(os.environ if env is None else env)
    user = env.get("USER") or getpass.getuser()
    tools = {
        "sinfo": run(["sinfo", "--noheader", "--format", "%P %a"]),
        "squeue": run(["squeue", "--noheader", "--user", user, "--format", "%i"]),
        "sacct": run(["sacct", "--noheader", "-X", "--format", "JobID",
                      "--starttime", "now-1hours"]),
    }
    conf = run(["scontrol", "show", "config"])
    config = parse_config(conf.out) if conf.ok else {}
    account = None
    for var in ("SBATCH_ACCOUNT", "SLURM_ACCOUNT"):
        if env.get(var):
            account = (env[var], f"${var}")
            break
    if account is None:
        got = run(["sacctmgr", "-nP", "show", "user", user, "format=DefaultAccount"])
        name = got.out.strip().splitlines()[0].strip() if got.ok and got.out.strip() else ""
        if name:
            account = (name, f"sacctmgr (default account of {user})")
    if account is None:
        got = run(["sshare", "-U", "--noheader", "-P", "--format", "Account"])
        names = [a.strip() for a in got.out.splitlines() if a.strip()] if got.ok else []
        if names:
            account = (names[0], f"sshare (associations of {user})")
    return Facts(
        tools=tools, config=config,
        partitions=parse_partitions(tools["sinfo"].out) if tools["sinfo"].ok else [],
        account=account,
        plugin=installed_plugin() if plugin is None else plugin,
        floor=plugin_floor() if floor is None else floor,
    )


@dataclass
class Advice:
    findings: list[str]
    problems: list[str]  # each: why the plain profile would hang or fail here
    unresolved: list[str]  # problems the printed command does not fix
    command: list[str]


def advise(facts: Facts, profile_defaults: dict[str, object] | None = None) -> Advice:
    """Findings, problems and the snakemake command for ``facts``."""
    t, cfg = facts.tools, facts.config
    find, problems, unresolved = [], [], []
    flags: list[str] = []
    for name, res in t.items():
        find.append(f"{name}: {'works' if res.ok else 'fails: ' + res.why()}")
    storage = cfg.get("AccountingStorageType", "unknown (scontrol show config failed)")
    accounting = t["sacct"].ok and storage != "accounting_storage/none"
    find.append(f"accounting: {'enabled' if accounting else 'disabled'} "
                f"(AccountingStorageType={storage})")
    age = parse_seconds(cfg.get("MinJobAge"))
    find.append(f"MinJobAge: {age if age is not None else 'unknown'} s")
    parts = ", ".join(f"{n}{' (default)' if d else ''} {a}" for n, d, a in facts.partitions)
    find.append(f"partitions: {parts or 'none found'}")
    account = "{}, from {}".format(*facts.account) if facts.account else "none found"
    find.append(f"default account: {account}")
    plugin, floor = facts.plugin, facts.floor
    too_old = plugin and floor and version_tuple(plugin) < version_tuple(floor)
    find.append(f"plugin: {PLUGIN} {plugin or 'not installed'} (minimum {floor or 'unknown'}): "
                f"{'too old' if too_old else 'missing' if not plugin else 'ok'}")

    if not t["sinfo"].ok or not t["squeue"].ok:
        bad = "sinfo" if not t["sinfo"].ok else "squeue"
        unresolved.append(f"{bad} does not work ({t[bad].why()}): no SLURM controller answers here")
    if plugin is None:
        unresolved.append(f"{PLUGIN} is not installed: pip install -e '.[cluster]'")
    elif too_old:
        unresolved.append(f"{PLUGIN} {plugin} is older than {floor}, which the profile's flags "
                          "need: pip install -e '.[cluster]'")
    if accounting:
        flags += ["--slurm-status-command", "sacct"]
    else:
        if t["sacct"].rc != 127:
            problems.append(f"sacct is installed but fails ({t['sacct'].why()}); the plugin "
                            "polls job states with sacct by default, never sees a job finish "
                            "and waits forever: use --slurm-status-command squeue")
        flags += ["--slurm-status-command", "squeue"]
        if age is None or age < 3:
            unresolved.append(f"MinJobAge={age}: finished jobs leave squeue at once and "
                              "neither sacct nor squeue can see them end; ask the admins for "
                              "accounting or MinJobAge >= 120")
        elif age < 3 * DEFAULT_INIT_SECONDS:
            init = age // 3
            problems.append(f"MinJobAge={age} s < 3 x {DEFAULT_INIT_SECONDS} s: the plugin "
                            "falls back from squeue to sacct; use "
                            f"--slurm-init-seconds-before-status-checks {init}")
            flags += ["--slurm-init-seconds-before-status-checks", str(init)]
    defaults = dict(profile_defaults if profile_defaults is not None else _profile_defaults())
    if facts.partitions and not any(d for _, d, _ in facts.partitions):
        up = [n for n, _, a in facts.partitions if a == "up"] or [facts.partitions[0][0]]
        problems.append(f"no default partition: sbatch fails without one; using {up[0]}")
        defaults["slurm_partition"] = up[0]
    if facts.account:
        defaults["slurm_account"] = facts.account[0]
    elif not accounting:
        flags.append("--slurm-no-account")
    if {"slurm_partition", "slurm_account"} & set(defaults):
        # on the command line --default-resources replaces the profile's list as a whole
        flags += ["--default-resources", *(f"{k}={v}" for k, v in defaults.items())]
    command = ["snakemake", "--workflow-profile", PROFILE, *flags]
    return Advice(find, problems, unresolved, command)


def _profile_defaults() -> dict[str, object]:
    import yaml

    path = REPO / PROFILE / "config.yaml"
    if not path.is_file():
        return {}
    return dict(yaml.safe_load(path.read_text()).get("default-resources") or {})


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv != ["check"]:
        print("usage: python -m statnn.cluster check", file=sys.stderr)
        return 2
    advice = advise(gather())
    for line in advice.findings:
        print(line)
    for line in advice.problems:
        print(f"problem: {line}")
    for line in advice.unresolved:
        print(f"problem (not fixed by the command below): {line}")
    print(shlex.join(advice.command))
    return 1 if advice.unresolved else 0


if __name__ == "__main__":
    sys.exit(main())
