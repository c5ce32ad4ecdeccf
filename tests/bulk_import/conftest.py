"""A migrated database per backend for ``ocr-gateway import`` run as the user runs it: the
command reads DATABASE_URL, so each test gets a database of its own (not the rolled-back
session of tests/conftest.py), on SQLite and on PostgreSQL, and a folder of documents the
test makes itself (text-layer PDFs, a PNG, a broken PDF, a text file, a nested folder)."""

from __future__ import annotations

import asyncio
import io
import signal
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import select

from ocr_gateway import cli
from ocr_gateway.db.engine import Database
from ocr_gateway.db.models import Document, Job, JobGroup, Page
from ocr_gateway.settings import Settings, get_settings
from tests.conftest import BACKENDS, create_postgres_database, drop_postgres_database
from tests.support.einvoices import Invoice, printed_items
from tests.support.pdfs import text_pdf


@dataclass(frozen=True)
class Rows:
    groups: list[JobGroup]
    jobs: list[Job]
    pages: list[Page]
    documents: list[Document]


@pytest.fixture(params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """A migrated database of this test's own, as DATABASE_URL."""
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'data' / 'gateway.db'}"
    else:
        url = asyncio.run(create_postgres_database())
    monkeypatch.setenv("DATABASE_URL", url)
    no_models = tmp_path / "no-models"  # an OCR page would fail here: none is expected
    no_models.write_text("not a directory")
    monkeypatch.setenv("OCR_GATEWAY_OCR_MODEL_DIR", str(no_models))
    monkeypatch.setenv("OCR_GATEWAY_OCR_GPU", "false")
    get_settings.cache_clear()
    assert cli.main(["migrate"]) == 0
    yield url
    get_settings.cache_clear()
    if request.param == "postgresql":
        asyncio.run(drop_postgres_database(url))


def rows(url: str) -> Rows:
    return asyncio.run(read_rows(url))


async def read_rows(url: str) -> Rows:
    """Every group, job, page and document in the database at ``url``."""
    db = Database(Settings(database_url=url))
    try:
        async with db.sessionmaker() as session:
            found = [
                list(await session.scalars(select(model).order_by(*order)))
                for model, order in (
                    (JobGroup, [JobGroup.created_at]),
                    (Job, [Job.source_file_name]),
                    (Page, [Page.page_url]),
                    (Document, [Document.created_at]),
                )
            ]
    finally:
        await db.dispose()
    return Rows(*found)


def invoice_pdf(number: str, *, pages: int = 1) -> bytes:
    """An invoice with a text layer (read without OCR); later pages print a note."""
    first = printed_items(Invoice(number=number))
    rest: list[Any] = [[(20, 20, f"Terms and conditions of invoice {number}", 11)]] * (pages - 1)
    return text_pdf([first, *rest])


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 200), "white").save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    """inbox/a.pdf (2 pages), inbox/2026/03/b.pdf, inbox/scan.png, inbox/broken.pdf,
    inbox/notes.txt."""
    root = tmp_path / "inbox"
    (root / "2026" / "03").mkdir(parents=True)
    (root / "a.pdf").write_bytes(invoice_pdf("INV-A-1", pages=2))
    (root / "2026" / "03" / "b.pdf").write_bytes(invoice_pdf("INV-B-2"))
    (root / "scan.png").write_bytes(png())
    (root / "broken.pdf").write_bytes(invoice_pdf("INV-C-3")[:300])
    (root / "notes.txt").write_text("call the supplier about INV-A-1\n")
    return root


@pytest.fixture
def default_sigint() -> Iterator[None]:
    """Ctrl-C as in a terminal: Python's own SIGINT handler in this process, so that a child
    starts with SIGINT at its default. An earlier test in the same worker (a server run in
    process) may have left SIGINT ignored, and an ignored SIGINT stays ignored in every child
    process started afterwards, as it does for a command started in the background."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
