"""Glue for the thin workflow scripts: logging and timing (no physics here)."""

from __future__ import annotations

import logging
import sys
import time
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger("statnn")


def setup_logging(log_file: str | Path | None = None) -> logging.Logger:
    """Log INFO lines to stderr and, if given, to ``log_file`` (a rule's log)."""
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if log_file:
        Path(log_file).parent.mkdir(parents=True, exist_ok=True)
        handlers.append(logging.FileHandler(log_file, mode="w"))
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(name)s %(levelname)s %(message)s",
        handlers=handlers,
        force=True,
    )
    return log


@contextmanager
def timed(what: str):
    """Log how long ``what`` took."""
    start = time.perf_counter()
    log.info("%s ...", what)
    yield
    log.info("%s done in %.2f s", what, time.perf_counter() - start)
