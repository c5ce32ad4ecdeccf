"""A request is one unit of work: committed whole, or rolled back whole."""

from __future__ import annotations

import httpx

from tests.api.graphql import GENERIC_TEMPLATE_ID, create_group, create_job, gql, gql_raw

TWO_GROUPS = """
mutation($a: CreateJobGroupInput!, $b: CreateJobGroupInput!) {
  first: createJobGroup(input: $a) { id }
  second: createJobGroup(input: $b) { id }
}
"""


async def test_every_mutation_of_a_request_is_kept(client: httpx.AsyncClient) -> None:
    group = {"name": "A", "template": GENERIC_TEMPLATE_ID}
    await gql(client, TWO_GROUPS, a=group, b={**group, "name": "B"})
    total = await gql(client, "{ jobGroups { totalCount } }")
    assert total["jobGroups"]["totalCount"] == 2


async def test_a_failed_mutation_rolls_back_the_whole_request(client: httpx.AsyncClient) -> None:
    good = {"name": "A", "template": GENERIC_TEMPLATE_ID}
    bad = {"name": "B", "template": "60f7b1b3e4b0e8b3f8b3f8b4"}
    body = await gql_raw(client, TWO_GROUPS, a=good, b=bad)
    assert body["errors"][0]["path"] == ["second"]
    total = await gql(client, "{ jobGroups { totalCount } }")
    assert total["jobGroups"]["totalCount"] == 0


async def test_a_later_mutation_sees_an_earlier_one(client: httpx.AsyncClient) -> None:
    group = await create_group(client)
    job = await create_job(client, group=group["id"])
    query = """
    mutation($job: ID!) {
      one: createPage(input: {job: $job, pageNumber: 1, pageUrl: "https://e.com/1.png"}) { id }
      two: createPage(input: {job: $job, pageNumber: 1, pageUrl: "https://e.com/2.png"}) { id }
    }"""
    body = await gql_raw(client, query, job=job["id"])
    assert body["errors"][0]["extensions"]["code"] == "CONFLICT"
    pages = await gql(client, "{ pages { totalCount } }")
    assert pages["pages"]["totalCount"] == 0


async def test_a_query_changes_nothing(client: httpx.AsyncClient) -> None:
    await gql(client, "{ jobGroups { totalCount } templates { items { id } } }")
    total = await gql(client, "{ templates { totalCount } }")
    assert total["templates"]["totalCount"] == 1
