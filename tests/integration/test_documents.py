"""Documents end to end: createJobFromDocument over the API, the embedded OCR processes, the
results in the database, on SQLite and on PostgreSQL, without the OCR engine ever loading.

A PDF with a text layer (served over real HTTP) and one carrying a Factur-X (CII) invoice (a
file:// URL under the media root) are made here. The OCR processes are pointed at a models
"directory" that is a regular file: had any page reached OCR, loading the models would have
failed the page, so processed pages with every field right prove the engine stayed unloaded.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from ocr_gateway.app import create_app
from ocr_gateway.auth import HEADER, Scope, create_key
from ocr_gateway.db import migrate
from ocr_gateway.db.engine import Database
from ocr_gateway.processing.local import LocalQueue
from ocr_gateway.settings import Settings
from tests.api.graphql import create_job, create_page, gql
from tests.conftest import BACKENDS, create_postgres_database, drop_postgres_database
from tests.support.einvoices import Invoice, attach, cii_xml, printed_items
from tests.support.http_server import LocalHttpServer
from tests.support.pdfs import text_pdf

pytestmark = pytest.mark.slow
CREATE = """
mutation($input: CreateJobFromDocumentInput!) {
  createJobFromDocument(input: $input) { id status pages { items { id status } } }
}
"""
JOB = """
query($id: ID!) {
  job(id: $id) {
    status invoiceData discrepancies
    pages { items { status textSource engine ocrText extractedFields error } }
  }
}
"""
TEXT_INVOICE = Invoice(
    number="INV-2026-0117",
    issued="2026-02-03",
    due="2026-03-05",
    seller="Northwind Traders Ltd",
    currency="GBP",
    net="250.00",
    tax="50.00",
    gross="300.00",
)
XML_INVOICE = Invoice()


def expected(invoice: Invoice) -> dict[str, str]:
    return {
        "invoiceNumber": invoice.number,
        "invoiceDate": invoice.issued,
        "dueDate": invoice.due,
        "vendorName": invoice.seller,
        "currency": invoice.currency,
        "subtotal": invoice.net,
        "tax": invoice.tax,
        "total": invoice.gross,
    }


@pytest.fixture(params=BACKENDS)
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'documents.db'}"
        return
    url = await create_postgres_database()
    yield url
    await drop_postgres_database(url)


@pytest.fixture
async def api(database_url: str, tmp_path: Path) -> AsyncIterator[tuple[httpx.AsyncClient, Path]]:
    media = tmp_path / "media"
    media.mkdir()
    no_models = tmp_path / "no-models"
    no_models.write_text("not a directory: loading a model here fails")
    settings = Settings(
        database_url=database_url,
        media_root=media,
        fetch_allow_loopback=True,
        local_workers=1,
        ocr_gpu=False,
        ocr_model_dir=no_models,
    )
    db = Database(settings)
    await migrate.upgrade_all(db.engine, settings)
    queue = LocalQueue(db, settings)
    await queue.start()
    app = create_app(settings, db=db, queue=queue)
    _row, key = await create_key(db, "documents", [Scope.admin])
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(
            transport=transport, base_url="http://api", headers={HEADER: key}
        ) as client:
            yield client, media
    finally:
        await queue.stop()
        await db.dispose()


async def processed(client: httpx.AsyncClient, job_id: str, seconds: float) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    while True:
        job: dict[str, Any] = (await gql(client, JOB, id=job_id))["job"]
        if job["status"] in ("completed", "failed", "partially_failed"):
            return job
        assert time.monotonic() < deadline, f"job still {job['status']} after {seconds} s"
        await asyncio.sleep(0.25)


def values(invoice_data: dict[str, Any]) -> dict[str, str]:
    return {name: field["normalizedValue"] for name, field in invoice_data.items()}


async def test_text_layer_and_embedded_invoice_pdfs_are_read_without_ocr(
    api: tuple[httpx.AsyncClient, Path],
) -> None:
    client, media = api
    text = text_pdf([printed_items(TEXT_INVOICE), [(20, 20, "Terms and conditions", 11)]])
    printed = text_pdf([printed_items(XML_INVOICE, printed_total="210.00")])
    (media / "facturx.pdf").write_bytes(attach(printed, "factur-x.xml", cii_xml(XML_INVOICE)))
    with LocalHttpServer() as server:
        server.add("/northwind.pdf", body=text, content_type="application/pdf")
        plain = await gql(
            client,
            CREATE,
            input={"documentUrl": server.url("/northwind.pdf"), "process": True},
        )
    embedded = await gql(
        client, CREATE, input={"documentUrl": f"file://{media / 'facturx.pdf'}", "process": True}
    )

    plain_job = await processed(client, plain["createJobFromDocument"]["id"], seconds=120)
    assert plain_job["status"] == "completed", plain_job["pages"]
    assert values(plain_job["invoiceData"]) == expected(TEXT_INVOICE)
    assert plain_job["discrepancies"] == []
    pages = plain_job["pages"]["items"]
    assert [(p["textSource"], p["engine"]) for p in pages] == [("pdf_text", None)] * 2

    xml_job = await processed(client, embedded["createJobFromDocument"]["id"], seconds=120)
    assert xml_job["status"] == "completed", xml_job["pages"]
    assert values(xml_job["invoiceData"]) == expected(XML_INVOICE)
    fields = xml_job["invoiceData"]
    assert {f["method"] for f in fields.values()} == {"embedded_xml"}
    assert {f["confidence"] for f in fields.values()} == {1.0}
    # The print says 210.00: reported, and the total marked for review, not hidden.
    assert xml_job["discrepancies"] == [
        {"field": "total", "xmlValue": "120.00", "printedValue": "210.00", "printedPage": 1}
    ]
    assert fields["total"]["needsReview"] is True
    assert fields["invoiceNumber"]["needsReview"] is False
    (page,) = xml_job["pages"]["items"]
    assert (page["textSource"], page["engine"]) == ("embedded_xml", None)
    assert page["extractedFields"]["printedTextSource"] == "pdf_text"
    assert "210.00" in page["ocrText"]


async def test_a_page_url_pointing_at_a_pdf_page_is_read_from_its_text_layer(
    api: tuple[httpx.AsyncClient, Path],
) -> None:
    client, media = api
    cover = [(20, 20, "Cover letter: please find our invoice overleaf", 11)]
    (media / "two-pages.pdf").write_bytes(text_pdf([cover, printed_items(TEXT_INVOICE)]))
    job = await create_job(client)
    url = f"file://{media / 'two-pages.pdf'}#page=2"
    page = await create_page(client, job["id"], pageNumber=1, pageUrl=url)
    await gql(client, "mutation($id: ID!) { processPage(id: $id) { id } }", id=page["id"])
    done = await processed(client, job["id"], seconds=120)
    assert done["status"] == "completed", done["pages"]
    assert values(done["invoiceData"]) == expected(TEXT_INVOICE)
    (read,) = done["pages"]["items"]
    assert (read["textSource"], read["engine"]) == ("pdf_text", None)
