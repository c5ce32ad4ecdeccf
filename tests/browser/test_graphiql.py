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
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi import FastAPI
from selenium import webdriver
from selenium.common.exceptions import TimeoutException
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
from tests.browser.chromium import (
    HOST,
    TIMEOUT_S,
    browser_log,
    chrome,
    is_local,
    performance_events,
    requested_urls,
    serve,
)

pytestmark = pytest.mark.browser

GRAPHQL_PATH = "/graphql"
STATIC_URL = "/graphiql-static"


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
    with serve(graphiql_app) as url:
        yield url


@pytest.fixture
def driver(tmp_path: Path) -> Iterator[webdriver.Chrome]:
    with chrome(tmp_path) as drv:
        yield drv


# --------------------------------------------------------------------------- helpers

QUERY_EDITOR = ".graphiql-query-editor .CodeMirror"
# Variables and Headers editors share the tool pane; the inactive one has class "hidden".
VISIBLE_TOOL_EDITOR = ".graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror"


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
        remote = [u for u in requested_urls(performance_events(drv)) if not is_local(u)]
        errors = [e["message"] for e in browser_log(drv, "browser") if e["level"] == "SEVERE"]
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
    assert [url for url in resources if not is_local(url)] == []
    # ... including requests that failed (the resource timing API may omit those).
    requested = requested_urls(performance_events(driver))
    assert any(url.endswith(".js") for url in requested), requested
    assert [url for url in requested if not is_local(url)] == []

    # No failed loads, no JS errors.
    assert [e for e in browser_log(driver, "browser") if e["level"] == "SEVERE"] == []


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
        for event in performance_events(driver)
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
