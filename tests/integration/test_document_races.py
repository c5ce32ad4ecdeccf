"""Jobs made from one stored document while others made from it are deleted, on a committed
database of each backend: the last page's delete takes the document with it, a job being
created keeps it (``writes.drop_unused_documents``, ``services.document``). Every answer is a
success, never a 500; at the end the document is stored exactly when a page still uses it."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from ocr_gateway.app import create_app
from ocr_gateway.auth import HEADER, Scope, create_key
from ocr_gateway.db.engine import Database
from ocr_gateway.db.models import Document, Page
from tests.conftest import (
    RecordingQueue,
)
from tests.support.pdfs import text_pdf

pytestmark = pytest.mark.slow
SECONDS = 3.0
CREATE = "mutation($i: CreateJobFromDocumentInput!) { createJobFromDocument(input: $i) { id } }"
DELETE = "mutation($id: ID!) { deleteJob(id: $id, cascade: true) { deletedPages } }"


async def test_creating_and_deleting_jobs_of_one_document_at_once(
    committed: Database, tmp_path: Path
) -> None:
    database = committed
    media = tmp_path / "media"
    media.mkdir()
    (media / "shared.pdf").write_bytes(text_pdf([[(20, 20, "Invoice 7 of the race", 12)]] * 2))
    settings = database.settings.model_copy(update={"media_root": media})
    app = create_app(settings, db=database, queue=RecordingQueue())
    _row, key = await create_key(database, "races", [Scope.admin])
    answers: Counter[str] = Counter()
    problems: list[str] = []
    made: asyncio.Queue[str] = asyncio.Queue()

    async def call(http: httpx.AsyncClient, query: str, **variables: object) -> dict[str, object]:
        response = await http.post("/graphql", json={"query": query, "variables": variables})
        body = (
            response.json()
            if response.headers.get("content-type", "").startswith("application/json")
            else {}
        )
        errors = body.get("errors") or []
        answers[f"{response.status_code} {'error' if errors else 'ok'}"] += 1
        if response.status_code >= 500 or errors:
            problems.append(f"{query[:30]}: {response.status_code} {response.text[:300]}")
        data: dict[str, object] = body.get("data") or {}
        return data

    async def creator(http: httpx.AsyncClient, deadline: float) -> None:
        while time.monotonic() < deadline:
            data = await call(http, CREATE, i={"documentUrl": f"file://{media / 'shared.pdf'}"})
            job = data.get("createJobFromDocument")
            if isinstance(job, dict):
                await made.put(str(job["id"]))

    async def deleter(http: httpx.AsyncClient, deadline: float) -> None:
        while time.monotonic() < deadline or not made.empty():
            try:
                job_id = await asyncio.wait_for(made.get(), timeout=0.2)
            except TimeoutError:
                continue
            await call(http, DELETE, id=job_id)

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver", headers={HEADER: key}, timeout=30
    ) as http:
        deadline = time.monotonic() + SECONDS
        await asyncio.gather(
            *(creator(http, deadline) for _ in range(3)),
            *(deleter(http, deadline) for _ in range(3)),
        )
        while not made.empty():  # jobs made after the deleters stopped
            await call(http, DELETE, id=made.get_nowait())
        assert not problems, "\n".join(problems[:5])
        assert answers["200 ok"] > 20, answers
        async with database.sessionmaker() as session:
            pages = await session.scalar(select(func.count()).select_from(Page))
            documents = await session.scalar(select(func.count()).select_from(Document))
        assert (pages, documents) == (0, 0)  # every job deleted: its document went too
        await call(http, CREATE, i={"documentUrl": f"file://{media / 'shared.pdf'}"})
        async with database.sessionmaker() as session:
            assert await session.scalar(select(func.count()).select_from(Document)) == 1
