"""Reading articles from every kind of input."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import logging
from pathlib import Path

import pytest

from newsevents.inputs import parse_date, read_inputs
from newsevents.model import Article, DocError

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
DEFAULT = dt.date(2024, 3, 5)

HTML = """<!DOCTYPE html><html><head><title>Talks resume | Test Wire</title>
<meta property="og:site_name" content="Test Wire">
<meta property="article:published_time" content="2023-11-02T09:00:00Z">
<link rel="canonical" href="https://news.example.org/talks"></head>
<body><nav><a href="/">Home</a></nav><article><h1>Talks resume</h1>
<p>CAIRO, Nov 2 - Egypt hosted a new round of talks between the two delegations on Thursday,
officials said, adding that the meeting lasted more than five hours.</p>
<p>The mediators said they expected another meeting next week in the Egyptian capital.</p>
</article><footer>Copyright Test Wire</footer></body></html>"""


def _read(*inputs: str | Path, **kwargs: object) -> list[Article | DocError]:
    return list(read_inputs([str(i) for i in inputs], **kwargs))  # type: ignore[arg-type]


def _codes(items: list[Article | DocError]) -> list[str]:
    return [i.code if isinstance(i, DocError) else "ok" for i in items]


def _jsonl(*records: object) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)


def test_text_file_uses_path_as_id_and_default_date(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text("Iran condemned the strikes.", encoding="utf-8")
    [article] = _read(path, date=DEFAULT)
    assert isinstance(article, Article)
    assert article.id == str(path)
    assert article.text == "Iran condemned the strikes."
    assert article.date == DEFAULT


@pytest.mark.parametrize("suffix", [".txt", ".text", ".TXT"])
def test_text_suffixes(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"a{suffix}"
    path.write_text("Text.", encoding="utf-8")
    assert _codes(_read(path)) == ["ok"]


def test_html_extracts_text_title_date_url_and_site(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(HTML, encoding="utf-8")
    [article] = _read(path, date=DEFAULT)
    assert isinstance(article, Article)
    assert article.text.startswith("CAIRO, Nov 2 - Egypt hosted")
    assert "Copyright" not in article.text and "Home" not in article.text
    assert article.title == "Talks resume"
    assert article.date == dt.date(2023, 11, 2)
    assert article.url == "https://news.example.org/talks"
    assert article.source == "Test Wire"


def test_html_without_article_text(tmp_path: Path) -> None:
    path = tmp_path / "empty.htm"
    path.write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>", encoding="utf-8")
    assert _codes(_read(path)) == ["E008"]


def test_sample_html_page() -> None:
    [article] = _read(SAMPLES / "page.html")
    assert isinstance(article, Article)
    assert article.date == dt.date(2024, 6, 12)
    assert article.text.startswith("NAIROBI, June 12 -")


def test_jsonl_records_with_all_fields(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    path.write_text(
        _jsonl(
            {
                "id": "a",
                "text": "One.",
                "date": "2024-01-02",
                "title": "T",
                "url": "u",
                "source": "s",
            },
            {"text": "Two."},
            {"id": 7, "text": "Three.", "date": "2024-01-03T10:00:00Z", "extra": [1]},
        ),
        encoding="utf-8",
    )
    items = _read(path, date=DEFAULT)
    assert all(isinstance(i, Article) for i in items)
    a, b, c = items
    assert isinstance(a, Article) and isinstance(b, Article) and isinstance(c, Article)
    assert (a.id, a.date, a.title, a.url, a.source) == ("a", dt.date(2024, 1, 2), "T", "u", "s")
    assert (b.id, b.date) == (f"{path}:2", DEFAULT)
    assert (c.id, c.date) == ("7", dt.date(2024, 1, 3))


def test_bad_jsonl_lines_are_errors_and_the_rest_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(
        _jsonl(
            {"id": "ok1", "text": "Fine."},
            "{not json",
            "",
            {"id": "notext"},
            {"id": "emptytext", "text": "   "},
            {"id": "badtext", "text": 5},
            [1, 2],
            {"id": ["x"], "text": "Bad id."},
            {"id": "baddate", "text": "Bad date type.", "date": 20240101},
            {"id": "badtitle", "text": "Bad title.", "title": {"a": 1}},
            {"id": "ok2", "text": "Also fine."},
        ),
        encoding="utf-8",
    )
    items = _read(path)
    assert _codes(items) == [
        "ok",
        "E003",
        "E004",
        "E004",
        "E004",
        "E013",
        "E013",
        "E013",
        "E013",
        "ok",
    ]
    assert items[1].doc_id == f"{path}:2"  # type: ignore[union-attr]
    assert all(i.stage == "read" for i in items if isinstance(i, DocError))
    assert "line 2" in items[1].message.lower()  # type: ignore[union-attr]


def test_unreadable_date_string_is_logged_and_falls_back(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "d.jsonl"
    path.write_text(_jsonl({"id": "a", "text": "x", "date": "not a date at all"}), encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="newsevents.inputs"):
        [article] = _read(path, date=DEFAULT)
    assert isinstance(article, Article) and article.date == DEFAULT
    assert "W001" in caplog.text


def test_json_object_and_list(tmp_path: Path) -> None:
    one = tmp_path / "one.json"
    one.write_text(json.dumps({"text": "Single.", "date": "2024-02-01"}), encoding="utf-8")
    many = tmp_path / "many.json"
    many.write_text(json.dumps([{"text": "A."}, {"id": "b", "text": "B."}, "x"]), encoding="utf-8")
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    items = _read(one, many, broken)
    assert _codes(items) == ["ok", "ok", "ok", "E013", "E003"]
    assert [i.id for i in items[:3] if isinstance(i, Article)] == [str(one), f"{many}:1", "b"]


@pytest.mark.parametrize("name", ["a.txt.gz", "a.jsonl.gz", "a.html.gz", "a.json.gz"])
def test_gzip_versions(tmp_path: Path, name: str) -> None:
    content = {
        "a.txt.gz": "Gzipped text.",
        "a.jsonl.gz": _jsonl({"id": "g", "text": "Gzipped line."}),
        "a.html.gz": HTML,
        "a.json.gz": json.dumps({"id": "g", "text": "Gzipped object."}),
    }[name]
    path = tmp_path / name
    path.write_bytes(gzip.compress(content.encode("utf-8")))
    [article] = _read(path)
    assert isinstance(article, Article)
    assert "Gzipped" in article.text or "Egypt" in article.text


def test_truncated_gzip_is_an_error_and_the_batch_goes_on(tmp_path: Path) -> None:
    lines = _jsonl(*({"id": f"r{i}", "text": f"Record number {i} " * 20} for i in range(200)))
    data = gzip.compress(lines.encode("utf-8"))
    bad = tmp_path / "cut.jsonl.gz"
    bad.write_bytes(data[: len(data) // 2])
    bad_txt = tmp_path / "cut.txt.gz"
    bad_txt.write_bytes(gzip.compress(b"Some text " * 100)[:20])
    good = tmp_path / "good.txt"
    good.write_text("Still read.", encoding="utf-8")
    items = _read(bad, bad_txt, good)
    codes = _codes(items)
    assert codes[-3:] == ["E011", "E011", "ok"]
    assert codes.count("ok") > 1  # the records before the cut were read


def test_binary_file_is_e007(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    [error] = _read(path)
    assert isinstance(error, DocError) and error.code == "E007"


def test_windows_1252_fallback_is_logged(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "cp.txt"
    path.write_bytes("The minister\u2019s \u201cvisit\u201d \u2013 caf\u00e9.".encode("cp1252"))
    with caplog.at_level(logging.WARNING, logger="newsevents.inputs"):
        [article] = _read(path)
    assert isinstance(article, Article)
    assert article.text == "The minister\u2019s \u201cvisit\u201d \u2013 caf\u00e9."
    assert "Windows-1252" in caplog.text


def test_utf8_bom_and_utf16(tmp_path: Path) -> None:
    bom = tmp_path / "bom.txt"
    bom.write_bytes("\ufeffHello.".encode())
    utf16 = tmp_path / "u16.txt"
    utf16.write_bytes("Hello.".encode("utf-16"))
    texts = [i.text for i in _read(bom, utf16) if isinstance(i, Article)]
    assert texts == ["Hello.", "Hello."]


def test_empty_document_is_e006(tmp_path: Path) -> None:
    path = tmp_path / "blank.txt"
    path.write_text(" \n\t\n", encoding="utf-8")
    assert _codes(_read(path)) == ["E006"]


def test_duplicate_ids_are_e012(tmp_path: Path) -> None:
    path = tmp_path / "dup.jsonl"
    path.write_text(
        _jsonl({"id": "x", "text": "First."}, {"id": "x", "text": "Second."}), encoding="utf-8"
    )
    items = _read(path)
    assert _codes(items) == ["ok", "E012"]
    assert items[0].text == "First."  # type: ignore[union-attr]
    assert items[1].doc_id == "x"  # type: ignore[union-attr]


def test_same_file_twice_is_a_duplicate(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Once.", encoding="utf-8")
    assert _codes(_read(path, path)) == ["ok", "E012"]


def test_folder_recursion_is_sorted_and_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "deep").mkdir()
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "b" / "deep" / "z.txt").write_text("Z.", encoding="utf-8")
    (tmp_path / "b" / "m.txt").write_text("M.", encoding="utf-8")
    (tmp_path / "a.txt").write_text("A.", encoding="utf-8")
    (tmp_path / "c.jsonl").write_text(
        _jsonl({"text": "C1."}, {"id": "c2", "text": "C2."}), encoding="utf-8"
    )
    (tmp_path / ".secret.txt").write_text("Hidden.", encoding="utf-8")
    (tmp_path / ".hidden" / "x.txt").write_text("Hidden too.", encoding="utf-8")
    (tmp_path / "notes.md").write_text("Not an input.", encoding="utf-8")
    items = _read(tmp_path)
    assert [i.id for i in items if isinstance(i, Article)] == [
        "a.txt",
        "b/deep/z.txt",
        "b/m.txt",
        "c.jsonl:1",
        "c2",
    ]


def test_missing_path_and_unsupported_type(tmp_path: Path) -> None:
    other = tmp_path / "data.csv"
    other.write_text("a,b", encoding="utf-8")
    items = _read(tmp_path / "nope.txt", other)
    assert _codes(items) == ["E001", "E002"]


def test_stdin_text() -> None:
    items = _read("-", stdin=io.BytesIO(b"Iran condemned the strikes.\n{not json}\n"))
    assert [(i.id, i.text) for i in items if isinstance(i, Article)] == [
        ("stdin", "Iran condemned the strikes.\n{not json}\n")
    ]


def test_stdin_jsonl() -> None:
    data = _jsonl({"id": "s1", "text": "One."}, {"text": "Two."}).encode() + b"\n"
    items = _read("-", stdin=io.BytesIO(data), date=DEFAULT)
    assert [(i.id, i.date) for i in items if isinstance(i, Article)] == [
        ("s1", DEFAULT),
        ("stdin:2", DEFAULT),
    ]


def test_stdin_empty_is_e006() -> None:
    assert _codes(_read("-", stdin=io.BytesIO(b""))) == ["E006"]


def test_samples_folder_reads_cleanly() -> None:
    items = _read(SAMPLES)
    assert items and all(isinstance(i, Article) for i in items)
    bundled = {i.id: i for i in _read(SAMPLES / "articles.jsonl") if isinstance(i, Article)}
    assert len(bundled) >= 4
    for article in bundled.values():
        assert article.date is not None and article.title
        assert article.text == (SAMPLES / f"{article.id}.txt").read_text(encoding="utf-8")


def test_reading_streams(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    path.write_text(_jsonl(*({"text": f"Line {i}."} for i in range(1000))), encoding="utf-8")
    stream = read_inputs([str(path)])
    first = next(stream)
    assert isinstance(first, Article) and first.text == "Line 0."


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-05", dt.date(2024, 3, 5)),
        ("2024-03-05T23:10:00+02:00", dt.date(2024, 3, 5)),
        ("Tue, 05 Mar 2024 10:00:00 GMT", dt.date(2024, 3, 5)),
        ("March 5, 2024", dt.date(2024, 3, 5)),
        ("2024-13-45", None),
        ("yesterday-ish nonsense", None),
    ],
)
def test_parse_date(value: str, expected: dt.date | None) -> None:
    assert parse_date(value) == expected
