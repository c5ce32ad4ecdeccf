"""Inputs that once answered 500 (issue 12, F4): each is a clear GraphQL error naming what
was wrong, on both backends, through the compiled path and the executor alike."""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx
import pytest

from ocr_gateway.db.query import MAX_FILTER_DEPTH, MAX_LIST_VALUES
from tests.api.graphql import create_group

GROUPS = "query($f: JobGroupFilter) { jobGroups(filter: $f) { totalCount items { id } } }"
PAGES = "query($f: PageFilter) { pages(filter: $f) { totalCount } }"
CONNECTION = "query($c: String) { jobGroupsConnection(first: 2, after: $c) { edges { cursor } } }"
BY_NAME = "query($c: String) { jobGroupsConnection(first: 2, after: $c, sort: name) { edges { cursor } } }"
BACKWARD = "query($c: String) { jobGroupsConnection(last: 2, before: $c) { edges { cursor } } }"


def cursor(*parts: Any) -> str:
    raw = json.dumps(list(parts), ensure_ascii=False).encode("utf-8", "surrogatepass")
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def nested(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = {"a": value}
    return value


CASES: dict[str, tuple[str, dict[str, Any], str]] = {
    # name: (query, variables, a word the error message must hold)
    "NUL in a string filter": (GROUPS, {"f": {"name": {"eq": "a\x00b"}}}, "NUL"),
    "NUL in a tag filter": (GROUPS, {"f": {"tags": {"has": "q\x00"}}}, "NUL"),
    "NUL in a hasAny list": (GROUPS, {"f": {"tags": {"hasAny": ["x", "\x00"]}}}, "NUL"),
    "NUL in a cursor's value": (
        BY_NAME,
        {"c": cursor("name", "desc", "a\x00", "0" * 24)},
        "cursor",
    ),
    "NUL in a cursor's id": (
        BACKWARD,
        {"c": cursor("created_at", "desc", "2024-01-01T00:00:00+00:00", "\x00" * 24)},
        "cursor",
    ),
    "a cursor that overflows in UTC": (
        CONNECTION,
        {"c": cursor("created_at", "desc", "0001-01-01T00:00:00+05:00", "0" * 24)},
        "cursor",
    ),
    "NUL object key in a metadata filter": (
        GROUPS,
        {"f": {"metadata": [{"path": "a", "eq": {"\x00": 1}}]}},
        "NUL",
    ),
    "NUL in a metadata value": (GROUPS, {"f": {"metadata": [{"path": "a", "eq": "\x00"}]}}, "NUL"),
    "a createdAt that overflows in UTC": (
        GROUPS,
        {"f": {"createdAt": {"gt": "0001-01-01T00:00:00+05:00"}}},
        "range",
    ),
    "a createdAt past the last year in UTC": (
        PAGES,
        {"f": {"createdAt": {"lt": "9999-12-31T23:59:59-05:00"}}},
        "range",
    ),
    "an in list with 40,000 values": (
        GROUPS,
        {"f": {"name": {"in": [f"n{i}" for i in range(40_000)]}}},
        str(MAX_LIST_VALUES),
    ),
    "a metadata in list with 40,000 values": (
        GROUPS,
        {"f": {"metadata": [{"path": "a", "in": list(range(40_000))}]}},
        str(MAX_LIST_VALUES),
    ),
    "metadata nested 900 deep": (
        GROUPS,
        {"f": {"metadata": [{"path": "a", "eq": nested(900)}]}},
        "deep",
    ),
}


def nots(depth: int) -> Any:
    value: Any = {"name": {"eq": "x"}}
    for _ in range(depth):
        value = {"not": value}
    return value


CASES["a filter nested deeper than the bound"] = (
    GROUPS,
    {"f": nots(MAX_FILTER_DEPTH + 5)},
    "deep",
)


@pytest.mark.parametrize("name", list(CASES))
async def test_hostile_inputs_are_bad_input_not_500(client: httpx.AsyncClient, name: str) -> None:
    await create_group(client)
    query, variables, word = CASES[name]
    for _ in range(2):  # the second time the query is prepared (``schema.prepared``)
        response = await client.post("/graphql", json={"query": query, "variables": variables})
        assert response.status_code < 500, response.text
        body = response.json()
        assert body.get("errors"), body
        error = body["errors"][0]
        assert error["extensions"]["code"] == "BAD_USER_INPUT", error
        assert word.lower() in error["message"].lower(), error


@pytest.mark.parametrize(
    "literal",
    ["gt: 1e400", "eq: -1e999", "in: [1, 1e400]"],
)
async def test_infinite_numbers_in_literals_are_bad_input(
    client: httpx.AsyncClient, literal: str
) -> None:
    for query in (
        f"{{ pages(filter: {{meanConfidence: {{{literal}}}}}) {{ totalCount }} }}",
        f'{{ jobGroups(filter: {{metadata: [{{path: "a", {literal}}}]}}) {{ totalCount }} }}',
    ):
        response = await client.post("/graphql", json={"query": query})
        assert response.status_code < 500, response.text
        error = response.json()["errors"][0]
        assert error["extensions"]["code"] == "BAD_USER_INPUT", error
        assert "finite" in error["message"] or "Float" in error["message"], error


@pytest.mark.parametrize("body", ['{"query": "{ __typename }", "variables": {"f": NaN}}',
                                  '{"query": "{ __typename }", "variables": {"f": Infinity}}',
                                  '{"query": "\\ud800"}',
                                  '{"query": "query($c: String) { jobGroupsConnection(after: $c) { totalCount } }", "variables": {"c": "\\udcff"}}'])  # fmt: skip
async def test_json_the_standard_does_not_allow_is_a_400(
    client: httpx.AsyncClient, body: str
) -> None:
    response = await client.post(
        "/graphql", content=body.encode(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 400, response.text
    assert "JSON" in response.text


async def test_a_body_nested_5000_deep_is_a_400(client: httpx.AsyncClient) -> None:
    body = '{"query": "{ __typename }", "variables": {"v": ' + "[" * 5000 + "]" * 5000 + "}}"
    response = await client.post(
        "/graphql", content=body.encode(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 400, response.text
    assert "JSON" in response.text


async def test_a_subscription_sent_as_http_post_is_refused_clearly(
    client: httpx.AsyncClient,
) -> None:
    query = 'subscription { jobGroupProgress(id: "60f7b1b3e4b0e8b3f8b3f8b4") { id } }'
    response = await client.post("/graphql", json={"query": query})
    assert response.status_code < 500, response.text
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT", error
    assert "WebSocket" in error["message"], error
    spec = await client.post(
        "/graphql", json={"query": query}, headers={"accept": "application/graphql-response+json"}
    )
    assert spec.status_code == 400, spec.text
