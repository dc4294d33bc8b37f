"""CLI commands beyond ``code``/``schema``/``eval``/``version``, one module per command group.

Every module here defines ``register(app: typer.Typer) -> None`` and is picked up by
:func:`register_all`, so a new command never edits a shared file. Modules import heavy
dependencies (SQLAlchemy, FastAPI, Dask, pyarrow) inside their command functions, so
``newsevents --help`` stays fast.
"""

from __future__ import annotations

import importlib
import pkgutil

import typer

__all__ = ["register_all"]


def register_all(app: typer.Typer) -> None:
    """Register every command module of this package on ``app``, in name order."""
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        module.register(app)
