"""The HTTP API end to end (in process): every endpoint, filters, pages, errors, headers, token."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pyarrow.parquet as pq
import pytest

from newsevents.api import app as api_app
from newsevents.api.models import MAX_PAGE, CodeRequest, CodeResponse, EventsPage
from newsevents.export.csv import write_csv
from newsevents.export.parquet import event_schema
from newsevents.model import Event
from newsevents.store import open_store
from newsevents.store.query import EventFilter

from .conftest import TOKEN, Built, TestClient, all_pages

ALL = 17


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "detail"}
    assert body["error"]["code"] == code
    assert body["error"]["message"] and not body["error"]["message"].startswith("[")
    assert_security_headers(response)
    return dict(body["error"])


def assert_security_headers(response: Any) -> None:
    h = response.headers
    assert "default-src 'self'" in h["content-security-policy"]
    assert "frame-ancestors 'none'" in h["content-security-policy"]
    assert h["x-content-type-options"] == "nosniff"
    assert h["referrer-policy"] == "no-referrer"
    assert h["x-frame-options"] == "DENY"


def test_health(client: TestClient) -> None:
    r = client.get("/api/health")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok" and body["dialect"] == "sqlite" and body["readonly"] is True
    assert body["counts"]["events"] == 19 and body["counts"]["articles"] == 7
    assert body["token_required"] is False
    assert_security_headers(r)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ALL),
        ({"include_duplicates": "true"}, 19),
        ({"event_type": ["ASSAULT", "protest"]}, 4),
        ({"event_type": "ASSAULT,PROTEST"}, 4),
        ({"quad_class": [1, 2]}, 6),
        ({"actor_country": "USA"}, 4),
        ({"recipient_country": "IRN"}, 2),
        ({"country": "irn"}, 6),
        ({"actor": "iran"}, 4),
        ({"recipient": "hamas"}, 2),
        ({"sector": "COP"}, 1),
        ({"date_from": "2024-02-01", "date_to": "2024-02-29"}, 6),
        ({"place_country": "FRA"}, 2),
        ({"place": "Gaza"}, 2),
        ({"factuality": ["reported", "future"]}, 3),
        ({"reported": "true"}, 2),
        ({"reported": "false"}, 15),
        ({"q": "100%"}, 1),
        ({"mode": "visit"}, 1),
        ({"min_confidence": 0.9}, 3),
        ({"cluster_id": "c1", "include_duplicates": "1"}, 3),
        ({"actor": ""}, ALL),
    ],
)
def test_event_filters(client: TestClient, params: dict[str, Any], expected: int) -> None:
    items = all_pages(client, {**params, "limit": 4})
    assert len(items) == expected
    r = client.get("/api/events", params={**params, "total": "true", "limit": 1})
    assert r.json()["total"] == expected


def test_article_filter(client: TestClient, built: Built) -> None:
    items = all_pages(client, {"article_id": built.article_ids["a3"]})
    assert {i["event_id"] for i in items} == {f"a3-ev{n}" for n in range(4)}


@pytest.mark.parametrize("sort", ["date_desc", "date_asc", "confidence_desc", "confidence_asc", "goldstein_asc", "goldstein_desc"])
@pytest.mark.parametrize("limit", [1, 3, 500])
def test_pagination_is_complete(client: TestClient, built: Built, sort: str, limit: int) -> None:
    items = all_pages(client, {"sort": sort, "limit": limit, "include_duplicates": "true"})
    got = [i["event_id"] for i in items]
    assert len(got) == len(set(got)) == 19
    assert set(got) == {e.event_id for e in built.events(include_duplicates=True)}
    key = sort.rsplit("_", 1)[0]
    pairs = [(i[key], i["event_id"]) for i in items]
    assert pairs == sorted(pairs, reverse=sort.endswith("desc"))


def test_next_link_and_page_size_limit(client: TestClient) -> None:
    body = client.get("/api/events", params={"limit": 2, "country": "IRN"}).json()
    assert EventsPage.model_validate(body).model_dump(mode="json") == body  # the page matches its spec
    assert len(body["items"]) == 2 and body["next_cursor"]
    nxt = client.get(body["next"]).json()
    assert {i["event_id"] for i in nxt["items"]}.isdisjoint({i["event_id"] for i in body["items"]})
    assert all("IRN" in (i["actor_country"], i["recipient_country"]) for i in nxt["items"])
    assert_error(client.get("/api/events", params={"limit": MAX_PAGE + 1}), 422, "E601")
    assert client.get("/api/events", params={"limit": MAX_PAGE}).status_code == 200


def test_event_detail(client: TestClient, built: Built) -> None:
    r = client.get("/api/events/a2-ev0")
    assert r.status_code == 200
    body = r.json()
    assert Event.model_validate(body["event"]) == built.docs[1].events[0]
    text = built.docs[1].text
    assert text[body["excerpt"]["start"]:body["excerpt"]["end"]] == body["excerpt"]["text"]
    assert body["article"]["source"] == "Wire Two"
    cluster = body["cluster"]
    assert cluster["cluster_id"] == "c1" and cluster["num_sources"] == 2
    assert {m["dead"] for m in cluster["mentions"]} == {12, 15}
    assert cluster["disagreements"][0]["values"][0] == {"value": 12, "source": "Wire One"}


def test_article_and_cluster(client: TestClient, built: Built) -> None:
    doc = built.docs[3]
    body = client.get(f"/api/articles/{built.article_ids[doc.doc_id]}").json()
    assert body["text"] == doc.text
    assert [Event.model_validate(e) for e in body["events"]] == doc.events
    assert {e["name"] for e in body["entities"]} == {"Russia", "Ukraine", "United States"}
    cluster = client.get("/api/clusters/c1").json()
    assert cluster["event_type"] == "ASSAULT" and len(cluster["mentions"]) == 3


def test_entities(client: TestClient) -> None:
    body = client.get("/api/entities", params={"q": "iran"}).json()
    assert body["q"] == "iran" and [e["name"] for e in body["items"]] == ["Iran"]
    assert len(client.get("/api/entities", params={"limit": 2}).json()["items"]) == 2


def test_timeline_and_dyads(client: TestClient) -> None:
    body = client.get("/api/stats/timeline", params={"interval": "month", "by": "event_type", "event_type": "ASSAULT"}).json()
    assert body["interval"] == "month" and body["by"] == "event_type"
    assert [(p["period"], p["key"], p["count"]) for p in body["points"]] == [
        ("2024-02-01", "ASSAULT", 1), ("2024-03-01", "ASSAULT", 2),
    ]
    weeks = client.get("/api/stats/timeline", params={"interval": "week"}).json()["points"]
    assert sum(p["count"] for p in weeks) == ALL
    dy = client.get("/api/stats/dyads", params={"level": "country", "limit": 100, "quad_class": 4}).json()
    assert {(d["actor"], d["recipient"]): d["count"] for d in dy["items"]} == {
        ("ISR", "PSE"): 2, ("RUS", "UKR"): 1, ("FRA", "FRA"): 1, ("USA", "IRN"): 1,
    }
    ent = client.get("/api/stats/dyads", params={"level": "entity", "actor": "Ukraine"}).json()
    assert ent["items"][0] == {"actor": "Ukraine", "recipient": "Russia", "count": 2, "goldstein_mean": 0.0,
                               "quad_counts": [1, 0, 1, 0]}
    assert_error(client.get("/api/stats/timeline", params={"interval": "year"}), 422, "E601")
    assert_error(client.get("/api/stats/dyads", params={"level": "galaxy"}), 422, "E601")


def test_downloads(client: TestClient, built: Built) -> None:
    r = client.get("/api/events.csv", params={"country": "UKR"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert 'filename="events.csv"' in r.headers["content-disposition"]
    assert_security_headers(r)
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [row["event_id"] for row in rows] == ["a3-ev0", "a3-ev1", "a3-ev2", "a3-ev3"]  # date ascending
    assert rows[0]["dead"] == "3" and rows[0]["article_id"] == built.article_ids["a3"]
    # the same columns and cells as `newsevents export -f csv` with the same filter
    exported = io.StringIO()
    with open_store(built.url, readonly=True) as store, store.connect() as conn:
        write_csv(conn, exported, EventFilter(country="UKR"))
    assert r.text.replace("\r\n", "\n") == exported.getvalue().replace("\r\n", "\n")

    r = client.get("/api/events.jsonl", params={"include_duplicates": "true"})
    records = [Event.model_validate_json(line) for line in r.text.splitlines()]
    assert len(records) == 19
    assert {e.event_id: e for e in records}["a5-ev0"] == built.docs[5].events[0]

    r = client.get("/api/events.parquet", params={"max_rows": 5})
    table = pq.read_table(io.BytesIO(r.content))
    assert table.num_rows == 5 and "event_id" in table.column_names
    full = pq.read_table(io.BytesIO(client.get("/api/events.parquet").content))
    assert full.num_rows == ALL
    assert str(full.schema.field("date").type) == "date32[day]"
    assert full.schema.equals(event_schema())  # the Parquet export's schema, unpartitioned
    first = full.slice(0, 1).to_pylist()[0]
    assert first["title"] is not None and isinstance(first["actor"], list)
    empty = pq.read_table(io.BytesIO(client.get("/api/events.parquet", params={"q": "zzz-none"}).content))
    assert empty.num_rows == 0
    assert client.get("/api/events.csv", params={"q": "zzz-none"}).text.count("\n") == 1  # header only
    assert_error(client.get("/api/events.csv", params={"quad_class": 9}), 422, "E601")
    # an absurd limit is a 422, not a server error (found by schemathesis)
    assert_error(client.get("/api/events.parquet", params={"max_rows": 2**63}), 422, "E601")


def test_script_in_article_is_returned_as_json_data(client: TestClient, built: Built) -> None:
    doc = built.docs[5]
    r = client.get(f"/api/articles/{built.article_ids[doc.doc_id]}")
    assert r.headers["content-type"] == "application/json"
    assert_security_headers(r)
    body = r.json()
    assert body["article"]["title"] == "<script>alert('x')</script> headline"
    assert body["text"].startswith("<b>Tehran</b> -- Iran <script>alert(1)</script>")
    items = client.get("/api/events", params={"q": "<script>"}).json()["items"]
    assert items[0]["sentence"] == "Iran <script>alert(1)</script> accused Israel of spying."


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status", "code"),
    [
        ("get", "/api/nothing-here", {}, 404, "E609"),
        ("get", "/api/events/no-such-event", {}, 404, "E604"),
        ("get", "/api/articles/no-such-article", {}, 404, "E604"),
        ("get", "/api/clusters/no-such-cluster", {}, 404, "E604"),
        ("delete", "/api/events", {}, 405, "E608"),
        ("get", "/api/events", {"params": {"quad_class": "x"}}, 422, "E601"),
        ("get", "/api/events", {"params": {"event_type": "FLYING"}}, 422, "E601"),
        ("get", "/api/events", {"params": {"typo_field": "1"}}, 422, "E601"),
        ("get", "/api/events", {"params": {"date_from": "last tuesday"}}, 422, "E601"),
        ("get", "/api/events", {"params": {"sort": "random"}}, 422, "E601"),
        ("get", "/api/events", {"params": {"cursor": "garbage!"}}, 400, "E602"),
        ("post", "/api/code", {"content": b"{not json"}, 422, "E601"),
        ("post", "/api/code", {"json": {"text": ""}}, 422, "E601"),
        ("post", "/api/code", {"json": {"text": "x" * 200_001}}, 422, "E601"),
        ("post", "/api/code", {"content": b"x" * 1_000_001, "headers": {"content-type": "application/json"}}, 413, "E606"),
    ],
)
def test_error_shape(client: TestClient, method: str, path: str, kwargs: dict[str, Any], status: int, code: str) -> None:
    assert_error(client.request(method.upper(), path, **kwargs), status, code)


def test_cursor_of_another_sort_is_rejected(client: TestClient) -> None:
    cursor = client.get("/api/events", params={"limit": 1, "sort": "date_asc"}).json()["next_cursor"]
    err = assert_error(client.get("/api/events", params={"cursor": cursor, "sort": "goldstein_asc"}), 400, "E602")
    assert "sort" in err["message"]


def _fake_code(body: CodeRequest, lock: Any) -> CodeResponse:
    return CodeResponse(doc_id=body.id, events=[], entities=[])


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 401),
        ({"authorization": "Bearer wrong"}, 401),
        ({"authorization": f"Basic {TOKEN}"}, 401),
        ({"authorization": f"Bearer {TOKEN}"}, 200),
        ({"x-newsevents-token": TOKEN}, 200),
    ],
)
def test_token(token_client: TestClient, monkeypatch: pytest.MonkeyPatch, headers: dict[str, str], status: int) -> None:
    monkeypatch.setattr(api_app, "_code", _fake_code)
    r = token_client.post("/api/code", json={"text": "Some text.", "id": "t1"}, headers=headers)
    if status == 401:
        assert_error(r, 401, "E605")
    else:
        assert r.status_code == 200 and r.json()["doc_id"] == "t1"
    # reading never needs the token
    assert token_client.get("/api/events", params={"limit": 1}).status_code == 200
    assert token_client.get("/api/health").json()["token_required"] is True


def test_no_token_configured_allows_code(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(api_app, "_code", _fake_code)
    assert client.post("/api/code", json={"text": "Some text."}).status_code == 200


def test_internal_errors_keep_the_shape(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(api_app.query, "entity_list", broken)
    err = assert_error(client.get("/api/entities"), 500, "E610")
    assert "boom" not in json.dumps(err)  # no internals leak


def test_store_is_read_only(client: TestClient) -> None:
    from sqlalchemy import text

    from newsevents.errors import NewsEventsError

    store = client.app.state.store  # type: ignore[attr-defined]
    with pytest.raises(NewsEventsError) as info, store.connect() as conn:
        conn.execute(text("DELETE FROM events"))
    assert info.value.code == "E402"


def test_openapi_is_precise(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    for path in ("/api/events", "/api/events/{event_id}", "/api/articles/{article_id}", "/api/clusters/{cluster_id}",
                 "/api/entities", "/api/stats/timeline", "/api/stats/dyads", "/api/code", "/api/health",
                 "/api/events.csv", "/api/events.jsonl", "/api/events.parquet"):
        assert path in paths, path
    events = paths["/api/events"]["get"]
    names = {p["name"] for p in events["parameters"]}
    assert {"event_type", "quad_class", "country", "date_from", "q", "include_duplicates", "cursor", "limit", "sort"} <= names
    assert events["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/EventsPage")
    assert events["responses"]["422"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorBody")
    assert "Event" in spec["components"]["schemas"]


@pytest.mark.model
def test_code_with_the_model(token_client: TestClient) -> None:
    text = "Iran's foreign minister met his Omani counterpart in Muscat on Monday."
    r = token_client.post("/api/code", json={"text": text, "date": "2024-03-04"},
                          headers={"authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["error"] is None
    events = [Event.model_validate(e) for e in body["events"]]
    assert events and events[0].event_type == "CONSULT"
    ev = events[0].evidence
    assert text[ev.trigger.start:ev.trigger.end] == ev.trigger.text
