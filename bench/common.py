"""Shared by the benchmarks: a throw-away PostgreSQL database, a uvicorn server, a load loop.

Everything runs on this machine over real HTTP on 127.0.0.1; nothing is mocked.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import httpx

ADMIN_DSN = os.environ.get("BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
ROOT = Path(__file__).resolve().parent.parent


@asynccontextmanager
async def postgres_database(prefix: str = "ocr_gateway_bench") -> AsyncIterator[str]:
    """A fresh database, dropped afterwards; yields its SQLAlchemy URL."""
    name = f"{prefix}_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(ADMIN_DSN)
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    base = ADMIN_DSN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
    try:
        yield f"{base}/{name}"
    finally:
        admin = await asyncpg.connect(ADMIN_DSN)
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def uvicorn_server(database_url: str, **env: str) -> Iterator[str]:
    """The real app in its own process (one uvicorn worker); yields its base URL."""
    port = free_port()
    environ = {
        **os.environ,
        "DATABASE_URL": database_url,
        "OCR_GATEWAY_LOG_LEVEL": "WARNING",
        **env,
    }
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "ocr_gateway.app:create_app",
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, env=environ, cwd=ROOT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            raise RuntimeError("server did not start")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@dataclass
class LoadResult:
    name: str
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))]

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies_ms)

    def row(self) -> str:
        return (
            f"| {self.name} | {self.rps:,.0f} | {self.p50:.1f} | {self.percentile(99):.1f} |"
            f" {self.requests:,} | {self.errors} |"
        )


async def drive(
    name: str,
    base_url: str,
    request: Callable[[httpx.AsyncClient], Awaitable[httpx.Response]],
    *,
    concurrency: int,
    seconds: float,
    warmup: float = 2.0,
) -> LoadResult:
    """``concurrency`` clients sending ``request`` back to back for ``seconds``."""
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=60) as client:

        async def worker(until: float, record: bool) -> None:
            nonlocal errors
            while time.perf_counter() < until:
                start = time.perf_counter()
                response = await request(client)
                elapsed = (time.perf_counter() - start) * 1000
                if record:
                    latencies.append(elapsed)
                    ok = response.status_code == 200 and b'"errors"' not in response.content
                    errors += 0 if ok else 1

        warm_until = time.perf_counter() + warmup
        await asyncio.gather(*(worker(warm_until, False) for _ in range(concurrency)))
        start = time.perf_counter()
        until = start + seconds
        await asyncio.gather(*(worker(until, True) for _ in range(concurrency)))
        elapsed = time.perf_counter() - start
    return LoadResult(name, len(latencies), errors, elapsed, latencies)


TABLE_HEADER = (
    "| scenario | requests/s | p50 ms | p99 ms | requests | errors |\n"
    "|---|---:|---:|---:|---:|---:|"
)
