"""Real servers for integration tests: the app under uvicorn (in a thread or a process) and a
small graphql-transport-ws client."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import httpx
import uvicorn
import websockets
from fastapi import FastAPI

from ocr_gateway.auth import Scope, create_key
from ocr_gateway.db import migrate
from ocr_gateway.db.engine import Database
from ocr_gateway.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


async def migrated_with_key(url: str) -> str:
    """Migrate the database at ``url`` (procrastinate's schema too) and make an admin key."""
    db = Database(Settings(database_url=url))
    await migrate.upgrade_all(db.engine, db.settings)
    _row, key = await create_key(db, "live", [Scope.admin])
    await db.dispose()
    return key


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def server_thread(app: FastAPI) -> Iterator[str]:
    """``app`` served by uvicorn in a thread of this process (lifespan included)."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=20)


@contextmanager
def server_process(env: dict[str, str], *, workers: int = 1) -> Iterator[str]:
    """``ocr-gateway serve`` in its own process; yields host:port once it answers."""
    port = free_port()
    command = [sys.executable, "-m", "ocr_gateway.cli", "serve", "--port", str(port)]
    if workers > 1:
        command += ["--workers", str(workers)]
    process = subprocess.Popen(command, env={**os.environ, **env}, cwd=ROOT)
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, "the server exited"
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
        yield f"127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:  # stuck in a request: graceful shutdown waits for it
            process.kill()
            process.wait(timeout=20)


class Subscription:
    def __init__(self, connection: Any) -> None:
        self.connection = connection

    async def next(self, seconds: float = 15) -> dict[str, Any]:
        """The next item's data; fails on an error message or a timeout."""
        async with asyncio.timeout(seconds):
            while True:
                message = json.loads(await self.connection.recv())
                if message["type"] == "next":
                    payload: dict[str, Any] = message["payload"]
                    assert not payload.get("errors"), payload
                    return payload["data"]
                assert message["type"] not in ("error", "complete"), message


@asynccontextmanager
async def subscribe(
    host: str, query: str, variables: dict[str, Any], *, key: str
) -> AsyncIterator[Subscription]:
    url = f"ws://{host}/graphql"
    async with websockets.connect(url, subprotocols=["graphql-transport-ws"]) as connection:
        init = {"type": "connection_init", "payload": {"X-API-Key": key}}
        await connection.send(json.dumps(init))
        ack = json.loads(await asyncio.wait_for(connection.recv(), 15))
        assert ack["type"] == "connection_ack", ack
        message = {
            "id": "1",
            "type": "subscribe",
            "payload": {"query": query, "variables": variables},
        }
        await connection.send(json.dumps(message))
        yield Subscription(connection)


async def graphql(host: str, query: str, key: str, **variables: Any) -> dict[str, Any]:
    headers = {"X-API-Key": key}
    async with httpx.AsyncClient(base_url=f"http://{host}", headers=headers) as client:
        response = await client.post("/graphql", json={"query": query, "variables": variables})
    body: dict[str, Any] = response.json()
    assert not body.get("errors"), body
    data: dict[str, Any] = body["data"]
    return data
