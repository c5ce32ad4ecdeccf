"""API keys on the REST API (X-API-Key, the seeds' ApiKeyAuth): the GraphQL schema decides,
the shim answers 401 / 403 in its envelope, and a refused call changes nothing."""

from __future__ import annotations

import httpx
import pytest

from ocr_gateway.auth import HEADER, Scope, create_key
from ocr_gateway.db.engine import Database
from tests.rest.rest import GENERIC_TEMPLATE_ID, PAGE_URL, UNKNOWN_ID, fails, new_job, new_page, ok

GROUP = {"name": "Batch", "template": GENERIC_TEMPLATE_ID}


async def key_with(db: Database, *scopes: Scope) -> dict[str, str]:
    _row, key = await create_key(db, "rest-test", list(scopes))
    return {HEADER: key}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/ocr-invoice-job-pages"),
        ("GET", f"/ocr-invoice-job-pages/{UNKNOWN_ID}"),
        ("POST", f"/ocr-invoice-job-pages/{UNKNOWN_ID}/process"),
        ("GET", f"/ocr-invoice-job-groups/{UNKNOWN_ID}/jobs"),
        ("DELETE", f"/ocr-templates/{UNKNOWN_ID}"),
    ],
)
async def test_without_a_key_every_call_is_401(
    anonymous: httpx.AsyncClient, method: str, path: str
) -> None:
    error = await fails(anonymous, method, path, 401, "UNAUTHENTICATED")
    assert "X-API-Key" in error["message"]


async def test_an_unknown_key_is_401(anonymous: httpx.AsyncClient) -> None:
    headers = {HEADER: "ocrgw_000000000000_notakey"}
    await fails(
        anonymous, "GET", "/ocr-invoice-job-groups", 401, "UNAUTHENTICATED", headers=headers
    )


async def test_a_body_is_not_read_before_the_key_is_checked(anonymous: httpx.AsyncClient) -> None:
    await fails(anonymous, "POST", "/ocr-invoice-job-groups", 401, "UNAUTHENTICATED", json=GROUP)
    await fails(anonymous, "POST", "/ocr-invoice-job-groups", 401, "UNAUTHENTICATED", content=b"{")


async def test_a_read_key_reads_but_cannot_write(
    anonymous: httpx.AsyncClient, db: Database
) -> None:
    headers = await key_with(db, Scope.read)
    body = await ok(anonymous, "GET", "/ocr-invoice-job-groups", headers=headers)
    assert body["total"] == 0
    error = await fails(
        anonymous, "POST", "/ocr-invoice-job-groups", 403, "FORBIDDEN", json=GROUP, headers=headers
    )
    assert "write" in error["message"]
    assert (await ok(anonymous, "GET", "/ocr-invoice-job-groups", headers=headers))["total"] == 0


async def test_processing_needs_the_process_scope(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient, db: Database
) -> None:
    page = await new_page(client, (await new_job(client))["id"], pageUrl=PAGE_URL)
    path = f"/ocr-invoice-job-pages/{page['id']}/process"
    writer = await key_with(db, Scope.read, Scope.write)
    await fails(anonymous, "POST", path, 403, "FORBIDDEN", headers=writer)
    processor = await key_with(db, Scope.process)
    body = await ok(anonymous, "POST", path, headers=processor)
    assert body["data"]["status"] == "queued"
