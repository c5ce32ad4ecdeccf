"""What the browser tests share: the system Chromium driven headless, a real uvicorn server
on 127.0.0.1, and DevTools' record of every request the page made.

Chromium is ``/usr/bin/chromium`` + ``/usr/bin/chromedriver`` (Debian packages ``chromium``
and ``chromium-driver``). Without them the tests skip, except when ``CI`` is set: then they
fail. External host names are made unresolvable in the browser, so a request to any other
host than 127.0.0.1 fails (and is listed by ``requested_urls``).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import uvicorn
from fastapi import FastAPI
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

HOST = "127.0.0.1"
TIMEOUT_S = 30.0


def _find(candidates: tuple[str, ...], names: tuple[str, ...]) -> str | None:
    for candidate in candidates:
        if Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    return None


def chromium_or_skip() -> tuple[str, str]:
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


@contextmanager
def serve(app: FastAPI) -> Iterator[str]:
    """Run ``app`` with uvicorn in a thread on a free 127.0.0.1 port; yield its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((HOST, 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, host=HOST, port=port, log_level="warning", access_log=False)
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


@contextmanager
def chrome(tmp_path: Path, *, window: str = "1400,900") -> Iterator[webdriver.Chrome]:
    """Headless Chromium with no internet (every host but 127.0.0.1 fails to resolve)."""
    chromium, chromedriver = chromium_or_skip()
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
        f"--window-size={window}",
        "--force-device-scale-factor=1",
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
        drv.save_screenshot(str(tmp_path / "browser-failure.png"))
        raise
    finally:
        drv.quit()


def browser_log(drv: webdriver.Chrome, kind: str) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = drv.get_log(kind)  # type: ignore[no-untyped-call]
    return entries


def severe_errors(drv: webdriver.Chrome) -> list[str]:
    return [e["message"] for e in browser_log(drv, "browser") if e["level"] == "SEVERE"]


def performance_events(drv: webdriver.Chrome) -> list[dict[str, Any]]:
    """DevTools Network events from Chromium's performance log (drains the log)."""
    return [json.loads(entry["message"])["message"] for entry in browser_log(drv, "performance")]


def requested_urls(events: list[dict[str, Any]]) -> list[str]:
    """URLs of every request (incl. failed ones and WebSockets)."""
    urls: list[str] = []
    for event in events:
        if event.get("method") == "Network.requestWillBeSent":
            urls.append(event["params"]["request"]["url"])
        elif event.get("method") == "Network.webSocketCreated":
            urls.append(event["params"]["url"])
    return urls


def is_local(url: str) -> bool:
    """False for a network URL (http/https/ws/wss) to any host but 127.0.0.1.

    Other schemes (data:, blob:, about:, and chrome:// of the browser's own start page) are
    not network traffic.
    """
    parts = urlsplit(url)
    return parts.scheme not in ("http", "https", "ws", "wss") or parts.hostname == HOST
