"""Overlap trajectories of both sequence models and dwell time against delay."""

from statnn.io import write_table
from statnn.pipeline import setup_logging, timed
from statnn.sequences import dwell_table, trajectory_table

sm = snakemake  # noqa: F821
log = setup_logging(sm.log[0])
s, seed = sm.params.cfg, sm.params.seed  # the sequences section less its capacity
with timed(f"trajectories at N = {s['n_neurons']}, alpha = {s['alpha']}, T = {s['temperature']}"):
    traj = trajectory_table(s["n_neurons"], s["alpha"], s["temperature"], s["replicas"],
                            s["steps"], s["sweeps"], s["strength"], s["delay"], s["filter"],
                            seed)
with timed(f"dwell times at delays {s['dwell_delays']}"):
    dwell = dwell_table(s["n_neurons"], s["alpha"], s["temperature"], s["replicas"],
                        s["dwell_sweeps"], s["strength"], s["dwell_delays"], s["filter"], seed)
for row in dwell.itertuples():
    log.info("T = %g, tau = %g: dwell %.2f sweeps, %d transitions, %.0f%% forward",
             row.temperature, row.delay, row.dwell_mean, row.transitions,
             100 * row.forward_fraction)
write_table(traj, sm.output.trajectories, config=s, seed=seed)
write_table(dwell, sm.output.dwell, config=s, seed=seed)
