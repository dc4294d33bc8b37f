"""`newsevents bench`: lists and runs the checkout's benchmark scripts."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from newsevents.cli import app
from newsevents.commands.bench import describe, find_benchmarks

runner = CliRunner()


def test_lists_the_benchmarks_with_their_first_docstring_line() -> None:
    result = runner.invoke(app, ["bench"])
    assert result.exit_code == 0
    assert "throughput" in result.output and "bare spaCy" in result.output


def test_unknown_benchmark_is_a_usage_error() -> None:
    result = runner.invoke(app, ["bench", "no-such-benchmark"])
    assert result.exit_code == 2


def test_benchmark_folder_is_the_checkouts() -> None:
    folder = find_benchmarks()
    assert folder is not None and (folder / "throughput.py").exists()


def test_describe_reads_the_module_docstring(tmp_path: Path) -> None:
    script = tmp_path / "x.py"
    script.write_text('"""Measures things.\n\nMore."""\nprint(1)\n', encoding="utf-8")
    assert describe(script) == "Measures things."
    script.write_text("print(1)\n", encoding="utf-8")
    assert describe(script) == ""
