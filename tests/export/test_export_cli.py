"""``newsevents export``: options, stdout vs --output, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _export_store import Fixture
from typer.testing import CliRunner

from newsevents.cli import app
from newsevents.export.gdelt import GDELT_COLUMNS

runner = CliRunner(env={"COLUMNS": "300"})


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["export", *args])
    return result.exit_code, result.stdout, result.stderr


def test_jsonl_to_stdout_by_default(fx: Fixture) -> None:
    code, out, _ = _run("--db", fx.url)
    assert code == 0
    assert [json.loads(line)["event_id"] for line in out.splitlines()] == [
        s.event.event_id for s in fx.visible
    ]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--event-type", "ASSAULT"], ["doc-1:e0", "doc-2:e0"]),
        (["-t", "assault", "--include-duplicates"], ["doc-1:e0", "doc-2:e0", "doc-3:e0"]),
        (["--date-from", "2024-04-01", "--date-to", "2024-04-30"], ["doc-4:e0", "doc-6:e0"]),
        (["--quad-class", "3", "--quad-class", "4"], ["doc-5:e0", "doc-1:e0", "doc-2:e0"]),
        (["--country", "uno"], ["doc-5:e0", "doc-4:e0"]),
        (["--actor", "russia"], ["doc-1:e0", "doc-2:e0"]),
        (["--reported"], ["doc-2:e0"]),
        (["--unreported", "--sector", "GOV"], ["doc-1:e0", "doc-4:e0", "doc-6:e0"]),
        (["--mode", "visit"], ["doc-4:e0"]),
        (["--q", "number 5"], ["doc-5:e0"]),
        (["--place", "khar", "--factuality", "asserted"], ["doc-1:e0"]),
    ],
)
def test_filter_options(fx: Fixture, args: list[str], expected: list[str]) -> None:
    code, out, err = _run("--db", fx.url, *args)
    assert code == 0, err
    assert [json.loads(line)["event_id"] for line in out.splitlines()] == expected


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "plover", "gdelt"])
def test_text_formats_to_stdout_and_to_a_file_agree(fx: Fixture, tmp_path: Path, fmt: str) -> None:
    code, out, _ = _run("--db", fx.url, "--format", fmt)
    assert code == 0 and out
    target = tmp_path / f"events.{fmt}"
    code, out2, err = _run("--db", fx.url, "-f", fmt, "--output", str(target))
    assert code == 0
    assert out2 == ""
    assert "Wrote" in err
    assert target.read_text(encoding="utf-8").replace("\r\n", "\n") == out.replace("\r\n", "\n")


def test_gdelt_options(fx: Fixture) -> None:
    code, out, _ = _run("--db", fx.url, "-f", "gdelt")
    lines = out.splitlines()
    assert code == 0 and lines[0].split("\t") == list(GDELT_COLUMNS) and len(lines) == 1 + 4
    code, out, _ = _run("--db", fx.url, "-f", "gdelt", "--gdelt-per-event")
    assert code == 0 and len(out.splitlines()) == 1 + len(fx.visible)


def test_parquet_to_a_directory(fx: Fixture, tmp_path: Path) -> None:
    root = tmp_path / "dataset"
    code, out, err = _run("--db", fx.url, "-f", "parquet", "-o", str(root))
    assert code == 0, err
    assert out == ""
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*.parquet")) == [
        "year=2023/month=12/part-0.parquet",
        "year=2024/month=03/part-0.parquet",
        "year=2024/month=04/part-0.parquet",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-f", "parquet"], "--output"),
        (["-f", "xlsx"], "xlsx"),
        (["--date-from", "March"], "ISO date"),
        (["--event-type", "DANCE"], "unknown event type"),
        (["--quad-class", "7"], "quad-class"),
        (["--factuality", "maybe"], "factuality"),
    ],
)
def test_usage_errors_exit_2(fx: Fixture, args: list[str], message: str) -> None:
    code, out, err = _run("--db", fx.url, *args)
    assert code == 2
    assert out == ""
    assert message in err


def test_parquet_into_a_used_directory_exits_2(fx: Fixture, tmp_path: Path) -> None:
    used = tmp_path / "used"
    used.mkdir()
    (used / "keep.txt").write_text("x")
    code, _, err = _run("--db", fx.url, "-f", "parquet", "-o", str(used))
    assert code == 2 and "not empty" in err
    assert [p.name for p in used.iterdir()] == ["keep.txt"]


def test_missing_store_exits_1_with_a_coded_message(tmp_path: Path) -> None:
    code, out, err = _run("--db", str(tmp_path / "nope.db"))
    assert code == 1
    assert out == ""
    assert "E401" in err


def test_db_from_environment(fx: Fixture, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSEVENTS_DB", fx.url)
    code, out, _ = _run("-t", "CONSULT")
    assert code == 0 and len(out.splitlines()) == 1
