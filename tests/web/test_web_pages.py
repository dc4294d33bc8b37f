"""The JSON twins and the server-rendered HTML, through FastAPI's TestClient (no browser)."""

from __future__ import annotations

from typing import Any

import pytest
from webdata import DISAGREEMENT, XSS, TestClient


def test_search_twin_lists_events_with_facets(client: TestClient) -> None:
    data = client.get("/index.json").json()
    assert data["total"] == 5
    assert {e["event_type"] for e in data["events"]} == {"ASSAULT", "AGREE", "PROTEST", "ACCUSE"}
    facet = {f["value"]: f["count"] for f in data["facets"]["event_type"]}
    assert facet == {"ASSAULT": 2, "AGREE": 1, "PROTEST": 1, "ACCUSE": 1}
    quads = {f["value"]: f["label"] for f in data["facets"]["quad_class"]}
    assert quads[4] == "material conflict"
    # newest first by default
    dates = [e["date"] for e in data["events"]]
    assert dates == sorted(dates, reverse=True)


def test_a_facet_ignores_its_own_filter_but_not_the_others(client: TestClient) -> None:
    data = client.get("/index.json?event_type=ASSAULT").json()
    assert data["total"] == 2
    # ticking ASSAULT still shows what the other types would add
    types = {f["value"]: f["count"] for f in data["facets"]["event_type"]}
    assert types == {"ASSAULT": 2, "AGREE": 1, "PROTEST": 1, "ACCUSE": 1}
    # the other facets count the ASSAULT events only
    quads = {f["value"]: f["count"] for f in data["facets"]["quad_class"]}
    assert quads == {4: 2}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("event_type=ASSAULT", {"wire-1", "paper-2"}),
        ("event_type=AGREE&event_type=ACCUSE", {"trade-3", "accuse-5"}),
        ("quad_class=3", {"xss-4", "accuse-5"}),
        ("country=RUS", {"trade-3", "accuse-5"}),
        ("actor_country=RUS&recipient_country=UKR", {"accuse-5"}),
        ("factuality=reported", {"wire-1", "paper-2"}),
        ("date_from=2024-03-06&date_to=2024-03-08", {"xss-4", "accuse-5"}),
        ("q=trade agreement", {"trade-3"}),
        ("q=", {"wire-1", "paper-2", "trade-3", "xss-4", "accuse-5"}),
    ],
)
def test_search_filters(client: TestClient, query: str, expected: set[str]) -> None:
    both = [client.get(f"/index.json?{query}").json(), client.get(f"/?{query}&format=json").json()]
    assert both[0] == both[1]
    assert {e["doc_id"] for e in both[0]["events"]} == expected
    assert both[0]["total"] == len(expected)


def test_cursor_paging_walks_every_event_once(client: TestClient) -> None:
    seen: list[str] = []
    url = "/index.json?limit=2&sort=date_asc"
    for _ in range(5):
        data = client.get(url).json()
        seen += [e["event_id"] for e in data["events"]]
        if not data["next_cursor"]:
            break
        url = f"/index.json?limit=2&sort=date_asc&cursor={data['next_cursor']}"
    assert len(seen) == len(set(seen)) == 5


def test_search_html_has_download_links_and_next_page(client: TestClient) -> None:
    html = client.get("/?limit=2&event_type=ASSAULT&event_type=PROTEST").text
    assert 'href="/api/events.csv?event_type=ASSAULT&amp;event_type=PROTEST"' in html
    assert "/api/events.parquet?" in html and "/api/events.jsonl?" in html
    assert 'rel="next"' in html and "cursor=" in html


@pytest.mark.parametrize(
    ("query", "name"),
    [("date_from=yesterday", "date_from"), ("quad_class=x", "quad_class"), ("event_type=DANCE", "event_type"),
     ("limit=0", "limit"), ("cursor=garbage", "cursor")],
)
def test_bad_parameters_are_coded_400s(client: TestClient, query: str, name: str) -> None:
    r = client.get(f"/index.json?{query}")
    assert r.status_code == 400
    err = r.json()["error"]
    assert err["code"] in ("E601", "E602")
    html = client.get(f"/?{query}")
    assert html.status_code == 400 and err["code"] in html.text


def test_event_twin_has_spans_matching_text_and_the_cluster(client: TestClient, ids: dict[str, Any]) -> None:
    data = client.get(f"/events/{ids['events']['wire-1']}.json").json()
    assert data == client.get(f"/events/{ids['events']['wire-1']}?format=json").json()
    text = data["article"]["text"]
    kinds = {s["kind"]: s for s in data["spans"]}
    assert set(kinds) == {"sentence", "trigger", "actor", "recipient", "source", "date", "place", "count"}
    for span in data["spans"]:
        assert text[span["start"] : span["end"]] == span["text"]
    assert kinds["actor"]["text"] == "Israeli troops"
    assert kinds["trigger"]["text"] == "shelled"
    assert kinds["count"]["text"] == "12 people"
    cluster = data["cluster"]
    assert cluster["num_articles"] == 2
    assert {m["source"]: m["dead"] for m in cluster["mentions"]} == {"Wire One": 12, "Daily Two": 15}
    assert cluster["disagreements"] == [DISAGREEMENT]
    assert {r["source"]: r["dead"] for r in cluster["by_source"]} == {"Wire One": [12], "Daily Two": [15]}


def test_event_html_highlights_and_lists_disagreement(client: TestClient, ids: dict[str, Any]) -> None:
    html = client.get(f"/events/{ids['events']['paper-2']}").text
    assert '<mark class="hl hl-actor"' in html and ">Israeli forces</mark>" in html
    assert '<mark class="hl hl-trigger"' in html and ">shelled</mark>" in html
    assert 'id="disagreements"' in html and "Wire One" in html and "Daily Two" in html


def test_unknown_ids_are_404(client: TestClient) -> None:
    for url in ("/events/nope", "/articles/nope"):
        assert client.get(url).status_code == 404
        r = client.get(url + ".json")
        assert r.status_code == 404 and r.json()["error"]["code"] == "E604"


def test_article_with_markup_is_escaped(client: TestClient, ids: dict[str, Any]) -> None:
    aid = ids["articles"]["xss-4"]
    data = client.get(f"/articles/{aid}.json").json()
    assert XSS in data["article"]["text"]
    assert [e["event_type"] for e in data["events"]] == ["PROTEST"]
    html = client.get(f"/articles/{aid}").text
    assert XSS not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Protest &lt;b&gt;in&lt;/b&gt; Tbilisi" in html
    assert "<script>" not in html.replace('<script src="/static/', "")


def test_timeline_twin_buckets(client: TestClient) -> None:
    day = client.get("/timeline.json").json()
    assert day["interval"] == "day" and day["by"] == "event_type"
    assert day["buckets"][0] == "2024-03-04" and day["buckets"][-1] == "2024-03-12"
    assert len(day["buckets"]) == 9  # contiguous days, empty ones included
    assert day["total"] == 5
    assert all(len(s["counts"]) == 9 for s in day["series"])
    week = client.get("/timeline.json?interval=week&by=quad_class").json()
    assert week["buckets"] == ["2024-03-04", "2024-03-11"]
    series = {s["key"]: s["counts"] for s in week["series"]}
    assert series == {"1": [0, 1], "3": [2, 0], "4": [2, 0]}
    assert client.get("/timeline.json?interval=year").status_code == 400


def test_network_twin_edges(client: TestClient) -> None:
    data = client.get("/network.json?level=country").json()
    edges = {(e["source"], e["target"]): e["weight"] for e in data["edges"]}
    assert edges == {("ISR", "PSE"): 2, ("RUS", "CHN"): 1, ("RUS", "UKR"): 1}
    assert {n["id"] for n in data["nodes"]} == {"ISR", "PSE", "RUS", "CHN", "UKR"}
    entity = client.get("/network.json").json()
    assert ("Russia", "Ukraine") in {(e["source"], e["target"]) for e in entity["edges"]}


def test_map_twin_points(client: TestClient) -> None:
    data = client.get("/map.json").json()
    points = {p["place"]: p for p in data["points"]}
    assert set(points) == {"Gaza City", "Beijing", "Tbilisi"}
    assert points["Gaza City"]["count"] == 2 and points["Gaza City"]["conflict"] == 2
    assert data["unlocated"] == 1
    assert data["world_map"]["url"] == "/static/vendor/world-atlas/countries-110m.json"


def test_map_degrades_without_vendor_files(client: TestClient, monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    from newsevents.web import pages

    monkeypatch.setattr(pages, "VENDOR_DIR", tmp_path / "missing")
    data = client.get("/map.json").json()
    assert data["world_map"]["available"] is False
    html = client.get("/map").text
    assert 'id="map-missing"' in html and "npm ci" in html
    assert "topojson-client.min.js" not in html


def test_code_twin_describes_the_endpoint(client: TestClient) -> None:
    data = client.get("/code.json").json()
    assert data["endpoint"] == "/api/code" and data["method"] == "POST"


@pytest.mark.parametrize("path", ["/", "/timeline", "/network", "/map", "/code"])
def test_pages_are_csp_clean(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 200
    assert "default-src 'self'" in r.headers["content-security-policy"]
    html = r.text
    assert "style=" not in html
    assert "<script>" not in html and "onclick" not in html.lower()
    assert "http://" not in html and "https://" not in html  # nothing from a CDN
    assert 'href="/static/css/app.css"' in html


def test_static_and_vendor_files_are_served(client: TestClient) -> None:
    assert client.get("/static/js/app.js").status_code == 200
    vendor = client.get("/static/vendor/world-atlas/countries-110m.json")
    if vendor.status_code == 404:
        pytest.skip("npm packages are not installed (run `npm ci` in src/newsevents/web)")
    assert vendor.json()["type"] == "Topology"
