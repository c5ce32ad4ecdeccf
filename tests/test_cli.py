"""The command line on a first run: a clear word instead of a traceback or a broken server."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from ocr_gateway import __version__, cli
from ocr_gateway.db import migrate
from ocr_gateway.db.engine import Database
from ocr_gateway.db.models import Job
from ocr_gateway.db.types import utcnow
from ocr_gateway.settings import Settings, get_settings
from tests.db.test_migrations import insert_done_job, invoice


@pytest.fixture
def database_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """An SQLite file that was never migrated, as DATABASE_URL."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'first-run' / 'gateway.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


def migrate_to(url: str, revision: str) -> None:
    async def run() -> None:
        db = Database(Settings(database_url=url))
        await migrate.upgrade(db.engine, revision)
        await db.dispose()

    asyncio.run(run())


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli.main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"ocr-gateway {__version__}"


@pytest.mark.usefixtures("database_url")
@pytest.mark.parametrize(
    "command", [["serve", "--port", "1"], ["apikey", "ensure-local"], ["apikey", "list"]]
)
def test_an_unmigrated_database_is_refused_naming_migrate(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(command) == 1
    error = capsys.readouterr().err
    assert "no schema yet: run `ocr-gateway migrate`" in error
    assert "Traceback" not in error


def test_an_outdated_schema_is_refused_naming_both_revisions(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    migrate_to(database_url, "0002")
    assert cli.main(["serve", "--port", "1"]) == 1
    error = capsys.readouterr().err
    head = migrate.known_revisions()[0]
    assert f"at revision 0002, this release needs {head}: run `ocr-gateway migrate`" in error


def test_an_unreachable_database_is_refused_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://someone:secret@127.0.0.1:1/gateway")
    get_settings.cache_clear()
    try:
        assert cli.main(["worker"]) == 1
    finally:
        get_settings.cache_clear()
    error = capsys.readouterr().err
    assert "cannot be reached" in error
    assert "secret" not in error


def test_ensure_local_prints_the_serve_port_and_keeps_the_key_beside_the_database(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    migrate_to(database_url, "head")
    assert cli.main(["apikey", "ensure-local", "--host", "0.0.0.0", "--port", "8123"]) == 0
    out = capsys.readouterr().out
    key_file = Path(database_url.split(":///", 1)[1]).parent / "local-api-key"
    key = key_file.read_text().strip()
    assert f"http://0.0.0.0:8123/graphql?apiKey={key}" in out
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    # A second run keeps the same key.
    assert cli.main(["apikey", "ensure-local", "--port", "8123"]) == 0
    assert key_file.read_text().strip() == key


def test_the_key_file_of_a_postgresql_database_is_named_after_it() -> None:
    settings = Settings(database_url="postgresql+asyncpg://u@db.example:5432/invoices")
    assert cli.local_key_file(settings) == Path("data/local-api-key-invoices")


def test_migrate_keys_the_jobs_an_older_release_finished(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Upgrading across 0006 computes the duplicate-invoice keys of the jobs already done."""
    migrate_to(database_url, "0005")

    async def old_jobs() -> None:
        db = Database(Settings(database_url=database_url))
        async with db.engine.begin() as connection:
            for n, job_id in enumerate(("a" * 24, "b" * 24)):
                await insert_done_job(
                    connection, job_id, utcnow() + timedelta(seconds=n), invoice("7")
                )
        await db.dispose()

    async def flags() -> dict[str, str | None]:
        db = Database(Settings(database_url=database_url))
        async with db.sessionmaker() as session:
            rows = (await session.execute(select(Job.id, Job.possible_duplicate_of))).all()
        await db.dispose()
        return {job_id: flag for job_id, flag in rows}

    asyncio.run(old_jobs())
    assert cli.main(["migrate"]) == 0
    out = capsys.readouterr().out
    assert "duplicate-invoice keys computed for the jobs done before: 2 keyed" in out
    assert asyncio.run(flags()) == {"a" * 24: None, "b" * 24: "a" * 24}
    assert cli.main(["migrate"]) == 0  # already at head: no second pass
    assert "duplicate-invoice keys" not in capsys.readouterr().out
