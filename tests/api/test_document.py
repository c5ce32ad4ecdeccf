"""createJobFromDocument and POST /ocr-invoice-jobs/from-document: a job and a page per PDF
page from one fetch, all or nothing; bad documents are a clear error naming documentUrl; a
stored document goes with the last page that uses it."""

from __future__ import annotations

import io
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image
from sqlalchemy import func, select

from ocr_gateway.app import create_app
from ocr_gateway.auth import HEADER, Scope, create_key
from ocr_gateway.db.engine import Database
from ocr_gateway.db.models import Document, Job, Page
from tests.api.graphql import create_group, gql, gql_error
from tests.conftest import RecordingQueue, put
from tests.rest.rest import fails, ok
from tests.support.einvoices import printed_items
from tests.support.http_server import LocalHttpServer
from tests.support.pdfs import empty_pdf, text_pdf

CREATE = """
mutation($input: CreateJobFromDocumentInput!) {
  createJobFromDocument(input: $input) {
    id name sourceFileName status pageCount group { id }
    pages { items { pageNumber pageUrl status textSource } totalCount }
  }
}
"""
MAX_PAGES = 3


@pytest.fixture
async def api(db: Database, queue: RecordingQueue, media: Path) -> AsyncIterator[httpx.AsyncClient]:
    update = {"media_root": media, "pdf_max_pages": MAX_PAGES, "fetch_allow_loopback": True}
    settings = db.settings.model_copy(update=update)
    app = create_app(settings, db=db, queue=queue)
    _row, key = await create_key(db, "documents", [Scope.admin])
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver", headers={HEADER: key}
    ) as http:
        yield http


def pages(count: int) -> bytes:
    return text_pdf([[(20, 20, f"Page {n} of the invoice document", 12)] for n in range(count)])


async def counts(db: Database) -> tuple[int, int, int]:
    async with db.sessionmaker() as session:
        return tuple(  # type: ignore[return-value]
            [
                await session.scalar(select(func.count()).select_from(m))
                for m in (Job, Page, Document)
            ]
        )


async def test_a_pdf_makes_a_job_with_a_page_per_pdf_page(
    api: httpx.AsyncClient, media: Path, queue: RecordingQueue
) -> None:
    url = put(media, "inv-2026-03.pdf", pages(2))
    job = (await gql(api, CREATE, input={"documentUrl": url}))["createJobFromDocument"]
    assert (job["name"], job["sourceFileName"]) == ("inv-2026-03.pdf", "inv-2026-03.pdf")
    assert job["pageCount"] == 2
    assert job["pages"]["items"] == [
        {"pageNumber": 1, "pageUrl": f"{url}#page=1", "status": "pending", "textSource": None},
        {"pageNumber": 2, "pageUrl": f"{url}#page=2", "status": "pending", "textSource": None},
    ]
    assert queue.enqueued == []


async def test_process_true_queues_every_page(
    api: httpx.AsyncClient, media: Path, queue: RecordingQueue
) -> None:
    group = await create_group(api)
    url = put(media, "two.pdf", pages(2))
    data = await gql(api, CREATE, input={"documentUrl": url, "group": group["id"], "process": True})
    job = data["createJobFromDocument"]
    assert job["status"] == "queued"
    assert job["group"] == {"id": group["id"]}
    assert {p["status"] for p in job["pages"]["items"]} == {"queued"}
    assert len(queue.enqueued) == 2


async def test_the_document_is_stored_once_and_read_from_the_database(
    api: httpx.AsyncClient, db: Database, media: Path
) -> None:
    url = put(media, "same.pdf", pages(1))
    await gql(api, CREATE, input={"documentUrl": url, "name": "first"})
    (media / "same.pdf").unlink()  # pages no longer need the URL
    await gql(api, CREATE, input={"documentUrl": put(media, "again.pdf", pages(1))})
    async with db.sessionmaker() as session:
        documents = (await session.scalars(select(Document))).all()
        linked = await session.scalar(
            select(func.count()).select_from(Page).where(Page.document_id == documents[0].id)
        )
    assert len(documents) == 1
    assert (documents[0].page_count, documents[0].content_type) == (1, "application/pdf")
    assert linked == 2


async def test_an_image_makes_one_page(api: httpx.AsyncClient, media: Path) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (200, 300), "white").save(buffer, format="PNG")
    url = put(media, "receipt.png", buffer.getvalue())
    job = (await gql(api, CREATE, input={"documentUrl": url}))["createJobFromDocument"]
    assert [p["pageUrl"] for p in job["pages"]["items"]] == [url]


BAD = [
    ("encrypted.pdf", text_pdf([printed_items()], encrypt="secret"), "encrypted"),
    ("broken.pdf", pages(2)[:400], "not a readable PDF"),
    ("empty.pdf", empty_pdf(), "no pages"),
    ("long.pdf", pages(MAX_PAGES + 1), f"more than the limit of {MAX_PAGES}"),
    ("notes.txt", b"just some text, not a document at all", "neither a PDF nor an image"),
]


@pytest.mark.parametrize(("name", "data", "words"), BAD, ids=[b[0] for b in BAD])
async def test_a_bad_document_is_a_clear_error_and_creates_nothing(
    api: httpx.AsyncClient, db: Database, media: Path, name: str, data: bytes, words: str
) -> None:
    before = await counts(db)
    error = await gql_error(api, CREATE, input={"documentUrl": put(media, name, data)})
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["fields"][0]["field"] == "documentUrl"
    assert words in error["message"]
    assert await counts(db) == before


@pytest.mark.parametrize(("name", "data", "words"), BAD, ids=[b[0] for b in BAD])
async def test_rest_answers_422_naming_document_url(
    api: httpx.AsyncClient, db: Database, media: Path, name: str, data: bytes, words: str
) -> None:
    before = await counts(db)
    body = {"documentUrl": put(media, name, data)}
    error = await fails(
        api, "POST", "/ocr-invoice-jobs/from-document", 422, "BAD_USER_INPUT", json=body
    )
    assert error["details"][0]["field"] == "documentUrl"
    assert words in error["details"][0]["message"]
    assert await counts(db) == before


async def test_an_unsupported_content_type_over_http_is_refused(
    api: httpx.AsyncClient, db: Database
) -> None:
    before = await counts(db)
    with LocalHttpServer() as server:
        server.add("/page.html", body=b"<html>hello</html>", content_type="text/html")
        error = await gql_error(api, CREATE, input={"documentUrl": server.url("/page.html")})
    assert error["extensions"]["fields"][0]["field"] == "documentUrl"
    assert "the server sent text/html, not a PDF or an image" in error["message"]
    assert await counts(db) == before


async def test_a_pdf_over_http_is_fetched_once(api: httpx.AsyncClient) -> None:
    with LocalHttpServer() as server:
        server.add("/doc.pdf", body=pages(2), content_type="application/pdf")
        job = (await gql(api, CREATE, input={"documentUrl": server.url("/doc.pdf")}))[
            "createJobFromDocument"
        ]
        fetched = [path for _method, path, _headers in server.requests]
    assert job["pageCount"] == 2
    assert fetched == ["/doc.pdf"]


async def test_an_unknown_group_creates_nothing(
    api: httpx.AsyncClient, db: Database, media: Path
) -> None:
    before = await counts(db)
    url = put(media, "ok.pdf", pages(1))
    error = await gql_error(
        api, CREATE, input={"documentUrl": url, "group": "60f7b1b3e4b0e8b3f8b3f8b4"}
    )
    assert error["extensions"]["fields"][0]["field"] == "group"
    assert await counts(db) == before


async def test_rest_creates_the_job_in_the_envelope(api: httpx.AsyncClient, media: Path) -> None:
    url = put(media, "rest.pdf", pages(2))
    body = await ok(
        api,
        "POST",
        "/ocr-invoice-jobs/from-document",
        201,
        json={"documentUrl": url, "name": "March"},
    )
    job: dict[str, Any] = body["data"]
    assert (job["name"], job["pageCount"], job["discrepancies"]) == ("March", 2, [])
    listed = await ok(api, "GET", f"/ocr-invoice-jobs/{job['id']}/pages")
    assert [p["pageUrl"] for p in listed["data"]] == [f"{url}#page=1", f"{url}#page=2"]
    assert {p["textSource"] for p in listed["data"]} == {None}


async def test_rest_refuses_unknown_body_fields(api: httpx.AsyncClient, media: Path) -> None:
    url = put(media, "x.pdf", pages(1))
    body = {"documentUrl": url, "colour": "blue"}
    await fails(api, "POST", "/ocr-invoice-jobs/from-document", 422, "BAD_USER_INPUT", json=body)


async def test_process_true_needs_the_process_scope(
    db: Database, queue: RecordingQueue, media: Path
) -> None:
    settings = db.settings.model_copy(update={"media_root": media})
    app = create_app(settings, db=db, queue=queue)
    _row, key = await create_key(db, "writer", [Scope.read, Scope.write])
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver", headers={HEADER: key}
    ) as http:
        url = put(media, "scoped.pdf", pages(1))
        error = await gql_error(http, CREATE, input={"documentUrl": url, "process": True})
        assert error["extensions"]["code"] == "FORBIDDEN"
        assert (await gql(http, CREATE, input={"documentUrl": url}))["createJobFromDocument"]


async def test_pages_filter_on_text_source_in_both_apis(
    api: httpx.AsyncClient, db: Database, media: Path
) -> None:
    url = put(media, "mixed.pdf", pages(3))
    job = (await gql(api, CREATE, input={"documentUrl": url}))["createJobFromDocument"]
    async with db.sessionmaker() as session:
        rows = (await session.scalars(select(Page).where(Page.job_id == job["id"]))).all()
        for row, source in zip(rows, ("pdf_text", "ocr", "pdf_text"), strict=True):
            row.text_source = source
        await session.commit()
    query = """query($id: ID!) { job(id: $id) {
      pages(filter: {textSource: {eq: pdf_text}}) { totalCount items { textSource } } } }"""
    found = (await gql(api, query, id=job["id"]))["job"]["pages"]
    assert found["totalCount"] == 2
    params = {"filter": json.dumps({"textSource": "ocr", "job": job["id"]})}
    listed = await ok(api, "GET", "/ocr-invoice-job-pages", params=params)
    assert [p["textSource"] for p in listed["data"]] == ["ocr"]


async def test_a_new_page_url_detaches_the_page_from_its_document(
    api: httpx.AsyncClient, db: Database, media: Path
) -> None:
    url = put(media, "detach.pdf", pages(1))
    job = (await gql(api, CREATE, input={"documentUrl": url}))["createJobFromDocument"]
    page_id = (
        await gql(api, "query($id: ID!) { job(id: $id) { pages { items { id } } } }", id=job["id"])
    )["job"]["pages"]["items"][0]["id"]
    mutation = "mutation($id: ID!, $i: UpdatePageInput!) { updatePage(id: $id, input: $i) { id } }"
    await gql(api, mutation, id=page_id, i={"pageUrl": "https://files.example.com/other.png"})
    async with db.sessionmaker() as session:
        row = await session.get(Page, page_id)
    assert row is not None
    assert row.document_id is None


# -- a stored document lives as long as a page uses it ---------------------------------------

DELETE_JOB = "mutation($id: ID!) { deleteJob(id: $id, cascade: true) { id } }"
DELETE_PAGE = "mutation($id: ID!) { deletePage(id: $id) { id } }"
DELETE_GROUP = "mutation($id: ID!) { deleteJobGroup(id: $id, cascade: true) { id } }"
MOVE_PAGE = "mutation($id: ID!, $i: UpdatePageInput!) { updatePage(id: $id, input: $i) { id } }"
PAGE_IDS = "query($id: ID!) { job(id: $id) { pages { items { id } } } }"


async def stored(db: Database) -> int:
    async with db.sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(Document)) or 0)


async def job_from(api: httpx.AsyncClient, url: str, **extra: str) -> str:
    data = await gql(api, CREATE, input={"documentUrl": url, **extra})
    return str(data["createJobFromDocument"]["id"])


async def page_ids(api: httpx.AsyncClient, job_id: str) -> list[str]:
    return [p["id"] for p in (await gql(api, PAGE_IDS, id=job_id))["job"]["pages"]["items"]]


async def test_deleting_the_last_job_of_a_document_deletes_the_document(
    api: httpx.AsyncClient, media: Path, db: Database
) -> None:
    url = put(media, "shared.pdf", pages(2))
    first, second = await job_from(api, url), await job_from(api, url)
    assert await stored(db) == 1
    await gql(api, DELETE_JOB, id=first)
    assert await stored(db) == 1  # the second job still uses it
    await gql(api, DELETE_JOB, id=second)
    assert await stored(db) == 0


async def test_deleting_or_repointing_its_pages_one_by_one_deletes_the_document(
    api: httpx.AsyncClient, media: Path, db: Database
) -> None:
    job = await job_from(api, put(media, "two.pdf", pages(2)))
    first, second = await page_ids(api, job)
    await gql(api, DELETE_PAGE, id=first)
    assert await stored(db) == 1
    await gql(api, MOVE_PAGE, id=second, i={"pageUrl": "https://images.example.com/p.png"})
    assert await stored(db) == 0


async def test_deleting_a_group_with_its_jobs_deletes_their_documents(
    api: httpx.AsyncClient, media: Path, db: Database
) -> None:
    group = await create_group(api)
    await job_from(api, put(media, "a.pdf", pages(1)), group=group["id"])
    await job_from(api, put(media, "b.pdf", pages(3)), group=group["id"])
    kept = await job_from(api, put(media, "c.pdf", pages(2)))
    assert await stored(db) == 3
    await gql(api, DELETE_GROUP, id=group["id"])
    assert await stored(db) == 1
    assert len(await page_ids(api, kept)) == 2
