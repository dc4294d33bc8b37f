"""Opening, migrating and writing the store, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import sqlalchemy
from sqlalchemy import func, inspect, select
from store_helpers import FAKE_HOOKS, Coded, dump, fake_code, make_event

from newsevents.errors import NewsEventsError
from newsevents.model import Article, DocError
from newsevents.store import (
    SCHEMA_VERSION,
    Store,
    StoreWriter,
    article_key,
    failure_key,
    finish_run,
    open_store,
    start_run,
)
from newsevents.store import schema as s
from newsevents.store.migrations import read_schema_version
from newsevents.store.reader import store_info

VERSIONS = {"newsevents": "0.0-test", "lexicon": "x"}


def _count(store: Store, table: sqlalchemy.Table) -> int:
    with store.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def _writer(store: Store) -> StoreWriter:
    return StoreWriter(store, start_run(store, command="test", versions=VERSIONS), hooks=FAKE_HOOKS)


ARTICLES = [
    Article(id="a1", text="Russia attacked Kharkiv on Monday.", date=dt.date(2024, 3, 4), source="Wire A"),
    Article(id="a2", text="Protesters protested in Tbilisi and police attacked them.", date=dt.date(2024, 3, 5)),
    Article(id="a3", text="Nothing happened at all.", date=dt.date(2024, 3, 5)),
]


# ---------------------------------------------------------------------------------------------
# schema and migrations


def test_new_store_has_every_table_and_column(store: Store) -> None:
    with store.connect() as conn:
        inspector = inspect(conn)
        for table in s.metadata.sorted_tables:
            found = {c["name"] for c in inspector.get_columns(table.name)}
            assert found == {c.name for c in table.columns}, table.name
            indexes = {ix["name"] for ix in inspector.get_indexes(table.name)}
            assert {ix.name for ix in table.indexes} <= indexes, table.name
        assert read_schema_version(conn) == SCHEMA_VERSION
    assert store.dialect in ("sqlite", "postgresql")


def test_sqlite_pragmas(tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path / 'p.db'}") as store, store.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000


def test_reopening_does_not_migrate_again(store_url: str) -> None:
    with open_store(store_url) as first, first.connect() as conn:
        created = conn.execute(select(s.meta.c.value).where(s.meta.c.key == "created_at")).scalar_one()
    with open_store(store_url) as again, again.connect() as conn:
        assert conn.execute(select(s.meta.c.value).where(s.meta.c.key == "created_at")).scalar_one() == created
        assert read_schema_version(conn) == SCHEMA_VERSION


def _downgrade_to_v1(store: Store) -> None:
    """Make a store look like one written by schema version 1."""
    with store.begin() as conn:
        conn.exec_driver_sql("ALTER TABLE runs DROP COLUMN n_present")
        conn.exec_driver_sql("ALTER TABLE runs DROP COLUMN status")
        conn.exec_driver_sql("DROP INDEX ix_failures_article")
        conn.execute(s.meta.update().where(s.meta.c.key == "schema_version").values(value="1"))
        conn.execute(
            sqlalchemy.text(
                "INSERT INTO runs (run_id, started_at, finished_at, version, versions, n_docs, n_events, n_failures)"
                " VALUES ('old', :t, :t, '0.0', '{}', 3, 4, 0)"
            ).bindparams(sqlalchemy.bindparam("t", type_=sqlalchemy.DateTime(timezone=True))),
            {"t": dt.datetime(2024, 1, 1, tzinfo=dt.UTC)},
        )


def test_migrates_a_version_1_store(store_url: str) -> None:
    with open_store(store_url) as store:
        _downgrade_to_v1(store)
    with pytest.raises(NewsEventsError) as err:  # a reader cannot migrate
        open_store(store_url, readonly=True)
    assert err.value.code == "E406"
    with open_store(store_url) as store, store.connect() as conn:
        assert read_schema_version(conn) == SCHEMA_VERSION
        row = conn.execute(select(s.runs).where(s.runs.c.run_id == "old")).mappings().one()
        assert row["status"] == "finished" and row["n_present"] == 0 and row["n_docs"] == 3
        assert conn.execute(select(s.meta.c.value).where(s.meta.c.key == "migrated_to_2")).scalar_one()
        assert "ix_failures_article" in {ix["name"] for ix in inspect(conn).get_indexes("failures")}


def test_newer_store_is_refused(store_url: str) -> None:
    with open_store(store_url) as store, store.begin() as conn:
        conn.execute(s.meta.update().where(s.meta.c.key == "schema_version").values(value="999"))
    for readonly in (False, True):
        with pytest.raises(NewsEventsError) as err:
            open_store(store_url, readonly=readonly)
        assert err.value.code == "E405"


def test_readonly_store_without_tables(store_url: str) -> None:
    if store_url.startswith("postgresql"):
        with pytest.raises(NewsEventsError) as err:
            open_store(store_url, readonly=True)
        assert err.value.code == "E409"
    else:
        with pytest.raises(NewsEventsError) as err:
            open_store(store_url, readonly=True)
        assert err.value.code == "E401"  # no such file; and it is not created
        assert not Path(store_url).exists()


# ---------------------------------------------------------------------------------------------
# errors


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("mysql://user@host/db", "E404"),
        ("sqlite://", "E404"),
        ("postgresql+asyncpg://u@h/db", "E404"),
        ("postgresql://u@h", "E404"),
        ("   ", "E404"),
    ],
)
def test_bad_urls(url: str, code: str) -> None:
    with pytest.raises(NewsEventsError) as err:
        open_store(url)
    assert err.value.code == code


def test_password_is_not_shown() -> None:
    with pytest.raises(NewsEventsError) as err:
        open_store("postgresql+asyncpg://user:s3cret@host/db")
    assert "s3cret" not in str(err.value)


def test_missing_folder_and_not_a_database(tmp_path: Path) -> None:
    with pytest.raises(NewsEventsError) as err:
        open_store(str(tmp_path / "nope" / "x.db"))
    assert err.value.code == "E401"
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not an sqlite file at all" * 100)
    with pytest.raises(NewsEventsError) as err:
        open_store(str(junk))
    assert err.value.code == "E401"
    with pytest.raises(NewsEventsError) as err:
        open_store(str(tmp_path))
    assert err.value.code == "E401"


def test_unreachable_postgres() -> None:
    with pytest.raises(NewsEventsError) as err:
        open_store("postgresql://nobody@127.0.0.1:1/none")
    assert err.value.code == "E401"


def test_writing_to_a_readonly_store(store_url: str) -> None:
    open_store(store_url).close()
    with open_store(store_url, readonly=True) as store:
        assert store.readonly
        with pytest.raises(NewsEventsError) as err:
            start_run(store, versions=VERSIONS)
        assert err.value.code == "E402"
        assert store_info(store).schema_version == SCHEMA_VERSION


def test_disk_full_sqlite(tmp_path: Path) -> None:
    with open_store(str(tmp_path / "full.db")) as store:
        writer = _writer(store)
        with store.connect() as conn:
            pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
        for conn_ in [store.engine.raw_connection() for _ in range(5)]:  # every pooled connection
            conn_.cursor().execute(f"PRAGMA max_page_count = {pages + 2}")
            conn_.close()
        big = Article(id="big", text="Russia attacked Kharkiv. " + "word " * 200_000)
        with pytest.raises(NewsEventsError) as err:
            writer.write(fake_code(big))
        assert err.value.code == "E403"
        assert _count(store, s.articles) == 0


# ---------------------------------------------------------------------------------------------
# the writer


def test_article_key_normalises_whitespace() -> None:
    assert article_key("A  b\n\tc ") == article_key("A b c")
    assert article_key("A b c") != article_key("A b d")
    assert len(article_key("x")) == 40


def test_writer_stores_articles_entities_events(store: Store) -> None:
    writer = _writer(store)
    outcomes = [writer.write(fake_code(a), input_ref="in.jsonl") for a in ARTICLES]
    assert [o.status for o in outcomes] == ["stored"] * 3
    assert [o.n_events for o in outcomes] == [1, 2, 0]
    with store.connect() as conn:
        row = conn.execute(select(s.articles).where(s.articles.c.doc_id == "a1")).mappings().one()
        assert row["article_id"] == article_key(ARTICLES[0].text)
        assert row["source"] == "Wire A" and row["pub_date"] == dt.date(2024, 3, 4)
        assert row["n_events"] == 1 and row["dup_group"] == row["article_id"] and row["run_id"] == writer.run_id
        events = conn.execute(select(s.events).order_by(s.events.c.doc_id, s.events.c.event_type)).mappings().all()
        assert [(e["doc_id"], e["event_type"]) for e in events] == [("a1", "ASSAULT"), ("a2", "ASSAULT"), ("a2", "PROTEST")]
        first = events[0]
        assert first["actor_name"] == "Russia" and first["actor_country"] == "RUS"
        assert first["trigger_start"] == ARTICLES[0].text.index("attacked")
        assert json.loads(first["record"])["event_id"] == first["event_id"]
        assert first["cluster_id"] is not None and first["duplicate_article"] is False
        clusters = conn.execute(select(s.event_clusters.c.event_type, s.event_clusters.c.num_mentions)).all()
        assert sorted(clusters) == [("ASSAULT", 1), ("ASSAULT", 1), ("PROTEST", 1)]
        assert conn.execute(select(func.count()).select_from(s.entities)).scalar_one() == 3


def test_writer_is_idempotent(store: Store) -> None:
    writer = _writer(store)
    for article in ARTICLES:
        writer.write(fake_code(article))
    before = dump(store)
    again = StoreWriter(store, start_run(store, versions=VERSIONS), hooks=FAKE_HOOKS)
    outcomes = [again.write(fake_code(a)) for a in ARTICLES]
    spaced = Article(id="other-id", text="  Russia   attacked\nKharkiv on Monday. ")
    outcomes.append(again.write(fake_code(spaced)))
    assert [o.status for o in outcomes] == ["present"] * 4
    assert dump(store) == before
    assert again.is_stored(article_key(ARTICLES[0].text))
    assert not again.is_stored(article_key("never stored"))


def test_near_duplicate_article_marks_its_events(store: Store) -> None:
    writer = _writer(store)
    writer.write(fake_code(Article(id="x1", text="Russia attacked Kharkiv on Monday morning.")))
    writer.write(fake_code(Article(id="x2", text="Russia attacked Kharkiv on Monday evening.")))
    with store.connect() as conn:
        rows = conn.execute(
            select(s.articles.c.doc_id, s.articles.c.dup_group, s.articles.c.article_id).order_by(s.articles.c.doc_id)
        ).all()
        assert rows[1].dup_group == rows[0].article_id
        flags = dict(conn.execute(select(s.events.c.doc_id, s.events.c.duplicate_article)).all())
        assert flags == {"x1": False, "x2": True}
        cluster = conn.execute(select(s.event_clusters.c.num_mentions, s.event_clusters.c.num_articles)).one()
        assert tuple(cluster) == (2, 1)


def test_failures_are_recorded_once(store: Store) -> None:
    writer = _writer(store)
    error = DocError(doc_id="bad", code="E004", stage="read", message="no text")
    first = writer.write_failure(error, input_ref="in.jsonl")
    second = writer.write_failure(error, input_ref="in.jsonl")
    assert first.status == second.status == "failed"
    assert first.new_failure and not second.new_failure
    writer.write_failure(error, input_ref="other.jsonl")
    coded = fake_code(Article(id="f", text="This one will FAIL."))
    outcome = writer.write(coded, input_ref="in.jsonl")
    assert outcome.status == "failed" and outcome.article_id == article_key("This one will FAIL.")
    with store.connect() as conn:
        rows = conn.execute(select(s.failures).order_by(s.failures.c.doc_id, s.failures.c.input)).mappings().all()
    assert [(r["doc_id"], r["input"], r["code"], r["stage"]) for r in rows] == [
        ("bad", "in.jsonl", "E004", "read"),
        ("bad", "other.jsonl", "E004", "read"),
        ("f", "in.jsonl", "E203", "pipeline"),
    ]
    assert rows[0]["failure_id"] == failure_key("in.jsonl", "bad", "read")
    assert _count(store, s.articles) == 0


def test_colliding_event_ids_get_a_stable_new_id(store: Store) -> None:
    writer = _writer(store)
    one = Article(id="1", text="Russia attacked Kharkiv on Monday.")
    two = Article(id="1", text="Russia attacked Kharkiv on Tuesday.")  # same id, same offsets
    writer.write(fake_code(one))
    writer.write(fake_code(two))
    with store.connect() as conn:
        rows = conn.execute(select(s.events.c.event_id, s.events.c.record, s.events.c.article_id)).all()
    assert len({r.event_id for r in rows}) == 2
    for row in rows:
        assert json.loads(row.record)["event_id"] == row.event_id
    renamed = next(r for r in rows if r.article_id == article_key(two.text))
    assert renamed.event_id != fake_code(two).events[0].event_id


def test_a_failing_hook_leaves_nothing_behind(store: Store) -> None:
    calls = []

    def broken_cluster(conn, event, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(event.event_id)
        if len(calls) == 2:
            raise RuntimeError("boom")
        return FAKE_HOOKS.assign_cluster(conn, event, **kwargs)

    from newsevents.store import DedupHooks

    writer = StoreWriter(store, start_run(store, versions=VERSIONS),
                         hooks=DedupHooks(FAKE_HOOKS.assign_dup_group, broken_cluster))  # fmt: skip
    with pytest.raises(RuntimeError):
        writer.write(fake_code(ARTICLES[1]))  # two events; the second one's hook fails
    for table in (s.articles, s.events, s.entities, s.event_clusters):
        assert _count(store, table) == 0, table.name


def test_runs_are_recorded(store: Store) -> None:
    run_id = start_run(store, command="newsevents ingest x", versions=VERSIONS)
    with store.connect() as conn:
        row = conn.execute(select(s.runs)).mappings().one()
    assert row["status"] == "running" and row["finished_at"] is None
    assert json.loads(row["versions"]) == VERSIONS and row["version"] == "0.0-test"
    finish_run(store, run_id, n_docs=5, n_present=2, n_events=7, n_failures=1)
    info = store_info(store)
    assert info.runs[0]["status"] == "finished" and info.runs[0]["n_events"] == 7
    assert info.runs[0]["finished_at"] is not None
    assert info.counts["runs"] == 1


def test_real_dedup_hooks_inside_the_transaction(store: Store) -> None:
    """The writer with its default hooks (newsevents.dedup when installed)."""
    writer = StoreWriter(store, start_run(store, versions=VERSIONS))
    text = "Russian forces attacked Kharkiv on Monday, killing 12 people, officials said."
    for n, suffix in enumerate(["", " More later.", " Updated."]):
        article = Article(id=f"d{n}", text=text + suffix, date=dt.date(2024, 3, 5), source=f"src{n}")
        event = make_event(article.id, article.text, "attacked", actor="Russian", country="RUS", dead=12)
        assert writer.write(Coded(article, [event])).status == "stored"
    with store.connect() as conn:
        assert conn.execute(select(func.count()).select_from(s.events)).scalar_one() == 3
        clusters = conn.execute(select(s.event_clusters.c.cluster_id, s.event_clusters.c.num_mentions)).all()
        assert sum(c.num_mentions for c in clusters) == 3 or not clusters
        linked = conn.execute(select(s.events.c.cluster_id)).scalars().all()
        assert all(cid is None for cid in linked) == (not clusters)


def test_a_document_the_database_rejects_becomes_a_failure(store: Store) -> None:
    writer = _writer(store)
    bad = Article(id="nul\x00id", text="Russia attacked\x00 Kharkiv.")
    if store.dialect == "postgresql":  # PostgreSQL rejects NUL characters in text
        outcome = writer.write(fake_code(bad), input_ref="in.jsonl")
        assert outcome.status == "failed" and outcome.error is not None and outcome.error.code == "E410"
        with store.connect() as conn:
            row = conn.execute(select(s.failures)).mappings().one()
        assert row["stage"] == "store" and row["doc_id"] == "nul\ufffdid"
        assert _count(store, s.articles) == 0
    else:
        assert writer.write(fake_code(bad)).status == "stored"
    assert writer.write(fake_code(ARTICLES[0])).status == "stored"  # the run goes on


@pytest.mark.parametrize(
    ("message", "code"),
    [
        ("database or disk is full", "E403"),
        ('could not extend file "base/1/2": No space left on device', "E403"),
        ("attempt to write a readonly database", "E402"),
        ("cannot execute INSERT in a read-only transaction", "E402"),
        ("database is locked", "E407"),
        ("unable to open database file", "E401"),
        ('connection failed: FATAL: database "x" does not exist', "E401"),
        ("something else entirely", None),
    ],
)
def test_database_errors_are_coded(message: str, code: str | None) -> None:
    from newsevents.store.engine import translate_error

    err = sqlalchemy.exc.OperationalError("INSERT ...", {}, Exception(message))
    coded = translate_error(err, "postgresql://u:pw@h/db")
    assert (coded.code if coded else None) == code
    if coded is not None:
        assert "pw" not in str(coded)
    assert translate_error(sqlalchemy.exc.IntegrityError("x", {}, Exception("database is locked")), "x") is None


def test_a_stored_article_settles_its_earlier_failure(store: Store) -> None:
    writer = _writer(store)
    article = Article(id="t", text="Russia attacked Kharkiv. FAIL")
    assert writer.write(fake_code(article), input_ref="in").status == "failed"  # a transient failure
    assert _count(store, s.failures) == 1
    fixed = Coded(article, [make_event("t", article.text, "attacked")])
    assert writer.write(fixed, input_ref="in").status == "stored"
    assert _count(store, s.failures) == 0
