"""PUT / DELETE /ocr-invoice-jobs/{id}/corrections/{field}: the same corrections as GraphQL's
correctField, in the REST envelope."""

from __future__ import annotations

from typing import Any

import httpx

from ocr_gateway.db.engine import Database
from tests.api.graphql import gql
from tests.api.test_correction import CORRECT, READ, processed_job
from tests.rest.rest import UNKNOWN_ID, fails, fields, ok

IGNORED = ("correctedAt", "pageId")  # when, and which of the two jobs' pages


def path(job_id: str, field: str) -> str:
    return f"/ocr-invoice-jobs/{job_id}/corrections/{field}"


def without_times(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    return {k: without_times(v) for k, v in value.items() if k not in IGNORED}


async def test_put_corrects_like_graphql(client: httpx.AsyncClient, db: Database) -> None:
    rest_job = await processed_job(client, db, name="rest.pdf")
    graphql_job = await processed_job(client, db, name="graphql.pdf")
    body = await ok(client, "PUT", path(rest_job, "total"), json={"value": "1005.50"})
    job = body["data"]
    await gql(client, CORRECT, job=graphql_job, field="total", value="1005.50")
    other = (await gql(client, READ, id=graphql_job))["job"]
    assert without_times(job["invoiceData"]) == without_times(other["invoiceData"])
    assert job["invoiceData"]["total"]["method"] == "manual"
    assert job["needsReview"] is other["needsReview"] is False
    [correction] = job["corrections"]
    assert correction["previous"] == other["corrections"][0]["previous"]
    assert correction["correctedBy"] == "tests"
    assert job["id"] == rest_job
    got = await ok(client, "GET", f"/ocr-invoice-jobs/{rest_job}")
    assert got["data"]["invoiceData"] == job["invoiceData"]


async def test_delete_removes_the_correction(client: httpx.AsyncClient, db: Database) -> None:
    job_id = await processed_job(client, db)
    before = (await ok(client, "GET", f"/ocr-invoice-jobs/{job_id}"))["data"]
    await ok(client, "PUT", path(job_id, "total"), json={"value": 1005.5})
    removed = (await ok(client, "DELETE", path(job_id, "total")))["data"]
    assert removed["invoiceData"] == before["invoiceData"]
    assert removed["corrections"] == []
    error = await fails(client, "DELETE", path(job_id, "total"), 404, "NOT_FOUND")
    assert "total" in error["message"]


async def test_jobs_needing_review_can_be_filtered(client: httpx.AsyncClient, db: Database) -> None:
    job_id = await processed_job(client, db)
    listed = await ok(
        client, "GET", "/ocr-invoice-jobs", params={"filter": '{"needsReview": true}'}
    )
    assert [j["id"] for j in listed["data"]] == [job_id]
    await ok(client, "PUT", path(job_id, "total"), json={"value": "1005.50"})
    listed = await ok(
        client, "GET", "/ocr-invoice-jobs", params={"filter": '{"needsReview": true}'}
    )
    assert listed["data"] == []


async def test_a_wrong_value_is_a_422_naming_the_field(
    client: httpx.AsyncClient, db: Database
) -> None:
    job_id = await processed_job(client, db)
    before = (await ok(client, "GET", f"/ocr-invoice-jobs/{job_id}"))["data"]
    error = await fails(
        client, "PUT", path(job_id, "invoiceDate"), 422, "BAD_USER_INPUT", json={"value": "3/1/24"}
    )
    assert fields(error) == ["value"]
    assert "invoiceDate: must be a date as YYYY-MM-DD" in error["message"]
    after = (await ok(client, "GET", f"/ocr-invoice-jobs/{job_id}"))["data"]
    assert after == before


async def test_an_unknown_field_lists_the_valid_ones(
    client: httpx.AsyncClient, db: Database
) -> None:
    job_id = await processed_job(client, db)
    error = await fails(
        client, "PUT", path(job_id, "totl"), 422, "BAD_USER_INPUT", json={"value": "1.00"}
    )
    assert fields(error) == ["field"]
    assert "invoiceNumber, invoiceDate, dueDate, total, subtotal, tax" in error["message"]


async def test_a_body_is_a_value_alone(client: httpx.AsyncClient, db: Database) -> None:
    job_id = await processed_job(client, db)
    error = await fails(client, "PUT", path(job_id, "total"), 422, "BAD_USER_INPUT", json={})
    assert fields(error) == ["value"]
    error = await fails(
        client, "PUT", path(job_id, "total"), 422, "BAD_USER_INPUT", json={"value": 1, "by": "x"}
    )
    assert fields(error) == ["by"]
    await fails(client, "PUT", path(job_id, "total"), 400, "BAD_USER_INPUT", content=b"{")
    await fails(client, "PUT", path(job_id, "total"), 422, "BAD_USER_INPUT", json=["1.00"])


async def test_an_unknown_or_malformed_job_is_a_404(client: httpx.AsyncClient) -> None:
    await fails(client, "PUT", path(UNKNOWN_ID, "total"), 404, "NOT_FOUND", json={"value": 1})
    await fails(client, "PUT", path("nope", "total"), 404, "NOT_FOUND", json={"value": 1})
    await fails(client, "DELETE", path(UNKNOWN_ID, "total"), 404, "NOT_FOUND")


async def test_a_read_key_is_forbidden(anonymous: httpx.AsyncClient, db: Database) -> None:
    from ocr_gateway.auth import HEADER, Scope, create_key

    _row, key = await create_key(db, "viewer", [Scope.read])
    anonymous.headers[HEADER] = key
    await fails(anonymous, "PUT", path(UNKNOWN_ID, "total"), 403, "FORBIDDEN", json={"value": 1})
    await fails(anonymous, "DELETE", path(UNKNOWN_ID, "total"), 403, "FORBIDDEN")
