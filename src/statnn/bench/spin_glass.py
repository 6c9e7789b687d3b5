"""Cost and equilibration of one size of a config's SK study, one JSON line.

    python -m statnn.bench spin_glass --configfile config/publication.yaml --neurons 512 \\
        --samples 8

Runs ``spin_glass.simulate_samples`` for N = ``--neurons`` with the config's temperature
ladder, sweeps and seed (``spin_glass`` section, merged over config/config.yaml as Snakemake
merges a --configfile) on ``--samples`` disorder samples, and reports the CPU seconds it
took (``cpu_seconds_per_sample`` scales to the config's ``samples``: the core-hour estimate
of docs/cluster.md) and whether this size reaches equilibrium within the config's sweeps:
the largest |z| over the ladder of the equilibrium identity (left − right side over its
paired error) and of the log-binning check (last halving minus the one before), and the
smallest swap acceptance. Equilibrium: both z consistent with chance over K temperatures
(below ~3), acceptance well above 0. The identity holds for the disorder average, not per
sample, and its error comes from the spread over samples: with fewer than ~8 samples that
error is itself too uncertain to judge by (4 samples of N = 64 can sit 3σ to one side).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import yaml

from statnn.bench import cpu_seconds, keyword_command, positive_int
from statnn.spin_glass import equilibrium_identity, halving_check, simulate_samples

__all__ = ["add_spin_glass_parser", "bench_spin_glass"]

DEFAULT_CONFIG = Path(__file__).resolve().parents[3] / "config" / "config.yaml"


def _spin_glass_section(configfile: str | None) -> tuple[dict, int]:
    """The ``spin_glass`` section and seed of ``configfile`` over the default config."""
    config = yaml.safe_load(DEFAULT_CONFIG.read_text()) if DEFAULT_CONFIG.exists() else {}
    if configfile is not None:
        override = yaml.safe_load(Path(configfile).read_text()) or {}
        config.setdefault("spin_glass", {}).update(override.get("spin_glass", {}))
        config["seed"] = override.get("seed", config.get("seed"))
    section = config.get("spin_glass")
    if not section or config.get("seed") is None:
        raise ValueError(f"{configfile or DEFAULT_CONFIG}: no spin_glass section or seed")
    return section, int(config["seed"])


def bench_spin_glass(neurons: int, samples: int, configfile: str | None = None) -> dict:
    """CPU time and equilibrium checks of ``samples`` SK samples of N spins."""
    section, seed = _spin_glass_section(configfile)
    ladder = np.unique(np.asarray(section["temperature"], dtype=np.float64))
    sweeps = int(section["sweeps"])
    seconds, avg = cpu_seconds(lambda: simulate_samples(neurons, ladder, samples, sweeps, seed))
    identity, halves = equilibrium_identity(avg), halving_check(avg)
    z_identity = np.abs(identity["difference"]) / identity["difference_se"]
    return {
        "kernel": "spin_glass", "configfile": configfile, "neurons": neurons,
        "samples": samples, "sweeps": sweeps, "temperatures": ladder.tolist(),
        "cpu_seconds": seconds, "cpu_seconds_per_sample": seconds / samples,
        "config_samples": int(section["samples"]),
        "energy_per_spin": identity["energy"].tolist(),
        "identity_z": z_identity.tolist(), "halving_z": halves["z"].tolist(),
        "max_identity_z": float(np.max(z_identity)), "max_halving_z": float(np.max(halves["z"])),
        "min_swap_acceptance": (float(avg.swap_acceptance.mean(axis=0).min())
                                if ladder.size > 1 else None),
    }


def add_spin_glass_parser(sub) -> None:
    """Register the ``spin_glass`` subcommand of ``python -m statnn.bench``."""
    g = sub.add_parser("spin_glass", help="cost and equilibration of one SK size of a config")
    g.add_argument("--neurons", type=positive_int, required=True, help="N")
    g.add_argument("--samples", type=positive_int, default=4, help="disorder samples")
    g.add_argument("--configfile", default=None,
                   help="config merged over config/config.yaml (default: that alone)")
    g.set_defaults(func=keyword_command(bench_spin_glass))
