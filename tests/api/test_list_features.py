"""What lists offer beyond field filters: conditions on related rows (some / every / none of
a nested list, the row a foreign key points at) and several sort keys (``orderBy``)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from ocr_gateway.db.engine import Database
from ocr_gateway.db.models import Page
from tests.api.factories import problem_fields, set_columns
from tests.api.graphql import create_group, create_job, create_page, gql, gql_error


async def seed(client: httpx.AsyncClient, db: Database) -> None:
    """Group A: a failed and a processed page; B: processed only; C: no jobs."""
    plan = {"A": ("q1", ["failed", "processed"]), "B": ("q2", ["processed"]), "C": ("q1", [])}
    for name, (tag, statuses) in plan.items():
        group = await create_group(client, name=name, tags=[tag])
        if not statuses:
            continue
        job = await create_job(client, group=group["id"], name=f"{name}-job")
        for number, status in enumerate(statuses, start=1):
            page = await create_page(client, job["id"], pageNumber=number)
            await set_columns(db, Page, page["id"], status=status)


async def group_names(client: httpx.AsyncClient, filter_: dict[str, Any]) -> list[str]:
    query = "query($f: JobGroupFilter) { jobGroups(filter: $f, sort: name, order: asc)"
    query += " { totalCount items { name } } }"
    result = (await gql(client, query, f=filter_))["jobGroups"]
    assert result["totalCount"] == len(result["items"])
    return [item["name"] for item in result["items"]]


@pytest.mark.parametrize(
    ("filter_", "expected"),
    [
        pytest.param({"pages": {"some": {"status": {"eq": "failed"}}}}, ["A"], id="some"),
        pytest.param({"pages": {"none": {"status": {"eq": "failed"}}}}, ["B", "C"], id="none"),
        pytest.param(
            {"pages": {"every": {"status": {"eq": "processed"}}}}, ["B", "C"], id="every-vacuous"
        ),
        pytest.param({"jobs": {"some": {}}}, ["A", "B"], id="has-jobs"),
        pytest.param(
            {"jobs": {"some": {"pages": {"some": {"pageNumber": {"gte": 2}}}}}}, ["A"], id="nested"
        ),
        pytest.param(
            {"templateWhere": {"builtin": {"eq": True}}, "tags": {"has": "q1"}},
            ["A", "C"],
            id="to-one-and-field",
        ),
    ],
)
async def test_groups_by_their_related_rows(
    client: httpx.AsyncClient, db: Database, filter_: dict[str, Any], expected: list[str]
) -> None:
    await seed(client, db)
    assert await group_names(client, filter_) == expected


async def test_jobs_whose_group_has_a_tag(client: httpx.AsyncClient, db: Database) -> None:
    await seed(client, db)
    await create_job(client, name="loose")
    query = 'query { jobs(filter: {groupWhere: {tags: {has: "q1"}}}) { items { name } } }'
    assert (await gql(client, query))["jobs"]["items"] == [{"name": "A-job"}]


async def test_pages_through_two_relations(client: httpx.AsyncClient, db: Database) -> None:
    await seed(client, db)
    query = 'query { pages(filter: {jobWhere: {groupWhere: {name: {eq: "B"}}}}) {'
    query += " items { pageNumber job { name } } } }"
    items = (await gql(client, query))["pages"]["items"]
    assert items == [{"pageNumber": 1, "job": {"name": "B-job"}}]


async def test_a_nested_list_filters_on_related_rows(
    client: httpx.AsyncClient, db: Database
) -> None:
    await seed(client, db)
    query = "{ jobGroups(sort: name, order: asc) { items { name"
    query += " jobs(filter: {pages: {some: {status: {eq: failed}}}}) { totalCount } } } }"
    items = (await gql(client, query))["jobGroups"]["items"]
    assert [(i["name"], i["jobs"]["totalCount"]) for i in items] == [("A", 1), ("B", 0), ("C", 0)]


async def test_order_by_several_keys(client: httpx.AsyncClient) -> None:
    for name, priority in (("b", "high"), ("a", "high"), ("c", "low"), ("d", "urgent")):
        await create_group(client, name=name, priority=priority)
    query = "{ jobGroups(orderBy: [{field: priority, order: desc}, {field: name}]) {"
    query += " items { name } } }"
    items = (await gql(client, query))["jobGroups"]["items"]
    assert [item["name"] for item in items] == ["d", "a", "b", "c"]


async def test_order_by_in_a_nested_list(client: httpx.AsyncClient) -> None:
    group = await create_group(client)
    for name, priority in (("x", "low"), ("y", "high"), ("z", "low")):
        await create_job(client, group=group["id"], name=name, priority=priority)
    query = "query($id: ID!) { jobGroup(id: $id) { jobs(orderBy: [{field: priority},"
    query += " {field: name, order: desc}]) { items { name } } } }"
    jobs = (await gql(client, query, id=group["id"]))["jobGroup"]["jobs"]["items"]
    assert [job["name"] for job in jobs] == ["z", "x", "y"]


async def test_sort_and_order_by_together_is_bad_input(client: httpx.AsyncClient) -> None:
    query = "{ jobs(sort: name, orderBy: [{field: status}]) { totalCount } }"
    error = await gql_error(client, query)
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert problem_fields(error) == ["orderBy"]


async def test_too_many_sort_keys_is_bad_input(client: httpx.AsyncClient) -> None:
    keys = ", ".join("{field: name}" for _ in range(6))
    error = await gql_error(client, f"{{ jobs(orderBy: [{keys}]) {{ totalCount }} }}")
    assert problem_fields(error) == ["orderBy"]


AGGREGATE = """
query($f: PageFilter) { pages(filter: $f, limit: 1) { totalCount aggregate {
  count countByStatus { processed failed pending }
  sum { pageNumber attempts meanConfidence } avg { pageNumber meanConfidence }
  min { pageNumber createdAt meanConfidence } max { pageNumber processedAt } } } }
"""


async def test_aggregates_of_a_list(client: httpx.AsyncClient, db: Database) -> None:
    await seed(client, db)
    pages = (await gql(client, "{ pages { items { id pageNumber status } } }"))["pages"]["items"]
    for page, confidence in zip(pages, (0.5, 0.25, 1.0), strict=True):
        await set_columns(db, Page, page["id"], mean_confidence=confidence, attempts=2)
    result = (await gql(client, AGGREGATE))["pages"]
    aggregate = result["aggregate"]
    assert aggregate["count"] == result["totalCount"] == 3
    assert aggregate["countByStatus"] == {"processed": 2, "failed": 1, "pending": 0}
    assert aggregate["sum"] == {"pageNumber": 4.0, "attempts": 6.0, "meanConfidence": 1.75}
    assert aggregate["avg"]["pageNumber"] == pytest.approx(4 / 3)
    assert aggregate["min"]["pageNumber"] == 1
    assert aggregate["min"]["meanConfidence"] == 0.25
    assert aggregate["max"] == {"pageNumber": 2, "processedAt": None}


async def test_aggregates_follow_the_filter_and_are_empty_without_rows(
    client: httpx.AsyncClient, db: Database
) -> None:
    await seed(client, db)
    failed = (await gql(client, AGGREGATE, f={"status": {"eq": "failed"}}))["pages"]["aggregate"]
    assert (failed["count"], failed["countByStatus"]["failed"]) == (1, 1)
    none = (await gql(client, AGGREGATE, f={"pageNumber": {"gt": 99}}))["pages"]["aggregate"]
    assert none["count"] == 0
    assert none["sum"] == {"pageNumber": None, "attempts": None, "meanConfidence": None}


async def test_aggregates_of_nested_lists(client: httpx.AsyncClient, db: Database) -> None:
    await seed(client, db)
    query = "{ jobGroups(sort: name, order: asc) { items { name"
    query += " pages { aggregate { count countByStatus { failed } max { pageNumber } } }"
    query += " jobs { aggregate { count countByStatus { pending } } } } } }"
    items = (await gql(client, query))["jobGroups"]["items"]
    assert [(i["name"], i["pages"]["aggregate"]["count"]) for i in items] == [
        ("A", 2),
        ("B", 1),
        ("C", 0),
    ]
    assert items[0]["pages"]["aggregate"]["countByStatus"] == {"failed": 1}
    assert items[2]["pages"]["aggregate"]["max"] == {"pageNumber": None}
    assert [i["jobs"]["aggregate"]["count"] for i in items] == [1, 1, 0]


BACKWARD = """
query($last: Int, $before: String, $first: Int, $after: String) {
  jobGroupsConnection(last: $last, before: $before, first: $first, after: $after,
                      sort: name, order: asc) {
    edges { cursor node { name } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}
"""


async def test_backward_paging_walks_from_the_end(client: httpx.AsyncClient) -> None:
    for name in "abcde":
        await create_group(client, name=name)
    slices, before = [], None
    while True:
        result = (await gql(client, BACKWARD, last=2, before=before))["jobGroupsConnection"]
        slices.append([edge["node"]["name"] for edge in result["edges"]])
        assert result["pageInfo"]["hasNextPage"] is (before is not None)
        if not result["pageInfo"]["hasPreviousPage"]:
            break
        before = result["pageInfo"]["startCursor"]
    assert slices == [["d", "e"], ["b", "c"], ["a"]]


async def test_a_cursor_from_forward_paging_pages_backward(client: httpx.AsyncClient) -> None:
    for name in "abcd":
        await create_group(client, name=name)
    forward = (await gql(client, BACKWARD, first=3))["jobGroupsConnection"]
    cursor = forward["pageInfo"]["endCursor"]
    back = (await gql(client, BACKWARD, last=5, before=cursor))["jobGroupsConnection"]
    assert [edge["node"]["name"] for edge in back["edges"]] == ["a", "b"]
    assert back["pageInfo"]["hasPreviousPage"] is False


@pytest.mark.parametrize(
    ("variables", "field"),
    [({"first": 2, "last": 2}, "first"), ({"before": "x"}, "before"), ({"last": 0}, "last")],
)
async def test_mixing_paging_directions_is_bad_input(
    client: httpx.AsyncClient, variables: dict[str, Any], field: str
) -> None:
    error = await gql_error(client, BACKWARD, **variables)
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert problem_fields(error) == [field]
