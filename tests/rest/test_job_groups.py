"""/ocr-invoice-job-groups: the seed "OCR Invoice Job Group API", over HTTP, on both backends."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.rest.rest import (
    GENERIC_TEMPLATE_ID,
    UNKNOWN_ID,
    fails,
    fields,
    ids,
    new_group,
    new_job,
    new_page,
    new_template,
    ok,
)

GROUPS = "/ocr-invoice-job-groups"
SEED_REQUEST = {  # the seed's request sample, with an existing template
    "name": "Monthly Invoice Batch - January 2023",
    "description": "string",
    "batchNumber": "BATCH-2023-001",
    "template": GENERIC_TEMPLATE_ID,
    "priority": "low",
    "processingSettings": {"ocrEngine": "easyocr", "languages": ["en"]},
    "notifications": {"email": "ops@example.com"},
    "createdBy": "60f7b1b3e4b0e8b3f8b3f8b5",
    "assignedTo": "60f7b1b3e4b0e8b3f8b3f8b6",
    "tags": ["q1", "acme"],
    "metadata": {"customer": {"region": "emea"}},
}


async def test_create_stores_the_seed_sample(client: httpx.AsyncClient) -> None:
    body = await ok(client, "POST", GROUPS, 201, json=SEED_REQUEST)
    group = body["data"]
    for key, value in SEED_REQUEST.items():
        assert group[key] == value, key
    assert group["status"] == "pending"
    assert group["progress"]["totalJobs"] == 0
    assert group["progress"]["percentDone"] == 0
    assert (await ok(client, "GET", f"{GROUPS}/{group['id']}"))["data"] == group


async def test_create_applies_the_documented_defaults(client: httpx.AsyncClient) -> None:
    group = await new_group(client)
    assert group["priority"] == "medium"
    assert (group["tags"], group["metadata"], group["notifications"]) == ([], {}, {})
    assert group["description"] is None
    assert group["batchNumber"] is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": None}, "name"),
        ({"name": "   "}, "name"),
        ({"name": 7}, "name"),
        ({"template": None}, "template"),
        ({"template": UNKNOWN_ID}, "template"),
        ({"template": "not-an-id"}, "template"),
        ({"priority": "asap"}, "priority"),
        ({"priority": 3}, "priority"),
        ({"tags": ["ok", ""]}, "tags"),
        ({"tags": [1]}, "tags[0]"),
        ({"metadata": [1, 2]}, "metadata"),
        ({"processingSettings": "fast"}, "processingSettings"),
        ({"batchNumber": "x" * 256}, "batchNumber"),
        ({"unknown": 1}, "unknown"),
    ],
)
async def test_create_with_an_invalid_field_is_422_naming_it(
    client: httpx.AsyncClient, change: dict[str, Any], field: str
) -> None:
    data = {"name": "Batch", "template": GENERIC_TEMPLATE_ID, **change}
    error = await fails(client, "POST", GROUPS, 422, "BAD_USER_INPUT", json=data)
    assert fields(error) == [field]
    assert (await ok(client, "GET", GROUPS))["total"] == 0


async def test_create_refuses_an_inactive_template(client: httpx.AsyncClient) -> None:
    template = await new_template(client, active=False)
    data = {"name": "Batch", "template": template["id"]}
    error = await fails(client, "POST", GROUPS, 422, "BAD_USER_INPUT", json=data)
    assert fields(error) == ["template"]


@pytest.mark.parametrize("id", [UNKNOWN_ID, "abc"])
async def test_get_unknown_or_malformed_id_is_404(client: httpx.AsyncClient, id: str) -> None:
    await fails(client, "GET", f"{GROUPS}/{id}", 404, "NOT_FOUND")


async def test_list_filters_sorts_and_counts(client: httpx.AsyncClient) -> None:
    low = await new_group(client, name="A", priority="low", tags=["q1"])
    urgent = await new_group(client, name="B", priority="urgent", tags=["q1", "acme"])
    await new_group(client, name="C", priority="high", tags=["q2"])
    params = {"filter": '{"tags": {"$in": ["q1"]}}', "sort": "priority", "order": "desc"}
    body = await ok(client, "GET", GROUPS, params=params)
    assert (ids(body["data"]), body["total"]) == ([urgent["id"], low["id"]], 2)


async def test_list_searches_name_batch_number_and_people(client: httpx.AsyncClient) -> None:
    wanted = await new_group(client, name="Other", batchNumber="BATCH-ACME-9")
    await new_group(client, name="Unrelated")
    body = await ok(client, "GET", GROUPS, params={"search": "acme"})
    assert ids(body["data"]) == [wanted["id"]]


@pytest.mark.parametrize("sort", ["createdAt", "updatedAt", "name", "priority", "status",
                                  "batchNumber"])  # fmt: skip
async def test_every_documented_sort_field_works(client: httpx.AsyncClient, sort: str) -> None:
    await new_group(client)
    assert (await ok(client, "GET", GROUPS, params={"sort": sort, "order": "asc"}))["total"] == 1


async def test_sort_by_an_unlisted_field_is_400(client: httpx.AsyncClient) -> None:
    error = await fails(client, "GET", GROUPS, 400, "BAD_USER_INPUT", params={"sort": "tags"})
    assert "batchNumber" in error["message"]


# ---------------------------------------------------------------- update


async def test_put_replaces_name_and_template_and_keeps_the_rest(
    client: httpx.AsyncClient,
) -> None:
    group = (await ok(client, "POST", GROUPS, 201, json=SEED_REQUEST))["data"]
    template = await new_template(client)
    data = {"name": "Renamed", "template": template["id"]}
    updated = (await ok(client, "PUT", f"{GROUPS}/{group['id']}", json=data))["data"]
    assert (updated["name"], updated["template"]) == ("Renamed", template["id"])
    for key in ("description", "batchNumber", "priority", "tags", "metadata", "notifications"):
        assert updated[key] == SEED_REQUEST[key], key


async def test_put_sets_and_clears_optional_fields(client: httpx.AsyncClient) -> None:
    group = (await ok(client, "POST", GROUPS, 201, json=SEED_REQUEST))["data"]
    data = {"name": "N", "template": GENERIC_TEMPLATE_ID, "description": None, "tags": [],
            "priority": "urgent"}  # fmt: skip
    updated = (await ok(client, "PUT", f"{GROUPS}/{group['id']}", json=data))["data"]
    assert updated["description"] is None
    assert updated["tags"] == []
    assert updated["priority"] == "urgent"
    assert updated["batchNumber"] == "BATCH-2023-001"


@pytest.mark.parametrize("body", [{"name": "Only a name"}, {"template": GENERIC_TEMPLATE_ID}, {}])
async def test_put_without_the_required_fields_is_422(
    client: httpx.AsyncClient, body: dict[str, Any]
) -> None:
    group = await new_group(client)
    error = await fails(client, "PUT", f"{GROUPS}/{group['id']}", 422, "BAD_USER_INPUT", json=body)
    assert fields(error) == [f for f in ("name", "template") if f not in body]
    assert (await ok(client, "GET", f"{GROUPS}/{group['id']}"))["data"] == group


async def test_put_unknown_id_is_404(client: httpx.AsyncClient) -> None:
    data = {"name": "N", "template": GENERIC_TEMPLATE_ID}
    await fails(client, "PUT", f"{GROUPS}/{UNKNOWN_ID}", 404, "NOT_FOUND", json=data)


async def test_put_to_an_unknown_template_is_422(client: httpx.AsyncClient) -> None:
    group = await new_group(client)
    data = {"name": "N", "template": UNKNOWN_ID}
    error = await fails(client, "PUT", f"{GROUPS}/{group['id']}", 422, "BAD_USER_INPUT", json=data)
    assert fields(error) == ["template"]


# ---------------------------------------------------------------- delete and jobs


async def test_delete_keeps_the_jobs_and_their_pages_detached(client: httpx.AsyncClient) -> None:
    group = await new_group(client)
    job = await new_job(client, group=group["id"])
    page = await new_page(client, job["id"])
    body = await ok(client, "DELETE", f"{GROUPS}/{group['id']}")
    assert body == {"success": True, "message": "OCR invoice job group deleted successfully"}
    await fails(client, "GET", f"{GROUPS}/{group['id']}", 404, "NOT_FOUND")
    assert (await ok(client, "GET", f"/ocr-invoice-jobs/{job['id']}"))["data"]["group"] is None
    await ok(client, "GET", f"/ocr-invoice-job-pages/{page['id']}")


async def test_delete_unknown_id_is_404(client: httpx.AsyncClient) -> None:
    await fails(client, "DELETE", f"{GROUPS}/{UNKNOWN_ID}", 404, "NOT_FOUND")


async def test_jobs_of_a_group_are_all_its_jobs_oldest_first(client: httpx.AsyncClient) -> None:
    group = await new_group(client)
    jobs = [await new_job(client, name=f"inv-{n}.pdf", group=group["id"]) for n in range(3)]
    await new_job(client, name="elsewhere.pdf")
    body = await ok(client, "GET", f"{GROUPS}/{group['id']}/jobs")
    assert set(body) == {"success", "data", "total"}
    assert (ids(body["data"]), body["total"]) == (ids(jobs), 3)
    assert {job["group"] for job in body["data"]} == {group["id"]}


async def test_jobs_of_a_group_reads_past_one_batch(client: httpx.AsyncClient) -> None:
    group = await new_group(client)
    for n in range(105):
        await new_job(client, name=f"inv-{n}.pdf", group=group["id"])
    body = await ok(client, "GET", f"{GROUPS}/{group['id']}/jobs")
    assert len(body["data"]) == body["total"] == 105
    assert len(set(ids(body["data"]))) == 105


async def test_jobs_of_an_empty_group_is_an_empty_list(client: httpx.AsyncClient) -> None:
    group = await new_group(client)
    body = await ok(client, "GET", f"{GROUPS}/{group['id']}/jobs")
    assert body == {"success": True, "data": [], "total": 0}


@pytest.mark.parametrize("id", [UNKNOWN_ID, "nope"])
async def test_jobs_of_an_unknown_group_is_404(client: httpx.AsyncClient, id: str) -> None:
    await fails(client, "GET", f"{GROUPS}/{id}/jobs", 404, "NOT_FOUND")


async def test_progress_counts_the_jobs_and_pages(client: httpx.AsyncClient) -> None:
    group = await new_group(client)
    job = await new_job(client, group=group["id"])
    await new_page(client, job["id"])
    await new_page(client, job["id"], pageNumber=2)
    progress = (await ok(client, "GET", f"{GROUPS}/{group['id']}"))["data"]["progress"]
    assert progress["totalJobs"] == 1
    assert progress["totalPages"] == 2
    assert progress["pages"]["pending"] == 2
    assert progress["jobs"]["pending"] == 1
