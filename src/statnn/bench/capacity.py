"""Benchmark of the capacity experiment: our compiled perceptron against scikit-learn's.

    python -m statnn.bench capacity --n-inputs 50 --alphas 0.5 1 1.5 2 2.5 3 --trials 20

Both learners see the same random dichotomies (``capacity.trial_dichotomy``: stream (seed,
"capacity", N, α, trial)), start from w = 0, have no bias (Cover's plane through the origin)
and get the same epoch budget: ours, ``train_perceptron(..., bias=False, record=False)``,
stops at the first epoch without a mistake; ``sklearn.linear_model.Perceptron(
fit_intercept=False, max_iter=max_epochs, tol=None, shuffle=True)`` has no such stopping
rule with ``tol=None`` and runs all ``max_epochs`` epochs. Compilation (numba) and the first
scikit-learn fit are done before timing. Each fit is timed alone (time.perf_counter around
the call, input validation included). Dichotomies with a single class, which scikit-learn
refuses, are skipped for both (counted in ``skipped_single_class``; only at tiny P). The
result reports seconds per fit for each, their ratio (ours / scikit-learn: < 1 means ours
is faster), and for each the fraction of fits that converged or reached training accuracy
1.0.
"""

from __future__ import annotations

import argparse
import time
import warnings
from collections.abc import Sequence

import numpy as np

from statnn.bench import keyword_command, positive_float, positive_int
from statnn.capacity import _check_alphas, trial_dichotomy
from statnn.perceptron import train_perceptron
from statnn.validation import check_int

__all__ = ["DEFAULT_ALPHAS", "add_capacity_parser", "run_capacity_benchmark"]

DEFAULT_ALPHAS = (0.5, 1.0, 1.5, 1.75, 2.0, 2.25, 2.5, 3.0)


def _sklearn_perceptron():
    try:
        from sklearn.linear_model import Perceptron
    except ImportError as err:  # optional, test-only dependency
        raise RuntimeError(
            "the capacity benchmark compares with scikit-learn, which is not installed; "
            "install it with: pip install 'statnn[test]' (or pip install scikit-learn)"
        ) from err
    return Perceptron


def run_capacity_benchmark(
    n_inputs: int = 50,
    alphas: Sequence[float] = DEFAULT_ALPHAS,
    trials: int = 20,
    max_epochs: int = 1000,
    seed: int = 0,
) -> dict:
    """Time our perceptron and scikit-learn's on the same dichotomies (module docstring)."""
    n = check_int(n_inputs, "n_inputs", 1)
    a_values = _check_alphas(alphas)
    n_trials = check_int(trials, "trials", 1)
    epochs = check_int(max_epochs, "max_epochs", 1)
    check_int(seed, "seed", 0)
    perceptron_cls = _sklearn_perceptron()

    def sklearn_fit(x, y, order_seed):
        clf = perceptron_cls(
            fit_intercept=False,
            max_iter=epochs,
            tol=None,
            shuffle=True,
            random_state=order_seed,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # ConvergenceWarning when the budget runs out
            return clf.fit(x, y)

    # warm up: numba compilation / cache load and scikit-learn's first-call imports
    x0, y0 = np.eye(2, n), np.array([1.0, -1.0])
    train_perceptron(x0, y0, max_epochs=1, bias=False, record=False, seed=0)
    sklearn_fit(x0, y0, 0)

    ours_s = sk_s = 0.0
    ours_conv = ours_acc = sk_conv = sk_acc = agree = skipped = 0
    for a in a_values:
        for trial in range(n_trials):
            x, y, order_seed = trial_dichotomy(n, a, trial, seed)
            if np.all(y == y[0]):  # scikit-learn refuses a single class; skip for both
                skipped += 1
                continue
            t0 = time.perf_counter()
            fit = train_perceptron(
                x, y, max_epochs=epochs, bias=False, shuffle=True, seed=order_seed, record=False
            )
            t1 = time.perf_counter()
            clf = sklearn_fit(x, y, order_seed)
            t2 = time.perf_counter()
            ours_s += t1 - t0
            sk_s += t2 - t1
            ours_ok = bool(np.all(fit.predict(x) == y))
            sk_ok = bool(np.all(clf.predict(x) == y))
            ours_conv += fit.converged
            ours_acc += ours_ok
            # with tol=None scikit-learn never stops early; it has converged iff its final
            # weights classify every pattern correctly (no update in a further epoch)
            sk_conv += sk_ok
            sk_acc += sk_ok
            agree += ours_ok == sk_ok
    fits = len(a_values) * n_trials - skipped
    if fits == 0:
        raise ValueError("every dichotomy has a single class; increase n_inputs or alphas")
    ours_per_fit = ours_s / fits
    sk_per_fit = sk_s / fits
    return {
        "benchmark": "capacity",
        "n_inputs": n,
        "alphas": a_values,
        "trials": n_trials,
        "max_epochs": epochs,
        "seed": int(seed),
        "fits": fits,
        "skipped_single_class": skipped,
        "statnn_seconds": ours_s,
        "sklearn_seconds": sk_s,
        "statnn_seconds_per_fit": ours_per_fit,
        "sklearn_seconds_per_fit": sk_per_fit,
        "ratio_statnn_over_sklearn": ours_per_fit / sk_per_fit,
        "statnn_converged_fraction": ours_conv / fits,
        "statnn_accuracy_1_fraction": ours_acc / fits,
        "sklearn_converged_fraction": sk_conv / fits,
        "sklearn_accuracy_1_fraction": sk_acc / fits,
        "accuracy_1_agreement": agree / fits,
    }


def add_capacity_parser(subparsers) -> argparse.ArgumentParser:
    """Add the ``capacity`` subcommand to an argparse ``subparsers`` object.

    Its ``func`` default returns the result dict of ``run_capacity_benchmark``; the caller
    (``statnn.bench.main``) prints it as one JSON line.
    """
    p = subparsers.add_parser(
        "capacity",
        help="capacity experiment: our perceptron vs scikit-learn's, seconds per fit",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--n-inputs", type=positive_int, default=50, help="N (default 50)")
    p.add_argument(
        "--alphas",
        type=positive_float,
        nargs="+",
        default=list(DEFAULT_ALPHAS),
        help="loads α = P/N, each > 0 (default: %(default)s)",
    )
    p.add_argument("--trials", type=positive_int, default=20, help="dichotomies per α")
    p.add_argument("--max-epochs", type=positive_int, default=1000, help="epoch budget")
    p.add_argument("--seed", type=int, default=0, help="non-negative integer seed")
    p.set_defaults(func=keyword_command(run_capacity_benchmark))
    return p
