"""Benchmarks of the engine, one subcommand each; not used by the pipeline.

    python -m statnn.bench glauber --neurons 2000 --alpha 0.05 --temperature 0.5 \\
        --sweeps 200 --seed 0
    python -m statnn.bench suite [--quick] [--json]
    python -m statnn.bench calibrate [--quick]
    python -m statnn.bench capacity [--n-inputs 50 --alphas 0.5 1 2 --trials 20]
    python -m statnn.bench tempering --neurons 512 --replicas 32 --sweeps 200 --seed 0
    python -m statnn.bench dwave --neurons 1000 --temperature 0.5 --sweeps 1000 --seed 0
    python -m statnn.bench spin_glass --configfile config/publication.yaml --neurons 512

``glauber`` (``statnn.bench.glauber``): one Glauber kernel on a Hopfield network against a
plain numpy loop on the same random stream. ``suite`` (``statnn.bench.suite``): every kernel
on a set of cases, each in a fresh process (attempts/s, ratio to the float64 cached-field
reference, peak memory). ``calibrate`` (``statnn.bench.calibrate``): fits the cost model
behind ``statnn.dynamics.choose_kernel``. ``capacity`` (``statnn.bench.capacity``): the
capacity experiment's perceptron against scikit-learn's. ``tempering``
(``statnn.bench.tempering``): the batched parallel-tempering kernel against the single-chain
kernel on one SK sample. ``dwave`` (``statnn.bench.dwave``): the single-chain SK Gibbs
sampler against dwave-samplers' (an optional dependency, extra ``bench``). ``spin_glass``
(``statnn.bench.spin_glass``): CPU time and equilibrium checks of one size of a config's SK
study. Each prints one JSON line
(``suite`` a table unless ``--json``). Installed as the ``statnn-bench`` command too.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections.abc import Callable

from statnn.memory import InsufficientMemoryError

__all__ = ["build_parser", "cpu_seconds", "main"]


def _argument_type(convert: Callable, valid: Callable, allowed: str) -> Callable:
    """An argparse ``type``: ``convert(text)``, refused unless ``valid``."""

    def parse(text: str):
        try:
            value = convert(text)
        except ValueError:
            value = None
        if value is None or not valid(value):
            raise argparse.ArgumentTypeError(f"must be {allowed}, got {text}")
        return value

    return parse


positive_int = _argument_type(int, lambda v: v >= 1, "an integer >= 1")
nonnegative_float = _argument_type(float, lambda v: v >= 0, "a number >= 0")  # nan fails
positive_float = _argument_type(float, lambda v: math.isfinite(v) and v > 0,
                                "a finite number > 0")


def cpu_seconds(run: Callable[[], object]) -> tuple[float, object]:
    """(CPU seconds of this process spent in ``run()``, its result): ``time.process_time``,
    which leaves out time spent waiting for a core, so timings on a shared machine compare."""
    start = time.process_time()
    out = run()
    return time.process_time() - start, out


def keyword_command(function: Callable[..., dict]) -> Callable[[argparse.Namespace], dict]:
    """An argparse ``func`` default: ``function`` called with the parsed options (named as
    its parameters) as keywords."""

    def run(args: argparse.Namespace) -> dict:
        options = {k: v for k, v in vars(args).items() if k not in ("command", "func")}
        return function(**options)

    return run


def build_parser() -> argparse.ArgumentParser:
    """The ``statnn.bench`` command line: one subcommand per benchmark."""
    from statnn.bench.calibrate import add_calibrate_parser
    from statnn.bench.capacity import add_capacity_parser
    from statnn.bench.dwave import add_dwave_parser
    from statnn.bench.glauber import add_glauber_parser
    from statnn.bench.spin_glass import add_spin_glass_parser
    from statnn.bench.suite import add_suite_parser
    from statnn.bench.tempering import add_tempering_parser

    parser = argparse.ArgumentParser(prog="python -m statnn.bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    add_glauber_parser(sub)
    add_capacity_parser(sub)
    add_suite_parser(sub)
    add_calibrate_parser(sub)
    add_tempering_parser(sub)
    add_dwave_parser(sub)
    add_spin_glass_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one benchmark subcommand and print its result as one JSON line (``suite``
    without ``--json`` prints a table instead)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        result = args.func(args)
    except ValueError as err:
        parser.error(str(err))
    except InsufficientMemoryError as err:
        print(f"{parser.prog} {args.command}: refused: {err}", file=sys.stderr)
        return 3
    if result is None:
        return 0
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")
    return 0
