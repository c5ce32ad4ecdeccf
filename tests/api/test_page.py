from __future__ import annotations

from typing import Any

import httpx
import pytest

from ocr_gateway.db.engine import Database
from ocr_gateway.db.models import Page
from tests.api.factories import UNKNOWN_ID, problem_fields, set_columns, total
from tests.api.graphql import create_group, create_job, create_page, gql, gql_error, gql_raw

PAGE_FIELDS = "id pageNumber pageUrl pageType imageProperties annotations metadata status"
PAGE_FIELDS += " ocrText meanConfidence extractedFields engine engineVersion attempts timings"
PAGE_FIELDS += " error queuedAt startedAt processedAt lines { text } words { text }"
PAGE_FIELDS += " createdAt updatedAt job { id }"
GET = f"query($id: ID!) {{ page(id: $id) {{ {PAGE_FIELDS} }} }}"
CREATE = "mutation($i: CreatePageInput!) { createPage(input: $i) { id } }"
UPDATE = "mutation($id: ID!, $i: UpdatePageInput!) { updatePage(id: $id, input: $i) {"
UPDATE += f" {PAGE_FIELDS} }} }}"
DELETE = "mutation($id: ID!) { deletePage(id: $id) { id } }"
PAGE_COUNT = "query($id: ID!) { job(id: $id) { pageCount } }"


async def get_page(client: httpx.AsyncClient, id: str) -> dict[str, Any]:
    page: dict[str, Any] = (await gql(client, GET, id=id))["page"]
    return page


async def page_count(client: httpx.AsyncClient, job_id: str) -> int:
    count: int = (await gql(client, PAGE_COUNT, id=job_id))["job"]["pageCount"]
    return count


async def test_create_stores_every_seed_field(client: httpx.AsyncClient) -> None:
    job = await create_job(client)
    fields = {
        "pageNumber": 2,
        "pageUrl": "https://files.example.com/invoices/acme-0042-2.png?v=1",
        "pageType": "summary",
        "imageProperties": {"width": 2480, "height": 3508, "dpi": 300, "format": "png"},
        "annotations": [{"type": "stamp", "box": [10, 20, 110, 80]}, {"note": "torn"}],
        "metadata": {"scanner": {"id": "s-7"}, "batch": 3},
    }
    created = await create_page(client, job["id"], **fields)
    page = await get_page(client, created["id"])
    for key, value in fields.items():
        assert page[key] == value, key
    assert page["job"] == {"id": job["id"]}


async def test_create_applies_the_defaults(client: httpx.AsyncClient) -> None:
    job = await create_job(client)
    page = await get_page(client, (await create_page(client, job["id"]))["id"])
    assert len(page["id"]) == 24
    assert page["status"] == "pending"
    assert page["attempts"] == 0
    assert page["pageType"] is None
    assert page["imageProperties"] == {}
    assert page["annotations"] == []
    assert page["metadata"] == {}
    unset = ("ocrText", "meanConfidence", "extractedFields", "engine", "engineVersion")
    unset += ("timings", "error", "queuedAt", "startedAt", "processedAt", "lines", "words")
    assert {key: page[key] for key in unset} == dict.fromkeys(unset)
    assert page["createdAt"].endswith("+00:00")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"pageNumber": 0}, "pageNumber"),
        ({"pageNumber": -3}, "pageNumber"),
        ({"pageNumber": 100_001}, "pageNumber"),
        ({"pageUrl": "/images/p1.png"}, "pageUrl"),
        ({"pageUrl": "p1.png"}, "pageUrl"),
        ({"pageUrl": "https://example.com/page 1.png"}, "pageUrl"),
        ({"pageUrl": "https:///p1.png"}, "pageUrl"),
        ({"pageUrl": ""}, "pageUrl"),
        ({"job": UNKNOWN_ID}, "job"),
        ({"job": "not-an-id"}, "job"),
        ({"metadata": ["a"]}, "metadata"),
        ({"imageProperties": 3}, "imageProperties"),
        ({"annotations": [{"ok": 1}, "text"]}, "annotations"),
    ],
)
async def test_create_rejects_bad_input_naming_the_field(
    client: httpx.AsyncClient, fields: dict[str, Any], field: str
) -> None:
    job = await create_job(client)
    data = {"job": job["id"], "pageNumber": 1, "pageUrl": "https://example.com/1.png", **fields}
    error = await gql_error(client, CREATE, i=data)
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert problem_fields(error) == [field]
    assert await total(client, "pages") == 0


async def test_create_reports_every_bad_field_at_once(client: httpx.AsyncClient) -> None:
    data = {"job": "not-an-id", "pageNumber": 0, "pageUrl": "relative.png"}
    error = await gql_error(client, CREATE, i=data)
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert sorted(problem_fields(error)) == ["job", "pageNumber", "pageUrl"]


async def test_create_rejects_an_unknown_page_type(client: httpx.AsyncClient) -> None:
    job = await create_job(client)
    data = {"job": job["id"], "pageNumber": 1, "pageUrl": "https://e.com/1.png"}
    error = await gql_error(client, CREATE, i={**data, "pageType": "back"})
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "pageType" in error["message"]
    assert await total(client, "pages") == 0


async def test_create_requires_job_number_and_url(client: httpx.AsyncClient) -> None:
    body = await gql_raw(client, CREATE, i={})
    assert {e["extensions"]["code"] for e in body["errors"]} == {"BAD_USER_INPUT"}
    messages = " ".join(e["message"] for e in body["errors"])
    for field in ("'job'", "'pageNumber'", "'pageUrl'"):
        assert field in messages


async def test_a_page_number_is_unique_within_its_job(client: httpx.AsyncClient) -> None:
    job = await create_job(client)
    await create_page(client, job["id"], pageNumber=1)
    data = {"job": job["id"], "pageNumber": 1, "pageUrl": "https://example.com/other.png"}
    error = await gql_error(client, CREATE, i=data)
    assert error["extensions"]["code"] == "CONFLICT"
    assert await page_count(client, job["id"]) == 1


async def test_the_same_page_number_in_another_job_is_fine(client: httpx.AsyncClient) -> None:
    first, second = await create_job(client), await create_job(client, name="b.pdf")
    await create_page(client, first["id"], pageNumber=1)
    await create_page(client, second["id"], pageNumber=1)
    assert await total(client, "pages") == 2


async def test_get_unknown_or_malformed_id_is_not_found(client: httpx.AsyncClient) -> None:
    for id_ in (UNKNOWN_ID, "nope"):
        body = await gql_raw(client, GET, id=id_)
        assert body["data"] == {"page": None}
        assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_update_changes_only_the_given_fields(client: httpx.AsyncClient) -> None:
    job = await create_job(client)
    created = await create_page(
        client, job["id"], pageType="cover", metadata={"k": 1}, annotations=[{"a": 1}]
    )
    before = await get_page(client, created["id"])
    updated = (await gql(client, UPDATE, id=created["id"], i={"pageNumber": 7}))["updatePage"]
    assert updated["pageNumber"] == 7
    changed = ("pageNumber", "updatedAt")
    assert {k: v for k, v in updated.items() if k not in changed} == {
        k: v for k, v in before.items() if k not in changed
    }
    assert updated["updatedAt"] >= before["updatedAt"]


async def test_update_replaces_the_json_fields(client: httpx.AsyncClient) -> None:
    job = await create_job(client)
    page = await create_page(client, job["id"], metadata={"a": 1}, imageProperties={"dpi": 72})
    data = {"metadata": {"b": 2}, "imageProperties": {"dpi": 300}, "annotations": [{"n": 1}]}
    updated = (await gql(client, UPDATE, id=page["id"], i=data))["updatePage"]
    assert {k: updated[k] for k in data} == data


async def test_update_with_null_page_type_clears_it(client: httpx.AsyncClient) -> None:
    job = await create_job(client)
    page = await create_page(client, job["id"], pageType="cover")
    updated = await gql(client, UPDATE, id=page["id"], i={"pageType": None})
    assert updated["updatePage"]["pageType"] is None


async def test_update_moves_the_page_to_another_job(client: httpx.AsyncClient) -> None:
    first, second = await create_job(client), await create_job(client, name="b.pdf")
    page = await create_page(client, first["id"])
    updated = await gql(client, UPDATE, id=page["id"], i={"job": second["id"]})
    assert updated["updatePage"]["job"] == {"id": second["id"]}
    assert await page_count(client, first["id"]) == 0
    assert await page_count(client, second["id"]) == 1


async def test_update_renumbering_to_a_taken_number_is_a_conflict(
    client: httpx.AsyncClient,
) -> None:
    job = await create_job(client)
    await create_page(client, job["id"], pageNumber=1)
    second = await create_page(client, job["id"], pageNumber=2)
    error = await gql_error(client, UPDATE, id=second["id"], i={"pageNumber": 1})
    assert error["extensions"]["code"] == "CONFLICT"
    assert (await get_page(client, second["id"]))["pageNumber"] == 2


async def test_update_moving_onto_a_taken_number_is_a_conflict(client: httpx.AsyncClient) -> None:
    first, second = await create_job(client), await create_job(client, name="b.pdf")
    page = await create_page(client, first["id"], pageNumber=1)
    await create_page(client, second["id"], pageNumber=1)
    error = await gql_error(client, UPDATE, id=page["id"], i={"job": second["id"]})
    assert error["extensions"]["code"] == "CONFLICT"
    assert (await get_page(client, page["id"]))["job"] == {"id": first["id"]}


async def test_a_new_page_url_resets_the_ocr_results(
    client: httpx.AsyncClient, db: Database
) -> None:
    job = await create_job(client)
    page = await create_page(client, job["id"])
    await set_columns(
        db, Page, page["id"], status="processed", ocr_text="INVOICE 42", mean_confidence=0.9
    )
    url = "https://example.com/rescan.png"
    updated = (await gql(client, UPDATE, id=page["id"], i={"pageUrl": url}))["updatePage"]
    assert updated["pageUrl"] == url
    assert updated["status"] == "pending"
    assert updated["ocrText"] is None
    assert updated["meanConfidence"] is None


async def test_other_changes_keep_the_ocr_results(client: httpx.AsyncClient, db: Database) -> None:
    job = await create_job(client)
    page = await create_page(client, job["id"])
    await set_columns(db, Page, page["id"], status="processed", ocr_text="INVOICE 42")
    data = {"pageType": "content", "pageUrl": page["pageUrl"]}
    updated = (await gql(client, UPDATE, id=page["id"], i=data))["updatePage"]
    assert updated["status"] == "processed"
    assert updated["ocrText"] == "INVOICE 42"


async def test_the_image_of_a_queued_page_cannot_change(
    client: httpx.AsyncClient, db: Database
) -> None:
    job = await create_job(client)
    page = await create_page(client, job["id"])
    await set_columns(db, Page, page["id"], status="queued")
    error = await gql_error(client, UPDATE, id=page["id"], i={"pageUrl": "https://e.com/2.png"})
    assert error["extensions"]["code"] == "CONFLICT"
    assert (await get_page(client, page["id"]))["pageUrl"] == page["pageUrl"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"pageNumber": 0}, "pageNumber"),
        ({"pageNumber": 100_001}, "pageNumber"),
        ({"pageUrl": "no-scheme.png"}, "pageUrl"),
        ({"job": UNKNOWN_ID}, "job"),
        ({"job": "not-an-id"}, "job"),
        ({"metadata": "text"}, "metadata"),
    ],
)
async def test_update_rejects_bad_input_and_changes_nothing(
    client: httpx.AsyncClient, fields: dict[str, Any], field: str
) -> None:
    job = await create_job(client)
    page = await create_page(client, job["id"])
    before = await get_page(client, page["id"])
    error = await gql_error(client, UPDATE, id=page["id"], i=fields)
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert problem_fields(error) == [field]
    assert await get_page(client, page["id"]) == before


@pytest.mark.parametrize("field", ["job", "pageNumber", "pageUrl", "metadata", "annotations"])
async def test_update_refuses_null_for_a_required_field(
    client: httpx.AsyncClient, field: str
) -> None:
    job = await create_job(client)
    page = await create_page(client, job["id"])
    before = await get_page(client, page["id"])
    error = await gql_error(client, UPDATE, id=page["id"], i={field: None})
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert await get_page(client, page["id"]) == before


async def test_update_unknown_page_is_not_found(client: httpx.AsyncClient) -> None:
    error = await gql_error(client, UPDATE, id=UNKNOWN_ID, i={"pageNumber": 2})
    assert error["extensions"]["code"] == "NOT_FOUND"


async def test_delete_removes_only_that_page(client: httpx.AsyncClient) -> None:
    job = await create_job(client)
    page = await create_page(client, job["id"], pageNumber=1)
    await create_page(client, job["id"], pageNumber=2)
    deleted = await gql(client, DELETE, id=page["id"])
    assert deleted["deletePage"] == {"id": page["id"]}
    body = await gql_raw(client, GET, id=page["id"])
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert await page_count(client, job["id"]) == 1


async def test_delete_unknown_page_is_not_found(client: httpx.AsyncClient) -> None:
    for id_ in (UNKNOWN_ID, "nope"):
        error = await gql_error(client, DELETE, id=id_)
        assert error["extensions"]["code"] == "NOT_FOUND"


async def test_page_reaches_its_job_and_group(client: httpx.AsyncClient) -> None:
    group = await create_group(client, name="January")
    job = await create_job(client, group=group["id"], name="acme.pdf")
    page = await create_page(client, job["id"])
    query = "query($id: ID!) { page(id: $id) { job { name group { name pages { items { id"
    query += " } } jobs { items { pages { items { id } } } } } } } }"
    result = (await gql(client, query, id=page["id"]))["page"]
    assert result["job"]["name"] == "acme.pdf"
    assert result["job"]["group"]["name"] == "January"
    assert result["job"]["group"]["pages"]["items"] == [{"id": page["id"]}]
    assert result["job"]["group"]["jobs"]["items"] == [{"pages": {"items": [{"id": page["id"]}]}}]


async def test_page_of_a_job_without_group(client: httpx.AsyncClient) -> None:
    job = await create_job(client)
    page = await create_page(client, job["id"])
    query = "query($id: ID!) { page(id: $id) { job { id group { id } } } }"
    result = (await gql(client, query, id=page["id"]))["page"]
    assert result == {"job": {"id": job["id"], "group": None}}


async def test_search_pages_by_url_or_ocr_text(client: httpx.AsyncClient, db: Database) -> None:
    job = await create_job(client)
    by_url = await create_page(client, job["id"], pageUrl="https://e.com/ACME-1.png")
    by_text = await create_page(client, job["id"], pageNumber=2, pageUrl="https://e.com/2.png")
    await create_page(client, job["id"], pageNumber=3, pageUrl="https://e.com/3.png")
    await set_columns(db, Page, by_text["id"], ocr_text="Invoice from Acme Corp")
    query = "query($s: String!) { pages(search: $s, sort: pageNumber, order: asc) {"
    query += " totalCount items { id } } }"
    result = (await gql(client, query, s="acme"))["pages"]
    assert result == {"totalCount": 2, "items": [{"id": by_url["id"]}, {"id": by_text["id"]}]}
