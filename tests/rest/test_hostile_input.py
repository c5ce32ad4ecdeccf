"""Bodies no client should send: a clear 4xx every time, never a 500, and nothing written."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.rest.rest import PAGE_URL, call, fails, fields, new_group, new_job, ok

PAGES = "/ocr-invoice-job-pages"
GROUPS = "/ocr-invoice-job-groups"


async def page_total(client: httpx.AsyncClient) -> int:
    total: int = (await ok(client, "GET", PAGES))["total"]
    return total


@pytest.mark.parametrize(
    ("content", "status", "words"),
    [
        (b"{not json", 400, "not valid JSON"),
        (b"\xff\xfe{}", 400, "not valid JSON"),
        (b'{"job": NaN}', 400, "not valid JSON"),
        (b"job=1&pageNumber=2", 400, "not valid JSON"),
        (b"", 422, "a JSON object is required"),
        (b"   ", 422, "a JSON object is required"),
        (b"[]", 422, "must be a JSON object"),
        (b'[{"job": "x"}]', 422, "must be a JSON object"),
        (b'"page"', 422, "must be a JSON object"),
        (b"null", 422, "must be a JSON object"),
        (b"42", 422, "must be a JSON object"),
    ],
)
async def test_a_body_that_is_not_one_json_object_is_refused(
    client: httpx.AsyncClient, content: bytes, status: int, words: str
) -> None:
    headers = {"content-type": "application/json"}
    for method, path in (("POST", PAGES), ("PUT", f"{PAGES}/60f7b1b3e4b0e8b3f8b3f8b4")):
        error = await fails(client, method, path, status, "BAD_USER_INPUT", content=content,
                            headers=headers)  # fmt: skip
        assert fields(error) == ["body"]
        assert words in error["message"]
    assert await page_total(client) == 0


@pytest.mark.parametrize(
    ("metadata", "words"),
    [
        ('{"a": 1e999}', "out of range"),
        ('{"a": -1e999}', "out of range"),
        ('{"a": "x\\u0000y"}', "NUL"),
        ('{"a\\u0000": 1}', "NUL"),
        ('{"a": "\\udc00"}', "surrogates"),
        ("[" * 40 + "]" * 40, "nests deeper"),
        ("[" * 100_000 + "]" * 100_000, "nests deeper"),
    ],
)
async def test_json_no_database_can_store_is_422(
    client: httpx.AsyncClient, metadata: str, words: str
) -> None:
    job = await new_job(client)
    raw = f'{{"job": "{job["id"]}", "pageNumber": 1, "pageUrl": "{PAGE_URL}", "metadata": {metadata}}}'
    error = await fails(client, "POST", PAGES, 422, "BAD_USER_INPUT", content=raw.encode())
    assert fields(error) == ["body"]
    assert words in error["message"]
    assert await page_total(client) == 0


async def test_a_name_with_a_nul_character_is_422(client: httpx.AsyncClient) -> None:
    data = {"name": "a\x00b", "template": "000000000000000000000001"}
    await fails(client, "POST", GROUPS, 422, "BAD_USER_INPUT", json=data)


@pytest.mark.parametrize("number", [2**31, 2**63, 10**30, -(2**31) - 1])
async def test_an_integer_too_large_for_a_field_is_422(
    client: httpx.AsyncClient, number: int
) -> None:
    job = await new_job(client)
    data = {"job": job["id"], "pageNumber": number, "pageUrl": PAGE_URL}
    error = await fails(client, "POST", PAGES, 422, "BAD_USER_INPUT", json=data)
    assert fields(error) == ["pageNumber"]


async def test_huge_numbers_inside_metadata_are_kept(client: httpx.AsyncClient) -> None:
    group = await new_group(client, metadata={"big": 10**30, "small": -(10**20), "f": 1.5})
    fetched = (await ok(client, "GET", f"{GROUPS}/{group['id']}"))["data"]
    assert fetched["metadata"] == {"big": 10**30, "small": -(10**20), "f": 1.5}


async def test_a_body_over_one_mebibyte_is_413(client: httpx.AsyncClient) -> None:
    job = await new_job(client)
    data = {"job": job["id"], "pageNumber": 1, "pageUrl": PAGE_URL, "metadata": {"x": "y" * 2**20}}
    error = await fails(client, "POST", PAGES, 413, "PAYLOAD_TOO_LARGE", json=data)
    assert error["details"] == []


async def test_a_streamed_body_over_the_limit_is_413(client: httpx.AsyncClient) -> None:
    async def chunks() -> Any:
        for _ in range(20):
            yield b" " * 100_000

    response = await call(client, "POST", PAGES, content=chunks())
    assert response.status_code == 413


async def test_any_content_type_is_read_as_json(client: httpx.AsyncClient) -> None:
    job = await new_job(client)
    raw = json.dumps({"job": job["id"], "pageNumber": 1, "pageUrl": PAGE_URL})
    headers = {"content-type": "text/plain"}
    await ok(client, "POST", PAGES, 201, content=raw, headers=headers)


async def test_metadata_too_large_for_the_service_is_422(client: httpx.AsyncClient) -> None:
    job = await new_job(client)
    data = {"job": job["id"], "pageNumber": 1, "pageUrl": PAGE_URL, "metadata": {"x": "y" * 70_000}}
    error = await fails(client, "POST", PAGES, 422, "BAD_USER_INPUT", json=data)
    assert fields(error) == ["metadata"]


async def test_errors_never_leak_internals(client: httpx.AsyncClient) -> None:
    response = await call(client, "GET", PAGES, params={"filter": '{"pageNumber": {"$gt": []}}'})
    assert response.status_code == 400
    assert "Traceback" not in response.text
    assert "sqlalchemy" not in response.text.lower()
