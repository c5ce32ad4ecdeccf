"""``ocr-gateway import --process``: the pages queued and processed by the embedded OCR
processes (SQLite) or by procrastinate workers (PostgreSQL), the run waiting for them. The
documents have text layers and the OCR models directory is a regular file, so a page that
reached OCR would fail: processed pages prove the text layer was read without the engine."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import pytest

from ocr_gateway import cli
from ocr_gateway.db import migrate
from ocr_gateway.db.engine import Database
from ocr_gateway.processing import tasks
from ocr_gateway.processing.engine_factory import build_engine
from ocr_gateway.settings import Settings
from tests.bulk_import.conftest import invoice_pdf, read_rows, rows
from tests.conftest import create_postgres_database, drop_postgres_database

REPOSITORY = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


@pytest.fixture
def invoices(tmp_path: Path) -> Path:
    root = tmp_path / "invoices"
    (root / "q1").mkdir(parents=True)
    (root / "a.pdf").write_bytes(invoice_pdf("INV-2026-0001", pages=2))
    (root / "q1" / "b.pdf").write_bytes(invoice_pdf("INV-2026-0002"))
    return root


@pytest.fixture
def sqlite_url(database_url: str) -> str:
    return database_url


# The embedded OCR processes run on SQLite (on PostgreSQL, `ocr-gateway worker` does: below).
on_sqlite = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@on_sqlite
def test_process_waits_until_the_text_layer_pages_are_processed(
    sqlite_url: str, invoices: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["import", str(invoices), "--group", "Q1", "--process"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-2] == "pages processed 3/3 (0 failed)"
    assert out[-1].endswith("; pages processed 3, failed 0")
    found = rows(sqlite_url)
    assert {(p.status, p.text_source) for p in found.pages} == {("processed", "pdf_text")}
    numbers = {j.name: j.invoice_data["invoiceNumber"]["value"] for j in found.jobs}
    assert numbers == {"a.pdf": "INV-2026-0001", "b.pdf": "INV-2026-0002"}
    assert {j.status for j in found.jobs} == {"completed"}


@on_sqlite
def test_a_rerun_with_process_processes_what_an_earlier_run_only_imported(
    sqlite_url: str, invoices: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["import", str(invoices), "--group", "Q1"]) == 0
    assert {p.status for p in rows(sqlite_url).pages} == {"pending"}
    capsys.readouterr()
    assert cli.main(["import", str(invoices), "--group", "Q1", "--process"]) == 0
    summary = capsys.readouterr().out.splitlines()[-1]
    assert summary.startswith("imported 0 files (0 pages), skipped 2 (already imported)")
    assert summary.endswith("; pages processed 3, failed 0")
    assert {p.status for p in rows(sqlite_url).pages} == {"processed"}


@on_sqlite
def test_a_page_that_fails_is_named_and_the_exit_status_says_so(
    sqlite_url: str, invoices: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.bulk_import.conftest import png

    (invoices / "scan.png").write_bytes(png())  # no text layer: OCR, whose models are missing
    assert cli.main(["import", str(invoices), "--group", "Q1", "--process"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert f"page 1 of {invoices}/scan.png failed: OCR failed: FileExistsError" in out
    assert out[-1].endswith("; pages processed 3, failed 1")


@pytest.mark.postgres
async def test_on_postgresql_the_run_waits_for_the_procrastinate_workers(
    invoices: Path, tmp_path: Path
) -> None:
    """The command (a real process) defers the pages; a worker (here, in the test's process,
    with the task and context ``ocr-gateway worker`` runs) processes them; the command sees
    them done in the database and ends."""
    url = await create_postgres_database()
    no_models = tmp_path / "no-models"
    no_models.write_text("not a directory")
    settings = Settings(database_url=url, ocr_model_dir=no_models, ocr_gpu=False)
    db = Database(settings)
    try:
        await migrate.upgrade_all(db.engine, settings)
        env = {**os.environ, "DATABASE_URL": url, "OCR_GATEWAY_OCR_MODEL_DIR": str(no_models)}
        command = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "ocr_gateway.cli", "import", str(invoices), "--group", "Q1",
            "--process", env=env, cwd=REPOSITORY, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        app = tasks.build_app(settings)
        context = tasks.WorkerContext(
            db=db, engine=build_engine(settings, processes=1), settings=settings
        )
        async with app.open_async():
            worker = asyncio.create_task(
                app.run_worker_async(
                    queues=[tasks.QUEUE],
                    concurrency=1,
                    install_signal_handlers=False,
                    additional_context=context.as_additional_context(),
                )
            )
            try:
                out, err = await asyncio.wait_for(command.communicate(), 120)
            finally:
                worker.cancel()
                await asyncio.gather(worker, return_exceptions=True)
        lines = out.decode().splitlines()
        assert command.returncode == 0, err.decode()
        assert any("`ocr-gateway worker` processes them" in line for line in lines)
        assert lines[-1].endswith("; pages processed 3, failed 0")
        assert {p.status for p in (await read_rows(url)).pages} == {"processed"}
    finally:
        await db.dispose()
        await drop_postgres_database(url)
