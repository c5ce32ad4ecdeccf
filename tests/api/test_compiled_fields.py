"""Fields the compiler builds with SQL of its own show exactly what the executor shows
(each query here also runs through the executor: see ``tests.conftest``)."""

from __future__ import annotations

import httpx

from ocr_gateway.db.engine import Database
from ocr_gateway.db.models import Page
from tests.api.factories import set_columns
from tests.api.graphql import create_group, create_job, create_page, gql

LINES = [
    {"text": "Invoice 42", "confidence": 0.9834519028663635, "box": [10, 12.5, 300, 40]},
    {"text": "Total: 1.00", "confidence": 1, "box": [10.25, 50, 200.0, 80]},
]


async def test_lines_and_words_as_the_executor_shows_them(
    client: httpx.AsyncClient, db: Database
) -> None:
    job = await create_job(client)
    read = await create_page(client, job["id"])
    unread = await create_page(client, job["id"], pageNumber=2)
    await set_columns(db, Page, read["id"], ocr_lines=LINES, ocr_words=[])
    query = "query($id: ID!) { page(id: $id) { lines { text confidence box __typename } words {"
    query += " text } } }"
    page = (await gql(client, query, id=read["id"]))["page"]
    assert page["lines"][0] == {
        "text": "Invoice 42",
        "confidence": 0.9834519028663635,
        "box": [10.0, 12.5, 300.0, 40.0],
        "__typename": "OcrText",
    }
    assert page["lines"][1]["confidence"] == 1.0
    assert page["words"] == []
    assert (await gql(client, query, id=unread["id"]))["page"] == {"lines": None, "words": None}


async def test_a_webhook_secret_is_never_shown(client: httpx.AsyncClient) -> None:
    webhook = {
        "url": "https://hooks.example.com/ocr",
        "secret": "s" * 20,
        "events": ["page.failed"],
    }
    await create_group(client, name="hooked", notifications={"webhook": webhook, "team": "ap"})
    await create_group(client, name="quiet")
    query = "{ jobGroups(sort: name, order: asc) { items { name notifications } } }"
    items = (await gql(client, query))["jobGroups"]["items"]
    shown = items[0]["notifications"]
    assert shown["webhook"] == {
        "url": "https://hooks.example.com/ocr",
        "events": ["page.failed"],
        "secretSet": True,
    }
    assert shown["team"] == "ap"
    assert items[1]["notifications"] == {}


async def test_progress_rounds_exact_ties_as_python(
    client: httpx.AsyncClient, db: Database
) -> None:
    group = await create_group(client)
    job = await create_job(client, group=group["id"])
    for number in range(1, 33):
        page = await create_page(client, job["id"], pageNumber=number)
        if number == 1:
            await set_columns(db, Page, page["id"], status="processed")
    query = "query($id: ID!) { jobGroup(id: $id) { progress { percentDone totalPages"
    query += " pages { processed pending } jobs { pending } totalJobs } } }"
    progress = (await gql(client, query, id=group["id"]))["jobGroup"]["progress"]
    assert progress == {
        "percentDone": 3.12,  # 100 / 32 = 3.125 exactly: half to even, as round() does
        "totalPages": 32,
        "pages": {"processed": 1, "pending": 31},
        "jobs": {"pending": 1},
        "totalJobs": 1,
    }
