from __future__ import annotations

import httpx
import pytest

from tests.api.graphql import (
    GENERIC_TEMPLATE_ID,
    create_group,
    create_job,
    create_page,
    gql,
    gql_error,
    gql_raw,
)

GET = "query($id: ID!) { jobGroup(id: $id) { id name description priority status tags metadata"
GET += " processingSettings notifications createdBy assignedTo batchNumber template { id } } }"
UPDATE = "mutation($id: ID!, $i: UpdateJobGroupInput!) { updateJobGroup(id: $id, input: $i) {"
UPDATE += " id name description priority tags batchNumber updatedAt } }"
DELETE = "mutation($id: ID!, $c: Boolean!) { deleteJobGroup(id: $id, cascade: $c) {"
DELETE += " id detachedJobs deletedJobs deletedPages } }"


async def test_create_applies_the_documented_defaults(client: httpx.AsyncClient) -> None:
    group = await create_group(client)
    assert len(group["id"]) == 24
    assert int(group["id"], 16) >= 0
    assert group["priority"] == "medium"
    assert group["status"] == "pending"
    assert group["tags"] == []
    assert group["metadata"] == {}
    assert group["createdAt"].endswith("+00:00")


async def test_create_stores_every_seed_field(client: httpx.AsyncClient) -> None:
    fields = {
        "name": "Monthly Invoice Batch - January 2023",
        "description": "string",
        "batchNumber": "BATCH-2023-001",
        "priority": "low",
        "processingSettings": {"ocrEngine": "easyocr"},
        "notifications": {"email": "ops@example.com"},
        "createdBy": "60f7b1b3e4b0e8b3f8b3f8b5",
        "assignedTo": "60f7b1b3e4b0e8b3f8b3f8b6",
        "tags": ["q1", "acme"],
        "metadata": {"region": "emea"},
    }
    created = await create_group(client, **fields)
    fetched = (await gql(client, GET, id=created["id"]))["jobGroup"]
    for key, value in fields.items():
        assert fetched[key] == value, key
    assert fetched["template"]["id"] == GENERIC_TEMPLATE_ID


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": "  "}, "name"),
        ({"name": "x" * 256}, "name"),
        ({"template": "not-an-id"}, "template"),
        ({"template": "60f7b1b3e4b0e8b3f8b3f8b4"}, "template"),
        ({"tags": ["ok", ""]}, "tags"),
    ],
)
async def test_create_rejects_bad_input_naming_the_field(
    client: httpx.AsyncClient, fields: dict[str, object], field: str
) -> None:
    data = {"name": "Batch", "template": GENERIC_TEMPLATE_ID, **fields}
    error = await gql_error(
        client, "mutation($i: CreateJobGroupInput!) { createJobGroup(input: $i) { id } }", i=data
    )
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert [f["field"] for f in error["extensions"]["fields"]] == [field]
    total = await gql(client, "{ jobGroups { totalCount } }")
    assert total["jobGroups"]["totalCount"] == 0


async def test_create_rejects_an_unknown_priority(client: httpx.AsyncClient) -> None:
    data = {"name": "Batch", "template": GENERIC_TEMPLATE_ID, "priority": "asap"}
    error = await gql_error(
        client, "mutation($i: CreateJobGroupInput!) { createJobGroup(input: $i) { id } }", i=data
    )
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "priority" in error["message"]


async def test_create_requires_name_and_template(client: httpx.AsyncClient) -> None:
    body = await gql_raw(
        client, "mutation($i: CreateJobGroupInput!) { createJobGroup(input: $i) { id } }", i={}
    )
    assert {e["extensions"]["code"] for e in body["errors"]} == {"BAD_USER_INPUT"}
    messages = " ".join(e["message"] for e in body["errors"])
    assert "'name'" in messages
    assert "'template'" in messages


async def test_get_unknown_or_malformed_id_is_not_found(client: httpx.AsyncClient) -> None:
    for id_ in ("60f7b1b3e4b0e8b3f8b3f8b4", "nope"):
        body = (await client.post("/graphql", json={"query": GET, "variables": {"id": id_}})).json()
        assert body["data"] == {"jobGroup": None}
        assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_update_changes_only_the_given_fields(client: httpx.AsyncClient) -> None:
    group = await create_group(client, description="keep me", tags=["a"], batchNumber="B-1")
    updated = (await gql(client, UPDATE, id=group["id"], i={"name": "Renamed"}))["updateJobGroup"]
    assert updated["name"] == "Renamed"
    assert updated["description"] == "keep me"
    assert updated["tags"] == ["a"]
    assert updated["updatedAt"] >= group["updatedAt"]


async def test_update_with_null_clears_a_nullable_field(client: httpx.AsyncClient) -> None:
    group = await create_group(client, description="old", batchNumber="B-1")
    updated = await gql(client, UPDATE, id=group["id"], i={"description": None})
    assert updated["updateJobGroup"]["description"] is None
    assert updated["updateJobGroup"]["batchNumber"] == "B-1"


async def test_update_refuses_null_for_a_required_field(client: httpx.AsyncClient) -> None:
    group = await create_group(client)
    error = await gql_error(client, UPDATE, id=group["id"], i={"name": None})
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    fetched = await gql(client, GET, id=group["id"])
    assert fetched["jobGroup"]["name"] == group["name"]


async def test_update_unknown_group_is_not_found(client: httpx.AsyncClient) -> None:
    error = await gql_error(client, UPDATE, id="60f7b1b3e4b0e8b3f8b3f8b4", i={"name": "x"})
    assert error["extensions"]["code"] == "NOT_FOUND"


async def test_delete_keeps_the_jobs_detached(client: httpx.AsyncClient) -> None:
    group = await create_group(client)
    job = await create_job(client, group=group["id"])
    await create_page(client, job["id"])
    deleted = (await gql(client, DELETE, id=group["id"], c=False))["deleteJobGroup"]
    assert deleted == {"id": group["id"], "detachedJobs": 1, "deletedJobs": 0, "deletedPages": 0}
    kept = await gql(
        client, "query($id: ID!) { job(id: $id) { group { id } pageCount } }", id=job["id"]
    )
    assert kept["job"] == {"group": None, "pageCount": 1}


async def test_delete_with_cascade_removes_jobs_and_pages(client: httpx.AsyncClient) -> None:
    group = await create_group(client)
    job = await create_job(client, group=group["id"])
    await create_page(client, job["id"])
    await create_page(client, job["id"], pageNumber=2)
    deleted = (await gql(client, DELETE, id=group["id"], c=True))["deleteJobGroup"]
    assert deleted["deletedJobs"] == 1
    assert deleted["deletedPages"] == 2
    left = await gql(client, "{ jobs { totalCount } pages { totalCount } }")
    assert left == {"jobs": {"totalCount": 0}, "pages": {"totalCount": 0}}


async def test_delete_unknown_group_is_not_found(client: httpx.AsyncClient) -> None:
    error = await gql_error(client, DELETE, id="60f7b1b3e4b0e8b3f8b3f8b4", c=False)
    assert error["extensions"]["code"] == "NOT_FOUND"


async def test_progress_counts_jobs_and_pages(client: httpx.AsyncClient) -> None:
    group = await create_group(client)
    for n in range(2):
        job = await create_job(client, group=group["id"], name=f"inv-{n}")
        await create_page(client, job["id"])
    query = "query($id: ID!) { jobGroup(id: $id) { status progress { totalJobs totalPages"
    query += " percentDone jobs { pending } pages { pending processed } } } }"
    result = (await gql(client, query, id=group["id"]))["jobGroup"]
    assert result["status"] == "pending"
    assert result["progress"] == {
        "totalJobs": 2,
        "totalPages": 2,
        "percentDone": 0.0,
        "jobs": {"pending": 2},
        "pages": {"pending": 2, "processed": 0},
    }
