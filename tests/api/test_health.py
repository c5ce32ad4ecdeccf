from __future__ import annotations

from pathlib import Path

import httpx

from ocr_gateway.app import create_app
from ocr_gateway.db import migrate
from ocr_gateway.db.engine import Database
from ocr_gateway.settings import Settings


async def test_healthz_reports_the_database_up(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "up"


async def test_healthz_answers_503_when_the_database_is_unreachable(tmp_path: object) -> None:
    settings = Settings(database_url="postgresql+asyncpg://nobody@127.0.0.1:1/none")
    database = Database(settings)
    app = create_app(settings, db=database)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        response = await http.get("/healthz")
    await database.dispose()
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "down"}


async def test_healthz_reports_the_schema_revision(client: httpx.AsyncClient) -> None:
    body = (await client.get("/healthz")).json()
    head = migrate.known_revisions()[0]
    assert body["schema"] == {"revision": head, "expected": head}


async def test_healthz_answers_503_on_an_outdated_schema(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'old.db'}")
    database = Database(settings)
    await migrate.upgrade(database.engine, "0001")
    app = create_app(settings, db=database)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        response = await http.get("/healthz")
    await database.dispose()
    assert response.status_code == 503
    body = response.json()
    assert body["schema"]["revision"] == "0001"
    assert "run `ocr-gateway migrate`" in body["problem"]
