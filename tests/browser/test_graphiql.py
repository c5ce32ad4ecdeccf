"""GraphiQL works offline: every asset comes from the app, and a query runs in a real browser.

Drives the system Chromium (``/usr/bin/chromium`` + ``/usr/bin/chromedriver``, Debian packages
``chromium`` and ``chromium-driver``) headless against a real uvicorn server on 127.0.0.1.
External host names are made unresolvable in the browser, so a CDN reference would fail.

Without Chromium the tests skip, except when ``CI`` is set (e.g. ``CI=true``): then they fail.
Set ``GRAPHIQL_SCREENSHOT=/some/file.png`` to keep a screenshot of the page after the query.
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
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import uvicorn
from fastapi import FastAPI
from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from ocr_gateway.app import create_app
from ocr_gateway.auth import Scope, create_key
from ocr_gateway.db import migrate
from ocr_gateway.db.engine import Database
from ocr_gateway.settings import Settings

pytestmark = pytest.mark.browser

GRAPHQL_PATH = "/graphql"
STATIC_URL = "/graphiql-static"
HOST = "127.0.0.1"
TIMEOUT_S = 30.0


# --------------------------------------------------------------------------- browser discovery


def _find(candidates: tuple[str, ...], names: tuple[str, ...]) -> str | None:
    for candidate in candidates:
        if Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    return None


def _chromium_or_skip() -> tuple[str, str]:
    """Return (chromium, chromedriver) paths; skip, or fail when CI=true, if either is missing."""
    chromium = _find(("/usr/bin/chromium",), ("chromium", "chromium-browser"))
    chromedriver = _find(("/usr/bin/chromedriver",), ("chromedriver",))
    if chromium and chromedriver:
        return chromium, chromedriver
    missing = ", ".join(
        name for name, path in (("chromium", chromium), ("chromedriver", chromedriver)) if not path
    )
    reason = f"{missing} not found (install with: apt-get install -y chromium chromium-driver)"
    if os.environ.get("CI"):  # same rule as the PostgreSQL fixtures in tests/conftest.py
        pytest.fail(f"CI=true but {reason}", pytrace=False)
    pytest.skip(reason)


# --------------------------------------------------------------------------- app + server


@pytest.fixture
def graphiql_app(tmp_path: Path) -> FastAPI:
    """The real application on a freshly migrated SQLite database."""
    settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'graphiql.db'}")

    async def migrated() -> str:
        database = Database(settings)
        await migrate.upgrade(database.engine)
        _row, key = await create_key(database, "browser", [Scope.read])
        await database.dispose()
        return key

    key = asyncio.run(migrated())
    app = create_app(settings)
    app.state.test_api_key = key
    return app


@pytest.fixture
def live_server(graphiql_app: FastAPI) -> Iterator[str]:
    """Run ``graphiql_app`` with uvicorn in a thread on a free 127.0.0.1 port; yield base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((HOST, 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        graphiql_app, host=HOST, port=port, log_level="warning", access_log=False
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="uvicorn", daemon=True
    )
    thread.start()
    try:
        deadline = time.monotonic() + TIMEOUT_S
        while not server.started and thread.is_alive() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert server.started, "uvicorn did not start"
        yield f"http://{HOST}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=TIMEOUT_S)
        sock.close()


@pytest.fixture
def driver(tmp_path: Path) -> Iterator[webdriver.Chrome]:
    chromium, chromedriver = _chromium_or_skip()
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
        "--window-size=1400,900",
        # Simulate "no internet": every host name except 127.0.0.1 fails to resolve.
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    service = Service(executable_path=chromedriver, log_output=str(tmp_path / "chromedriver.log"))
    drv = webdriver.Chrome(options=options, service=service)
    try:
        drv.set_page_load_timeout(TIMEOUT_S)
        yield drv
    except BaseException:
        drv.save_screenshot(str(tmp_path / "graphiql-failure.png"))
        raise
    finally:
        drv.quit()


# --------------------------------------------------------------------------- helpers

QUERY_EDITOR = ".graphiql-query-editor .CodeMirror"
# Variables and Headers editors share the tool pane; the inactive one has class "hidden".
VISIBLE_TOOL_EDITOR = ".graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror"


def _browser_log(drv: webdriver.Chrome, kind: str) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = drv.get_log(kind)  # type: ignore[no-untyped-call]
    return entries


def _performance_events(drv: webdriver.Chrome) -> list[dict[str, Any]]:
    """DevTools Network events from Chromium's performance log (drains the log)."""
    return [json.loads(entry["message"])["message"] for entry in _browser_log(drv, "performance")]


def _requested_urls(events: list[dict[str, Any]]) -> list[str]:
    """URLs of every request (incl. failed ones and WebSockets)."""
    urls: list[str] = []
    for event in events:
        if event.get("method") == "Network.requestWillBeSent":
            urls.append(event["params"]["request"]["url"])
        elif event.get("method") == "Network.webSocketCreated":
            urls.append(event["params"]["url"])
    return urls


def _is_local(url: str) -> bool:
    """False for a network URL (http/https/ws/wss) to any host but 127.0.0.1.

    Other schemes (data:, blob:, about:, and chrome:// of the browser's own start page) are
    not network traffic.
    """
    parts = urlsplit(url)
    return parts.scheme not in ("http", "https", "ws", "wss") or parts.hostname == HOST


def _codemirror_value(drv: webdriver.Chrome, selector: str) -> str:
    value = drv.execute_script(
        "const el = document.querySelector(arguments[0]);"
        "return el ? el.CodeMirror.getValue() : null;",
        selector,
    )
    assert isinstance(value, str), f"no CodeMirror at {selector!r}"
    return value


def _open_graphiql(drv: webdriver.Chrome, url: str) -> None:
    drv.get(url)
    try:
        WebDriverWait(drv, TIMEOUT_S).until(
            ec.visibility_of_element_located((By.CSS_SELECTOR, QUERY_EDITOR))
        )
    except TimeoutException:
        remote = [u for u in _requested_urls(_performance_events(drv)) if not _is_local(u)]
        errors = [e["message"] for e in _browser_log(drv, "browser") if e["level"] == "SEVERE"]
        pytest.fail(
            f"GraphiQL did not render within {TIMEOUT_S}s.\n"
            f"Requests to hosts other than {HOST}: {remote}\nConsole errors: {errors}"
        )


def _type_query(drv: webdriver.Chrome, query: str) -> None:
    """Replace the query editor's content by typing, as a user would.

    GraphiQL 3.x uses CodeMirror 5: clicking the editor focuses its hidden textarea, which
    receives the key events.
    """
    drv.find_element(By.CSS_SELECTOR, QUERY_EDITOR).click()
    (
        ActionChains(drv)
        .key_down(Keys.CONTROL)
        .send_keys("a")
        .key_up(Keys.CONTROL)
        .send_keys(Keys.DELETE)
        # CodeMirror auto-closes "{"; typing "}" then steps over the inserted one.
        .send_keys(query)
        .send_keys(Keys.ESCAPE)  # close the autocomplete popup, if any
        .perform()
    )
    typed = _codemirror_value(drv, QUERY_EDITOR)
    assert " ".join(typed.split()) == " ".join(query.split()), typed


def _execute(drv: webdriver.Chrome, expected_text: str) -> None:
    drv.find_element(By.CSS_SELECTOR, "button.graphiql-execute-button").click()
    WebDriverWait(drv, TIMEOUT_S).until(
        ec.text_to_be_present_in_element((By.CSS_SELECTOR, ".graphiql-response"), expected_text)
    )


# --------------------------------------------------------------------------- tests


def test_graphiql_runs_query_offline(
    graphiql_app: FastAPI, live_server: str, driver: webdriver.Chrome
) -> None:
    key = graphiql_app.state.test_api_key
    _open_graphiql(driver, f"{live_server}{GRAPHQL_PATH}?apiKey={key}")
    _type_query(driver, "{ templates { totalCount items { name } } }")
    _execute(driver, '"name": "Generic invoice"')

    # The explorer plugin (a separate script) registered itself.
    assert driver.find_elements(By.CSS_SELECTOR, 'button[aria-label="Show GraphiQL Explorer"]')

    screenshot = os.environ.get("GRAPHIQL_SCREENSHOT")
    if screenshot:
        driver.save_screenshot(screenshot)

    # Everything the page loaded came from the app ...
    resources = driver.execute_script(
        "return performance.getEntriesByType('navigation')"
        ".concat(performance.getEntriesByType('resource')).map(e => e.name)"
    )
    assert any(f"{STATIC_URL}/graphiql-" in url for url in resources), resources
    assert [url for url in resources if not _is_local(url)] == []
    # ... including requests that failed (the resource timing API may omit those).
    requested = _requested_urls(_performance_events(driver))
    assert any(url.endswith(".js") for url in requested), requested
    assert [url for url in requested if not _is_local(url)] == []

    # No failed loads, no JS errors.
    assert [e for e in _browser_log(driver, "browser") if e["level"] == "SEVERE"] == []


def test_graphiql_sends_api_key(live_server: str, driver: webdriver.Chrome) -> None:
    api_key = "test-key-123"
    _open_graphiql(driver, f"{live_server}{GRAPHQL_PATH}?apiKey={api_key}")

    # Prefilled into the (active) Headers tab, removed from the address bar, remembered.
    expected = {"X-API-Key": api_key}
    assert json.loads(_codemirror_value(driver, VISIBLE_TOOL_EDITOR)) == expected
    assert "apiKey" not in parse_qs(urlsplit(driver.current_url).query)
    assert api_key not in driver.current_url
    assert driver.execute_script("return localStorage.getItem('ocr-gateway:apiKey')") == api_key

    _type_query(driver, "{ __typename }")
    _execute(driver, "__typename")
    posts = [
        event["params"]["request"]
        for event in _performance_events(driver)
        if event.get("method") == "Network.requestWillBeSent"
        and event["params"]["request"]["method"] == "POST"
        and urlsplit(event["params"]["request"]["url"]).path == GRAPHQL_PATH
    ]
    assert posts, "GraphiQL sent no POST to the GraphQL endpoint"
    for request in posts:
        headers = {name.lower(): value for name, value in request["headers"].items()}
        assert headers.get("x-api-key") == api_key, request["headers"]

    # A later visit without ?apiKey= still has the key.
    _open_graphiql(driver, live_server + GRAPHQL_PATH)
    assert json.loads(_codemirror_value(driver, VISIBLE_TOOL_EDITOR)) == expected
