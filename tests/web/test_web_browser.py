"""The pages in Debian's Chromium (Playwright), against uvicorn on a loopback port.

Skipped with a reason when /usr/bin/chromium is missing. Charts are checked by counting pixels
that are not background in a screenshot of the chart.
"""

from __future__ import annotations

import base64
import re
from typing import Any

import pytest
from webdata import XSS

_COUNT_JS = """async (data) => {
  const img = new Image();
  img.src = "data:image/png;base64," + data;
  await img.decode();
  const canvas = document.createElement("canvas");
  canvas.width = img.width; canvas.height = img.height;
  const ctx = canvas.getContext("2d");
  ctx.drawImage(img, 0, 0);
  const px = ctx.getImageData(0, 0, img.width, img.height).data;
  let n = 0;
  for (let i = 0; i < px.length; i += 4) {
    const r = px[i], g = px[i + 1], b = px[i + 2];
    const grey = Math.max(r, g, b) - Math.min(r, g, b) < 12;
    if (grey && r > 200) continue;           // white, the light backgrounds, grid lines
    n++;
  }
  return n;
}"""


def coloured_pixels(page: Any, png: bytes) -> int:
    """Pixels of a screenshot that are not background (white, pale grey), counted in a blank page."""
    blank = page.context.new_page()
    try:
        return int(blank.evaluate(_COUNT_JS, base64.b64encode(png).decode()))
    finally:
        blank.close()


def test_search_and_filter(page: Any, live_server: str) -> None:
    page.goto(live_server + "/")
    assert page.locator(".event-item").count() == 5
    assert page.locator("#total").inner_text() == "5"
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "q"
    page.get_by_label("ASSAULT").check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"event_type=ASSAULT"))
    assert page.locator(".event-item").count() == 2
    assert page.locator("#total").inner_text() == "2"
    page.fill("#q", "15 people")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=15"))
    assert page.locator(".event-item").count() == 1
    assert "killed 15 people" in page.locator(".event-item .sentence").inner_text()
    csv = page.get_by_role("link", name="CSV").get_attribute("href")
    assert csv.startswith("/api/events.csv?") and "event_type=ASSAULT" in csv
    assert not page.js_errors


def test_event_page_highlights_evidence(page: Any, live_server: str, ids: dict[str, Any]) -> None:
    page.goto(f"{live_server}/events/{ids['events']['wire-1']}")
    event = ids["docs"]["wire-1"].events[0]
    assert page.locator("#article-text mark.hl-actor").all_inner_texts() == [event.actor[0].text]
    assert page.locator("#article-text mark.hl-trigger").all_inner_texts() == [event.evidence.trigger.text]
    assert page.locator("#article-text mark.hl-recipient").all_inner_texts() == ["Gaza City"]
    assert page.locator("#article-text mark.hl-place").all_inner_texts() == ["Gaza City"]
    assert page.locator("#article-text mark.hl-count").all_inner_texts() == ["12 people"]
    assert page.locator("#article-text mark.hl-date").all_inner_texts() == ["Monday"]
    assert page.locator("#article-text mark.hl-source").all_inner_texts() == ["health officials"]
    # distinct colours per kind
    colours = {
        kind: page.locator(f"#article-text mark.hl-{kind}").first.evaluate("e => getComputedStyle(e).backgroundColor")
        for kind in ("trigger", "actor", "recipient", "date", "count", "source")
    }
    assert len(set(colours.values())) == len(colours)
    assert page.locator(".legend li").count() >= 7
    # the cluster shows the other report and its toll
    rows = page.locator("#cluster-mentions tbody tr")
    assert rows.count() == 2
    other = [r for r in rows.all_inner_texts() if "Daily Two" in r]
    assert len(other) == 1 and "\t15\t" in other[0]
    assert "Reports disagree" in page.locator("#disagreements").inner_text()
    # the page text is the article text, unchanged by the marks
    text = page.locator("#article-text").inner_text()
    assert text == ids["docs"]["wire-1"].article.text
    assert not page.js_errors


def test_script_in_article_renders_as_text(page: Any, live_server: str, ids: dict[str, Any]) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{live_server}/articles/{ids['articles']['xss-4']}")
    assert XSS in page.locator("#article-text").inner_text()
    assert page.locator("#article-text script").count() == 0
    assert page.locator("h1").inner_text() == "Protest <b>in</b> Tbilisi"
    assert page.locator("#article-text mark.hl-actor").all_inner_texts() == ["Protesters"]
    assert not dialogs


def test_timeline_renders(page: Any, live_server: str) -> None:
    page.goto(live_server + "/timeline?interval=day&by=event_type")
    page.wait_for_selector("#timeline svg rect.bar")
    # one bar per (day, type) with events: the two assaults of 4 March stack in one bar
    assert page.locator("#timeline rect.bar").count() == 4
    assert "ASSAULT: 2" in page.locator("#timeline rect.bar title").all_text_contents()[0]
    assert page.locator(".chart-legend li").count() == 4
    assert coloured_pixels(page, page.locator("#timeline .chart-area").screenshot()) > 1500
    assert not page.js_errors


def test_map_renders(page: Any, live_server: str) -> None:
    page.goto(live_server + "/map")
    page.wait_for_selector("#map[data-rendered]")
    assert page.locator("#map circle.point").count() == 3
    countries = page.locator("#map").get_attribute("data-countries")
    if countries is None:
        assert page.locator("#map-missing").is_visible()
    else:
        assert int(countries) > 150
    assert coloured_pixels(page, page.locator("#map .chart-area").screenshot()) > 5000
    assert not page.js_errors


def test_network_renders_nodes(page: Any, live_server: str) -> None:
    page.goto(live_server + "/network?level=country")
    page.wait_for_selector("#network[data-rendered]")
    assert page.locator("#network g.node").count() == 5
    assert page.locator("#network line.link").count() == 3
    labels = set(page.locator("#network g.node text").all_text_contents())
    assert labels == {"ISR", "PSE", "RUS", "CHN", "UKR"}
    assert coloured_pixels(page, page.locator("#network .chart-area").screenshot()) > 500
    assert not page.js_errors


def test_keyboard_navigation_has_visible_focus(page: Any, live_server: str) -> None:
    page.goto(live_server + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


@pytest.mark.model
def test_paste_and_code(page: Any, live_server: str) -> None:
    page.goto(live_server + "/code")
    text = "Protesters clashed with police in Paris on Monday. " + XSS
    page.fill("#code-text", text)
    page.fill("#code-date", "2024-05-06")
    page.get_by_role("button", name="Code it").click()
    page.wait_for_selector("#code-result:not([hidden])", timeout=120_000)
    assert page.locator("#code-text-out").inner_text() == text
    assert page.locator("#code-text-out script").count() == 0
    assert page.locator("#code-events tbody tr").count() >= 1
    assert page.locator("#code-text-out mark.hl-trigger").count() >= 1
    assert not page.js_errors
