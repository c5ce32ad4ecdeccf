"""/metrics: request counts and latencies per surface, the database's figures, access."""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import update

from ocr_gateway.app import create_app
from ocr_gateway.auth import HEADER, Scope, create_key
from ocr_gateway.db.engine import Database
from ocr_gateway.db.models import Page
from ocr_gateway.processing.queue import DeferredQueue
from tests.api.graphql import create_job, create_page
from tests.integration.live import migrated_with_key, server_process


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return found


def value(text: str, name: str, **labels: str) -> float:
    return samples(text).get((name, frozenset(labels.items())), 0.0)


async def scrape(http: httpx.AsyncClient, db: Database) -> str:
    _row, key = await create_key(db, "prometheus", [Scope.metrics])
    response = await http.get("/metrics", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return response.text


async def test_requests_are_counted_and_timed_by_surface_and_status(
    client: httpx.AsyncClient, db: Database
) -> None:
    await client.post("/graphql", json={"query": "{ templates { totalCount } }"})
    await client.get("/api/v1/ocr-invoice-job-groups")
    await client.get("/api/v1/ocr-invoice-job-groups/nope")
    await client.get("/healthz")
    await client.request("BREW", "/healthz")  # any method: still one bounded label value
    text = await scrape(client, db)
    requests = "ocr_gateway_http_requests_total"
    assert value(text, requests, surface="graphql", method="POST", status="200") == 1
    assert value(text, requests, surface="rest", method="GET", status="200") == 1
    assert value(text, requests, surface="rest", method="GET", status="404") == 1
    assert value(text, requests, surface="health", method="GET", status="200") == 1
    assert value(text, requests, surface="health", method="other", status="405") == 1
    assert value(text, "ocr_gateway_http_request_seconds_count", surface="rest") == 2
    assert value(text, "ocr_gateway_database_up") == 1


async def test_queue_depth_and_page_seconds_come_from_the_database(
    client: httpx.AsyncClient, db: Database
) -> None:
    job = await create_job(client)
    pages = [await create_page(client, job["id"], pageNumber=n) for n in (1, 2, 3)]
    async with db.sessionmaker() as session, session.begin():
        await session.execute(
            update(Page)
            .where(Page.id.in_([pages[0]["id"], pages[1]["id"]]))
            .values(status="processed", timings={"fetch": 0.25, "extract": 0.25, "total": 1.5})
        )
    text = await scrape(client, db)
    assert value(text, "ocr_gateway_pages", status="pending") == 1
    assert value(text, "ocr_gateway_pages", status="processed") == 2
    assert value(text, "ocr_gateway_page_seconds_count") == 2
    assert value(text, "ocr_gateway_page_seconds_sum") == 3.0
    assert value(text, "ocr_gateway_page_seconds_bucket", le="1.0") == 0
    assert value(text, "ocr_gateway_page_seconds_bucket", le="2.0") == 2
    assert value(text, "ocr_gateway_ocr_seconds_sum") == 2.0
    assert value(text, "ocr_gateway_ocr_seconds_bucket", le="1.0") == 2


async def test_metrics_need_a_key_with_the_metrics_scope(
    anonymous: httpx.AsyncClient, db: Database
) -> None:
    assert (await anonymous.get("/metrics")).status_code == 401
    _row, reader = await create_key(db, "reader", [Scope.read])
    assert (await anonymous.get("/metrics", headers={HEADER: reader})).status_code == 403
    _row, admin = await create_key(db, "admin", [Scope.admin])
    assert (await anonymous.get("/metrics", headers={HEADER: admin})).status_code == 200


async def test_a_setting_opens_the_metrics(db: Database) -> None:
    settings = db.settings.model_copy(update={"metrics_auth": False})
    app = create_app(settings, db=db, queue=DeferredQueue())
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as http:
        assert (await http.get("/metrics")).status_code == 200


@pytest.mark.slow
async def test_several_api_processes_answer_the_sum_of_their_requests(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'metrics.db'}"
    key = await migrated_with_key(url)
    env = {"DATABASE_URL": url, "OCR_GATEWAY_LOCAL_WORKERS": "0"}
    env["PROMETHEUS_MULTIPROC_DIR"] = str(tmp_path / "metrics")
    os.mkdir(env["PROMETHEUS_MULTIPROC_DIR"])
    with server_process(env, workers=2) as host:
        async with httpx.AsyncClient(base_url=f"http://{host}") as http:
            before = value(
                (await http.get("/metrics", headers={HEADER: key})).text,
                "ocr_gateway_http_requests_total",
                surface="health",
                method="GET",
                status="200",
            )
            for _ in range(30):
                assert (await http.get("/healthz")).status_code == 200
            pids = set(os.listdir(env["PROMETHEUS_MULTIPROC_DIR"]))
            for _ in range(4):  # whichever process answers, it answers for all of them
                text = (await http.get("/metrics", headers={HEADER: key})).text
                counted = value(
                    text,
                    "ocr_gateway_http_requests_total",
                    surface="health",
                    method="GET",
                    status="200",
                )
                assert counted == before + 30
    assert len(pids) >= 2  # one file per process that counted something
