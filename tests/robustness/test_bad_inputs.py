"""The bad-input matrix: every kind of bad document gets a clear per-document error (or a clean
empty result), the batch goes on, and the store holds whole documents only.

Already covered elsewhere (not repeated here; see ROBUSTNESS.md): the reader's unit tests in
tests/test_inputs.py (binary → E007, Windows-1252 fallback, truncated gzip → E011, bad JSONL
lines → E003/E004/E013, duplicate ids → E012, empty → E006, HTML without an article → E008),
the language check in tests/test_language.py, and `newsevents code` error lines and exit codes
in tests/test_cli.py. This file drives the same inputs end to end through `newsevents ingest`
and `newsevents code` with the real model, plus the cases nobody tested (50 MB, a 100,000-character
sentence, French, impossible and future dates).
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import logging
import random
import time
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from rb_helpers import consistency_problems, count, failures, story, story_records, write_jsonl
from sqlalchemy import select
from typer.testing import CliRunner

from newsevents import pipeline
from newsevents.cli import app
from newsevents.inputs import MAX_CHARS, read_inputs
from newsevents.model import Article, DocError
from newsevents.store import open_store
from newsevents.store import schema as s

runner = CliRunner()

# Non-English news-like sentences written for these tests.
FOREIGN = {
    "arabic": "التقى وزير الخارجية المصري بنظيره القطري في الدوحة يوم الاثنين لبحث وقف إطلاق النار في غزة.",
    "chinese": "外交部长周一在北京会见了来访的俄罗斯代表团，双方讨论了边境贸易与地区安全问题。",
    "russian": "Министр иностранных дел встретился в понедельник со своим турецким коллегой в Анкаре и обсудил перемирие.",
    "french": "Le ministre des Affaires étrangères a rencontré lundi son homologue allemand à Paris pour discuter "
    "de la guerre en Ukraine et des sanctions contre la Russie, selon un communiqué du gouvernement.",
}
NO_ARTICLE_HTML = (
    "<html><head><title>Home</title></head><body><nav><a href='/'>Home</a> <a href='/world'>World</a>"
    "</nav><ul><li><a href='/a'>More</a></li></ul></body></html>"
)


def _long_sentence(n_chars: int = 100_000) -> str:
    rng = random.Random(7)
    words = ["minister", "met", "police", "arrested", "Russia", "attacked", "Kyiv", "talks", "the", "army",
             "government", "protesters", "in", "on", "and", "troops", "Egypt", "accused", "Israel"]  # fmt: skip
    out = " ".join(rng.choice(words) for _ in range(n_chars // 4))
    return out[:n_chars].rsplit(" ", 1)[0]


def _write_50mb(path: Path) -> Path:
    line = ("Police arrested protesters in the capital on Monday, officials said. " * 16) + "\n"
    with path.open("w", encoding="utf-8") as out:
        for _ in range(50 * 1024 * 1024 // len(line) + 1):
            out.write(line)
    return path


def _bad_batch(folder: Path) -> dict[str, tuple[str, str] | None]:
    """A folder of bad (and some good) inputs; returns {doc id: expected (code, stage) or None}."""
    folder.mkdir()
    expected: dict[str, tuple[str, str] | None] = {}

    def text(name: str, data: bytes, want: tuple[str, str] | None) -> None:
        (folder / name).write_bytes(data)
        expected[name] = want

    text("a_good.txt", story(0).encode(), None)
    text("empty.txt", b"", ("E006", "read"))
    text("whitespace.txt", b" \n\t\r\n   ", ("E006", "read"))
    text("binary.txt", bytes(random.Random(1).randrange(256) for _ in range(4096)) + b"\x00", ("E007", "read"))
    text("invalid_utf8.txt", b"Egypt's president met \xc3\x28 officials in Cairo on Monday, \xff officials said.", None)
    text("cp1252.txt", "Egypt\u2019s president met \u201crebel\u201d leaders in Cairo.".encode("cp1252"), None)
    for language, sentence in FOREIGN.items():
        text(f"{language}.txt", sentence.encode(), ("E009", "normalize"))
    text("no_article.html", NO_ARTICLE_HTML.encode(), ("E008", "read"))
    good_gz = gzip.compress(json.dumps({"id": "gz1", "text": story(1)}).encode() + b"\n")
    records = b"".join(json.dumps({"id": f"gz{n}", "text": story(n)}).encode() + b"\n" for n in range(2, 40))
    truncated = gzip.compress(records)
    text("ok.jsonl.gz", good_gz, None)
    expected.pop("ok.jsonl.gz")
    expected["gz1"] = None
    (folder / "truncated.jsonl.gz").write_bytes(truncated[: len(truncated) // 2])
    expected["truncated.jsonl.gz"] = ("E011", "read")  # the records before the cut are read
    lines: list[dict[str, Any] | str] = [
        {"id": "j_ok", "text": story(2), "date": "2024-03-05"},
        "{not json",
        "[1, 2, 3]",
        {"id": "j_int_text", "text": 5},
        {"id": "j_no_text"},
        {"id": ["list"], "text": story(3)},
        {"id": "j_date_type", "text": story(4), "date": 20240305},
        {"id": "j_title_type", "text": story(5), "title": {"a": 1}},
        {"id": "j_impossible", "text": story(6), "date": "2024-02-30"},
        {"id": "j_future", "text": story(7), "date": "2999-01-01"},
        {"id": "j_ok", "text": story(8)},  # duplicate id
    ]
    write_jsonl(folder / "records.jsonl", lines)
    base = "records.jsonl"
    expected.update(
        {
            "j_ok": None,
            f"{base}:2": ("E003", "read"),
            f"{base}:3": ("E013", "read"),
            "j_int_text": ("E004", "read"),
            "j_no_text": ("E004", "read"),
            f"{base}:6": ("E013", "read"),
            "j_date_type": ("E013", "read"),
            "j_title_type": ("E013", "read"),
            "j_impossible": None,
            "j_future": None,
        }
    )
    return expected


@pytest.mark.model
def test_ingest_bad_batch_goes_on_and_writes_whole_documents(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    expected = _bad_batch(tmp_path / "in")
    db = str(tmp_path / "bad.db")
    with caplog.at_level(logging.WARNING):
        done = runner.invoke(app, ["ingest", str(tmp_path / "in"), "--db", db, "--quiet"])
    assert done.exit_code == 1, done.output  # some documents failed; the run finished
    with open_store(db, readonly=True) as store:
        got_failures = failures(store)
        by_doc = {doc: (code, stage) for doc, code, stage in got_failures if code != "E012"}
        for doc, want in expected.items():
            if want is None:
                assert doc not in by_doc, (doc, by_doc.get(doc))
            elif doc == "truncated.jsonl.gz":
                assert any(code == "E011" for d, code, _ in got_failures if d.startswith(doc)), got_failures
            else:
                assert by_doc.get(doc) == want, (doc, by_doc.get(doc))
        # duplicate id: the second j_ok is skipped with E012
        assert ("j_ok", "E012", "read") in got_failures
        with store.connect() as conn:
            rows = {r.doc_id: r for r in conn.execute(select(s.articles))}
            runs = conn.execute(select(s.runs.c.status)).scalars().all()
        assert runs == ["finished"]
        stored = set(rows)
        assert {"a_good.txt", "invalid_utf8.txt", "cp1252.txt", "gz1", "j_ok", "j_impossible", "j_future"} <= stored
        assert any(d.startswith("gz") and d != "gz1" for d in stored)  # records before the gzip cut
        assert not stored & {"arabic.txt", "chinese.txt", "russian.txt", "french.txt"}  # no garbage events
        assert "\u2019" in rows["cp1252.txt"].text and "\u201crebel\u201d" in rows["cp1252.txt"].text
        assert rows["j_impossible"].pub_date is None  # unreadable date: unknown, W001 logged
        assert rows["j_future"].pub_date == dt.date(2999, 1, 1)  # kept, W002 logged
        assert consistency_problems(store) == []
        assert count(store, s.events) > 0
    messages = " ".join(r.getMessage() for r in caplog.records)
    assert "[W001]" in messages and "j_impossible" in messages
    assert "[W002]" in messages and "j_future" in messages

    # a second run changes nothing and fails the same documents again (recorded once)
    again = runner.invoke(app, ["ingest", str(tmp_path / "in"), "--db", db, "--quiet"])
    assert again.exit_code == 1
    with open_store(db, readonly=True) as store:
        assert failures(store) == got_failures
        assert consistency_problems(store) == []


@pytest.mark.model
@pytest.mark.parametrize("language", sorted(FOREIGN))
def test_code_reports_not_english_and_no_events(tmp_path: Path, language: str) -> None:
    path = tmp_path / f"{language}.txt"
    path.write_text(FOREIGN[language], encoding="utf-8")
    done = runner.invoke(app, ["code", str(path)])
    assert done.exit_code == 1
    assert done.stdout.strip() == ""  # no events
    errors = [json.loads(line) for line in done.stderr.splitlines() if line.startswith("{")]
    assert [(e["code"], e["stage"]) for e in errors] == [("E009", "normalize")]
    assert "not look like English" in errors[0]["message"]


@pytest.mark.model
@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("empty.txt", b""),
        ("blank.txt", b"   \n\t  \n"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        ("no_article.html", NO_ARTICLE_HTML.encode()),
    ],
)
def test_code_bad_file_next_to_a_good_one(tmp_path: Path, name: str, data: bytes) -> None:
    (tmp_path / name).write_bytes(data)
    good = tmp_path / "good.txt"
    good.write_text(story(1), encoding="utf-8")
    done = runner.invoke(app, ["code", str(tmp_path / name), str(good)])
    assert done.exit_code == 1
    events = [json.loads(line) for line in done.stdout.splitlines()]
    assert events and {e["doc_id"] for e in events} == {str(good)}  # the batch went on
    errors = [json.loads(line) for line in done.stderr.splitlines() if line.startswith("{")]
    assert len(errors) == 1 and errors[0]["code"] in {"E006", "E007", "E008"}


@pytest.mark.model
def test_50mb_text_is_e010_nothing_written_memory_bounded(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    big = _write_50mb(folder / "big.txt")
    (folder / "small.txt").write_text(story(2), encoding="utf-8")
    write_jsonl(folder / "big_line.jsonl", [{"id": "huge", "text": "word " * (MAX_CHARS // 2)}, {"id": "after", "text": story(3)}])
    assert big.stat().st_size >= 50 * 1024 * 1024
    assert MAX_CHARS == pipeline.MAX_CHARS

    tracemalloc.start()
    try:
        items = list(read_inputs([str(big)]))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(items) == 1 and isinstance(items[0], DocError)
    assert items[0].code == "E010" and items[0].stage == "read"
    assert "52,4" in items[0].message  # the real size, counted without holding the file
    assert peak < 40 * 1024 * 1024, f"reading a 50 MB file peaked at {peak / 2**20:.0f} MB"

    db = str(tmp_path / "big.db")
    done = runner.invoke(app, ["ingest", str(folder), "--db", db, "--quiet"])
    assert done.exit_code == 1, done.output
    with open_store(db, readonly=True) as store:
        assert {(d, c) for d, c, _ in failures(store)} == {("big.txt", "E010"), ("huge", "E010")}
        with store.connect() as conn:
            assert set(conn.execute(select(s.articles.c.doc_id)).scalars()) == {"small.txt", "after"}
        assert consistency_problems(store) == []


def test_over_long_jsonl_line_is_skipped_unread(tmp_path: Path) -> None:
    path = tmp_path / "line.jsonl"
    with path.open("w", encoding="utf-8") as out:  # one 13 MB line: more than any 2M-character record
        out.write('{"id": "huge", "text": "' + "x" * (13 * 1024 * 1024) + '"}\n')
        out.write(json.dumps({"id": "next", "text": "Kenya met Uganda."}) + "\n")
    tracemalloc.start()
    try:
        items = list(read_inputs([str(path)]))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert isinstance(items[0], DocError) and items[0].code == "E010"
    assert isinstance(items[1], Article) and items[1].id == "next"
    assert peak < 40 * 1024 * 1024


@pytest.mark.model
@pytest.mark.slow
def test_100k_character_sentence_codes_in_bounded_time() -> None:
    text = _long_sentence()
    assert len(text) > 99_000 and "." not in text
    started = time.perf_counter()
    result = next(pipeline.code_many([Article(id="long", text=text, date=dt.date(2024, 3, 5))]))
    elapsed = time.perf_counter() - started
    assert elapsed < 180, f"{elapsed:.0f} s"  # about 10 s on one core
    assert result.error is None
    for event in result.events:  # every event points into the text
        assert text[event.evidence.trigger.start : event.evidence.trigger.end] == event.evidence.trigger.text


@pytest.mark.model
def test_one_100k_character_token_is_harmless() -> None:
    text = "Police arrested protesters. " + "x" * 100_000
    result = next(pipeline.code_many([Article(id="tok", text=text)]))
    assert result.error is None


@pytest.mark.model
def test_library_code_many_reports_per_document(tmp_path: Path) -> None:
    docs = [
        Article(id="ok", text=story(0)),
        Article(id="ws", text="  \n\t "),
        Article(id="ru", text=FOREIGN["russian"]),
        Article(id="zh", text=FOREIGN["chinese"]),
        Article(id="ok2", text=story(1)),
    ]
    results = list(pipeline.code_many(docs, batch_size=2))
    assert [r.article.id for r in results] == ["ok", "ws", "ru", "zh", "ok2"]
    assert [r.error.code if r.error else None for r in results] == [None, "E006", "E009", "E009", None]
    assert all(not r.events for r in results[1:4])
    assert results[0].events and results[4].events


@pytest.mark.model
def test_ingest_date_option_validates(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "a.jsonl", story_records(1))
    done = runner.invoke(app, ["ingest", str(path), "--db", str(tmp_path / "d.db"), "--date", "2024-02-30"])
    assert done.exit_code == 2 and "E005" in done.output
    assert not (tmp_path / "d.db").exists()  # nothing created on a usage error
