"""API keys on the REST shim: every documented operation x no key / bad key / revoked key /
each scope, in the error envelope."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from ocr_gateway.app import create_app
from ocr_gateway.auth import HEADER, Scope, create_key, revoke_key
from ocr_gateway.db.engine import Database
from ocr_gateway.processing.queue import DeferredQueue
from ocr_gateway.settings import Settings

UNKNOWN = "60f7b1b3e4b0e8b3f8b3f8b4"


def operations() -> list[tuple[str, str, Scope]]:
    app = create_app(Settings(database_url="sqlite+aiosqlite:///:memory:"), queue=DeferredQueue())
    found = []
    for path, methods in app.openapi()["paths"].items():
        if not path.startswith("/api/v1/"):
            continue
        for method in methods:
            if method.upper() == "GET":
                scope = Scope.read
            elif path.endswith("/process"):
                scope = Scope.process
            else:
                scope = Scope.write
            found.append((method.upper(), path.replace("{id}", UNKNOWN), scope))
    return sorted(found)


OPERATIONS = operations()


def test_every_seed_operation_is_in_the_matrix() -> None:
    assert len(OPERATIONS) >= 12


async def call(client: httpx.AsyncClient, method: str, path: str, key: str | None) -> Any:
    headers = {HEADER: key} if key is not None else {}
    body = {} if method in ("POST", "PUT") else None
    return await client.request(method, path, json=body, headers=headers)


@pytest.mark.parametrize(("method", "path", "scope"), OPERATIONS)
async def test_every_operation_needs_a_valid_key(
    anonymous: httpx.AsyncClient, db: Database, method: str, path: str, scope: Scope
) -> None:
    row, revoked = await create_key(db, "old", [Scope.admin])
    await revoke_key(db, row.id)
    for key in (None, "ogw_000000000000_" + "x" * 43, revoked):
        response = await call(anonymous, method, path, key)
        assert response.status_code == 401, (key, response.text)
        body = response.json()
        assert body["success"] is False
        assert body["error"]["code"] == "UNAUTHENTICATED"


@pytest.mark.parametrize(("method", "path", "scope"), OPERATIONS)
async def test_every_operation_needs_its_scope(
    anonymous: httpx.AsyncClient, db: Database, method: str, path: str, scope: Scope
) -> None:
    for held in Scope:
        _row, key = await create_key(db, f"only-{held.value}", [held])
        response = await call(anonymous, method, path, key)
        if held in (scope, Scope.admin):
            assert response.status_code not in (401, 403), (held, response.text)
        else:
            assert response.status_code == 403, (held, response.text)
            assert response.json()["error"]["code"] == "FORBIDDEN"
