"""``newsevents bench``: run the benchmark scripts of a source checkout.

The benchmarks live in the repository's ``benchmarks/`` folder (they read ../shared corpora
and print numbers and ratios; they are not part of the installed package). This command finds
that folder from the package's location or the current directory, lists what is there and runs
one script with the Python that runs newsevents, passing every further argument through.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer

from newsevents.cli_support import EXIT_OK, EXIT_USAGE, echo_error, guard

__all__ = ["register", "find_benchmarks", "describe"]


def find_benchmarks(*, cwd: Path | None = None) -> Path | None:
    """The ``benchmarks/`` folder of the source checkout newsevents runs from, if any."""
    package_root = Path(__file__).resolve().parents[3]  # src/newsevents/commands -> repo
    for base in (package_root, (cwd or Path.cwd()).resolve()):
        folder = base / "benchmarks"
        if folder.is_dir() and any(folder.glob("*.py")):
            return folder
    return None


def describe(script: Path) -> str:
    """The first line of a script's module docstring."""
    try:
        doc = ast.get_docstring(ast.parse(script.read_text(encoding="utf-8")))
    except (OSError, SyntaxError, ValueError):
        return ""
    return doc.strip().splitlines()[0] if doc else ""


def register(app: typer.Typer) -> None:
    @app.command(
        "bench",
        context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    )
    def bench_cmd(
        ctx: typer.Context,
        name: Annotated[
            str | None,
            typer.Argument(help="Benchmark to run (see the list); further options go to it.", show_default=False),
        ] = None,
    ) -> None:
        """Run a benchmark from the checkout's benchmarks/ folder (no NAME: list them).

        Example: newsevents bench throughput --n 200 --processes 1 2
        """
        with guard():
            folder = find_benchmarks()
            if folder is None:
                echo_error(
                    "No benchmarks/ folder found: the benchmarks ship with the source repository, "
                    "not the installed package. Run this from a clone of newsevents."
                )
                raise typer.Exit(EXIT_USAGE)
            scripts = {p.stem: p for p in sorted(folder.glob("*.py")) if not p.stem.startswith("_")}
            if name is None:
                for stem, path in scripts.items():
                    typer.echo(f"{stem:<14} {describe(path)}")
                raise typer.Exit(EXIT_OK)
            if name not in scripts:
                echo_error(f"Unknown benchmark {name!r}. Available: {', '.join(scripts)}.")
                raise typer.Exit(EXIT_USAGE)
            env = dict(os.environ)
            env.setdefault("PYTHONUNBUFFERED", "1")
            done = subprocess.run([sys.executable, str(scripts[name]), *ctx.args], env=env, check=False)
            raise typer.Exit(done.returncode)
