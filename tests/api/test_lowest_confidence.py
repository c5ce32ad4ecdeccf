"""``Job.lowestConfidence``: the least sure field of a job's invoice data, kept in step by
every writer (extraction, corrections, re-processing), filtered and sorted on in SQL on both
backends. Every query here also runs through the executor (``tests.conftest``)."""

from __future__ import annotations

import base64
import json
import sqlite3
from contextlib import closing
from typing import Any

import httpx
import pytest
from sqlalchemy import event

from ocr_gateway.db.engine import Database
from tests.api.factories import problem_fields
from tests.api.graphql import create_job, create_page, gql, gql_error
from tests.api.test_correction import CORRECT, EXTRACTED, REMOVE, field, process

LIST = (
    "query($f: JobFilter, $s: JobSort, $o: SortOrder) {"
    " jobs(filter: $f, sort: $s, order: $o, limit: 100) { totalCount items { name } } }"
)
CONNECTION = (
    "query($after: String, $o: SortOrder) {"
    " jobsConnection(first: 2, after: $after, sort: lowestConfidence, order: $o) {"
    " edges { cursor node { name lowestConfidence } } pageInfo { hasNextPage endCursor } } }"
)
READ = "query($id: ID!) { job(id: $id) { lowestConfidence needsReview } }"


def reading(**confidences: float) -> dict[str, Any]:
    """What extraction read off a page: one field per keyword, at that confidence."""
    fields = {name: field(name, f"{name}-value", c) for name, c in confidences.items()}
    return {"fields": fields, "errors": [], "warnings": []}


async def job_read(
    client: httpx.AsyncClient, db: Database, name: str, extracted: dict[str, Any] | None
) -> tuple[str, str]:
    """A job and its page, processed with ``extracted`` (None: left unprocessed)."""
    job = await create_job(client, name=name)
    page = await create_page(client, job["id"])
    if extracted is not None:
        await process(db, page["id"], extracted)
    return job["id"], page["id"]


async def seed(client: httpx.AsyncClient, db: Database) -> None:
    """Jobs whose least sure fields are 0.2, 0.55, 0.6 and 0.9, and one not read yet."""
    await job_read(client, db, "low", reading(invoiceNumber=0.95, total=0.2))
    await job_read(client, db, "fair", reading(invoiceNumber=0.55, total=0.8))
    await job_read(client, db, "edge", reading(vendorName=0.6))
    await job_read(client, db, "sure", reading(invoiceNumber=0.9, total=0.99))
    await job_read(client, db, "unread", None)


async def names(client: httpx.AsyncClient, filter_: Any = None, sort: str | None = None,
                order: str = "asc") -> list[str]:  # fmt: skip
    result = (await gql(client, LIST, f=filter_, s=sort or "name", o=order))["jobs"]
    assert result["totalCount"] == len(result["items"])
    return [item["name"] for item in result["items"]]


async def test_a_job_shows_its_least_sure_field(client: httpx.AsyncClient, db: Database) -> None:
    job_id, _page = await job_read(client, db, "job", None)
    assert (await gql(client, READ, id=job_id))["job"]["lowestConfidence"] is None
    job_id, _page = await job_read(client, db, "read", EXTRACTED)
    assert (await gql(client, READ, id=job_id))["job"] == {
        "lowestConfidence": 0.31,
        "needsReview": True,
    }


@pytest.mark.parametrize(
    ("operators", "expected"),
    [
        pytest.param({"lt": 0.6}, ["fair", "low"], id="lt"),
        pytest.param({"lte": 0.6}, ["edge", "fair", "low"], id="lte"),
        pytest.param({"gt": 0.6}, ["sure"], id="gt"),
        pytest.param({"gte": 0.6}, ["edge", "sure"], id="gte"),
        pytest.param({"eq": 0.55}, ["fair"], id="eq"),
        pytest.param({"gte": 0.2, "lt": 0.56}, ["fair", "low"], id="range"),
        pytest.param({"exists": False}, ["unread"], id="is-null"),
        pytest.param({"exists": True}, ["edge", "fair", "low", "sure"], id="not-null"),
        pytest.param({"ne": 0.6}, ["fair", "low", "sure", "unread"], id="ne"),
    ],
)
async def test_jobs_filter_on_their_lowest_confidence(
    client: httpx.AsyncClient, db: Database, operators: dict[str, Any], expected: list[str]
) -> None:
    await seed(client, db)
    assert await names(client, {"lowestConfidence": operators}) == expected


async def test_the_review_queue_filter_combines_with_needs_review(
    client: httpx.AsyncClient, db: Database
) -> None:
    await seed(client, db)  # field() marks a field needsReview below 0.5: only "low" has one
    queue = {"needsReview": {"eq": True}, "lowestConfidence": {"lt": 0.6}}
    assert await names(client, queue) == ["low"]


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        pytest.param("asc", ["low", "fair", "edge", "sure", "unread"], id="asc-unread-last"),
        pytest.param("desc", ["unread", "sure", "edge", "fair", "low"], id="desc-unread-first"),
    ],
)
async def test_jobs_sort_by_their_lowest_confidence(
    client: httpx.AsyncClient, db: Database, order: str, expected: list[str]
) -> None:
    await seed(client, db)
    assert await names(client, sort="lowestConfidence", order=order) == expected


async def test_a_connection_pages_by_lowest_confidence(
    client: httpx.AsyncClient, db: Database
) -> None:
    await seed(client, db)
    seen: list[tuple[str, float | None]] = []
    after = None
    while True:
        result = (await gql(client, CONNECTION, after=after, o="asc"))["jobsConnection"]
        seen += [(e["node"]["name"], e["node"]["lowestConfidence"]) for e in result["edges"]]
        if not result["pageInfo"]["hasNextPage"]:
            break
        after = result["pageInfo"]["endCursor"]
    assert seen == [("low", 0.2), ("fair", 0.55), ("edge", 0.6), ("sure", 0.9), ("unread", None)]


@pytest.mark.parametrize("value", ["Infinity", '"0.5"', "true"])
async def test_a_forged_cursor_on_lowest_confidence_is_bad_input(
    client: httpx.AsyncClient, value: str
) -> None:
    raw = f'["lowest_confidence","asc",{value},"{"a" * 24}"]'
    cursor = base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")
    assert json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    error = await gql_error(client, CONNECTION, after=cursor, o="asc")
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert problem_fields(error) == ["after"]


async def test_a_correction_raises_the_lowest_confidence(
    client: httpx.AsyncClient, db: Database
) -> None:
    job_id, _page = await job_read(client, db, "job", EXTRACTED)  # total 0.31, date 0.88
    low = {"lowestConfidence": {"lt": 0.5}}
    assert await names(client, low) == ["job"]
    corrected = await gql(client, CORRECT, job=job_id, field="total", value="105.50")
    assert corrected["correctField"]["invoiceData"]["total"]["confidence"] == 1.0
    assert (await gql(client, READ, id=job_id))["job"]["lowestConfidence"] == 0.88
    assert await names(client, low) == []
    for name, value in (("invoiceNumber", "INV-0042"), ("invoiceDate", "2024-03-01"),
                        ("currency", "USD")):  # fmt: skip
        await gql(client, CORRECT, job=job_id, field=name, value=value)
    assert (await gql(client, READ, id=job_id))["job"]["lowestConfidence"] == 1.0

    await gql(client, REMOVE, job=job_id, field="total")
    assert (await gql(client, READ, id=job_id))["job"]["lowestConfidence"] == 0.31
    assert await names(client, low) == ["job"]


async def test_reprocessing_keeps_the_lowest_confidence_in_step(
    client: httpx.AsyncClient, db: Database
) -> None:
    job_id, page_id = await job_read(client, db, "job", reading(total=0.7, vendorName=0.9))
    await gql(client, CORRECT, job=job_id, field="total", value="70.00")
    assert (await gql(client, READ, id=job_id))["job"]["lowestConfidence"] == 0.9
    await process(db, page_id, reading(total=0.1, vendorName=0.45))  # read again, worse
    # The corrected total stays the person's (1); the vendor's new reading is the least sure.
    assert (await gql(client, READ, id=job_id))["job"]["lowestConfidence"] == 0.45


async def test_a_filter_operand_must_be_a_number(client: httpx.AsyncClient) -> None:
    error = await gql_error(client, LIST, f={"lowestConfidence": {"lt": "low"}})
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


async def test_the_sort_walks_its_index_instead_of_sorting_every_job(
    client: httpx.AsyncClient, db: Database
) -> None:
    """Least sure first orders by ``coalesce(lowest_confidence, 2.0)`` written as a literal,
    the expression migration 0009 indexes; where the planner tells (SQLite plans for a large
    table whatever its size), it reads that index and builds no sort of its own."""
    await seed(client, db)
    captured: list[tuple[str, Any]] = []

    def record(*args: Any) -> None:
        captured.append((args[2], args[3]))

    event.listen(db.engine.sync_engine, "before_cursor_execute", record)
    try:
        query = "{ jobs(sort: lowestConfidence, order: asc, limit: 2) { items { name } } }"
        assert (await gql(client, query))["jobs"]["items"] == [{"name": "low"}, {"name": "fair"}]
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", record)
    sorted_ = [(s, p) for s, p in captured if "coalesce(jobs.lowest_confidence, 2.0)" in s]
    assert sorted_, "the sort's expression is not the indexed one"
    if db.engine.dialect.name != "sqlite":
        return
    statement, parameters = sorted_[-1]
    # A connection of its own, read-only: the app's engine begins IMMEDIATE transactions.
    with closing(sqlite3.connect(f"file:{db.engine.url.database}?mode=ro", uri=True)) as plain:
        plan = plain.execute(f"EXPLAIN QUERY PLAN {statement}", parameters).fetchall()
    details = " | ".join(str(row[-1]) for row in plan)
    assert "ix_jobs_lowest_confidence_sort" in details
    assert "TEMP B-TREE FOR ORDER BY" not in details
