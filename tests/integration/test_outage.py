"""PostgreSQL unreachable under a real server: both APIs answer 503 with a JSON error on
the same keep-alive connection, and serve again once the database is back."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from contextlib import ExitStack
from dataclasses import dataclass

import pytest
import websockets

from ocr_gateway.app import create_app
from ocr_gateway.auth import HEADER, Scope, create_key
from ocr_gateway.db import migrate
from ocr_gateway.db.engine import Database
from ocr_gateway.processing.queue import DeferredQueue
from ocr_gateway.settings import Settings
from tests.conftest import create_postgres_database, drop_postgres_database
from tests.integration.live import server_thread
from tests.support.raw_http import KeepAlive, RawResponse
from tests.support.tcp_proxy import TcpProxy

pytestmark = pytest.mark.postgres
QUERY = {"query": "{ jobGroups { totalCount } }"}
SUBSCRIPTION = 'subscription { pageStatusChanged(jobId: "60f7b1b3e4b0e8b3f8b3f8b4") { id status } }'
MUTATION = {
    "query": 'mutation { createJobGroup(input: {name: "G", template: "000000000000000000000001"})'
    " { id } }"
}


@dataclass
class Outage:
    proxy: TcpProxy
    host: str
    port: int
    used_key: str  # authenticated before the outage: in the key cache
    fresh_key: str  # never used: its check needs the database


@pytest.fixture
async def outage() -> AsyncIterator[Outage]:
    url = await create_postgres_database()
    direct = Database(Settings(database_url=url))
    await migrate.upgrade(direct.engine)
    _row, used = await create_key(direct, "used", [Scope.admin])
    _row, fresh = await create_key(direct, "fresh", [Scope.admin])
    proxy = TcpProxy("127.0.0.1", 5432)
    await proxy.start()
    proxied = url.replace("127.0.0.1:5432", f"127.0.0.1:{proxy.port}")
    app = create_app(Settings(database_url=proxied), queue=DeferredQueue())
    server = ExitStack()
    try:
        host, port = server.enter_context(server_thread(app)).split(":")
        # The key cache empties itself when its LISTEN connection comes up: wait for it, so
        # that the key used before the outage stays cached (under load it comes up late).
        deadline = time.monotonic() + 30
        while not app.state.keys.listening.is_set():
            assert time.monotonic() < deadline, "the key cache's listener never connected"
            await asyncio.sleep(0.05)
        yield Outage(proxy, host, int(port), used, fresh)
    finally:
        # The proxy runs on this loop: keep it running while the server thread stops.
        await asyncio.to_thread(server.close)
        await proxy.cut()
        await direct.dispose()
        await drop_postgres_database(url)


def assert_graphql_503(response: RawResponse) -> None:
    assert response.status == 503, response
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers.get("connection") != "close"
    assert response.headers["retry-after"] == "1"
    errors = response.json()["errors"]
    assert [e["extensions"]["code"] for e in errors] == ["SERVICE_UNAVAILABLE"]


def assert_rest_503(response: RawResponse) -> None:
    assert response.status == 503, response
    assert response.headers.get("connection") != "close"
    body = response.json()
    assert body["success"] is False
    assert body["error"]["code"] == "SERVICE_UNAVAILABLE"


async def assert_subscriptions_refused(outage: Outage) -> None:
    """A new subscriber whose key cannot be checked is turned away (Strawberry closes with
    4403 whatever the reason); one whose key was cached gets SERVICE_UNAVAILABLE for its
    subscription. Never a crash."""
    url = f"ws://{outage.host}:{outage.port}/graphql"
    async with websockets.connect(url, subprotocols=["graphql-transport-ws"]) as ws:
        await ws.send(
            json.dumps({"type": "connection_init", "payload": {HEADER: outage.fresh_key}})
        )
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), 10)
        assert closed.value.rcvd is not None
        assert closed.value.rcvd.code == 4403
    async with websockets.connect(url, subprotocols=["graphql-transport-ws"]) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": {HEADER: outage.used_key}}))
        assert json.loads(await asyncio.wait_for(ws.recv(), 10))["type"] == "connection_ack"
        subscribe = {"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIPTION}}
        await ws.send(json.dumps(subscribe))
        message = json.loads(await asyncio.wait_for(ws.recv(), 10))
        assert message["type"] in ("error", "next"), message
        errors = message["payload"] if message["type"] == "error" else message["payload"]["errors"]
        assert [e["extensions"]["code"] for e in errors] == ["SERVICE_UNAVAILABLE"]


async def test_an_unreachable_database_is_503_on_both_apis_and_recovers(outage: Outage) -> None:
    used, fresh = {HEADER: outage.used_key}, {HEADER: outage.fresh_key}
    async with KeepAlive(outage.host, outage.port) as http:
        ok = await http.request("POST", "/graphql", headers=used, json_body=QUERY)
        assert ok.status == 200, ok
        await outage.proxy.cut()

        assert_graphql_503(await http.request("POST", "/graphql", headers=used, json_body=QUERY))
        assert_graphql_503(await http.request("POST", "/graphql", headers=fresh, json_body=QUERY))
        assert_graphql_503(await http.request("POST", "/graphql", headers=used, json_body=MUTATION))
        assert_rest_503(await http.request("GET", "/api/v1/ocr-invoice-job-groups", headers=used))
        assert_rest_503(await http.request("GET", "/api/v1/ocr-invoice-job-groups", headers=fresh))
        await assert_subscriptions_refused(outage)
        health = await http.request("GET", "/healthz", headers={})
        assert health.status == 503
        assert health.json()["database"] == "down"

        await outage.proxy.restore()
        deadline = time.monotonic() + 10
        while (
            answer := await http.request("POST", "/graphql", headers=fresh, json_body=QUERY)
        ).status != 200:
            assert time.monotonic() < deadline, answer
            await asyncio.sleep(0.2)
        assert answer.json()["data"]["jobGroups"]["totalCount"] == 0
        rest = await http.request("GET", "/api/v1/ocr-invoice-job-groups", headers=used)
        assert rest.status == 200
