"""/docs renders the REST API in a real browser with no internet, and "Try it out" works.

Headless system Chromium (as ``tests/browser/test_graphiql.py``) against uvicorn on
127.0.0.1; every other host name is unresolvable in the browser, so a CDN reference fails.
Without Chromium the test skips, except under ``CI=true``, where it fails.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import uvicorn
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from ocr_gateway.app import create_app
from ocr_gateway.auth import Scope, create_key
from ocr_gateway.db import migrate
from ocr_gateway.db.engine import Database
from ocr_gateway.settings import Settings
from tests.conftest import RecordingQueue

pytestmark = pytest.mark.browser
HOST = "127.0.0.1"
TIMEOUT_S = 30.0
LIST_PAGES = "#operations-OCR_Invoice_Job_Page-listOcrInvoiceJobPages"


@pytest.fixture
def docs_settings(tmp_path: Path) -> Settings:
    return Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'docs.db'}")


@pytest.fixture
def api_key(docs_settings: Settings) -> str:
    """A migrated database holding one read key; returns the key."""

    async def migrated() -> str:
        database = Database(docs_settings)
        await migrate.upgrade(database.engine)
        _row, key = await create_key(database, "docs", [Scope.read])
        await database.dispose()
        return key

    return asyncio.run(migrated())


@pytest.fixture
def live_server(docs_settings: Settings, api_key: str) -> Iterator[str]:
    sock = socket.socket()
    sock.bind((HOST, 0))
    app = create_app(docs_settings, queue=RecordingQueue())
    config = uvicorn.Config(app, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + TIMEOUT_S
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://{HOST}:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=TIMEOUT_S)
        sock.close()


@pytest.fixture
def driver(tmp_path: Path) -> Iterator[webdriver.Chrome]:
    chromium, chromedriver = shutil.which("chromium"), shutil.which("chromedriver")
    if not (chromium and chromedriver):
        if os.environ.get("CI"):
            pytest.fail("CI=true but chromium or chromedriver is missing", pytrace=False)
        pytest.skip("chromium or chromedriver not found")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update",
                f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1400,900",
                "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"):  # fmt: skip
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    drv = webdriver.Chrome(options=options, service=Service(executable_path=chromedriver))
    try:
        yield drv
    finally:
        drv.quit()


def requested_urls(drv: webdriver.Chrome) -> list[str]:
    entries = drv.get_log("performance")  # type: ignore[no-untyped-call]
    events = [json.loads(entry["message"])["message"] for entry in entries]
    return [
        event["params"]["request"]["url"]
        for event in events
        if event.get("method") == "Network.requestWillBeSent"
    ]


def authorize(driver: webdriver.Chrome, wait: WebDriverWait[webdriver.Chrome], key: str) -> None:
    """Swagger UI's "Authorize" dialog, filled with the key (the ApiKeyAuth scheme)."""
    driver.find_element(By.CSS_SELECTOR, ".auth-wrapper .authorize").click()
    field = wait.until(ec.visibility_of_element_located((By.CSS_SELECTOR, ".auth-container input")))
    field.send_keys(key)
    driver.find_element(By.CSS_SELECTOR, ".auth-btn-wrapper .modal-btn.authorize").click()
    driver.find_element(By.CSS_SELECTOR, ".auth-btn-wrapper .btn-done").click()


def test_swagger_ui_renders_offline_and_runs_a_request(
    live_server: str, api_key: str, driver: webdriver.Chrome
) -> None:
    wait = WebDriverWait(driver, TIMEOUT_S)
    driver.get(f"{live_server}/docs")
    wait.until(ec.visibility_of_element_located((By.CSS_SELECTOR, LIST_PAGES)))
    rest = driver.find_elements(By.CSS_SELECTOR, ".opblock-summary-path[data-path^='/api/v1/']")
    assert len(rest) == 28  # seeds 12, jobs 7, templates 5, corrections 2, exports 2
    authorize(driver, wait, api_key)
    driver.find_element(By.CSS_SELECTOR, f"{LIST_PAGES} .opblock-summary").click()
    wait.until(ec.element_to_be_clickable((By.CSS_SELECTOR, f"{LIST_PAGES} .try-out__btn"))).click()
    driver.find_element(By.CSS_SELECTOR, f"{LIST_PAGES} .execute").click()
    status = f"{LIST_PAGES} .live-responses-table .response .response-col_status"
    wait.until(ec.text_to_be_present_in_element((By.CSS_SELECTOR, status), "200"))
    body = driver.find_element(By.CSS_SELECTOR, f"{LIST_PAGES} .live-responses-table").text
    assert '"success": true' in body
    remote = [
        url
        for url in requested_urls(driver)
        if urlsplit(url).scheme in ("http", "https") and urlsplit(url).hostname != HOST
    ]
    assert remote == []
