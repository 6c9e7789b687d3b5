"""Glue for the workflow: logging and timing for the thin scripts, and the engine sources a
script runs (its imports, transitively) for the rules' inputs. No physics here."""

from __future__ import annotations

import ast
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


# --- what a script runs: its imports, transitively ------------------------------------------


def _module_file(src: Path, dotted: str) -> Path | None:
    """``src/a/b.py`` or ``src/a/b/__init__.py`` for module ``a.b`` (None if neither)."""
    base = src.joinpath(*dotted.split("."))
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def _imported_names(path: Path, module: str | None) -> set[str]:
    """Dotted names that ``path`` (module ``module``; None for a script) may import.

    ``import a.b`` gives a.b; ``from a.b import c`` gives a.b and a.b.c (c may be a
    submodule); relative imports are resolved against ``module``'s package.
    """
    names: set[str] = set()
    package = None
    if module is not None:
        package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                if package is None or node.level - 1 > len(package):
                    continue
                parts = package[: len(package) - (node.level - 1)]
                base = ".".join([*parts, *([node.module] if node.module else [])])
            else:
                base = node.module or ""
            names.add(base)
            names.update(f"{base}.{a.name}" for a in node.names if a.name != "*")
    return {n for n in names if n}


def imported_sources(script: str | Path, src: str | Path) -> list[Path]:
    """The files under ``src`` whose code ``script`` runs: the modules it imports, what those
    import, and so on (imports anywhere in a file count, also inside functions).

    A dotted name ``a.b`` is ``src/a/b.py`` or the package ``src/a/b/__init__.py``; importing
    it runs ``a/__init__.py`` first, and a package's ``__init__`` brings in the submodules it
    imports. Names that are not files under ``src`` (other packages, functions) are skipped.
    This lists a Snakemake rule's engine sources, so that editing one reruns exactly the
    rules that run it.
    """
    src = Path(src)
    found: dict[Path, str | None] = {}
    todo: list[tuple[Path, str | None]] = [(Path(script), None)]
    seen: set[Path] = set()
    while todo:
        path, module = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        for name in _imported_names(path, module):
            parts = name.split(".")
            for i in range(1, len(parts) + 1):  # a, a.b, a.b.c: parents run first
                dotted = ".".join(parts[:i])
                target = _module_file(src, dotted)
                if target is None:
                    break
                if target not in found:
                    found[target] = dotted
                    todo.append((target, dotted))
    return sorted(found)
