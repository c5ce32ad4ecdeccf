"""Talking to the REST shim in tests, and factories that build rows through it."""

from __future__ import annotations

from typing import Any

import httpx

PREFIX = "/api/v1"
GENERIC_TEMPLATE_ID = "000000000000000000000001"
UNKNOWN_ID = "60f7b1b3e4b0e8b3f8b3f8b4"
PAGE_URL = "https://files.example.com/invoices/p1.png"


async def call(client: httpx.AsyncClient, method: str, path: str, **kwargs: Any) -> httpx.Response:
    return await client.request(method, PREFIX + path, **kwargs)


async def ok(
    client: httpx.AsyncClient, method: str, path: str, status: int = 200, **kwargs: Any
) -> dict[str, Any]:
    """A call that must succeed with ``status``; returns the whole envelope."""
    response = await call(client, method, path, **kwargs)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body: dict[str, Any] = response.json()
    assert body["success"] is True
    return body


async def fails(
    client: httpx.AsyncClient, method: str, path: str, status: int, code: str, **kwargs: Any
) -> dict[str, Any]:
    """A call that must fail with ``status`` and ``code``; returns the envelope's error."""
    response = await call(client, method, path, **kwargs)
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert set(body) == {"success", "error"}
    assert body["success"] is False
    error: dict[str, Any] = body["error"]
    assert set(error) == {"code", "message", "details"}
    assert error["code"] == code, error
    assert error["message"]
    return error


def fields(error: dict[str, Any]) -> list[str]:
    return [detail["field"] for detail in error["details"]]


def ids(rows: list[dict[str, Any]]) -> list[str]:
    return [row["id"] for row in rows]


def _data(body: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = body["data"]
    return data


async def new_template(client: httpx.AsyncClient, **fields: Any) -> dict[str, Any]:
    data = {"name": "Acme invoices", "fields": [{"name": "total", "labels": ["Total"]}], **fields}
    body = await ok(client, "POST", "/ocr-templates", 201, json=data)
    return _data(body)


async def new_group(client: httpx.AsyncClient, **fields: Any) -> dict[str, Any]:
    data = {"name": "Monthly batch", "template": GENERIC_TEMPLATE_ID, **fields}
    body = await ok(client, "POST", "/ocr-invoice-job-groups", 201, json=data)
    return _data(body)


async def new_job(client: httpx.AsyncClient, **fields: Any) -> dict[str, Any]:
    body = await ok(client, "POST", "/ocr-invoice-jobs", 201, json={"name": "inv.pdf", **fields})
    return _data(body)


async def new_page(client: httpx.AsyncClient, job: str, **fields: Any) -> dict[str, Any]:
    data = {"job": job, "pageNumber": 1, "pageUrl": PAGE_URL, **fields}
    body = await ok(client, "POST", "/ocr-invoice-job-pages", 201, json=data)
    return _data(body)
