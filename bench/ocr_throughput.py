"""OCR throughput and text recall: today's torch engine vs. the ONNX engine, and the pipeline.

Two page sources (``--mode``):

- ``real`` (default): the development set's PDF invoices (every page with a text layer,
  rasterised at 150 dpi) and its SROIE receipt scans, each with known text
  (``bench/ocr_pages.py`` says how they are scored: CER, word recall, receipt fields);
- ``rendered``: the project's own rendered A4 invoices (no truth; speed only).

Measurements:

1. engine loops: each engine (``--engines``; ``torch`` = ``EasyOcrEngine`` as OCR processes
   built it before, ``onnx`` = the ``OnnxOcrEngine`` they build now; ``onnx:knob=value,...``
   for a variant) reads every page in a fresh process of its own: load time, seconds per
   page (median, p90), peak RSS, and the scores;
2. memory (``--memory``): per engine, a fresh process reads one A4 page, another a
   35-megapixel scan (an invoice page upscaled to 4960 x 7016): peak RSS of each;
3. pipeline (``--pipeline-pages N``): the first N pages as file:// URLs under a temporary media
   root through processJob -> queue -> OCR processes -> fetch, OCR, extraction, results, on
   the embedded SQLite default (the app's own OCR processes) and on PostgreSQL
   (``ocr-gateway worker --concurrency P``), with 1 and 2 OCR processes: pages per minute,
   and the overhead of 1 process over the ONNX engine loop on the same pages.

Each run prints the load average (``uptime``) at its start and end beside its tables, and
writes everything to ``--out`` (JSON).

    .venv/bin/python bench/ocr_throughput.py [--mode real] [--data ../shared/data/invoices]
        [--engines torch,onnx] [--invoices N] [--receipts N] [--memory]
        [--pipeline-pages 12] [--backends sqlite,postgres] [--processes 1,2]
"""

from __future__ import annotations

import argparse
import ast
import asyncio
import json
import os
import resource
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import ocr_pages  # noqa: E402
from bench.ocr_pages import Page  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "invoices"
MODELS_DIR = ROOT / "data" / "models"


def load_average() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


# ---------------------------------------------------------------- engines (child processes)


def make_engine(spec: str, threads: int) -> Any:
    """``torch`` | ``onnx`` | ``onnx:knob=value,...`` -> an engine as OCR processes build it."""
    from ocr_gateway.processing.engine_factory import build_engine
    from ocr_gateway.processing.onnx_engine import OnnxOcrEngine
    from ocr_gateway.settings import Settings

    kind, _, knobs = spec.partition(":")
    if kind == "torch":
        return build_engine(
            Settings(ocr_engine="torch", ocr_gpu=False, ocr_threads=threads), processes=1
        )
    if not knobs:
        settings = Settings(ocr_model_dir=MODELS_DIR, ocr_gpu=False, ocr_threads=threads)
        return build_engine(settings, processes=1)
    # "a=1,b=(0.1,0.2)": parsed as call keywords, so tuple values may hold commas.
    call = ast.parse(f"f({knobs})", mode="eval").body
    assert isinstance(call, ast.Call)
    overrides = {kw.arg: ast.literal_eval(kw.value) for kw in call.keywords if kw.arg}
    return OnnxOcrEngine(models_dir=MODELS_DIR, threads=threads, **overrides)


def engine_loop(spec: str, pngs: Sequence[str], threads: int) -> dict[str, Any]:
    """In a fresh process: load the engine, read every page; results and peak RSS."""
    from PIL import Image

    engine = make_engine(spec, threads)
    began = time.perf_counter()
    engine.load(["en"])
    loaded = time.perf_counter() - began
    pages = []
    for png in pngs:
        with Image.open(png) as image:
            image.load()
            began = time.perf_counter()
            result = engine.read(image, languages=["en"])
        pages.append(
            {
                "png": png,
                "seconds": time.perf_counter() - began,
                "timings": result.timings,
                "text": result.text,
                "words": [w.text for w in result.words],
            }
        )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "engine": engine.name,
        "version": engine.version,
        "settings": _plain(engine.settings()),
        "load_s": loaded,
        "pages": pages,
        "peak_rss_mib": rss,
    }


def _plain(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


def in_fresh_process(function: Any, *args: Any) -> Any:
    with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
        return pool.submit(function, *args).result()


def big_scan(png: str, out: str) -> str:
    from PIL import Image

    with Image.open(png) as image:
        image.convert("RGB").resize((4960, 7016), Image.Resampling.LANCZOS).save(out)
    return out


# ---------------------------------------------------------------- scores


def score(pages: list[Page], loop: dict[str, Any]) -> dict[str, Any]:
    by_png = {str(p.png): p for p in pages}
    summary: dict[str, Any] = {}
    for kind in ("invoice", "receipt", "receipt_dev", "receipt_holdout", "rendered"):
        rows = [(by_png[r["png"]], r) for r in loop["pages"] if kind in _kinds(by_png[r["png"]])]
        if not rows:
            continue
        seconds = sorted(r["seconds"] for _p, r in rows)
        entry: dict[str, Any] = {
            "pages": len(rows),
            "median_s": statistics.median(seconds),
            "p90_s": seconds[min(len(seconds) - 1, int(0.9 * len(seconds)))],
            "detect_s": statistics.median(r["timings"].get("detect", 0) for _p, r in rows),
            "recognize_s": statistics.median(r["timings"].get("recognize", 0) for _p, r in rows),
        }
        truths = [(p, r) for p, r in rows if p.truth_text is not None]
        if truths:
            chars = sum(len(ocr_pages.fold(p.truth_text or "")) for p, _r in truths)
            entry["cer"] = (
                sum(ocr_pages.edits(r["text"], p.truth_text or "") for p, r in truths) / chars
            )
            total = sum(len(p.truth_words) for p, _r in truths)
            entry["word_recall"] = (
                sum(ocr_pages.words_found(r["words"], p.truth_words) for p, r in truths) / total
            )
        with_fields = [(p, r) for p, r in rows if p.fields]
        if with_fields:
            present = [ocr_pages.fields_present(r["text"], p.fields) for p, r in with_fields]
            entry["fields"] = {
                name: sum(f[name] for f in present) for name in ("date", "total", "vendor")
            }
            entry["fields_all"] = sum(all(f.values()) for f in present)
        summary[kind] = entry
    return summary


def _kinds(page: Page) -> set[str]:
    """``{kind}``, and for a receipt ``receipt_dev`` or ``receipt_holdout`` (sorted docId,
    index % 3 == 2 is hold-out, counted over the whole receipt set, not a ``--receipts`` sample)."""
    if page.kind != "receipt":
        return {page.kind}
    return {"receipt", "receipt_holdout" if page.holdout else "receipt_dev"}


# ---------------------------------------------------------------- pipeline


async def pipeline(pages: list[Page], media: Path, backend: str, processes: int) -> dict[str, Any]:
    """(wall seconds, per-page totals) for ``pages`` through the whole pipeline."""
    from ocr_gateway.settings import Settings

    with tempfile.TemporaryDirectory() as folder:
        common: dict[str, Any] = {
            "media_root": media,
            "ocr_model_dir": MODELS_DIR,
            "ocr_gpu": False,
            "local_workers": processes,
        }
        if backend == "sqlite":
            settings = Settings(database_url=f"sqlite+aiosqlite:///{folder}/bench.db", **common)
            return await _run_sqlite(settings, pages)
        return await _run_postgres(common, pages, processes)


async def _api(settings: Any, db: Any, queue: Any) -> Any:
    import httpx

    from ocr_gateway.app import create_app
    from ocr_gateway.auth import HEADER, Scope, create_key

    _row, key = await create_key(db, "bench", [Scope.admin])
    app = create_app(settings, db=db, queue=queue)
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://b", headers={HEADER: key}
    )


async def _gql(api: Any, query: str, **variables: object) -> dict[str, Any]:
    body = (await api.post("/graphql", json={"query": query, "variables": variables})).json()
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


async def _job(api: Any, pages: list[Page]) -> str:
    job = (await _gql(api, 'mutation { createJob(input: {name: "bench"}) { id } }'))["createJob"][
        "id"
    ]
    for n, page in enumerate(pages):
        await _gql(
            api,
            "mutation($j: ID!, $n: Int!, $u: String!) { createPage(input: {job: $j, pageNumber: $n, pageUrl: $u}) { id } }",
            j=job,
            n=n + 1,
            u=page.png.resolve().as_uri(),
        )
    return str(job)


async def _process(api: Any, job: str) -> tuple[float, list[float], str]:
    began = time.perf_counter()
    await _gql(api, "mutation($j: ID!) { processJob(id: $j) { id } }", j=job)
    query = (
        "query($j: ID!) { job(id: $j) { status pages(limit: 100) { items { timings engine } } } }"
    )
    while True:
        data = await _gql(api, query, j=job)
        if data["job"]["status"] in ("completed", "failed", "partially_failed"):
            break
        await asyncio.sleep(0.2)
    wall = time.perf_counter() - began
    items = data["job"]["pages"]["items"]
    return wall, [p["timings"]["total"] for p in items if p["timings"]], data["job"]["status"]


async def _run_sqlite(settings: Any, pages: list[Page]) -> dict[str, Any]:
    from ocr_gateway.db import migrate
    from ocr_gateway.db.engine import Database
    from ocr_gateway.processing.local import LocalQueue

    db = Database(settings)
    await migrate.upgrade_all(db.engine, settings)
    queue = LocalQueue(db, settings)
    await queue.start()
    try:
        async with await _api(settings, db, queue) as api:
            # Every OCR process loads its engine on its first page: warm them up first.
            await _process(api, await _job(api, pages[: 2 * settings.local_workers]))
            wall, totals, status = await _process(api, await _job(api, pages))
    finally:
        await queue.stop()
        await db.dispose()
    return {"wall_s": wall, "page_totals": totals, "status": status}


async def _run_postgres(
    common: dict[str, Any], pages: list[Page], processes: int
) -> dict[str, Any]:
    from ocr_gateway.db import migrate
    from ocr_gateway.db.engine import Database
    from ocr_gateway.processing.tasks import ProcrastinateQueue
    from ocr_gateway.settings import Settings
    from tests.conftest import POSTGRES_ADMIN_DSN, drop_postgres_database

    base = POSTGRES_ADMIN_DSN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
    url = f"{base}/ocr_gateway_bench_ocr_{secrets.token_hex(4)}"  # dropped at the end
    await _create_database(url)
    settings = Settings(database_url=url, **common)
    db = Database(settings)
    worker = None
    try:
        await migrate.upgrade_all(db.engine, settings)
        worker = _start_worker(settings, processes)
        queue = ProcrastinateQueue(settings)
        await queue.start()
        try:
            async with await _api(settings, db, queue) as api:
                wall, totals, status = await _process(api, await _job(api, pages))
        finally:
            await queue.stop()
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=60)
        await db.dispose()
        await drop_postgres_database(url)
    return {"wall_s": wall, "page_totals": totals, "status": status}


async def _create_database(url: str) -> None:
    import asyncpg

    from tests.conftest import POSTGRES_ADMIN_DSN

    admin = await asyncpg.connect(POSTGRES_ADMIN_DSN, timeout=5)
    try:
        await admin.execute(f'CREATE DATABASE "{url.rsplit("/", 1)[1]}"')
    finally:
        await admin.close()


def _start_worker(settings: Any, processes: int) -> subprocess.Popen[str]:
    """``ocr-gateway worker --concurrency P``; returns once every process has its engine."""
    env = {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "OCR_GATEWAY_MEDIA_ROOT": str(settings.media_root),
        "OCR_GATEWAY_OCR_MODEL_DIR": str(MODELS_DIR),
        "OCR_GATEWAY_OCR_GPU": "false",
        "OCR_GATEWAY_LOG_LEVEL": "INFO",
    }
    command = [sys.executable, "-m", "ocr_gateway.cli", "worker", "--concurrency", str(processes)]
    worker = subprocess.Popen(command, env=env, cwd=ROOT, stderr=subprocess.PIPE, text=True)
    loaded = threading.Semaphore(0)

    def watch() -> None:
        assert worker.stderr is not None
        for line in worker.stderr:
            if "loaded in" in line:
                loaded.release()

    threading.Thread(target=watch, daemon=True).start()
    for _ in range(processes):
        if not loaded.acquire(timeout=300):
            worker.kill()
            raise RuntimeError("the OCR worker processes did not load their engines")
    return worker


# ---------------------------------------------------------------- report


def report(results: dict[str, Any]) -> None:
    print(f"\nload average at start: {results['uptime_start']}\nat end:   {results['uptime_end']}")
    for kind, title in (
        ("invoice", "PDF invoice pages (150 dpi)"),
        ("receipt", "SROIE receipts"),
        ("receipt_dev", "SROIE receipts, development part (choose on these)"),
        ("receipt_holdout", "SROIE receipts, hold-out part (sorted docId, index % 3 == 2)"),
        ("rendered", "rendered invoices"),
    ):
        rows = [
            (spec, r["scores"][kind], r)
            for spec, r in results["engines"].items()
            if kind in r["scores"]
        ]
        if not rows:
            continue
        print(f"\n{title}: {rows[0][1]['pages']} pages")
        print(
            "| engine | median s/page | p90 s/page | detect s | recognise s | CER | word recall | fields (date/total/vendor, all) | load s | peak RSS MiB |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|---|---:|---:|")
        for spec, s, r in rows:
            cer = f"{100 * s['cer']:.2f}%" if "cer" in s else "-"
            recall = f"{100 * s['word_recall']:.1f}%" if "word_recall" in s else "-"
            fields = "-"
            if "fields" in s:
                f = s["fields"]
                fields = (
                    f"{f['date']}/{f['total']}/{f['vendor']}, {s['fields_all']} of {s['pages']}"
                )
            print(
                f"| {spec} | {s['median_s']:.2f} | {s['p90_s']:.2f} | {s['detect_s']:.2f} | {s['recognize_s']:.2f} | {cer} | {recall} | {fields} | {r['load_s']:.2f} | {r['peak_rss_mib']:.0f} |"
            )
    if results.get("memory"):
        print("\npeak RSS of a fresh OCR process (MiB): | engine | one A4 page | one 35 MP scan |")
        for spec, m in results["memory"].items():
            print(f"| {spec} | {m['a4']:.0f} | {m['35mp']:.0f} |")
    if results.get("pipeline"):
        print("\n| pipeline | OCR processes | pages | wall s | pages/min | median page total s |")
        print("|---|---:|---:|---:|---:|---:|")
        for run in results["pipeline"]:
            ppm = 60 * run["pages"] / run["wall_s"]
            print(
                f"| {run['backend']} | {run['processes']} | {run['pages']} | {run['wall_s']:.1f} | {ppm:.1f} | {statistics.median(run['page_totals']):.2f} |"
            )
        for line in results.get("pipeline_notes", []):
            print(line)


def text_heights(pages: list[Page], spec: str = "onnx") -> None:
    """Per page: the median glyph height the ONNX engine measures, the detection scale it
    chooses from it (the engine of ``spec``: the first of ``--engines``) and the text height
    CRAFT then sees. No network runs."""
    from PIL import Image

    from ocr_gateway.processing.detect_scale import detection_scale, median_text_height
    from ocr_gateway.processing.onnx_engine import OnnxOcrEngine
    from ocr_gateway.processing.page_image import cap_pixels

    engine = (
        make_engine(spec, 1) if spec.startswith("onnx") else OnnxOcrEngine(models_dir=MODELS_DIR)
    )
    print(
        "| page | part | size | glyph height px | detection scale | text height at detection px |"
    )
    print("|---|---|---|---:|---:|---:|")
    seen = []
    for page in pages:
        with Image.open(page.png) as image:
            image.load()
            capped, _scale = cap_pixels(image, engine.max_pixels)
        measured = median_text_height(capped)
        scale = detection_scale(
            capped,
            text_height=engine.detect_text_height,
            min_side=engine.detect_min_side,
            max_side=engine.detect_max_side,
            measured=measured,
            max_pixels=engine.detect_max_pixels,
        )
        at_detection = (measured or 0.0) * scale
        seen.append(at_detection)
        part = ("hold-out" if page.holdout else "dev") if page.kind == "receipt" else page.kind
        print(
            f"| {page.page_id} | {part} | {image.width} x {image.height} | {measured or 0:.1f} | {scale:.2f} | {at_detection:.1f} |"
        )
    small = sum(h < 12 for h in seen)
    print(f"median text height at detection {statistics.median(seen):.1f} px; below 12 px: {small}")


def memory_peak(spec: str, png: str) -> float:
    return float(in_fresh_process(engine_loop, spec, [png], os.cpu_count() or 1)["peak_rss_mib"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=("real", "rendered"), default="real")
    parser.add_argument("data_dir", type=Path, nargs="?", help="same as --data")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--engines", default="torch,onnx")
    parser.add_argument(
        "--invoices", type=int, default=None, help="at most this many invoice pages"
    )
    parser.add_argument("--receipts", type=int, default=None, help="at most this many receipts")
    parser.add_argument(
        "--receipt-part",
        choices=("all", "dev", "holdout"),
        default="all",
        help="receipts of this part only (dev: sorted docId, index %% 3 != 2)",
    )
    parser.add_argument("--rendered", type=int, default=4, help="pages in rendered mode")
    parser.add_argument("--memory", action="store_true")
    parser.add_argument(
        "--text-heights",
        action="store_true",
        help="only print each page's measured text height and detection scale (no OCR)",
    )
    parser.add_argument("--pipeline-pages", type=int, default=0)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--processes", default="1,2")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "ocr-throughput.json")
    args = parser.parse_args()
    if args.data_dir is not None:
        args.data = args.data_dir

    results: dict[str, Any] = {
        "uptime_start": load_average(),
        "cores": os.cpu_count(),
        "args": vars(args),
    }
    with tempfile.TemporaryDirectory() as media_dir:
        media = Path(media_dir)
        if args.mode == "real":
            pages, skipped = ocr_pages.invoice_pages(args.data, media, args.invoices)
            results["skipped_pages"] = skipped
            receipts_limit = args.receipts
            if receipts_limit != 0:
                pages += ocr_pages.receipt_pages(
                    args.data / "sroie",
                    args.data / "sroie-labels-only" / "sroie_labels.jsonl",
                    media,
                    receipts_limit,
                    part=args.receipt_part,
                )
        else:
            pages = ocr_pages.rendered_pages(media, args.rendered)
        print(
            f"{len(pages)} pages ({sum(p.kind == 'invoice' for p in pages)} invoice, {sum(p.kind == 'receipt' for p in pages)} receipt); {load_average()}",
            flush=True,
        )
        specs = [s for s in args.engines.split(";" if ":" in args.engines else ",") if s]
        if args.text_heights:
            text_heights(pages, specs[0])
            return
        pngs = [str(p.png) for p in pages]
        results["engines"] = {}
        for spec in specs:
            loop = in_fresh_process(engine_loop, spec, pngs, os.cpu_count() or 1)
            loop["scores"] = score(pages, loop)
            results["engines"][spec] = loop
            print(f"{spec}: {json.dumps(loop['scores'])}", flush=True)
        if args.memory:
            scan = big_scan(pngs[0], str(media / "scan-35mp.png"))
            results["memory"] = {
                spec: {"a4": memory_peak(spec, pngs[0]), "35mp": memory_peak(spec, scan)}
                for spec in results["engines"]
            }
        if args.pipeline_pages:
            results["pipeline"] = []
            sample = pages[: args.pipeline_pages]
            for backend in args.backends.split(","):
                for processes in [int(p) for p in args.processes.split(",")]:
                    run = asyncio.run(pipeline(sample, media, backend, processes))
                    run.update(backend=backend, processes=processes, pages=len(sample))
                    results["pipeline"].append(run)
                    print(
                        f"pipeline {backend} x{processes}: {run['wall_s']:.1f} s ({run['status']}); {load_average()}",
                        flush=True,
                    )
            onnx = results["engines"].get("onnx")
            if onnx:
                loop_s = sum(r["seconds"] for r in onnx["pages"][: len(sample)])
                notes = []
                for run in results["pipeline"]:
                    if run["processes"] == 1:
                        overhead = 100 * (run["wall_s"] - loop_s) / loop_s
                        notes.append(
                            f"pipeline overhead over the onnx engine loop ({run['backend']}, 1 process, same {len(sample)} pages): {overhead:+.1f}%"
                        )
                    else:
                        one = next(
                            r
                            for r in results["pipeline"]
                            if r["backend"] == run["backend"] and r["processes"] == 1
                        )
                        notes.append(
                            f"{run['backend']}: {run['processes']} processes = {one['wall_s'] / run['wall_s']:.2f}x the pages/min of 1 (on {os.cpu_count()} cores)"
                        )
                results["pipeline_notes"] = notes
    results["uptime_end"] = load_average()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1, default=str))
    report(results)


if __name__ == "__main__":
    main()
