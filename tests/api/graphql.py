"""Talking to the GraphQL endpoint in tests, and factories that build rows through it."""

from __future__ import annotations

from typing import Any

import httpx

GENERIC_TEMPLATE_ID = "000000000000000000000001"


class GraphQLErrors(AssertionError):
    pass


async def gql(client: httpx.AsyncClient, query: str, **variables: Any) -> dict[str, Any]:
    """Run an operation that must succeed; returns its data."""
    body = await gql_raw(client, query, **variables)
    if body.get("errors"):
        raise GraphQLErrors(body["errors"])
    data: dict[str, Any] = body["data"]
    return data


async def gql_raw(client: httpx.AsyncClient, query: str, **variables: Any) -> dict[str, Any]:
    response = await client.post("/graphql", json={"query": query, "variables": variables})
    body: dict[str, Any] = response.json()
    return body


async def gql_error(client: httpx.AsyncClient, query: str, **variables: Any) -> dict[str, Any]:
    """Run an operation that must fail with exactly one error; returns that error."""
    body = await gql_raw(client, query, **variables)
    assert body.get("errors"), f"expected an error, got {body}"
    assert len(body["errors"]) == 1, body["errors"]
    error: dict[str, Any] = body["errors"][0]
    return error


async def create_group(client: httpx.AsyncClient, **fields: Any) -> dict[str, Any]:
    data = {"name": "Monthly batch", "template": GENERIC_TEMPLATE_ID, **fields}
    result = await gql(
        client,
        "mutation($i: CreateJobGroupInput!) { createJobGroup(input: $i) {"
        " id name priority status tags batchNumber metadata createdAt updatedAt } }",
        i=data,
    )
    return result["createJobGroup"]


async def create_job(client: httpx.AsyncClient, **fields: Any) -> dict[str, Any]:
    data = {"name": "invoice-001.pdf", **fields}
    result = await gql(
        client,
        "mutation($i: CreateJobInput!) { createJob(input: $i) {"
        " id name status priority template { id } group { id } } }",
        i=data,
    )
    return result["createJob"]


async def create_page(client: httpx.AsyncClient, job: str, **fields: Any) -> dict[str, Any]:
    data = {"job": job, "pageNumber": 1, "pageUrl": "https://example.com/p1.png", **fields}
    result = await gql(
        client,
        "mutation($i: CreatePageInput!) { createPage(input: $i) {"
        " id pageNumber pageUrl pageType status metadata annotations imageProperties } }",
        i=data,
    )
    return result["createPage"]
