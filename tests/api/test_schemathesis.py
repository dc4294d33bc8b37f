"""Property-based run of the OpenAPI spec against the app in process: no input gives a 5xx.

Schemathesis generates the requests from ``/openapi.json``; Hypothesis drives them directly
(one bounded run per operation), which keeps this independent of schemathesis' pytest plugin.
"""

from __future__ import annotations

import warnings
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import schemathesis

from .conftest import Built

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::DeprecationWarning")]

OPERATIONS = [
    "GET /api/health",
    "GET /api/events",
    "GET /api/events/{event_id}",
    "GET /api/articles/{article_id}",
    "GET /api/clusters/{cluster_id}",
    "GET /api/entities",
    "GET /api/stats/timeline",
    "GET /api/stats/dyads",
    "GET /api/events.csv",
    "GET /api/events.jsonl",
    "GET /api/events.parquet",
    "POST /api/code",
]


@pytest.fixture(scope="module")
def operations(built: Built) -> dict[str, Any]:
    from newsevents.api import create_app

    app = create_app(built.url, token="not-sent")  # /api/code answers 401/422 here: no model is loaded
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    found = {}
    for result in schema.get_all_operations():
        op = result.ok()
        found[f"{op.method.upper()} {op.path}"] = op
    return found


def test_every_operation_is_covered(operations: dict[str, Any]) -> None:
    assert set(operations) == set(OPERATIONS)


@pytest.mark.parametrize("name", OPERATIONS)
def test_no_server_errors(operations: dict[str, Any], name: str) -> None:
    op = operations[name]

    @given(case=op.as_strategy())
    @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def run(case: Any) -> None:
        response = case.call()
        assert response.status_code < 500, (case.as_curl_command(), response.text)
        if response.status_code >= 400:
            body = response.json()
            assert set(body) == {"error"} and body["error"]["code"].startswith("E"), body

    run()
