"""/ocr-invoice-job-pages: the seed "OCR Invoice Job Page API", over HTTP, on both backends."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.conftest import RecordingQueue
from tests.rest.rest import (
    PAGE_URL,
    UNKNOWN_ID,
    call,
    fails,
    fields,
    ids,
    new_job,
    new_page,
    ok,
)

PAGES = "/ocr-invoice-job-pages"
SEED_FIELDS = {
    "pageNumber": 2,
    "pageUrl": "https://files.example.com/invoices/acme-0042-2.png?v=1",
    "pageType": "summary",
    "imageProperties": {"width": 2480, "height": 3508, "dpi": 300},
    "annotations": [{"kind": "stamp", "box": [1, 2, 3, 4]}],
    "metadata": {"scanner": "s-1"},
}


async def count(client: httpx.AsyncClient) -> int:
    body = await ok(client, "GET", PAGES, params={"limit": 1})
    total: int = body["total"]
    return total


async def test_create_stores_every_seed_field_and_answers_201(client: httpx.AsyncClient) -> None:
    job = await new_job(client)
    body = await ok(client, "POST", PAGES, 201, json={"job": job["id"], **SEED_FIELDS})
    assert set(body) == {"success", "data"}
    page = body["data"]
    assert page["job"] == job["id"]
    for key, value in SEED_FIELDS.items():
        assert page[key] == value, key
    assert page["status"] == "pending"
    assert page["attempts"] == 0
    assert len(page["id"]) == 24
    assert page["createdAt"].endswith("+00:00")


async def test_create_defaults_the_optional_fields(client: httpx.AsyncClient) -> None:
    page = await new_page(client, (await new_job(client))["id"])
    assert page["pageType"] is None
    assert (page["imageProperties"], page["annotations"], page["metadata"]) == ({}, [], {})
    assert page["ocrText"] is None
    assert page["lines"] is None
    assert page["processedAt"] is None


async def test_get_answers_the_page_as_created(client: httpx.AsyncClient) -> None:
    created = await new_page(client, (await new_job(client))["id"], **SEED_FIELDS)
    body = await ok(client, "GET", f"{PAGES}/{created['id']}")
    assert body == {"success": True, "data": created}


@pytest.mark.parametrize("id", [UNKNOWN_ID, "not-an-id", "60F7B1B3E4B0E8B3F8B3F8B4", "x" * 300])
async def test_get_unknown_or_malformed_id_is_404(client: httpx.AsyncClient, id: str) -> None:
    error = await fails(client, "GET", f"{PAGES}/{id}", 404, "NOT_FOUND")
    assert error["details"] == []


@pytest.mark.parametrize(
    ("missing", "body"),
    [
        ("job", {"pageNumber": 1, "pageUrl": PAGE_URL}),
        ("pageNumber", {"job": "{job}", "pageUrl": PAGE_URL}),
        ("pageUrl", {"job": "{job}", "pageNumber": 1}),
    ],
)
async def test_create_without_a_required_field_is_422(
    client: httpx.AsyncClient, missing: str, body: dict[str, Any]
) -> None:
    job = await new_job(client)
    data = {k: job["id"] if v == "{job}" else v for k, v in body.items()}
    error = await fails(client, "POST", PAGES, 422, "BAD_USER_INPUT", json=data)
    assert fields(error) == [missing]
    assert "is required" in error["message"]
    assert await count(client) == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"pageNumber": 0}, "pageNumber"),
        ({"pageNumber": -3}, "pageNumber"),
        ({"pageNumber": "2"}, "pageNumber"),
        ({"pageNumber": 1.5}, "pageNumber"),
        ({"pageNumber": 10**30}, "pageNumber"),
        ({"pageUrl": "not a uri"}, "pageUrl"),
        ({"pageUrl": "/relative/p1.png"}, "pageUrl"),
        ({"pageUrl": 42}, "pageUrl"),
        ({"pageType": "Cover"}, "pageType"),
        ({"job": UNKNOWN_ID}, "job"),
        ({"job": "not-an-id"}, "job"),
        ({"metadata": "text"}, "metadata"),
        ({"annotations": [1, 2]}, "annotations"),
        ({"status": "processed"}, "status"),
    ],
)
async def test_create_with_an_invalid_field_is_422_naming_it(
    client: httpx.AsyncClient, change: dict[str, Any], field: str
) -> None:
    job = await new_job(client)
    data = {"job": job["id"], "pageNumber": 1, "pageUrl": PAGE_URL, **change}
    error = await fails(client, "POST", PAGES, 422, "BAD_USER_INPUT", json=data)
    assert fields(error) == [field]
    assert await count(client) == 0


async def test_create_reports_every_invalid_field_at_once(client: httpx.AsyncClient) -> None:
    data = {"job": UNKNOWN_ID, "pageNumber": "x", "pageUrl": 5, "pageType": "big"}
    error = await fails(client, "POST", PAGES, 422, "BAD_USER_INPUT", json=data)
    # The type errors, and the unknown job found by the checks that run on the rest.
    assert sorted(fields(error)) == ["job", "pageNumber", "pageType", "pageUrl"]
    by_field = {d["field"]: d["message"] for d in error["details"]}
    assert by_field["pageType"].startswith("must be one of: cover, header, content")
    assert by_field["job"] == f"no job with id {UNKNOWN_ID!r}"


async def test_a_duplicate_page_number_in_a_job_is_409(client: httpx.AsyncClient) -> None:
    job = await new_job(client)
    await new_page(client, job["id"], pageNumber=3)
    data = {"job": job["id"], "pageNumber": 3, "pageUrl": PAGE_URL}
    error = await fails(client, "POST", PAGES, 409, "CONFLICT", json=data)
    assert fields(error) == ["pageNumber"]
    assert await count(client) == 1


async def test_the_same_page_number_in_another_job_is_fine(client: httpx.AsyncClient) -> None:
    first, second = await new_job(client), await new_job(client, name="other.pdf")
    await new_page(client, first["id"])
    await new_page(client, second["id"])
    assert await count(client) == 2


# ---------------------------------------------------------------- list


async def test_list_answers_data_and_total_newest_first(client: httpx.AsyncClient) -> None:
    job = await new_job(client)
    pages = [await new_page(client, job["id"], pageNumber=n) for n in (1, 2, 3)]
    body = await ok(client, "GET", PAGES)
    assert set(body) == {"success", "data", "total"}
    assert body["total"] == 3
    assert ids(body["data"]) == ids(pages)[::-1]


async def test_total_ignores_limit_and_offset(client: httpx.AsyncClient) -> None:
    job = await new_job(client)
    pages = [await new_page(client, job["id"], pageNumber=n) for n in range(1, 6)]
    params = {"limit": 2, "offset": 1, "sort": "pageNumber", "order": "asc"}
    body = await ok(client, "GET", PAGES, params=params)
    assert body["total"] == 5
    assert ids(body["data"]) == ids(pages[1:3])


async def test_sort_by_page_number_descending(client: httpx.AsyncClient) -> None:
    job = await new_job(client)
    for number in (2, 9, 4):
        await new_page(client, job["id"], pageNumber=number)
    body = await ok(client, "GET", PAGES, params={"sort": "pageNumber", "order": "desc"})
    assert [p["pageNumber"] for p in body["data"]] == [9, 4, 2]


async def test_search_matches_the_page_url_ignoring_case(client: httpx.AsyncClient) -> None:
    job = await new_job(client)
    wanted = await new_page(client, job["id"], pageUrl="https://x.example/ACME-7.png")
    await new_page(client, job["id"], pageNumber=2, pageUrl="https://x.example/other.png")
    body = await ok(client, "GET", PAGES, params={"search": "acme"})
    assert (ids(body["data"]), body["total"]) == ([wanted["id"]], 1)


async def test_empty_list_parameters_mean_their_defaults(client: httpx.AsyncClient) -> None:
    await new_page(client, (await new_job(client))["id"])
    params = {"limit": "", "offset": "", "sort": "", "order": "", "filter": "", "search": ""}
    body = await ok(client, "GET", PAGES, params=params)
    assert body["total"] == 1


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"limit": "1.5"}, "limit"),
        ({"offset": -1}, "offset"),
        ({"offset": 2**31}, "offset"),
        ({"offset": "9" * 40}, "offset"),
        ({"order": "up"}, "order"),
        ({"order": "ASC"}, "order"),
        ({"sort": "ocrText"}, "sort"),
        ({"sort": "page_number"}, "sort"),
        ({"search": "x" * 201}, "search"),
        ({"search": "a\x00b"}, "search"),
        ({"filter": "{bad json"}, "filter"),
    ],
)
async def test_a_bad_list_parameter_is_400_naming_it(
    client: httpx.AsyncClient, params: dict[str, Any], field: str
) -> None:
    error = await fails(client, "GET", PAGES, 400, "BAD_USER_INPUT", params=params)
    assert fields(error) == [field]


# ---------------------------------------------------------------- update


async def test_put_replaces_the_required_fields_and_keeps_the_rest(
    client: httpx.AsyncClient,
) -> None:
    job, other_job = await new_job(client), await new_job(client, name="b.pdf")
    page = await new_page(client, job["id"], **SEED_FIELDS)
    data = {"job": other_job["id"], "pageNumber": 7, "pageUrl": "https://x.example/new.png"}
    body = await ok(client, "PUT", f"{PAGES}/{page['id']}", json=data)
    updated = body["data"]
    assert {k: updated[k] for k in data} == data
    for key in ("pageType", "imageProperties", "annotations", "metadata"):
        assert updated[key] == SEED_FIELDS[key], key
    assert (await ok(client, "GET", f"{PAGES}/{page['id']}"))["data"] == updated


async def test_put_sets_optional_fields_given_and_clears_page_type_with_null(
    client: httpx.AsyncClient,
) -> None:
    job = await new_job(client)
    page = await new_page(client, job["id"], **SEED_FIELDS)
    data = {"job": job["id"], "pageNumber": 2, "pageUrl": PAGE_URL, "pageType": None,
            "metadata": {"reviewed": True}}  # fmt: skip
    updated = (await ok(client, "PUT", f"{PAGES}/{page['id']}", json=data))["data"]
    assert updated["pageType"] is None
    assert updated["metadata"] == {"reviewed": True}
    assert updated["annotations"] == SEED_FIELDS["annotations"]


@pytest.mark.parametrize("missing", ["job", "pageNumber", "pageUrl"])
async def test_put_without_a_required_field_is_422_and_changes_nothing(
    client: httpx.AsyncClient, missing: str
) -> None:
    job = await new_job(client)
    page = await new_page(client, job["id"])
    data = {"job": job["id"], "pageNumber": 5, "pageUrl": "https://x.example/5.png"}
    data.pop(missing)
    error = await fails(client, "PUT", f"{PAGES}/{page['id']}", 422, "BAD_USER_INPUT", json=data)
    assert fields(error) == [missing]
    assert (await ok(client, "GET", f"{PAGES}/{page['id']}"))["data"] == page


async def test_put_with_a_required_field_null_is_422(client: httpx.AsyncClient) -> None:
    job = await new_job(client)
    page = await new_page(client, job["id"])
    data = {"job": job["id"], "pageNumber": None, "pageUrl": PAGE_URL}
    error = await fails(client, "PUT", f"{PAGES}/{page['id']}", 422, "BAD_USER_INPUT", json=data)
    assert fields(error) == ["pageNumber"]


async def test_put_to_a_taken_page_number_is_409(client: httpx.AsyncClient) -> None:
    job = await new_job(client)
    await new_page(client, job["id"], pageNumber=1)
    second = await new_page(client, job["id"], pageNumber=2)
    data = {"job": job["id"], "pageNumber": 1, "pageUrl": PAGE_URL}
    await fails(client, "PUT", f"{PAGES}/{second['id']}", 409, "CONFLICT", json=data)
    assert (await ok(client, "GET", f"{PAGES}/{second['id']}"))["data"]["pageNumber"] == 2


async def test_put_unknown_id_is_404(client: httpx.AsyncClient) -> None:
    job = await new_job(client)
    data = {"job": job["id"], "pageNumber": 1, "pageUrl": PAGE_URL}
    await fails(client, "PUT", f"{PAGES}/{UNKNOWN_ID}", 404, "NOT_FOUND", json=data)


async def test_put_with_an_invalid_field_is_422(client: httpx.AsyncClient) -> None:
    job = await new_job(client)
    page = await new_page(client, job["id"])
    data = {"job": job["id"], "pageNumber": 0, "pageUrl": PAGE_URL}
    error = await fails(client, "PUT", f"{PAGES}/{page['id']}", 422, "BAD_USER_INPUT", json=data)
    assert fields(error) == ["pageNumber"]


# ---------------------------------------------------------------- delete and process


async def test_delete_removes_only_the_page(client: httpx.AsyncClient) -> None:
    job = await new_job(client)
    page = await new_page(client, job["id"])
    kept = await new_page(client, job["id"], pageNumber=2)
    body = await ok(client, "DELETE", f"{PAGES}/{page['id']}")
    assert body == {"success": True, "message": "OCR invoice job page deleted successfully"}
    await fails(client, "GET", f"{PAGES}/{page['id']}", 404, "NOT_FOUND")
    await ok(client, "GET", f"{PAGES}/{kept['id']}")
    assert (await ok(client, "GET", f"/ocr-invoice-jobs/{job['id']}"))["data"]["pageCount"] == 1


async def test_delete_unknown_id_is_404(client: httpx.AsyncClient) -> None:
    await fails(client, "DELETE", f"{PAGES}/{UNKNOWN_ID}", 404, "NOT_FOUND")


async def test_process_queues_the_page(client: httpx.AsyncClient, queue: RecordingQueue) -> None:
    page = await new_page(client, (await new_job(client))["id"])
    body = await ok(client, "POST", f"{PAGES}/{page['id']}/process")
    assert body["data"]["id"] == page["id"]
    assert body["data"]["status"] == "queued"
    assert body["data"]["queuedAt"]
    assert queue.enqueued == [page["id"]]
    assert (await ok(client, "GET", f"{PAGES}/{page['id']}"))["data"]["status"] == "queued"


async def test_process_unknown_id_is_404(client: httpx.AsyncClient, queue: RecordingQueue) -> None:
    await fails(client, "POST", f"{PAGES}/{UNKNOWN_ID}/process", 404, "NOT_FOUND")
    assert queue.enqueued == []


async def test_an_unknown_method_on_a_page_is_405(client: httpx.AsyncClient) -> None:
    response = await call(client, "PATCH", f"{PAGES}/{UNKNOWN_ID}", json={})
    assert response.status_code == 405
