"""GraphQL over HTTP: media types, request errors, limits, masking of unexpected errors."""

from __future__ import annotations

import httpx
import pytest

from ocr_gateway.services import job_group as group_service
from tests.api.graphql import GENERIC_TEMPLATE_ID, gql_raw

SPEC_ACCEPT = "application/graphql-response+json, application/json;q=0.9"


async def test_answers_graphql_response_json_when_accepted(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", json={"query": "{ templates { totalCount } }"}, headers={"accept": SPEC_ACCEPT}
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/graphql-response+json")


async def test_plain_json_clients_still_get_application_json(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": "{ templates { totalCount } }"})
    assert response.headers["content-type"].startswith("application/json")


async def test_a_request_error_is_a_400_without_data(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", json={"query": "{ nope }"}, headers={"accept": SPEC_ACCEPT}
    )
    assert response.status_code == 400
    body = response.json()
    assert "data" not in body
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_syntax_errors_carry_a_code(client: httpx.AsyncClient) -> None:
    body = await gql_raw(client, "{ templates { ")
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_too_deep_queries_are_refused(client: httpx.AsyncClient) -> None:
    deep = "{ pages { items { job { group { jobs { items { pages { items { job { group"
    deep += " { template { name } } } } } } } } } } } }"
    body = await gql_raw(client, deep)
    assert "exceeds maximum operation depth" in body["errors"][0]["message"]


async def test_too_many_aliases_are_refused_also_through_fragments(
    client: httpx.AsyncClient,
) -> None:
    aliases = " ".join(f"a{i}: __typename" for i in range(40))
    body = await gql_raw(client, f"{{ ...F }} fragment F on Query {{ {aliases} }}")
    assert "aliases" in body["errors"][0]["message"]


async def test_page_size_is_bounded(client: httpx.AsyncClient) -> None:
    body = await gql_raw(client, "{ pages(limit: 1000) { totalCount } }")
    error = body["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["fields"] == [
        {"field": "limit", "message": "must be between 1 and 100"}
    ]


async def test_unexpected_errors_are_masked(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret detail: /etc/passwd, SELECT * FROM x")

    monkeypatch.setattr(group_service, "create_job_group", explode)
    body = await gql_raw(
        client,
        "mutation($i: CreateJobGroupInput!) { createJobGroup(input: $i) { id } }",
        i={"name": "x", "template": GENERIC_TEMPLATE_ID},
    )
    assert body["errors"][0]["message"] == "Internal server error"
    assert body["errors"][0]["extensions"] == {"code": "INTERNAL_SERVER_ERROR"}
    assert "secret" not in str(body)
