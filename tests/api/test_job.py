from __future__ import annotations

from typing import Any

import httpx
import pytest

from ocr_gateway.db.engine import Database
from ocr_gateway.db.models import Page
from tests.api.factories import UNKNOWN_ID, create_template, problem_fields, set_columns, total
from tests.api.graphql import (
    GENERIC_TEMPLATE_ID,
    create_group,
    create_job,
    create_page,
    gql,
    gql_error,
    gql_raw,
)

JOB_FIELDS = "id name sourceFileName status priority metadata invoiceData error completedAt"
JOB_FIELDS += " createdAt updatedAt pageCount group { id } template { id }"
GET = f"query($id: ID!) {{ job(id: $id) {{ {JOB_FIELDS} }} }}"
CREATE = "mutation($i: CreateJobInput!) { createJob(input: $i) { id } }"
UPDATE = "mutation($id: ID!, $i: UpdateJobInput!) { updateJob(id: $id, input: $i) {"
UPDATE += f" {JOB_FIELDS} }} }}"
DELETE = "mutation($id: ID!, $c: Boolean!) { deleteJob(id: $id, cascade: $c) {"
DELETE += " id deletedPages } }"


async def get_job(client: httpx.AsyncClient, id: str) -> dict[str, Any]:
    job: dict[str, Any] = (await gql(client, GET, id=id))["job"]
    return job


async def test_create_without_a_group_uses_the_generic_defaults(
    client: httpx.AsyncClient,
) -> None:
    job = await get_job(client, (await create_job(client))["id"])
    assert len(job["id"]) == 24
    assert job["group"] is None
    assert job["template"] == {"id": GENERIC_TEMPLATE_ID}
    assert job["priority"] == "medium"
    assert job["status"] == "pending"
    assert job["pageCount"] == 0
    assert job["metadata"] == {}
    assert job["invoiceData"] == {}
    assert job["error"] is None
    assert job["completedAt"] is None
    assert job["createdAt"].endswith("+00:00")


async def test_create_in_a_group_takes_its_template_and_priority(
    client: httpx.AsyncClient,
) -> None:
    template = await create_template(client)
    group = await create_group(client, template=template["id"], priority="urgent")
    job = await create_job(client, group=group["id"])
    assert job["group"] == {"id": group["id"]}
    assert job["template"] == {"id": template["id"]}
    assert job["priority"] == "urgent"


async def test_create_with_explicit_template_and_priority(client: httpx.AsyncClient) -> None:
    template = await create_template(client)
    group = await create_group(client, priority="urgent")
    job = await create_job(client, group=group["id"], template=template["id"], priority="low")
    assert job["template"] == {"id": template["id"]}
    assert job["priority"] == "low"


async def test_create_stores_every_field(client: httpx.AsyncClient) -> None:
    created = await create_job(
        client,
        name="ACME-0042",
        sourceFileName="scans/acme-0042.pdf",
        metadata={"customer": {"id": 42}},
    )
    job = await get_job(client, created["id"])
    assert job["name"] == "ACME-0042"
    assert job["sourceFileName"] == "scans/acme-0042.pdf"
    assert job["metadata"] == {"customer": {"id": 42}}


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"group": UNKNOWN_ID}, "group"),
        ({"group": "not-an-id"}, "group"),
        ({"template": UNKNOWN_ID}, "template"),
        ({"template": "not-an-id"}, "template"),
        ({"name": "  "}, "name"),
        ({"name": "x" * 256}, "name"),
        ({"sourceFileName": "x" * 1025}, "sourceFileName"),
        ({"metadata": [1, 2]}, "metadata"),
    ],
)
async def test_create_rejects_bad_input_naming_the_field(
    client: httpx.AsyncClient, fields: dict[str, Any], field: str
) -> None:
    error = await gql_error(client, CREATE, i={"name": "a.pdf", **fields})
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert problem_fields(error) == [field]
    assert await total(client, "jobs") == 0


async def test_create_requires_a_name(client: httpx.AsyncClient) -> None:
    error = await gql_error(client, CREATE, i={})
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "'name'" in error["message"]


async def test_get_unknown_or_malformed_id_is_not_found(client: httpx.AsyncClient) -> None:
    for id_ in (UNKNOWN_ID, "nope"):
        body = await gql_raw(client, GET, id=id_)
        assert body["data"] == {"job": None}
        assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_update_changes_only_the_given_fields(client: httpx.AsyncClient) -> None:
    created = await create_job(client, sourceFileName="a.pdf", metadata={"k": 1})
    before = await get_job(client, created["id"])
    updated = (await gql(client, UPDATE, id=created["id"], i={"priority": "high"}))["updateJob"]
    assert updated["priority"] == "high"
    unchanged = ("name", "sourceFileName", "metadata", "group", "template", "status")
    assert {k: updated[k] for k in unchanged} == {k: before[k] for k in unchanged}
    assert updated["updatedAt"] >= before["updatedAt"]


async def test_update_moves_the_job_to_another_group(client: httpx.AsyncClient) -> None:
    first, second = await create_group(client, name="first"), await create_group(client)
    job = await create_job(client, group=first["id"])
    updated = await gql(client, UPDATE, id=job["id"], i={"group": second["id"]})
    assert updated["updateJob"]["group"] == {"id": second["id"]}
    query = "query($a: ID!, $b: ID!) { a: jobGroup(id: $a) { jobs { totalCount } }"
    query += " b: jobGroup(id: $b) { jobs { items { id } } } }"
    groups = await gql(client, query, a=first["id"], b=second["id"])
    assert groups["a"]["jobs"]["totalCount"] == 0
    assert groups["b"]["jobs"]["items"] == [{"id": job["id"]}]


async def test_update_with_null_group_detaches_the_job(client: httpx.AsyncClient) -> None:
    group = await create_group(client)
    job = await create_job(client, group=group["id"])
    updated = await gql(client, UPDATE, id=job["id"], i={"group": None})
    assert updated["updateJob"]["group"] is None
    query = "query($id: ID!) { jobGroup(id: $id) { jobs { totalCount } } }"
    assert (await gql(client, query, id=group["id"]))["jobGroup"]["jobs"]["totalCount"] == 0


async def test_moving_a_job_re_derives_both_groups_status(
    client: httpx.AsyncClient, db: Database
) -> None:
    first, second = await create_group(client, name="first"), await create_group(client)
    job = await create_job(client, group=first["id"])
    page = await create_page(client, job["id"])
    await set_columns(db, Page, page["id"], status="processed")
    await gql(client, UPDATE, id=job["id"], i={"group": second["id"]})
    query = "query($a: ID!, $b: ID!) { a: jobGroup(id: $a) { status } b: jobGroup(id: $b) {"
    query += " status } }"
    groups = await gql(client, query, a=first["id"], b=second["id"])
    assert groups == {"a": {"status": "pending"}, "b": {"status": "completed"}}


async def test_update_changes_the_template(client: httpx.AsyncClient) -> None:
    template = await create_template(client)
    job = await create_job(client)
    updated = await gql(client, UPDATE, id=job["id"], i={"template": template["id"]})
    assert updated["updateJob"]["template"] == {"id": template["id"]}


async def test_update_with_null_clears_the_source_file_name(client: httpx.AsyncClient) -> None:
    job = await create_job(client, sourceFileName="a.pdf")
    updated = await gql(client, UPDATE, id=job["id"], i={"sourceFileName": None})
    assert updated["updateJob"]["sourceFileName"] is None


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"group": UNKNOWN_ID}, "group"),
        ({"group": "not-an-id"}, "group"),
        ({"template": UNKNOWN_ID}, "template"),
        ({"name": ""}, "name"),
        ({"metadata": [1]}, "metadata"),
    ],
)
async def test_update_rejects_bad_input_and_changes_nothing(
    client: httpx.AsyncClient, fields: dict[str, Any], field: str
) -> None:
    group = await create_group(client)
    job = await create_job(client, group=group["id"])
    before = await get_job(client, job["id"])
    error = await gql_error(client, UPDATE, id=job["id"], i=fields)
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert problem_fields(error) == [field]
    assert await get_job(client, job["id"]) == before


@pytest.mark.parametrize("field", ["name", "template", "priority", "metadata"])
async def test_update_refuses_null_for_a_required_field_naming_it(
    client: httpx.AsyncClient, field: str
) -> None:
    job = await create_job(client)
    before = await get_job(client, job["id"])
    error = await gql_error(client, UPDATE, id=job["id"], i={field: None})
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert problem_fields(error) == [field] or f"'{field}'" in error["message"]
    assert "Strawberry" not in error["message"]
    assert "Maybe[" not in error["message"]
    assert await get_job(client, job["id"]) == before


async def test_update_unknown_job_is_not_found(client: httpx.AsyncClient) -> None:
    error = await gql_error(client, UPDATE, id=UNKNOWN_ID, i={"name": "x"})
    assert error["extensions"]["code"] == "NOT_FOUND"


async def test_delete_a_job_without_pages(client: httpx.AsyncClient) -> None:
    job = await create_job(client)
    deleted = (await gql(client, DELETE, id=job["id"], c=False))["deleteJob"]
    assert deleted == {"id": job["id"], "deletedPages": 0}
    body = await gql_raw(client, GET, id=job["id"])
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_delete_a_job_with_pages_is_a_conflict(client: httpx.AsyncClient) -> None:
    job = await create_job(client)
    for n in (1, 2):
        await create_page(client, job["id"], pageNumber=n)
    error = await gql_error(client, DELETE, id=job["id"], c=False)
    assert error["extensions"]["code"] == "CONFLICT"
    assert "cascade" in error["message"]
    assert (await get_job(client, job["id"]))["pageCount"] == 2
    assert await total(client, "pages") == 2


async def test_delete_with_cascade_deletes_the_pages(client: httpx.AsyncClient) -> None:
    group = await create_group(client)
    job = await create_job(client, group=group["id"])
    other = await create_job(client, group=group["id"], name="other.pdf")
    for n in (1, 2):
        await create_page(client, job["id"], pageNumber=n)
    kept = await create_page(client, other["id"])
    deleted = (await gql(client, DELETE, id=job["id"], c=True))["deleteJob"]
    assert deleted == {"id": job["id"], "deletedPages": 2}
    pages = await gql(client, "{ pages { totalCount items { id } } }")
    assert pages["pages"] == {"totalCount": 1, "items": [{"id": kept["id"]}]}
    query = "query($id: ID!) { jobGroup(id: $id) { progress { totalJobs totalPages } } }"
    progress = (await gql(client, query, id=group["id"]))["jobGroup"]["progress"]
    assert progress == {"totalJobs": 1, "totalPages": 1}


async def test_delete_unknown_job_is_not_found(client: httpx.AsyncClient) -> None:
    error = await gql_error(client, DELETE, id=UNKNOWN_ID, c=True)
    assert error["extensions"]["code"] == "NOT_FOUND"


async def test_pages_are_ordered_by_page_number_by_default(client: httpx.AsyncClient) -> None:
    job = await create_job(client)
    for n in (3, 1, 2):
        await create_page(client, job["id"], pageNumber=n, pageUrl=f"https://example.com/{n}.png")
    query = "query($id: ID!) { job(id: $id) { pageCount pages { totalCount items { pageNumber"
    query += " job { id } } } } }"
    result = (await gql(client, query, id=job["id"]))["job"]
    assert result["pageCount"] == 3
    assert result["pages"]["totalCount"] == 3
    assert [p["pageNumber"] for p in result["pages"]["items"]] == [1, 2, 3]
    assert {p["job"]["id"] for p in result["pages"]["items"]} == {job["id"]}


async def test_pages_take_list_arguments(client: httpx.AsyncClient) -> None:
    job = await create_job(client)
    for n in (1, 2, 3):
        await create_page(client, job["id"], pageNumber=n, pageUrl=f"https://example.com/{n}.png")
    query = "query($id: ID!) { job(id: $id) { pages(limit: 1, offset: 1, order: desc) {"
    query += " totalCount items { pageNumber } } } }"
    pages = (await gql(client, query, id=job["id"]))["job"]["pages"]
    assert pages == {"totalCount": 3, "items": [{"pageNumber": 2}]}


async def test_progress_counts_the_pages(client: httpx.AsyncClient, db: Database) -> None:
    job = await create_job(client)
    for n in range(1, 5):
        page = await create_page(client, job["id"], pageNumber=n)
        if n == 1:
            await set_columns(db, Page, page["id"], status="processed")
        if n == 2:
            await set_columns(db, Page, page["id"], status="failed")
    query = "query($id: ID!) { job(id: $id) { progress { totalPages percentDone totalJobs"
    query += " jobs { pending } pages { pending processed failed } } } }"
    progress = (await gql(client, query, id=job["id"]))["job"]["progress"]
    assert progress == {
        "totalPages": 4,
        "percentDone": 50.0,
        "totalJobs": None,
        "jobs": None,
        "pages": {"pending": 2, "processed": 1, "failed": 1},
    }


async def test_relations_to_group_and_template(client: httpx.AsyncClient) -> None:
    template = await create_template(client, name="Acme")
    group = await create_group(client, template=template["id"], name="January")
    job = await create_job(client, group=group["id"])
    query = "query($id: ID!) { job(id: $id) { group { name template { name } jobs { items {"
    query += " id } } } template { name builtin } } }"
    result = (await gql(client, query, id=job["id"]))["job"]
    assert result["group"] == {
        "name": "January",
        "template": {"name": "Acme"},
        "jobs": {"items": [{"id": job["id"]}]},
    }
    assert result["template"] == {"name": "Acme", "builtin": False}


async def test_a_new_job_and_its_new_pages_are_pending(client: httpx.AsyncClient) -> None:
    job = await create_job(client)
    await create_page(client, job["id"])
    assert (await get_job(client, job["id"]))["status"] == "pending"


async def test_status_is_re_derived_when_a_page_is_deleted(
    client: httpx.AsyncClient, db: Database
) -> None:
    group = await create_group(client)
    job = await create_job(client, group=group["id"])
    done = await create_page(client, job["id"], pageNumber=1)
    waiting = await create_page(client, job["id"], pageNumber=2)
    await set_columns(db, Page, done["id"], status="processed")
    await gql(client, "mutation($id: ID!) { deletePage(id: $id) { id } }", id=waiting["id"])
    result = await get_job(client, job["id"])
    assert result["status"] == "completed"
    assert result["completedAt"] is not None
    query = "query($id: ID!) { jobGroup(id: $id) { status } }"
    assert (await gql(client, query, id=group["id"]))["jobGroup"]["status"] == "completed"


async def test_status_is_partially_failed_when_some_pages_failed(
    client: httpx.AsyncClient, db: Database
) -> None:
    job = await create_job(client)
    first = await create_page(client, job["id"], pageNumber=1)
    second = await create_page(client, job["id"], pageNumber=2)
    await set_columns(db, Page, first["id"], status="processed")
    await set_columns(db, Page, second["id"], status="failed")
    trigger = await create_page(client, job["id"], pageNumber=3)
    await gql(client, "mutation($id: ID!) { deletePage(id: $id) { id } }", id=trigger["id"])
    assert (await get_job(client, job["id"]))["status"] == "partially_failed"


async def test_a_failed_mutation_rolls_back_the_whole_request(client: httpx.AsyncClient) -> None:
    query = 'mutation { a: createJob(input: {name: "kept?"}) { id }'
    query += ' b: createJob(input: {name: "  "}) { id } }'
    body = await gql_raw(client, query)
    assert [e["extensions"]["code"] for e in body["errors"]] == ["BAD_USER_INPUT"]
    assert await total(client, "jobs") == 0


async def test_search_jobs_by_name_or_source_file(client: httpx.AsyncClient) -> None:
    wanted = await create_job(client, name="March", sourceFileName="ACME-0042.pdf")
    await create_job(client, name="acme? no", sourceFileName="other.pdf")
    query = "query($s: String!) { jobs(search: $s) { totalCount items { id } } }"
    result = (await gql(client, query, s="acme-00"))["jobs"]
    assert result == {"totalCount": 1, "items": [{"id": wanted["id"]}]}
