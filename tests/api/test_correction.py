"""correctField / removeFieldCorrection over GraphQL: stored beside the extracted value,
needsReview cleared, invoiceData re-derived, kept through re-processing; bad input changes
nothing. Every query here also runs through the executor (``tests.conftest``)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from ocr_gateway.app import create_app
from ocr_gateway.auth import HEADER, Scope, create_key
from ocr_gateway.db.engine import Database
from ocr_gateway.events import Hub, Message, StatusEvent
from ocr_gateway.processing.pipeline import claim, complete
from tests.api.committed import committed_api, start_listening
from tests.api.factories import UNKNOWN_ID, create_template
from tests.api.graphql import create_group, create_job, create_page, gql, gql_error
from tests.api.test_statements import TRANSACTION, counting
from tests.conftest import (
    BACKENDS,
)

CORRECTION = "field value normalizedValue previous correctedBy correctedByKeyId correctedAt"
JOB = f"id status needsReview invoiceData corrections {{ {CORRECTION} }}"
CORRECT = (
    "mutation($job: ID!, $field: String!, $value: JSON) {"
    f" correctField(jobId: $job, field: $field, value: $value) {{ {JOB} }} }}"
)
REMOVE = (
    "mutation($job: ID!, $field: String!) {"
    f" removeFieldCorrection(jobId: $job, field: $field) {{ {JOB} }} }}"
)
READ = f"query($id: ID!) {{ job(id: $id) {{ {JOB} }} }}"


def field(name: str, normalized: str, confidence: float, **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "type": extra.pop("type", "string"),
        "value": extra.pop("value", normalized),
        "normalizedValue": normalized,
        "confidence": confidence,
        "box": [10, 20, 110, 40],
        "method": "label",
        "needsReview": confidence < 0.5,
        **extra,
    }


EXTRACTED = {
    "fields": {
        "invoiceNumber": field("invoiceNumber", "INV-0042", 0.93),
        "invoiceDate": field("invoiceDate", "2024-03-01", 0.88, type="date"),
        "total": field("total", "105.50", 0.31, type="amount", value="$1O5.50"),
        "currency": field("currency", "USD", 0.9, type="currency"),
    },
    "errors": [],
    "warnings": [],
}


async def process(db: Database, page_id: str, extracted: dict[str, Any] = EXTRACTED) -> None:
    """One attempt on the page as a worker makes it (the OCR's output given)."""
    work = await claim(db, page_id, from_statuses=["pending", "queued", "processed"])
    assert work is not None
    assert await complete(db, page_id, {"ocr_text": "INVOICE", "extracted_fields": extracted})


async def processed_job(client: httpx.AsyncClient, db: Database, **fields: Any) -> str:
    job = await create_job(client, **fields)
    page = await create_page(client, job["id"])
    await process(db, page["id"])
    return str(job["id"])


async def correct(client: httpx.AsyncClient, job: str, name: str, value: Any) -> dict[str, Any]:
    result: dict[str, Any] = (await gql(client, CORRECT, job=job, field=name, value=value))[
        "correctField"
    ]
    return result


async def test_a_correction_wins_and_keeps_what_was_extracted(
    client: httpx.AsyncClient, db: Database
) -> None:
    job_id = await processed_job(client, db)
    before = (await gql(client, READ, id=job_id))["job"]
    assert before["needsReview"] is True
    job = await correct(client, job_id, "total", "1005.50")
    total = job["invoiceData"]["total"]
    assert total["normalizedValue"] == "1005.50"
    assert (total["method"], total["confidence"], total["needsReview"]) == ("manual", 1.0, False)
    assert total["correctedBy"] == "tests"
    assert total["extracted"]["normalizedValue"] == "105.50"
    assert total["extracted"]["value"] == "$1O5.50"
    assert job["invoiceData"]["invoiceNumber"] == before["invoiceData"]["invoiceNumber"]
    assert job["needsReview"] is False
    [stored] = job["corrections"]
    assert stored["field"] == "total"
    assert stored["value"] == "1005.50"
    assert stored["previous"]["normalizedValue"] == "105.50"
    assert stored["previous"]["confidence"] == 0.31
    assert stored["correctedBy"] == "tests"
    assert stored["correctedByKeyId"]
    assert (await gql(client, READ, id=job_id))["job"] == job


async def test_jobs_needing_review_can_be_listed(client: httpx.AsyncClient, db: Database) -> None:
    job_id = await processed_job(client, db)
    query = "query($r: Boolean!) { jobs(filter: {needsReview: {eq: $r}}) { items { id } } }"
    assert (await gql(client, query, r=True))["jobs"]["items"] == [{"id": job_id}]
    await correct(client, job_id, "total", 1005.5)
    assert (await gql(client, query, r=True))["jobs"]["items"] == []
    assert (await gql(client, query, r=False))["jobs"]["items"] == [{"id": job_id}]


async def test_a_correction_survives_reprocessing(client: httpx.AsyncClient, db: Database) -> None:
    job_id = await processed_job(client, db)
    await correct(client, job_id, "invoiceNumber", "  INV-0042-A ")
    page = await gql(
        client, "query($id: ID!) { job(id: $id) { pages { items { id } } } }", id=job_id
    )
    page_id = page["job"]["pages"]["items"][0]["id"]
    reread = {**EXTRACTED["fields"], "invoiceNumber": field("invoiceNumber", "INV-0O42", 0.4)}
    await process(db, page_id, {**EXTRACTED, "fields": reread})
    job = (await gql(client, READ, id=job_id))["job"]
    number = job["invoiceData"]["invoiceNumber"]
    assert (number["normalizedValue"], number["method"]) == ("INV-0042-A", "manual")
    assert number["extracted"]["normalizedValue"] == "INV-0O42"  # the new extraction
    assert job["invoiceData"]["total"]["normalizedValue"] == "105.50"
    assert job["needsReview"] is True  # the total still does
    assert [c["field"] for c in job["corrections"]] == ["invoiceNumber"]


async def test_a_later_correction_replaces_the_earlier(
    client: httpx.AsyncClient, db: Database
) -> None:
    job_id = await processed_job(client, db)
    await correct(client, job_id, "invoiceDate", "2024-03-02")
    job = await correct(client, job_id, "invoiceDate", "2024-03-03")
    [stored] = job["corrections"]
    assert stored["normalizedValue"] == "2024-03-03"
    assert stored["previous"]["normalizedValue"] == "2024-03-01"  # extraction's, still
    assert job["invoiceData"]["invoiceDate"]["extracted"]["normalizedValue"] == "2024-03-01"


async def test_removing_a_correction_brings_extraction_back(
    client: httpx.AsyncClient, db: Database
) -> None:
    job_id = await processed_job(client, db)
    before = (await gql(client, READ, id=job_id))["job"]
    await correct(client, job_id, "total", "1005.50")
    await correct(client, job_id, "dueDate", "2024-04-01")  # a field extraction missed
    job = (await gql(client, REMOVE, job=job_id, field="total"))["removeFieldCorrection"]
    assert job["invoiceData"]["total"] == before["invoiceData"]["total"]
    assert job["needsReview"] is True
    job = (await gql(client, REMOVE, job=job_id, field="dueDate"))["removeFieldCorrection"]
    assert job["invoiceData"] == before["invoiceData"]
    assert job["corrections"] == []
    error = await gql_error(client, REMOVE, job=job_id, field="dueDate")
    assert error["extensions"]["code"] == "NOT_FOUND"


async def test_a_field_can_be_said_to_be_absent(client: httpx.AsyncClient, db: Database) -> None:
    job_id = await processed_job(client, db)
    job = await correct(client, job_id, "invoiceDate", None)
    date = job["invoiceData"]["invoiceDate"]
    assert (date["value"], date["normalizedValue"], date["method"]) == (None, None, "manual")


async def test_a_job_not_processed_yet_can_be_corrected(client: httpx.AsyncClient) -> None:
    job = await create_job(client)
    corrected = await correct(client, job["id"], "vendorName", " Acme  GmbH ")
    assert corrected["invoiceData"]["vendorName"]["normalizedValue"] == "Acme GmbH"
    assert corrected["invoiceData"]["vendorName"]["extracted"] is None


async def test_an_unknown_field_names_the_valid_ones(
    client: httpx.AsyncClient, db: Database
) -> None:
    job_id = await processed_job(client, db)
    before = (await gql(client, READ, id=job_id))["job"]
    error = await gql_error(client, CORRECT, job=job_id, field="totl", value="1.00")
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    [problem] = error["extensions"]["fields"]
    assert problem["field"] == "field"
    assert "'totl'" in problem["message"]
    assert "invoiceNumber, invoiceDate, dueDate, total" in problem["message"]
    assert (await gql(client, READ, id=job_id))["job"] == before


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("invoiceDate", "03/01/2024", "invoiceDate: must be a date as YYYY-MM-DD"),
        ("total", "12.345", "total: USD amounts have at most 2 decimals"),
        ("total", {"amount": 1}, "total: must be a string, a number or null"),
        ("currency", "dollars", "currency: must be an ISO 4217"),
        ("invoiceNumber", "   ", "invoiceNumber: must not be blank"),
    ],
)
async def test_a_wrong_value_names_the_field_and_changes_nothing(
    client: httpx.AsyncClient, db: Database, name: str, value: Any, message: str
) -> None:
    job_id = await processed_job(client, db)
    before = (await gql(client, READ, id=job_id))["job"]
    error = await gql_error(client, CORRECT, job=job_id, field=name, value=value)
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["fields"][0]["field"] == "value"
    assert message in error["message"]
    assert (await gql(client, READ, id=job_id))["job"] == before


async def test_amounts_follow_the_corrected_currency(
    client: httpx.AsyncClient, db: Database
) -> None:
    job_id = await processed_job(client, db)
    await correct(client, job_id, "currency", "jpy")
    error = await gql_error(client, CORRECT, job=job_id, field="total", value="1005.50")
    assert "JPY amounts have at most 0 decimals" in error["message"]
    job = await correct(client, job_id, "total", "1,005")
    assert job["invoiceData"]["total"]["normalizedValue"] == "1005"


async def test_a_template_field_of_its_own_is_checked_by_its_type(
    client: httpx.AsyncClient,
) -> None:
    fields = [{"name": "orderNumber", "type": "number", "labels": ["PO"]}]
    template = await create_template(client, name="PO invoices", fields=fields)
    job = await create_job(client, template=template["id"])
    corrected = await correct(client, job["id"], "orderNumber", "00420")
    assert corrected["invoiceData"]["orderNumber"]["normalizedValue"] == "420"
    error = await gql_error(client, CORRECT, job=job["id"], field="total", value="1.00")
    assert "the job's template has: orderNumber" in error["message"]


async def test_a_value_must_be_given(client: httpx.AsyncClient) -> None:
    job = await create_job(client)
    query = 'mutation($job: ID!) { correctField(jobId: $job, field: "total") { id } }'
    error = await gql_error(client, query, job=job["id"])
    assert error["extensions"]["fields"] == [
        {"field": "value", "message": "is required (null: the document has none)"}
    ]


async def test_an_unknown_job_is_not_found(client: httpx.AsyncClient) -> None:
    error = await gql_error(client, CORRECT, job=UNKNOWN_ID, field="total", value="1")
    assert error["extensions"]["code"] == "NOT_FOUND"


async def test_a_read_key_cannot_correct(anonymous: httpx.AsyncClient, db: Database) -> None:
    _row, key = await create_key(db, "viewer", [Scope.read])
    anonymous.headers[HEADER] = key
    error = await gql_error(anonymous, CORRECT, job=UNKNOWN_ID, field="total", value="1")
    assert error["extensions"]["code"] == "FORBIDDEN"


async def test_a_correction_is_sent_to_a_webhook_that_asks(
    client: httpx.AsyncClient, db: Database
) -> None:
    from tests.notifications.factories import deliveries

    hook = {"url": "https://hooks.example.com/ocr", "secret": "s" * 20, "events": ["job.corrected"]}
    group = await create_group(client, notifications={"webhook": hook})
    job_id = await processed_job(client, db, group=group["id"])
    await correct(client, job_id, "total", "1005.50")
    [delivery] = await deliveries(db, group["id"])
    assert delivery.event == "job.corrected"
    assert delivery.payload["job"]["id"] == job_id
    assert delivery.payload["field"] == "total"
    assert delivery.payload["removed"] is False
    assert delivery.payload["invoiceField"]["normalizedValue"] == "1005.50"


async def test_corrections_in_a_nested_list_of_jobs(
    client: httpx.AsyncClient, db: Database
) -> None:
    group = await create_group(client)
    first = await processed_job(client, db, group=group["id"], name="a.pdf")
    await processed_job(client, db, group=group["id"], name="b.pdf")
    await correct(client, first, "total", "1005.50")
    await correct(client, first, "vendorName", "Acme")
    query = (
        "query($id: ID!) { jobGroup(id: $id) { jobs(sort: name, order: asc) { items {"
        f" name needsReview corrections {{ __typename {CORRECTION} }} }} }} }} }}"
    )
    jobs = (await gql(client, query, id=group["id"]))["jobGroup"]["jobs"]["items"]
    assert [[c["field"] for c in j["corrections"]] for j in jobs] == [["total", "vendorName"], []]
    assert [j["needsReview"] for j in jobs] == [False, True]
    assert jobs[0]["corrections"][0]["__typename"] == "FieldCorrection"


@pytest.fixture(params=["compiled", "executor"])
async def reads(
    request: pytest.FixtureRequest, db: Database, queue: Any, admin_key: str
) -> AsyncIterator[tuple[httpx.AsyncClient, bool]]:
    """A client whose queries run one way only (no cross-check)."""
    compiled = request.param == "compiled"
    update = {"compiled_crosscheck": False, "compiled_reads": compiled}
    app = create_app(db.settings.model_copy(update=update), db=db, queue=queue)
    transport = httpx.ASGITransport(app=app)
    headers = {HEADER: admin_key}
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver", headers=headers
    ) as http:
        yield http, compiled


async def test_corrections_of_many_jobs_cost_a_fixed_number_of_statements(
    reads: tuple[httpx.AsyncClient, bool], db: Database
) -> None:
    http, compiled = reads
    for name in ("a.pdf", "b.pdf", "c.pdf"):
        job_id = await processed_job(http, db, name=name)
        await correct(http, job_id, "total", "1.00")
    query = f"{{ jobs(sort: name) {{ items {{ name corrections {{ {CORRECTION} }} }} }} }}"
    with counting(db) as statements:
        jobs = (await gql(http, query))["jobs"]["items"]
    assert [len(j["corrections"]) for j in jobs] == [1, 1, 1]
    own = [s for s in statements if "api_keys" not in s and not s.upper().startswith(TRANSACTION)]
    assert len(own) == (1 if compiled else 2), "\n\n".join(own)


async def announced(client: httpx.AsyncClient, db: Database, hub: Hub) -> Message:
    """The first event a subscriber of ``hub`` gets after a correction of a processed job."""
    job_id = await processed_job(client, db)
    await start_listening(hub)
    try:
        async with hub.subscribe() as queue:
            await correct(client, job_id, "total", "1005.50")
            event = await asyncio.wait_for(queue.get(), timeout=10)
    finally:
        await hub.stop()
    assert isinstance(event, StatusEvent)
    assert (event.kind, event.id, event.status) == ("job", job_id, "completed")
    return event


@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_committed_correction_announces_the_job(backend: str, tmp_path: Path) -> None:
    """A correction's job event reaches subscribers once it commits: in process on SQLite, by
    NOTIFY to every replica's LISTEN connection on PostgreSQL."""
    async with committed_api(backend, tmp_path) as api:
        await announced(api.http, api.db, api.hub)
