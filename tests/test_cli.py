"""The command line: formats, error lines, exit codes.

Most tests replace the pipeline with a small fake coder so they run without the model; the
tests marked ``model`` run the real pipeline on the sample articles.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from newsevents import cli
from newsevents._version import __version__
from newsevents.model import Actor, Article, DocError, Event, EventDate, Evidence, Place, Size, Span

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
runner = CliRunner()


@dataclass
class FakeCoded:
    article: Article
    events: list[Event] = field(default_factory=list)
    error: DocError | None = None


def _event(article: Article) -> Event:
    sentence = article.text.split("\n")[0]
    trigger = sentence.split()[1] if len(sentence.split()) > 1 else sentence
    t_start = sentence.index(trigger)
    return Event(
        doc_id=article.id,
        event_id=f"{article.id}-e1",
        event_type="ACCUSE",
        cameo="111",
        cameo_name="Criticize or denounce",
        quad_class=3,
        goldstein=-2.0,
        actor=[Actor(text="Iran", name="Iran", country="IRN", code="IRN", start=0, end=4)],
        recipient=[
            Actor(text="Israel", name="Israel", country="ISR", code="ISRGOV", start=5, end=11),
            Actor(text="Hamas", name="Hamas", code="PSEREB", start=12, end=17),
        ],
        date=EventDate(value=article.date or dt.date(2024, 3, 5), precision="day"),
        location=Place(text="Doha", name="Doha", country="QAT", lat=25.29, lon=51.53),
        size=Size(dead=42, injured=100),
        reported_by=Actor(text="the health ministry", name="Health Ministry", start=0, end=1),
        factuality="reported",
        evidence=Evidence(
            sentence=sentence,
            sentence_index=0,
            start=0,
            end=len(sentence),
            trigger=Span(text=trigger, start=t_start, end=t_start + len(trigger)),
        ),
        confidence=0.8,
    )


def fake_code_many(
    articles: Iterable[Article], *, n_process: int = 1, batch_size: int = 32, dictionaries: tuple[str, ...] = ()
) -> Iterator[FakeCoded]:
    for article in articles:
        if "FAIL" in article.text:
            error = DocError(doc_id=article.id, code="E203", stage="events", message="boom")
            yield FakeCoded(article, error=error)
        else:
            yield FakeCoded(article, [_event(article)])


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "_code_many", fake_code_many)


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    path = tmp_path / "batch.jsonl"
    records = [
        {"id": "a", "text": "Iran condemned Israel.", "date": "2024-03-05"},
        {"id": "b", "text": "Qatar urged calm.", "date": "2024-03-06"},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _errors(stderr: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]


def test_jsonl_is_one_event_per_line(fake: None, batch: Path) -> None:
    result = runner.invoke(cli.app, ["code", str(batch)])
    assert result.exit_code == 0, result.output
    events = [Event.model_validate_json(line) for line in result.stdout.splitlines()]
    assert [e.doc_id for e in events] == ["a", "b"]
    assert events[1].date.value.isoformat() == "2024-03-06"


def test_json_is_an_array(fake: None, batch: Path) -> None:
    result = runner.invoke(cli.app, ["code", str(batch), "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [Event.model_validate(d).doc_id for d in data] == ["a", "b"]


def test_json_without_events_is_an_empty_array(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli, "_code_many", lambda arts, **_: (FakeCoded(a) for a in arts))
    path = tmp_path / "a.txt"
    path.write_text("Nothing happened.", encoding="utf-8")
    result = runner.invoke(cli.app, ["code", str(path), "-f", "json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []


def test_csv_columns_are_flat(fake: None, batch: Path) -> None:
    result = runner.invoke(cli.app, ["code", str(batch), "--format", "csv"])
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == list(cli.CSV_COLUMNS)
    row = rows[0]
    assert row["doc_id"] == "a"
    assert row["actor_codes"] == "IRN"
    assert row["recipient_codes"] == "ISRGOV;PSEREB"
    assert row["recipient_names"] == "Israel;Hamas"
    assert row["date"] == "2024-03-05"
    assert (row["location_name"], row["location_country"], row["location_lat"]) == (
        "Doha",
        "QAT",
        "25.29",
    )
    assert (row["dead"], row["injured"], row["arrested"]) == ("42", "100", "")
    assert row["reported_by"] == "Health Ministry"
    assert row["factuality"] == "reported"
    assert row["sentence"] == "Iran condemned Israel."
    assert row["trigger"] == "condemned"
    assert row["confidence"] == "0.8"


def test_table(fake: None, batch: Path) -> None:
    result = runner.invoke(cli.app, ["code", str(batch), "--format", "table"])
    assert result.exit_code == 0
    assert "ACCUSE" in result.stdout and "ISRGOV" in result.stdout and "condemned" in result.stdout


def test_output_file(fake: None, batch: Path, tmp_path: Path) -> None:
    out = tmp_path / "events.csv"
    result = runner.invoke(cli.app, ["code", str(batch), "-f", "csv", "-o", str(out)])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert len(list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))) == 3


def test_failed_document_prints_an_error_line_and_exits_1(fake: None, tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        json.dumps({"id": "ok", "text": "Iran condemned Israel."})
        + "\n{broken\n"
        + json.dumps({"id": "bad", "text": "FAIL here."})
        + "\n"
        + json.dumps({"id": "ok2", "text": "Qatar urged calm."})
        + "\n",
        encoding="utf-8",
    )
    result = runner.invoke(cli.app, ["code", str(path)])
    assert result.exit_code == 1
    assert [json.loads(line)["doc_id"] for line in result.stdout.splitlines()] == ["ok", "ok2"]
    errors = _errors(result.stderr)
    assert {(e["doc_id"], e["code"], e["stage"]) for e in errors} == {
        (f"{path}:2", "E003", "read"),
        ("bad", "E203", "events"),
    }
    assert all(set(e) == {"doc_id", "code", "stage", "message"} for e in errors)


@pytest.mark.parametrize("value", ["2024-13-01", "yesterday", "05/03/2024"])
def test_bad_date_is_usage_error(fake: None, batch: Path, value: str) -> None:
    result = runner.invoke(cli.app, ["code", str(batch), "--date", value])
    assert result.exit_code == 2
    assert "Error [E005]:" in result.stderr


def test_default_date_applies(fake: None, tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Iran condemned Israel.", encoding="utf-8")
    result = runner.invoke(cli.app, ["code", str(path), "--date", "2023-07-01"])
    assert result.exit_code == 0
    assert Event.model_validate_json(result.stdout).date.value.isoformat() == "2023-07-01"


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["code", "does/not/exist.txt"], "E001"),
        (["code", "pyproject.toml"], "E002"),
    ],
)
def test_bad_inputs_are_usage_errors(fake: None, args: list[str], code: str) -> None:
    result = runner.invoke(cli.app, args)
    assert result.exit_code == 2
    assert f"Error [{code}]:" in result.stderr


@pytest.mark.parametrize(
    "args",
    [["code", "--format", "xml"], ["code", "--n-process", "0"], ["nonsense"]],
)
def test_bad_options_exit_2(fake: None, args: list[str]) -> None:
    assert runner.invoke(cli.app, args).exit_code == 2


def test_stdin_is_the_default_input(fake: None) -> None:
    data = json.dumps({"id": "s", "text": "Iran condemned Israel."}) + "\n"
    result = runner.invoke(cli.app, ["code"], input=data)
    assert result.exit_code == 0
    assert Event.model_validate_json(result.stdout).doc_id == "s"


def test_internal_error_exits_3(monkeypatch: pytest.MonkeyPatch, batch: Path) -> None:
    def broken(articles: Iterable[Article], **_: object) -> Iterator[FakeCoded]:
        raise RuntimeError("kaput")

    monkeypatch.setattr(cli, "_code_many", broken)
    result = runner.invoke(cli.app, ["code", str(batch)])
    assert result.exit_code == 3
    assert "Internal error" in result.stderr and "kaput" in result.stderr


def test_library_error_exits_1(monkeypatch: pytest.MonkeyPatch, batch: Path) -> None:
    from newsevents.errors import Errors, NewsEventsError

    def no_model(articles: Iterable[Article], **_: object) -> Iterator[FakeCoded]:
        raise NewsEventsError(Errors.E201, name="x", detail="missing")

    monkeypatch.setattr(cli, "_code_many", no_model)
    result = runner.invoke(cli.app, ["code", str(batch)])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error [E201]: The spaCy pipeline 'x'")


def test_progress_counts_documents(capsys: pytest.CaptureFixture[str]) -> None:
    bar = cli._DocProgress(enabled=True)
    for _ in range(3):
        bar.advance()
    bar.close()
    assert bar.done == 3
    assert "docs" in capsys.readouterr().err


def test_schema() -> None:
    result = runner.invoke(cli.app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["title"] == "Event"
    assert {"event_type", "cameo", "evidence", "actor"} <= set(schema["properties"])


@pytest.mark.parametrize("args", [["version"], ["--version"]])
def test_version(args: list[str]) -> None:
    result = runner.invoke(cli.app, args)
    assert result.exit_code == 0
    assert f"newsevents  {__version__}" in result.stdout
    assert "spaCy" in result.stdout and "model" in result.stdout


class FakeReport:
    def render(self) -> str:
        return "suite report"

    def write_details(self, path: Path) -> None:
        path.write_text("{}\n", encoding="utf-8")


def test_eval_calls_run_suite(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import newsevents.eval

    calls: list[dict[str, Any]] = []

    def run_suite(name: str, **kwargs: Any) -> FakeReport:
        calls.append({"name": name, **kwargs})
        return FakeReport()

    monkeypatch.setattr(newsevents.eval, "run_suite", run_suite)
    details = tmp_path / "details.jsonl"
    args = [
        "eval",
        "plover-gsr",
        "--shared",
        str(tmp_path),
        "--limit",
        "5",
        "--details",
        str(details),
    ]
    result = runner.invoke(cli.app, args)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "suite report"
    assert calls == [{"name": "plover-gsr", "shared": tmp_path, "limit": 5, "details": True, "dictionaries": None}]
    assert details.read_text(encoding="utf-8") == "{}\n"


def test_eval_unknown_suite_is_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(cli.app, ["eval", "no-such-suite", "--shared", str(tmp_path)])
    assert result.exit_code == 2
    assert "Error [E301]:" in result.stderr


def test_eval_list() -> None:
    import newsevents.eval

    result = runner.invoke(cli.app, ["eval", "--list"])
    assert result.exit_code == 0
    for name in newsevents.eval.SUITES:
        assert name in result.stdout


def test_default_shared(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NEWSEVENTS_SHARED", str(tmp_path / "elsewhere"))
    assert cli.default_shared() == tmp_path / "elsewhere"
    monkeypatch.delenv("NEWSEVENTS_SHARED")
    repo, shared = tmp_path / "repo", tmp_path / "shared"
    (repo / "sub").mkdir(parents=True)
    shared.mkdir()
    (repo / "pyproject.toml").write_text("", encoding="utf-8")
    assert cli.default_shared(cwd=repo / "sub") == shared


# -- with the real pipeline ---------------------------------------------------------------------


@pytest.mark.model
def test_code_samples_with_the_model() -> None:
    result = runner.invoke(cli.app, ["code", str(SAMPLES / "articles.jsonl")])
    assert result.exit_code == 0, result.stderr
    events = [Event.model_validate_json(line) for line in result.stdout.splitlines()]
    assert events, "the sample articles should produce events"
    texts = {
        json.loads(line)["id"]: json.loads(line)["text"]
        for line in (SAMPLES / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    }
    for event in events:
        text = texts[event.doc_id]
        # evidence points into the original text, whatever normalization changed
        assert text[event.evidence.start : event.evidence.end] == event.evidence.sentence
        trigger = event.evidence.trigger
        assert text[trigger.start : trigger.end] == trigger.text


@pytest.mark.model
@pytest.mark.parametrize("fmt", ["json", "csv", "table"])
def test_formats_with_the_model(fmt: str) -> None:
    result = runner.invoke(
        cli.app, ["code", str(SAMPLES / "qatar-calls.txt"), "-f", fmt, "--date", "2024-03-05"]
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip()
