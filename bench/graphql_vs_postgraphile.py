"""The product side by side with PostGraphile v4 on the same PostgreSQL tables, over HTTP.

Seeds a fresh PostgreSQL database (200 groups x 10 jobs x 5 pages) through the product's
migrations, starts the product (uvicorn, API keys on: every request carries a read key)
and PostGraphile 4.14 (``bench/postgraphile``, installed there by ``npm ci`` on first use;
it introspects the product's tables, so both serve the same rows), and drives both with
wrk (1 thread, 16 connections) on five shapes, interleaved (product and PostGraphile
alternate, shape after shape, three rounds), each run after a warm-up:

    (a) 50 groups -> their jobs -> their pages, 6 scalar fields per level
    (b) the same with ids and names only
    (c) one page by id (with its job)
    (d) 50 pages flat
    (e) {__typename}

first with one process each, then two each. Prints requests/s, p50, p99 (medians of the
rounds), response bytes and the ratio product / PostGraphile, and the API processes' RSS.

    .venv/bin/python bench/graphql_vs_postgraphile.py [--seconds 5] [--rounds 3]

The load generator shares the machine's cores with both servers; it is the same for both
and they take turns, so each server meets the same competition for the cores.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, free_port, postgres_database
from bench.graphql_nested import seed
from ocr_gateway.auth import HEADER, Scope, create_key
from ocr_gateway.db import migrate
from ocr_gateway.db.engine import Database
from ocr_gateway.settings import Settings

POSTGRAPHILE_DIR = Path(__file__).resolve().parent / "postgraphile"
GROUP = "id name status priority batchNumber createdAt"
JOB = "id name status priority sourceFileName createdAt"
PAGE = "id pageNumber pageUrl status pageType createdAt"


def shapes(page_id: str) -> dict[str, tuple[str, str]]:
    """Shape -> (product query, PostGraphile query), selecting the same fields."""
    return {
        "(a) 50 groups > jobs > pages, 6 fields": (
            f"{{ jobGroups(limit: 50) {{ items {{ {GROUP} jobs(limit: 10) {{ items {{ {JOB}"
            f" pages(limit: 5) {{ items {{ {PAGE} }} }} }} }} }} }} }}",
            f"{{ allJobGroups(first: 50, orderBy: [CREATED_AT_DESC, ID_DESC]) {{ nodes {{ {GROUP}"
            f" jobsByGroupId(first: 10, orderBy: [CREATED_AT_DESC, ID_DESC]) {{ nodes {{ {JOB}"
            f" pagesByJobId(first: 5, orderBy: [PAGE_NUMBER_ASC, ID_ASC]) {{ nodes {{ {PAGE}"
            " } } } } } } }",
        ),
        "(b) the same, ids and names": (
            "{ jobGroups(limit: 50) { items { id name jobs(limit: 10) { items { id name"
            " pages(limit: 5) { items { id pageNumber } } } } } } }",
            "{ allJobGroups(first: 50, orderBy: [CREATED_AT_DESC, ID_DESC]) { nodes { id name"
            " jobsByGroupId(first: 10, orderBy: [CREATED_AT_DESC, ID_DESC]) { nodes { id name"
            " pagesByJobId(first: 5, orderBy: [PAGE_NUMBER_ASC, ID_ASC]) { nodes { id pageNumber"
            " } } } } } } }",
        ),
        "(c) one page by id": (
            f'{{ page(id: "{page_id}") {{ id pageNumber pageUrl status job {{ id name }} }} }}',
            f'{{ pageById(id: "{page_id}") {{ id pageNumber pageUrl status'
            " jobByJobId { id name } } }",
        ),
        "(d) 50 pages flat": (
            f"{{ pages(limit: 50) {{ items {{ {PAGE} }} }} }}",
            f"{{ allPages(first: 50, orderBy: [CREATED_AT_DESC, ID_DESC]) {{ nodes {{ {PAGE} }} }} }}",
        ),
        "(e) {__typename}": ("{ __typename }", "{ __typename }"),
    }


@dataclass
class Server:
    name: str
    url: str
    pids: list[int]
    headers: dict[str, str]


def _wait(url: str, probe: dict[str, Any], headers: dict[str, str]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.post(url, json=probe, headers=headers, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not start")


def _children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False)
    return [int(p) for p in out.stdout.split()]


@contextmanager
def product(database_url: str, processes: int, key: str) -> Iterator[Server]:
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "OCR_GATEWAY_LOG_LEVEL": "WARNING"}
    command = [sys.executable, "-m", "uvicorn", "ocr_gateway.app:create_app", "--factory",
               "--host", "127.0.0.1", "--port", str(port), "--no-access-log",
               "--log-level", "warning", "--workers", str(processes)]  # fmt: skip
    process = subprocess.Popen(command, env=env, cwd=ROOT)
    url = f"http://127.0.0.1:{port}/graphql"
    headers = {HEADER: key}
    try:
        _wait(url, {"query": "{ __typename }"}, headers)
        pids = _children(process.pid) if processes > 1 else [process.pid]
        yield Server("product", url, pids, headers)
    finally:
        process.terminate()
        process.wait(timeout=20)


@contextmanager
def postgraphile(database_url: str, processes: int) -> Iterator[Server]:
    if not (POSTGRAPHILE_DIR / "node_modules" / "postgraphile").exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=POSTGRAPHILE_DIR, check=True)
    port = free_port()
    libpq = database_url.replace("postgresql+asyncpg://", "postgres://")
    command = ["node", "server.js", libpq, str(port), str(processes)]
    process = subprocess.Popen(command, cwd=POSTGRAPHILE_DIR)
    url = f"http://127.0.0.1:{port}/graphql"
    try:
        _wait(url, {"query": "{ __typename }"}, {})
        time.sleep(1)  # the other workers of a cluster introspect too
        pids = [process.pid, *_children(process.pid)]
        yield Server("PostGraphile", url, pids, {})
    finally:
        process.terminate()
        process.wait(timeout=20)


WRK_SCRIPT = """wrk.method = "POST"
wrk.body = {body}
wrk.headers["Content-Type"] = "application/json"
{headers}
"""


@dataclass
class Run:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


def _ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(server: Server, query: str, seconds: int, connections: int) -> Run:
    headers = "\n".join(f'wrk.headers["{k}"] = "{v}"' for k, v in server.headers.items())
    script = WRK_SCRIPT.format(body=json.dumps(json.dumps({"query": query})), headers=headers)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", handle.name,
               server.url]  # fmt: skip
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    os.unlink(handle.name)
    latency = dict(re.findall(r"^\s*(50|99)(?:\.0+)?%\s+(\S+)\s*$", out, re.MULTILINE))
    if len(latency) != 2:
        raise RuntimeError(f"unexpected wrk output:\n{out}")
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return Run(
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        p50_ms=_ms(latency["50"]),
        p99_ms=_ms(latency["99"]),
        errors=int(errors.group(1)) if errors else 0,
    )


def response_bytes(server: Server, query: str) -> int:
    response = httpx.post(server.url, json={"query": query}, headers=server.headers, timeout=60)
    body = response.json()
    assert response.status_code == 200, (server.name, response.text[:500])
    assert "errors" not in body, (server.name, response.text[:500])
    return len(response.content)


def rss_mb(pids: list[int]) -> float:
    """The largest resident set among a server's processes (MB)."""
    sizes = []
    for pid in pids:
        status = Path(f"/proc/{pid}/status").read_text()
        sizes.append(int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024)  # type: ignore[union-attr]
    return max(sizes)


def compare(servers: tuple[Server, Server], page_id: str, args: argparse.Namespace) -> list[str]:
    runs: dict[tuple[str, str], list[Run]] = {}
    sizes: dict[tuple[str, str], int] = {}
    for shape, queries in shapes(page_id).items():
        for server, query in zip(servers, queries, strict=True):
            sizes[shape, server.name] = response_bytes(server, query)
    for round_ in range(args.rounds):
        for shape, queries in shapes(page_id).items():
            pairs = list(zip(servers, queries, strict=True))
            for server, query in pairs if round_ % 2 == 0 else reversed(pairs):
                wrk(server, query, args.warmup, args.connections)
                runs.setdefault((shape, server.name), []).append(
                    wrk(server, query, args.seconds, args.connections)
                )
    rows = []
    for shape in shapes(page_id):
        cells = []
        rates = []
        for server in servers:
            measured = runs[shape, server.name]
            rps = statistics.median(r.rps for r in measured)
            rates.append(rps)
            p50 = statistics.median(r.p50_ms for r in measured)
            p99 = statistics.median(r.p99_ms for r in measured)
            errors = sum(r.errors for r in measured)
            cells.append(
                f"{rps:,.0f} | {p50:.1f} | {p99:.1f} | {sizes[shape, server.name]:,} | {errors}"
            )
        rows.append(f"| {shape} | {' | '.join(cells)} | {rates[0] / rates[1]:.2f} |")
    return rows


HEADER_ROW = (
    "| shape | product req/s | p50 ms | p99 ms | bytes | errors "
    "| PostGraphile req/s | p50 ms | p99 ms | bytes | errors | ratio |\n"
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
)


async def prepare(url: str) -> tuple[str, str]:
    db = Database(Settings(database_url=url))
    await migrate.upgrade(db.engine)
    page_ids = await seed(db, groups=200, jobs=10, pages=5)
    _row, key = await create_key(db, "bench", [Scope.read])
    await db.dispose()
    return page_ids[len(page_ids) // 2], key


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--processes", default="1,2")
    args = parser.parse_args()
    async with postgres_database("ocr_gateway_compiler_bench") as url:
        page_id, key = await prepare(url)
        print(f"load average at start: {os.getloadavg()[0]:.2f}; wrk -t1 -c{args.connections},"
              f" {args.rounds} rounds x {args.seconds:g} s (+{args.warmup:g} s warm-up)")  # fmt: skip
        for processes in (int(p) for p in args.processes.split(",")):
            with product(url, processes, key) as ours, postgraphile(url, processes) as theirs:
                rows = compare((ours, theirs), page_id, args)
                rss = (rss_mb(ours.pids), rss_mb(theirs.pids))
            print(f"\n{processes} process(es) each:\n{HEADER_ROW}")
            print("\n".join(rows))
            print(f"largest RSS per process: product {rss[0]:.0f} MB, PostGraphile {rss[1]:.0f} MB")


if __name__ == "__main__":
    asyncio.run(main())
