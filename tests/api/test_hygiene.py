"""HTTP hygiene: body limit, CORS from configuration (closed by default), security headers."""

from __future__ import annotations

import httpx

from ocr_gateway.app import create_app
from ocr_gateway.db.engine import Database
from ocr_gateway.processing.queue import DeferredQueue


async def test_api_responses_carry_security_headers(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": "{ templates { totalCount } }"})
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["content-security-policy"].startswith("default-src 'none'")


async def test_pages_get_a_policy_that_keeps_them_on_this_origin(
    anonymous: httpx.AsyncClient,
) -> None:
    response = await anonymous.get("/graphql", headers={"accept": "text/html"})
    assert response.status_code == 200
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy


async def test_a_body_over_the_limit_is_refused(client: httpx.AsyncClient) -> None:
    padding = "#" + "x" * (1024 * 1024 + 10)
    response = await client.post(
        "/graphql",
        content=f'{{"query": "{padding}"}}'.encode(),
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 413
    rest = await client.post(
        "/api/v1/ocr-invoice-job-groups",
        content=b"{" + b" " * 2_000_000 + b"}",
        headers={"content-type": "application/json"},
    )
    assert rest.status_code == 413
    assert rest.json()["success"] is False


async def test_cors_is_closed_by_default(client: httpx.AsyncClient) -> None:
    response = await client.options(
        "/graphql",
        headers={"origin": "https://evil.example", "access-control-request-method": "POST"},
    )
    assert "access-control-allow-origin" not in response.headers


async def test_cors_allows_the_configured_origins(db: Database) -> None:
    settings = db.settings.model_copy(update={"cors_origins": ["https://app.example"]})
    app = create_app(settings, db=db, queue=DeferredQueue())
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as http:
        allowed = await http.options(
            "/graphql",
            headers={
                "origin": "https://app.example",
                "access-control-request-method": "POST",
                "access-control-request-headers": "x-api-key,content-type",
            },
        )
        refused = await http.options(
            "/graphql",
            headers={"origin": "https://evil.example", "access-control-request-method": "POST"},
        )
    assert allowed.headers["access-control-allow-origin"] == "https://app.example"
    assert "access-control-allow-origin" not in refused.headers
