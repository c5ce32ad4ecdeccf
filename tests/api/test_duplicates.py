"""Duplicate invoices over the API, on both backends: ``Job.possibleDuplicateOf`` is set when
a job's invoice matches an earlier job's, follows corrections and deletes, and shows in the
jobs filter, REST and the CSV/JSON exports. Every query also runs through the executor
(``tests.conftest``), so the compiled and prepared read paths are checked too."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image

from ocr_gateway.app import create_app
from ocr_gateway.auth import HEADER, Scope, create_key
from ocr_gateway.db.engine import Database
from ocr_gateway.events import Hub, StatusEvent
from ocr_gateway.processing.pipeline import fetch_policy, process_page
from ocr_gateway.processing.result import OcrResult
from tests.api.committed import committed_api, start_listening
from tests.api.graphql import create_group, create_job, create_page, gql
from tests.api.test_correction import field, process
from tests.conftest import BACKENDS, RecordingQueue
from tests.rest.rest import PREFIX, ok
from tests.support.einvoices import Invoice, printed_items
from tests.support.pdfs import text_pdf

JOB = "id name possibleDuplicateOf duplicateOf { id name }"
READ = f"query($id: ID!) {{ job(id: $id) {{ {JOB} }} }}"
CREATE = """
mutation($input: CreateJobFromDocumentInput!) {
  createJobFromDocument(input: $input) { id pages { items { id } } }
}
"""
CORRECT = (
    "mutation($job: ID!, $field: String!, $value: JSON) {"
    " correctField(jobId: $job, field: $field, value: $value) { id possibleDuplicateOf } }"
)
DELETE = "mutation($id: ID!) { deleteJob(id: $id, cascade: true) { id } }"
FLAGGED = "{ jobs(filter: {possibleDuplicateOf: {exists: true}}) { items { id } totalCount } }"
INVOICE = Invoice(
    number="INV-2026-0117",
    issued="2026-02-03",
    seller="Northwind Traders Ltd",
    currency="GBP",
    net="250.00",
    tax="50.00",
    gross="300.00",
)


class NoOcr:
    """A text-layer PDF page needs no OCR: any call fails the test's page."""

    name = "no-ocr"
    version = "1"

    def read(self, image: Image.Image, *, languages: Any) -> OcrResult:
        raise AssertionError("a page with a text layer reached the OCR engine")


def extracted(
    number: str = "INV-0042",
    vendor: str | None = "ACME Trading GmbH",
    day: str = "2024-03-01",
    total: str = "105.50",
    currency: str = "USD",
) -> dict[str, Any]:
    fields = {
        "invoiceNumber": field("invoiceNumber", number, 0.93),
        "invoiceDate": field("invoiceDate", day, 0.88, type="date"),
        "total": field("total", total, 0.9, type="amount"),
        "currency": field("currency", currency, 0.9, type="currency"),
    }
    if vendor is not None:
        fields["vendorName"] = field("vendorName", vendor, 0.9)
    return {"fields": fields, "errors": [], "warnings": []}


async def new_job(client: httpx.AsyncClient, name: str, **fields: Any) -> tuple[str, str]:
    """A job with one pending page: (job id, page id)."""
    job = await create_job(client, name=name, **fields)
    page = await create_page(client, job["id"])
    return str(job["id"]), str(page["id"])


async def processed(
    client: httpx.AsyncClient, db: Database, name: str, data: dict[str, Any], **fields: Any
) -> str:
    job_id, page_id = await new_job(client, name, **fields)
    await process(db, page_id, data)
    return job_id


async def read(client: httpx.AsyncClient, job_id: str) -> dict[str, Any]:
    job: dict[str, Any] = (await gql(client, READ, id=job_id))["job"]
    return job


async def duplicate_of(client: httpx.AsyncClient, job_id: str) -> str | None:
    return (await read(client, job_id))["possibleDuplicateOf"]


# ------------------------------------------------------------------ from real PDFs


@pytest.fixture
async def documents(
    db: Database, queue: RecordingQueue, media: Path
) -> AsyncIterator[httpx.AsyncClient]:
    settings = db.settings.model_copy(update={"media_root": media})
    app = create_app(settings, db=db, queue=queue)
    _row, key = await create_key(db, "duplicates", [Scope.admin])
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver", headers={HEADER: key}
    ) as http:
        yield http


async def pdf_job(
    client: httpx.AsyncClient, media: Path, name: str, invoice: Invoice
) -> tuple[str, list[str]]:
    (media / name).write_bytes(text_pdf([printed_items(invoice)]))
    url = f"file://{media / name}"
    job = (await gql(client, CREATE, input={"documentUrl": url}))["createJobFromDocument"]
    return job["id"], [page["id"] for page in job["pages"]["items"]]


async def run_pages(db: Database, media: Path, page_ids: list[str]) -> None:
    policy = fetch_policy(db.settings.model_copy(update={"media_root": media}))
    for page_id in page_ids:
        status = await process_page(
            db, NoOcr(), page_id, policy=policy, from_statuses=["pending"], max_attempts=1
        )
        assert status is not None
        assert status.value == "processed"


async def test_the_same_pdf_invoice_twice_flags_the_later_job(
    documents: httpx.AsyncClient, db: Database, media: Path
) -> None:
    first, first_pages = await pdf_job(documents, media, "northwind.pdf", INVOICE)
    second, second_pages = await pdf_job(documents, media, "northwind-again.pdf", INVOICE)
    await run_pages(db, media, first_pages)
    await run_pages(db, media, second_pages)
    later = await read(documents, second)
    assert later["possibleDuplicateOf"] == first
    assert later["duplicateOf"] == {"id": first, "name": "northwind.pdf"}
    assert (await read(documents, first))["possibleDuplicateOf"] is None


async def test_the_later_job_is_flagged_when_the_earlier_finishes_last(
    documents: httpx.AsyncClient, db: Database, media: Path
) -> None:
    first, first_pages = await pdf_job(documents, media, "a.pdf", INVOICE)
    second, second_pages = await pdf_job(documents, media, "b.pdf", INVOICE)
    await run_pages(db, media, second_pages)
    assert (await read(documents, second))["possibleDuplicateOf"] is None
    await run_pages(db, media, first_pages)
    assert (await read(documents, second))["possibleDuplicateOf"] == first
    assert (await read(documents, first))["possibleDuplicateOf"] is None


async def test_another_vendors_pdf_with_the_same_number_is_not_flagged(
    documents: httpx.AsyncClient, db: Database, media: Path
) -> None:
    _first, first_pages = await pdf_job(documents, media, "a.pdf", INVOICE)
    other = Invoice(number=INVOICE.number, seller="Globex Corporation", gross="80.00")
    second, second_pages = await pdf_job(documents, media, "b.pdf", other)
    await run_pages(db, media, [*first_pages, *second_pages])
    assert (await read(documents, second))["possibleDuplicateOf"] is None


# ------------------------------------------------------------------ corrections, deletes


async def test_a_correction_that_makes_them_differ_clears_the_flag(
    client: httpx.AsyncClient, db: Database
) -> None:
    first = await processed(client, db, "first.pdf", extracted())
    second = await processed(client, db, "second.pdf", extracted(total="99.00"))
    assert await duplicate_of(client, second) == first  # vendor and number
    answer = await gql(client, CORRECT, job=second, field="invoiceNumber", value="INV-0043")
    assert answer["correctField"]["possibleDuplicateOf"] is None
    assert await duplicate_of(client, second) is None


async def test_correcting_the_earlier_job_away_clears_its_followers(
    client: httpx.AsyncClient, db: Database
) -> None:
    first = await processed(client, db, "first.pdf", extracted())
    second = await processed(client, db, "second.pdf", extracted())
    await gql(client, CORRECT, job=first, field="vendorName", value="Globex Inc")
    assert await duplicate_of(client, second) is None


async def test_a_correction_that_makes_them_equal_sets_the_flag(
    client: httpx.AsyncClient, db: Database
) -> None:
    first = await processed(client, db, "first.pdf", extracted())
    second = await processed(client, db, "second.pdf", extracted(number="INV-O042", total="1"))
    assert await duplicate_of(client, second) is None
    answer = await gql(client, CORRECT, job=second, field="invoiceNumber", value="inv 0042")
    assert answer["correctField"]["possibleDuplicateOf"] == first


async def test_correcting_the_earlier_job_into_a_match_flags_the_later_one(
    client: httpx.AsyncClient, db: Database
) -> None:
    first = await processed(
        client, db, "first.pdf", extracted(vendor="ACME Trading Ltd", total="1")
    )
    second = await processed(client, db, "second.pdf", extracted(vendor="Acme Trading GmbH"))
    assert await duplicate_of(client, second) == first  # legal forms are not the name
    await gql(client, CORRECT, job=first, field="vendorName", value="Initech")
    assert await duplicate_of(client, second) is None
    await gql(client, CORRECT, job=first, field="vendorName", value="ACME trading")
    assert await duplicate_of(client, second) == first


async def test_the_same_vendor_date_and_total_match_in_one_currency_only(
    client: httpx.AsyncClient, db: Database
) -> None:
    first = await processed(client, db, "first.pdf", extracted(number="A-1"))
    in_eur = await processed(client, db, "eur.pdf", extracted(number="B-2", currency="EUR"))
    in_usd = await processed(client, db, "usd.pdf", extracted(number="C-3"))
    assert await duplicate_of(client, in_eur) is None
    assert await duplicate_of(client, in_usd) == first


async def test_without_a_vendor_the_number_alone_is_no_match(
    client: httpx.AsyncClient, db: Database
) -> None:
    first = await processed(client, db, "first.pdf", extracted(vendor=None))
    other_day = await processed(client, db, "x.pdf", extracted(vendor=None, day="2024-05-01"))
    same = await processed(client, db, "y.pdf", extracted(vendor=None))
    assert await duplicate_of(client, other_day) is None
    assert await duplicate_of(client, same) == first  # number, date and total


async def test_deleting_the_earlier_job_clears_the_flag(
    client: httpx.AsyncClient, db: Database
) -> None:
    first = await processed(client, db, "first.pdf", extracted())
    second = await processed(client, db, "second.pdf", extracted())
    await gql(client, DELETE, id=first)
    assert await duplicate_of(client, second) is None


async def test_deleting_the_earliest_of_three_points_the_last_at_the_second(
    client: httpx.AsyncClient, db: Database
) -> None:
    first = await processed(client, db, "first.pdf", extracted())
    second = await processed(client, db, "second.pdf", extracted())
    third = await processed(client, db, "third.pdf", extracted())
    assert [await duplicate_of(client, j) for j in (second, third)] == [first, first]
    await gql(client, DELETE, id=first)
    assert [await duplicate_of(client, j) for j in (second, third)] == [None, second]


async def test_deleting_a_group_with_its_jobs_repoints_the_jobs_outside_it(
    client: httpx.AsyncClient, db: Database
) -> None:
    group = await create_group(client)
    await processed(client, db, "in-group.pdf", extracted(), group=group["id"])
    second = await processed(client, db, "second.pdf", extracted())
    third = await processed(client, db, "third.pdf", extracted())
    await gql(
        client,
        "mutation($id: ID!) { deleteJobGroup(id: $id, cascade: true) { id } }",
        id=group["id"],
    )
    assert [await duplicate_of(client, j) for j in (second, third)] == [None, second]


# ------------------------------------------------------------------ where it shows


async def test_flagged_jobs_can_be_listed(client: httpx.AsyncClient, db: Database) -> None:
    first = await processed(client, db, "first.pdf", extracted())
    second = await processed(client, db, "second.pdf", extracted())
    await processed(client, db, "other.pdf", extracted(number="Z-9", total="7"))
    assert (await gql(client, FLAGGED))["jobs"] == {"items": [{"id": second}], "totalCount": 1}
    query = "query($id: ID!) { jobs(filter: {possibleDuplicateOf: {eq: $id}}) { items { id } } }"
    assert (await gql(client, query, id=first))["jobs"]["items"] == [{"id": second}]
    query = (
        '{ jobs(filter: {possibleDuplicateOfWhere: {name: {eq: "first.pdf"}}}) {'
        " items { id duplicateOf { id possibleDuplicateOf } } } }"
    )
    items = (await gql(client, query))["jobs"]["items"]
    assert items == [{"id": second, "duplicateOf": {"id": first, "possibleDuplicateOf": None}}]


async def test_rest_shows_the_flag_and_filters_on_it(
    client: httpx.AsyncClient, db: Database
) -> None:
    first = await processed(client, db, "first.pdf", extracted())
    second = await processed(client, db, "second.pdf", extracted())
    body = await ok(client, "GET", f"/ocr-invoice-jobs/{second}")
    assert body["data"]["possibleDuplicateOf"] == first
    assert (await ok(client, "GET", f"/ocr-invoice-jobs/{first}"))["data"][
        "possibleDuplicateOf"
    ] is None
    listed = await ok(
        client,
        "GET",
        "/ocr-invoice-jobs",
        params={"filter": json.dumps({"possibleDuplicateOf": {"$exists": True}})},
    )
    assert [job["id"] for job in listed["data"]] == [second]
    assert listed["total"] == 1


async def test_the_csv_and_json_exports_carry_the_flag(
    client: httpx.AsyncClient, db: Database
) -> None:
    group = await create_group(client)
    first = await processed(client, db, "first.pdf", extracted(), group=group["id"])
    second = await processed(client, db, "second.pdf", extracted(), group=group["id"])
    path = f"{PREFIX}/ocr-invoice-job-groups/{group['id']}/export"
    response = await client.get(path, params={"format": "csv"})
    assert response.status_code == 200, response.text
    rows = {row["jobId"]: row for row in csv.DictReader(io.StringIO(response.text))}
    assert (rows[first]["possibleDuplicateOf"], rows[second]["possibleDuplicateOf"]) == ("", first)
    response = await client.get(path, params={"format": "json"})
    objects = {row["jobId"]: row for row in response.json()}
    assert (objects[first]["possibleDuplicateOf"], objects[second]["possibleDuplicateOf"]) == (
        None,
        first,
    )


async def test_the_corrected_webhook_says_whether_the_job_is_a_duplicate(
    client: httpx.AsyncClient, db: Database
) -> None:
    from tests.notifications.factories import deliveries

    hook = {"url": "https://hooks.example.com/ocr", "secret": "s" * 20, "events": ["job.corrected"]}
    group = await create_group(client, notifications={"webhook": hook})
    first = await processed(client, db, "first.pdf", extracted(), group=group["id"])
    second = await processed(client, db, "second.pdf", extracted(number="B-7"), group=group["id"])
    await gql(client, CORRECT, job=second, field="invoiceNumber", value="INV-0042")
    [delivery] = await deliveries(db, group["id"])
    assert delivery.payload["job"]["id"] == second
    assert delivery.payload["job"]["possibleDuplicateOf"] == first


@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_job_whose_flag_another_change_cleared_is_announced(
    backend: str, tmp_path: Path
) -> None:
    async with committed_api(backend, tmp_path) as api:
        await _flag_cleared_is_announced(api.http, api.db, api.hub)


async def _flag_cleared_is_announced(client: httpx.AsyncClient, db: Database, hub: Hub) -> None:
    first = await processed(client, db, "first.pdf", extracted())
    second = await processed(client, db, "second.pdf", extracted())
    await start_listening(hub)
    try:
        async with hub.subscribe() as queue:
            await gql(client, CORRECT, job=first, field="vendorName", value="Initech")
            events = [await asyncio.wait_for(queue.get(), timeout=5) for _ in range(2)]
    finally:
        await hub.stop()
    assert {(e.kind, e.id) for e in events if isinstance(e, StatusEvent)} == {
        ("job", first),
        ("job", second),  # its flag was cleared by the correction of the earlier job
    }
