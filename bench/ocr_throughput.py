"""OCR throughput: the whole pipeline vs. easyocr called directly, on rendered invoices.

For a fixed set of rendered A4 invoice pages (150 dpi) served over HTTP on 127.0.0.1:

1. ``reader.readtext`` in a loop with easyocr's defaults (the untuned baseline);
2. ``EasyOcrEngine.read`` in a loop (the tuned engine alone: same weights, detection on a
   downscaled copy, recognition on full-resolution crops);
3. the whole pipeline (processJob -> queue -> OCR processes -> fetch, OCR, extraction,
   results written) on the embedded SQLite default with 1 and with 2 OCR processes.

Prints pages per minute, median seconds per page, the pipeline's overhead over loop 2, and
the peak RSS of the API process and of an OCR worker process.

    .venv/bin/python bench/ocr_throughput.py [--pages 4]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ocr_gateway.app import create_app
from ocr_gateway.auth import HEADER, Scope, create_key
from ocr_gateway.db import migrate
from ocr_gateway.db.engine import Database
from ocr_gateway.processing.local import LocalQueue
from ocr_gateway.settings import Settings
from tests.support.http_server import LocalHttpServer
from tests.support.invoices import RenderedInvoice, sample_invoices


def pages(count: int) -> list[RenderedInvoice]:
    rendered = sample_invoices()
    return [rendered[i % len(rendered)] for i in range(count)]


def direct_loops(images: list[RenderedInvoice]) -> tuple[list[float], list[float], float]:
    """(default readtext seconds, engine seconds, peak RSS MiB of this process)."""
    import numpy as np

    from ocr_gateway.processing.engine import EasyOcrEngine

    engine = EasyOcrEngine()
    engine.load(["en"])
    # easyocr's defaults untouched: a plain float32 Reader (the engine wraps its own Reader's
    # detector to run in bfloat16, which would flatter the baseline).
    reader = EasyOcrEngine(detect_bf16=False)._reader(("en",))[0]
    engine_times, default_times = [], []
    for invoice in images:
        began = time.perf_counter()
        engine.read(invoice.image, languages=["en"])
        engine_times.append(time.perf_counter() - began)
    for invoice in images:
        began = time.perf_counter()
        reader.readtext(np.array(invoice.image.convert("RGB")))
        default_times.append(time.perf_counter() - began)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return default_times, engine_times, rss


async def pipeline(images: list[RenderedInvoice], workers: int) -> tuple[float, list[float]]:
    """(wall seconds for all pages, per-page OCR seconds) through the whole pipeline."""
    with tempfile.TemporaryDirectory() as folder, LocalHttpServer() as http:
        for n, invoice in enumerate(images):
            buffer = io.BytesIO()
            invoice.image.save(buffer, format="PNG")
            http.add(f"/p{n}.png", body=buffer.getvalue(), content_type="image/png")
        settings = Settings(
            database_url=f"sqlite+aiosqlite:///{folder}/bench.db",
            local_workers=workers,
            fetch_allow_loopback=True,
        )
        db = Database(settings)
        await migrate.upgrade_all(db.engine, settings)
        _row, key = await create_key(db, "bench", [Scope.admin])
        queue = LocalQueue(db, settings)
        app = create_app(settings, db=db, queue=queue)
        transport = httpx.ASGITransport(app=app)
        headers = {HEADER: key}
        async with httpx.AsyncClient(
            transport=transport, base_url="http://b", headers=headers
        ) as api:

            async def gql(query: str, **variables: object) -> dict:
                body = (
                    await api.post("/graphql", json={"query": query, "variables": variables})
                ).json()
                assert "errors" not in body, body
                return body["data"]

            job = (await gql('mutation { createJob(input: {name: "bench"}) { id } }'))["createJob"][
                "id"
            ]
            for n in range(len(images)):
                await gql(
                    "mutation($j: ID!, $n: Int!, $u: String!) { createPage(input: {job: $j, pageNumber: $n, pageUrl: $u}) { id } }",
                    j=job,
                    n=n + 1,
                    u=http.url(f"/p{n}.png"),
                )
            await queue.start()
            # Let the OCR processes load their reader before the clock starts.
            await asyncio.sleep(20)
            began = time.perf_counter()
            await gql("mutation($j: ID!) { processJob(id: $j) { id } }", j=job)
            while True:
                data = await gql(
                    "query($j: ID!) { job(id: $j) { status pages(limit: 100) { items { timings } } } }",
                    j=job,
                )
                if data["job"]["status"] in ("completed", "failed", "partially_failed"):
                    break
                await asyncio.sleep(0.2)
            wall = time.perf_counter() - began
            await queue.stop()
        await db.dispose()
        assert data["job"]["status"] == "completed", data["job"]["status"]
        per_page = [p["timings"]["total"] for p in data["job"]["pages"]["items"]]
        return wall, per_page


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=4)
    args = parser.parse_args()
    images = pages(args.pages)
    default_times, engine_times, direct_rss = direct_loops(images)
    runs = {w: asyncio.run(pipeline(images, w)) for w in (1, 2)}
    api_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    n = len(images)
    print(f"{n} rendered A4 invoice pages, 1240x1754 (150 dpi); CPU only")
    print("| run | pages/min | median s/page |")
    print("|---|---:|---:|")
    print(
        f"| reader.readtext loop, easyocr defaults | {60 * n / sum(default_times):.1f} | {statistics.median(default_times):.2f} |"
    )
    print(
        f"| EasyOcrEngine.read loop (tuned) | {60 * n / sum(engine_times):.1f} | {statistics.median(engine_times):.2f} |"
    )
    for workers, (wall, per_page) in runs.items():
        print(
            f"| pipeline, {workers} OCR process(es) | {60 * n / wall:.1f} | {statistics.median(per_page):.2f} |"
        )
    wall1 = runs[1][0]
    overhead = 100 * (wall1 - sum(engine_times)) / sum(engine_times)
    print(f"\npipeline overhead over the engine loop (1 process): {overhead:+.1f}% of wall time")
    print(
        f"peak RSS: API process {api_rss:.0f} MiB (includes the direct loops' reader: "
        f"{direct_rss:.0f} MiB before the pipeline runs), OCR worker process {worker_rss:.0f} MiB"
    )


if __name__ == "__main__":
    main()
