"""``ocr-gateway import`` over a folder of real documents, as a user runs it (a subprocess).

    .venv/bin/python bench/bulk_import.py DIR [--process] [--postgres]

DIR is the development set's folder (``data/<source>/<docId>.{pdf,jpg,json}``; the JSON
files are expected values, which the import ignores). Each source's documents, sorted by
docId, are split into dev and hold-out (index % 3 == 2 is hold-out), as the other
benchmarks do; each part is linked into a folder of its own and imported into a group of its
own, on a fresh database (SQLite under a temporary folder, or PostgreSQL with --postgres).
Then the same command runs again (everything must be skipped). With --process the first run
also queues the pages and waits for them (the embedded OCR processes on SQLite; on
PostgreSQL this needs `ocr-gateway worker` running against the bench's database, so
--process is SQLite only here).

Printed: per part, files imported / skipped / failed / ignored, pages, wall seconds and
files per second of the first run and of the re-run, each failure's reason (counted, not
the documents' content), and with --process pages by status and text source.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import postgres_database  # noqa: E402
from ocr_gateway.db.engine import Database  # noqa: E402
from ocr_gateway.db.models import Job, JobGroup, Page  # noqa: E402
from ocr_gateway.settings import Settings  # noqa: E402

SUMMARY = re.compile(
    r"imported (\d+) files \((\d+) pages\), skipped (\d+) .*failed (\d+), ignored (\d+)"
)


def split_into(data_dir: Path, out: Path) -> dict[str, int]:
    """Links each source's documents into out/dev/<source>/ or out/holdout/<source>/."""
    counts: collections.Counter[str] = collections.Counter()
    for source in sorted(p for p in data_dir.iterdir() if p.is_dir()):
        ids = sorted({f.stem for f in source.iterdir() if f.suffix.lower() in (".pdf", ".jpg")})
        for index, doc_id in enumerate(ids):
            part = "holdout" if index % 3 == 2 else "dev"
            target = out / part / source.name
            target.mkdir(parents=True, exist_ok=True)
            for file in source.glob(f"{doc_id}.*"):
                (target / file.name).symlink_to(file.resolve())
            counts[part] += 1
    return dict(counts)


def run_import(folder: Path, group: str, env: dict[str, str], process: bool) -> tuple[float, str]:
    command = [sys.executable, "-m", "ocr_gateway.cli", "import", str(folder), "--group", group]
    began = time.perf_counter()
    done = subprocess.run(
        command + (["--process"] if process else []),
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=3600, check=False,
    )  # fmt: skip
    seconds = time.perf_counter() - began
    if done.returncode not in (0, 1):
        sys.exit(f"import exited {done.returncode}:\n{done.stderr[-3000:]}")
    return seconds, done.stdout


def reasons(out: str) -> collections.Counter[str]:
    """Each failure's reason, without the file's name."""
    found: collections.Counter[str] = collections.Counter()
    for line in out.splitlines():
        if re.match(r"\[\d+/\d+\] failed ", line):
            found[line.split(": ", 1)[1]] += 1
        elif line.startswith("page ") and " failed: " in line:
            found["page: " + line.split(" failed: ", 1)[1]] += 1
    return found


async def pages_by_state(url: str, group: str) -> dict[tuple[str, str | None], int]:
    db = Database(Settings(database_url=url))
    try:
        async with db.sessionmaker() as session:
            rows = await session.execute(
                select(Page.status, Page.text_source, func.count())
                .join(Job, Page.job_id == Job.id)
                .join(JobGroup, Job.group_id == JobGroup.id)
                .where(JobGroup.name == group)
                .group_by(Page.status, Page.text_source)
            )
            return {(status, source): count for status, source, count in rows}
    finally:
        await db.dispose()


def bench(url: str, parts: Path, process: bool) -> None:
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run([sys.executable, "-m", "ocr_gateway.cli", "migrate"], env=env, cwd=ROOT,
                   check=True, capture_output=True)  # fmt: skip
    print(
        "| part | files | imported | pages | failed | ignored | s | files/s | re-run s | re-run skipped |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    outputs = {}
    for part in ("dev", "holdout"):
        seconds, out = run_import(parts / part, part, env, process)
        again_s, again = run_import(parts / part, part, env, False)
        first, second = SUMMARY.search(out), SUMMARY.search(again)
        if first is None or second is None:
            sys.exit(f"no summary in the output:\n{out[-2000:]}\n{again[-2000:]}")
        imported, pages, _skipped, failed, ignored = map(int, first.groups())
        files = imported + failed
        print(
            f"| {part} | {files} | {imported} | {pages} | {failed} | {ignored} | {seconds:.1f} "
            f"| {files / seconds:.1f} | {again_s:.1f} | {second.group(3)} |"
        )
        outputs[part] = out
    for part, out in outputs.items():
        for reason, count in sorted(reasons(out).items()):
            print(f"{part}: {count} x {reason}")
        if process:
            states = asyncio.run(pages_by_state(url, part))
            print(f"{part}: pages by (status, textSource): {sorted(states.items(), key=str)}")
            if summary := [line for line in out.splitlines() if line.startswith("imported ")]:
                print(f"{part}: {summary[-1]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dir", type=Path)
    parser.add_argument("--process", action="store_true")
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    if args.process and args.postgres:
        sys.exit("--process is SQLite only here (PostgreSQL needs `ocr-gateway worker`)")
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        parts = Path(tmp) / "parts"
        print(f"documents: {split_into(args.dir, parts)}")
        if args.postgres:

            async def on_postgres() -> None:
                async with postgres_database() as url:
                    await asyncio.to_thread(bench, url, parts, False)

            asyncio.run(on_postgres())
        else:
            bench(f"sqlite+aiosqlite:///{tmp}/bench.db", parts, args.process)


if __name__ == "__main__":
    main()
