"""The review page in headless Chromium over a real uvicorn server (``tests.browser.chromium``).

Jobs are made through the public API from PDFs the tests generate (a text layer, so no OCR
engine is needed): the app's queue runs the real pipeline in the server's event loop, with
an engine that refuses to be used. The printed total does not add up with the subtotal and
tax, so extraction marks it needsReview: the field the page is for.

A backlog larger than one slice of the queue (100 jobs) is written straight into the database
through the invoice-data writer (``store_invoice_data``), as extraction would leave it.

Set ``REVIEW_SCREENSHOTS=/some/dir`` to keep screenshots of the queue and of a job
(``review-queue.png``, ``review-job.png``; the README's come from there).
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from PIL import Image
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from ocr_gateway.app import create_app
from ocr_gateway.auth import HEADER, Scope, create_key
from ocr_gateway.db import migrate
from ocr_gateway.db.engine import Database
from ocr_gateway.db.models import Job
from ocr_gateway.enums import PageStatus, Priority
from ocr_gateway.processing import pipeline
from ocr_gateway.processing.builtin_templates import GENERIC_INVOICE_TEMPLATE
from ocr_gateway.processing.job_invoice import store_invoice_data
from ocr_gateway.processing.result import OcrResult
from ocr_gateway.settings import Settings
from tests.browser.chromium import (
    TIMEOUT_S,
    chrome,
    is_local,
    performance_events,
    requested_urls,
    serve,
    severe_errors,
)
from tests.support.einvoices import Invoice, printed_items
from tests.support.pdfs import text_pdf

pytestmark = pytest.mark.browser

JOB = """
query($id: ID!) {
  job(id: $id) { id name status needsReview invoiceData
                 pages { items { id imageProperties } } }
}
"""
FINISHED = ("completed", "partially_failed", "failed")


class RefusingEngine:
    """Text-layer pages never reach OCR: if one did, the page would fail and the test too."""

    name = "refusing"
    version = "0"

    def read(self, image: Image.Image, *, languages: Sequence[str]) -> OcrResult:
        raise AssertionError("a text-layer page reached the OCR engine")


class InlineQueue:
    """The page queue, run in the app's own event loop through ``pipeline.process_page``."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.db: Database | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    async def enqueue(self, page_ids: Sequence[str], priority: Priority = Priority.medium) -> None:
        for page_id in page_ids:
            task = asyncio.create_task(self._process(page_id))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _process(self, page_id: str) -> None:
        assert self.db is not None
        await pipeline.process_page(
            self.db,
            RefusingEngine(),
            page_id,
            policy=pipeline.fetch_policy(self.settings),
            from_statuses=(PageStatus.queued.value,),
            max_attempts=1,
        )

    async def start(self) -> None:
        pass

    async def stop(self) -> None:
        await asyncio.gather(*self._tasks, return_exceptions=True)


class Api:
    """The live server's GraphQL API, as a script would call it."""

    def __init__(self, base: str, key: str) -> None:
        self.http = httpx.Client(base_url=base, headers={HEADER: key}, timeout=TIMEOUT_S)

    def gql(self, query: str, **variables: Any) -> dict[str, Any]:
        body = self.http.post("/graphql", json={"query": query, "variables": variables}).json()
        assert "errors" not in body, body["errors"]
        data: dict[str, Any] = body["data"]
        return data

    def job(self, job_id: str) -> dict[str, Any]:
        job: dict[str, Any] = self.gql(JOB, id=job_id)["job"]
        return job

    def invoice(
        self, media: Path, name: str, group: str, invoice: Invoice, *, split: int | None = None
    ) -> str:
        """A processed job from a generated PDF whose printed total does not add up
        (``split``: the printed items from that one on go on a second page)."""
        items = printed_items(invoice, printed_total="999.00")
        pages = [items] if split is None else [items[:split], items[split:]]
        path = media / name
        path.write_bytes(text_pdf(pages))
        created = self.gql(
            "mutation($i: CreateJobFromDocumentInput!) { createJobFromDocument(input: $i) { id } }",
            i={"documentUrl": f"file://{path}", "group": group, "process": True},
        )
        job_id: str = created["createJobFromDocument"]["id"]
        deadline = time.monotonic() + TIMEOUT_S
        while self.job(job_id)["status"] not in FINISHED:
            assert time.monotonic() < deadline, "the job was not processed"
            time.sleep(0.1)
        return job_id


@pytest.fixture
def review_app(tmp_path: Path, media: Path) -> FastAPI:
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'review.db'}",
        media_root=media,
        local_workers=0,
    )

    async def migrated() -> str:
        database = Database(settings)
        await migrate.upgrade_all(database.engine, settings)
        _row, key = await create_key(database, "reviewer", [Scope.read, Scope.write, Scope.process])
        await database.dispose()
        return key

    key = asyncio.run(migrated())
    queue = InlineQueue(settings)
    app = create_app(settings, queue=queue)
    queue.db = app.state.db
    app.state.test_api_key = key
    return app


@pytest.fixture
def live(review_app: FastAPI) -> Iterator[tuple[str, Api]]:
    with serve(review_app) as base:
        api = Api(base, review_app.state.test_api_key)
        try:
            yield base, api
        finally:
            api.http.close()


@pytest.fixture
def driver(tmp_path: Path) -> Iterator[webdriver.Chrome]:
    with chrome(tmp_path, window="1400,1000") as drv:
        yield drv


@pytest.fixture
def group(live: tuple[str, Api]) -> str:
    _base, api = live
    created = api.gql(
        'mutation { createJobGroup(input: {name: "March invoices",'
        ' template: "000000000000000000000001"}) { id } }'
    )
    group_id: str = created["createJobGroup"]["id"]
    return group_id


def wait(drv: webdriver.Chrome, condition: Any) -> Any:
    return WebDriverWait(drv, TIMEOUT_S).until(condition)


def open_review(drv: webdriver.Chrome, base: str, key: str) -> None:
    drv.get(f"{base}/review?apiKey={key}")
    wait(drv, ec.presence_of_element_located((By.CSS_SELECTOR, ".queue-item")))


def queue_names(drv: webdriver.Chrome) -> list[str]:
    # Read in one script: live updates re-render the queue at any moment.
    names: list[str] = drv.execute_script(
        "return [...document.querySelectorAll('.queue-item .queue-name')]"
        ".map((e) => e.textContent);"
    )
    return names


def status_text(drv: webdriver.Chrome) -> str:
    return str(drv.find_element(By.ID, "status").text)


def image_loaded(drv: webdriver.Chrome) -> bool:
    return bool(
        drv.execute_script(
            "const img = document.querySelector('img.page-image');"
            "return !!img && img.complete && img.naturalWidth > 0;"
        )
    )


def rects(drv: webdriver.Chrome, field: str) -> dict[str, Any]:
    found: dict[str, Any] = drv.execute_script(
        "const box = document.querySelector(`.box[data-field='${arguments[0]}']`);"
        "const img = box.closest('.page-frame').querySelector('img.page-image');"
        "const r = (e) => { const b = e.getBoundingClientRect();"
        "  return [b.left, b.top, b.width, b.height]; };"
        "return {img: r(img), box: r(box), natural: [img.naturalWidth, img.naturalHeight],"
        "        pageId: img.dataset.pageId};",
        field,
    )
    return found


def test_a_job_to_review_shows_its_field_box_over_the_page_image(
    live: tuple[str, Api], group: str, media: Path, driver: webdriver.Chrome, review_app: FastAPI
) -> None:
    base, api = live
    job_id = api.invoice(media, "northwind-0117.pdf", group, Invoice(seller="Northwind Traders"))
    job = api.job(job_id)
    assert job["invoiceData"]["total"]["needsReview"]

    open_review(driver, base, review_app.state.test_api_key)
    assert queue_names(driver) == ["northwind-0117.pdf"]
    shots = os.environ.get("REVIEW_SCREENSHOTS")
    wait(driver, lambda d: image_loaded(d))
    wait(driver, ec.presence_of_element_located((By.CSS_SELECTOR, ".box[data-field='total']")))

    # The box sits where the API says the field is, scaled to the image as displayed.
    props = job["pages"]["items"][0]["imageProperties"]
    x0, y0, x1, y1 = job["invoiceData"]["total"]["box"]
    found = rects(driver, "total")
    left, top, width, height = found["img"]
    sx, sy = width / props["width"], height / props["height"]
    expected = [left + x0 * sx, top + y0 * sy, (x1 - x0) * sx, (y1 - y0) * sy]
    assert found["box"] == pytest.approx(expected, abs=1.5), (found, expected)
    # The served image is the page in the boxes' aspect ratio (any size: the page scales).
    natural_w, natural_h = found["natural"]
    assert natural_h / natural_w == pytest.approx(props["height"] / props["width"], rel=0.005)

    # Hovering the field's row highlights its box, clicking the box selects its row.
    row = driver.find_element(By.CSS_SELECTOR, ".field-row[data-field='invoiceNumber']")
    webdriver.ActionChains(driver).move_to_element(row).perform()
    assert "hover" in box_classes(driver, "invoiceNumber")
    driver.find_element(By.CSS_SELECTOR, ".box[data-field='total']").click()
    assert "selected" in row_classes(driver, "total")
    if shots:
        driver.save_screenshot(str(Path(shots) / "review-job.png"))

    requested = requested_urls(performance_events(driver))
    assert any("/review/pages/" in url for url in requested), requested
    assert [url for url in requested if not is_local(url)] == []
    assert severe_errors(driver) == []


def test_a_field_read_on_the_second_page_is_drawn_over_that_page(
    live: tuple[str, Api], group: str, media: Path, driver: webdriver.Chrome, review_app: FastAPI
) -> None:
    base, api = live
    job_id = api.invoice(media, "two-pages.pdf", group, Invoice(), split=5)  # totals on page 2
    job = api.job(job_id)
    total = job["invoiceData"]["total"]
    first, second = job["pages"]["items"]
    assert total["pageId"] == second["id"]

    open_review(driver, base, review_app.state.test_api_key)
    wait(driver, ec.presence_of_element_located((By.CSS_SELECTOR, ".box[data-field='total']")))
    wait(
        driver,
        lambda d: d.execute_script(
            "return [...document.querySelectorAll('img.page-image')]"
            ".every((i) => i.complete && i.naturalWidth > 0);"
        ),
    )
    found = rects(driver, "total")
    assert found["pageId"] == second["id"]
    left, top, width, height = found["img"]
    props = second["imageProperties"]
    x0, y0, x1, y1 = total["box"]
    sx, sy = width / props["width"], height / props["height"]
    expected = [left + x0 * sx, top + y0 * sy, (x1 - x0) * sx, (y1 - y0) * sy]
    assert found["box"] == pytest.approx(expected, abs=1.5), (found, expected)
    number = rects(driver, "invoiceNumber")
    assert number["pageId"] == first["id"]


def box_classes(drv: webdriver.Chrome, field: str) -> str:
    box = drv.find_element(By.CSS_SELECTOR, f".box[data-field='{field}']")
    return str(box.get_attribute("class"))


def row_classes(drv: webdriver.Chrome, field: str) -> str:
    row = drv.find_element(By.CSS_SELECTOR, f".field-row[data-field='{field}']")
    return str(row.get_attribute("class"))


def test_a_correction_saved_in_the_page_is_in_the_api(
    live: tuple[str, Api], group: str, media: Path, driver: webdriver.Chrome, review_app: FastAPI
) -> None:
    base, api = live
    job_id = api.invoice(media, "inv-1.pdf", group, Invoice())
    open_review(driver, base, review_app.state.test_api_key)
    value = wait(driver, ec.element_to_be_clickable((By.ID, "value-total")))

    # A value the API refuses: its message is shown, nothing changes.
    value.clear()
    value.send_keys("12 EUR", Keys.ENTER)
    error = wait(driver, ec.visibility_of_element_located((By.ID, "error-total")))
    assert "value" in error.text
    assert api.job(job_id)["invoiceData"]["total"]["method"] != "manual"

    value = driver.find_element(By.ID, "value-total")
    value.clear()
    value.send_keys("120.00", Keys.ENTER)
    wait(driver, lambda d: "total saved" in status_text(d))
    total = api.job(job_id)["invoiceData"]["total"]
    assert (total["normalizedValue"], total["method"], total["needsReview"]) == (
        "120.00",
        "manual",
        False,
    )
    assert total["correctedBy"] == "reviewer"
    assert not api.job(job_id)["needsReview"]
    assert severe_errors(driver) == []


def test_keyboard_accepts_a_field_and_moves_to_the_next_job(
    live: tuple[str, Api], group: str, media: Path, driver: webdriver.Chrome, review_app: FastAPI
) -> None:
    base, api = live
    first = api.invoice(media, "a.pdf", group, Invoice(number="A-1"))
    api.invoice(media, "b.pdf", group, Invoice(number="B-2"))
    open_review(driver, base, review_app.state.test_api_key)
    wait(driver, ec.text_to_be_present_in_element((By.ID, "job-title"), "a.pdf"))
    body = driver.find_element(By.TAG_NAME, "body")

    body.send_keys("?")
    assert driver.find_element(By.ID, "help").is_displayed()
    body.send_keys("a")  # the selected field is the one that needs review: total
    wait(driver, lambda d: "total accepted" in status_text(d))
    total = api.job(first)["invoiceData"]["total"]
    assert (total["method"], total["normalizedValue"], total["needsReview"]) == (
        "manual",
        "999.00",
        False,
    )

    driver.find_element(By.TAG_NAME, "body").send_keys("n")
    wait(driver, ec.text_to_be_present_in_element((By.ID, "job-title"), "b.pdf"))


def test_a_job_processed_while_the_page_is_open_appears_in_the_queue(
    live: tuple[str, Api], group: str, media: Path, driver: webdriver.Chrome, review_app: FastAPI
) -> None:
    base, api = live
    api.invoice(media, "first.pdf", group, Invoice(number="F-1"))
    open_review(driver, base, review_app.state.test_api_key)
    wait(driver, ec.text_to_be_present_in_element((By.ID, "live-state"), "live"))

    api.invoice(media, "arrived-later.pdf", group, Invoice(number="L-2"))
    wait(driver, lambda d: "arrived-later.pdf" in queue_names(d))
    assert queue_names(driver) == ["first.pdf", "arrived-later.pdf"]
    shots = os.environ.get("REVIEW_SCREENSHOTS")
    if shots:
        driver.save_screenshot(str(Path(shots) / "review-queue.png"))
    websockets = [u for u in requested_urls(performance_events(driver)) if u.startswith("ws")]
    assert websockets
    assert all(is_local(u) for u in websockets)


def test_the_key_is_entered_once_and_a_wrong_one_is_said_so(
    live: tuple[str, Api], group: str, media: Path, driver: webdriver.Chrome, review_app: FastAPI
) -> None:
    base, api = live
    api.invoice(media, "keyed.pdf", group, Invoice())
    driver.get(f"{base}/review")
    key_input = wait(driver, ec.visibility_of_element_located((By.ID, "api-key")))
    key_input.send_keys("ogw_000000000000_not-a-key-not-a-key-not-a-key-xx", Keys.ENTER)
    wait(driver, lambda d: "was not accepted" in status_text(d))
    assert driver.find_element(By.ID, "api-key").is_displayed()

    key_input = driver.find_element(By.ID, "api-key")
    key_input.clear()
    key_input.send_keys(review_app.state.test_api_key, Keys.ENTER)
    wait(driver, lambda d: queue_names(d) == ["keyed.pdf"])
    wait(driver, lambda d: image_loaded(d))  # the cookie carried the key to the image

    driver.get(f"{base}/review")  # a later visit: the key is remembered
    wait(driver, lambda d: queue_names(d) == ["keyed.pdf"])
    assert not driver.find_element(By.ID, "api-key").is_displayed()


def test_a_possible_duplicate_is_shown_and_leads_to_the_earlier_job(
    live: tuple[str, Api], group: str, media: Path, driver: webdriver.Chrome, review_app: FastAPI
) -> None:
    base, api = live
    same = Invoice(seller="Northwind Traders", number="NW-2026-7")
    first = api.invoice(media, "march.pdf", group, same)
    second = api.invoice(media, "march-resent.pdf", group, same)
    assert (
        api.gql("query($id: ID!) { job(id: $id) { possibleDuplicateOf } }", id=second)["job"][
            "possibleDuplicateOf"
        ]
        == first
    )

    open_review(driver, base, review_app.state.test_api_key)
    wait(driver, lambda d: queue_names(d) == ["march.pdf", "march-resent.pdf"])
    flagged: list[str] = driver.execute_script(
        "return [...document.querySelectorAll('.queue-item')]"
        ".filter((e) => e.querySelector('.badge.duplicate'))"
        ".map((e) => e.querySelector('.queue-name').textContent);"
    )
    assert flagged == ["march-resent.pdf"]

    driver.find_element(By.TAG_NAME, "body").send_keys("n")
    wait(driver, ec.text_to_be_present_in_element((By.ID, "job-title"), "march-resent.pdf"))
    badge = wait(driver, ec.element_to_be_clickable((By.CSS_SELECTOR, "button.badge.duplicate")))
    assert badge.text == f"possible duplicate of {first}"
    badge.click()
    wait(driver, ec.text_to_be_present_in_element((By.ID, "job-title"), "march.pdf"))
    assert "march-resent" not in driver.find_element(By.ID, "job-title").text
    assert severe_errors(driver) == []


# ---------------------------------------------------------------- a backlog beyond one slice

SLICE = 100  # the jobs one queue request reads (review.js QUEUE_SLICE, the API's largest page)


def read_invoice(total_confidence: float) -> dict[str, Any]:
    """Invoice data as extraction leaves it: the total needs review at this confidence."""

    def entry(name: str, value: str, confidence: float, review: bool) -> dict[str, Any]:
        return {"name": name, "type": "string", "value": value, "normalizedValue": value,
                "confidence": confidence, "box": None, "page": None, "method": "label",
                "needsReview": review}  # fmt: skip

    return {
        "invoiceNumber": entry("invoiceNumber", "INV-1", 0.97, False),
        "total": {**entry("total", "999.00", total_confidence, True), "type": "amount"},
    }


def backlog(app: FastAPI, jobs: Sequence[tuple[str, dict[str, Any]]]) -> list[str]:
    """Done jobs, oldest first, with their invoice data written by the app's own writer."""

    async def write() -> list[str]:
        database = Database(app.state.settings)
        ids = []
        try:
            async with database.sessionmaker() as session:
                for name, data in jobs:
                    job = Job(name=name, template_id=GENERIC_INVOICE_TEMPLATE["id"],
                              status="completed", invoice_data={}, metadata_={})  # fmt: skip
                    session.add(job)
                    await session.flush()
                    await store_invoice_data(session, job, data)
                    ids.append(job.id)
                await session.commit()
        finally:
            await database.dispose()
        return ids

    return asyncio.run(write())


def test_a_doubtful_job_beyond_the_first_slice_is_found_by_the_confidence_filter(
    live: tuple[str, Api], driver: webdriver.Chrome, review_app: FastAPI
) -> None:
    base, _api = live
    steady = [(f"steady-{n:03}.pdf", read_invoice(0.8)) for n in range(SLICE + 5)]
    backlog(review_app, [*steady, ("doubtful.pdf", read_invoice(0.2))])  # the 106th oldest
    open_review(driver, base, review_app.state.test_api_key)
    assert len(queue_names(driver)) == SLICE
    assert driver.find_element(By.ID, "queue-count").text == f"({SLICE} shown of {SLICE + 6})"

    confidence = driver.find_element(By.ID, "filter-confidence")
    confidence.clear()
    confidence.send_keys("0.5", Keys.TAB)  # a change event: the queue is read again
    wait(driver, lambda d: queue_names(d) == ["doubtful.pdf"])
    assert driver.find_element(By.ID, "queue-count").text == "(1)"
    detail = driver.find_element(By.CSS_SELECTOR, ".queue-item .queue-detail").text
    assert "1 to review · lowest 20%" in detail
    driver.find_element(By.CSS_SELECTOR, ".queue-item").click()
    wait(driver, ec.text_to_be_present_in_element((By.ID, "job-title"), "doubtful.pdf"))
    assert severe_errors(driver) == []


def test_the_next_job_key_reads_on_past_the_first_slice(
    live: tuple[str, Api], driver: webdriver.Chrome, review_app: FastAPI
) -> None:
    base, _api = live
    ids = backlog(review_app, [(f"job-{n:03}.pdf", read_invoice(0.4)) for n in range(SLICE + 2)])
    key = review_app.state.test_api_key
    driver.get(f"{base}/review?apiKey={key}#job={ids[SLICE - 1]}")  # the last job shown
    wait(driver, ec.text_to_be_present_in_element((By.ID, "job-title"), "job-099.pdf"))
    assert queue_names(driver)[-1] == "job-099.pdf"
    more = driver.find_element(By.CSS_SELECTOR, ".queue-more")
    assert more.text == "Show more (2 not shown yet)"

    body = driver.find_element(By.TAG_NAME, "body")
    body.send_keys("n")  # past the last job shown: the next slice is read, and its first opened
    wait(driver, ec.text_to_be_present_in_element((By.ID, "job-title"), "job-100.pdf"))
    assert queue_names(driver)[SLICE:] == ["job-100.pdf", "job-101.pdf"]
    assert driver.find_element(By.ID, "queue-count").text == f"({SLICE + 2})"
    assert driver.find_elements(By.CSS_SELECTOR, ".queue-more") == []
    body.send_keys("n")
    wait(driver, ec.text_to_be_present_in_element((By.ID, "job-title"), "job-101.pdf"))
    body.send_keys("n")
    wait(driver, lambda d: "last job in the queue" in status_text(d))
    body.send_keys("p")
    wait(driver, ec.text_to_be_present_in_element((By.ID, "job-title"), "job-100.pdf"))
    assert severe_errors(driver) == []
