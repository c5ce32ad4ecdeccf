"""Fixtures shared by every test: a migrated database per backend, rolled back per test.

Every test that takes ``db`` or ``client`` runs twice: on SQLite and on PostgreSQL
(127.0.0.1:5432, user postgres; the suite creates and drops its own database). Without a
PostgreSQL server those runs skip, except under CI=true, where they fail.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import sys
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker

from ocr_gateway.app import create_app
from ocr_gateway.auth import HEADER, Scope, create_key
from ocr_gateway.db import migrate
from ocr_gateway.db.engine import Database
from ocr_gateway.enums import Priority
from ocr_gateway.schema.compiled import MISMATCHES
from ocr_gateway.settings import Settings

POSTGRES_ADMIN_DSN = os.environ.get(
    "OCR_GATEWAY_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres"
)
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def _dump_tasks_on_timeout() -> None:
    """pytest-timeout (``timeout`` in pyproject.toml) prints every thread's stack when a test
    hangs; an async test hangs in a task, which no thread's stack shows: print the tasks too."""
    import pytest_timeout

    dump_threads = pytest_timeout.timeout_sigalrm

    def dump(item: pytest.Item, settings: Any) -> None:
        __tracebackhide__ = True
        try:
            tasks = asyncio.all_tasks(asyncio.get_running_loop())
        except RuntimeError:  # no loop runs: a sync test
            tasks = set()
        for task in tasks:
            task.print_stack(file=sys.stderr)
        dump_threads(item, settings)

    pytest_timeout.timeout_sigalrm = dump


_dump_tasks_on_timeout()


async def create_postgres_database() -> str:
    """A fresh database; returns its SQLAlchemy URL. Fails under CI, skips elsewhere."""
    name = f"ocr_gateway_test_{secrets.token_hex(4)}"
    try:
        admin = await asyncpg.connect(POSTGRES_ADMIN_DSN, timeout=5)
    except (OSError, asyncpg.PostgresError) as exc:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI and unreachable: {exc}")
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_ADMIN_DSN}: {exc}")
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    base = POSTGRES_ADMIN_DSN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
    return f"{base}/{name}"


async def drop_postgres_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    admin = await asyncpg.connect(POSTGRES_ADMIN_DSN, timeout=5)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@pytest.fixture(scope="session")
def onnx_models_dir() -> Path:
    """The ONNX exports of easyocr's models, made once (see tests/support/ocr.py)."""
    from tests.support.ocr import exported_models_dir

    return exported_models_dir()


@pytest.fixture(scope="session", params=BACKENDS)
async def migrated(
    request: pytest.FixtureRequest, tmp_path_factory: Any
) -> AsyncIterator[Database]:
    """One migrated database per backend for the whole session."""
    if request.param == "sqlite":
        path: Path = tmp_path_factory.mktemp("sqlite") / "test.db"
        url = f"sqlite+aiosqlite:///{path}"
    else:
        url = await create_postgres_database()
    # Every compiled query also runs through the executor; differences fail the test.
    database = Database(Settings(database_url=url, compiled_crosscheck=True))
    await migrate.upgrade(database.engine)
    yield database
    await database.dispose()
    if request.param == "postgresql":
        await drop_postgres_database(url)


@asynccontextmanager
async def committed_database(backend: str, tmp_path: Path) -> AsyncIterator[Database]:
    """A migrated database of its own whose writes commit (for races and commit-time events,
    which need several connections or a real COMMIT: the shared ``db`` never commits)."""
    postgres = backend == "postgresql"
    url = (
        await create_postgres_database()
        if postgres
        else f"sqlite+aiosqlite:///{tmp_path / 'committed.db'}"
    )
    database = Database(Settings(database_url=url))
    try:
        await migrate.upgrade(database.engine)
        yield database
    finally:
        await database.dispose()
        if postgres:
            await drop_postgres_database(url)


@pytest.fixture(params=BACKENDS)
async def committed(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """``committed_database`` on each backend."""
    async with committed_database(request.param, tmp_path) as database:
        yield database


@pytest.fixture(autouse=True)
def compiled_matches_executor() -> Iterator[None]:
    """Fails a test in which a compiled query answered otherwise than the executor."""
    MISMATCHES.clear()
    yield
    mismatches, MISMATCHES[:] = list(MISMATCHES), []
    assert not mismatches, "compiled and executed results differ:\n" + "\n".join(mismatches)


@pytest.fixture
async def db(migrated: Database) -> AsyncIterator[Database]:
    """The migrated database, with everything a test writes rolled back afterwards.

    Sessions join an outer transaction and turn their commits into SAVEPOINT releases.
    """
    async with migrated.engine.connect() as connection:
        transaction = await connection.begin()
        scoped = Database.__new__(Database)
        scoped.settings = migrated.settings
        scoped.engine = migrated.engine
        scoped.sessionmaker = async_sessionmaker(
            bind=connection,
            join_transaction_mode="create_savepoint",
            expire_on_commit=False,
            autoflush=False,
        )
        scoped.read_sessionmaker = scoped.sessionmaker  # one connection, one transaction
        yield scoped
        await transaction.rollback()


@pytest.fixture
def settings(db: Database) -> Settings:
    return db.settings


class RecordingQueue:
    """The page queue as the API sees it, recording what it was handed (no OCR runs)."""

    def __init__(self) -> None:
        self.enqueued: list[str] = []
        self.priorities: dict[str, Priority] = {}

    async def enqueue(self, page_ids: Sequence[str], priority: Priority = Priority.medium) -> None:
        self.enqueued.extend(page_ids)
        self.priorities.update(dict.fromkeys(page_ids, priority))

    async def start(self) -> None:
        pass

    async def stop(self) -> None:
        pass


@pytest.fixture
def queue() -> RecordingQueue:
    return RecordingQueue()


@pytest.fixture
def media(tmp_path: Path) -> Path:
    """An empty media root (``Settings.media_root``) for ``file://`` documents and images."""
    root = tmp_path / "media"
    root.mkdir()
    return root


def put(media: Path, name: str, data: bytes) -> str:
    """``data`` saved as ``name`` under the media root; its ``file://`` URL."""
    (media / name).write_bytes(data)
    return f"file://{media / name}"


@pytest.fixture
async def admin_key(db: Database) -> str:
    _row, key = await create_key(db, "tests", [Scope.admin])
    return key


@pytest.fixture
async def anonymous(db: Database, queue: RecordingQueue) -> AsyncIterator[httpx.AsyncClient]:
    """The API with no key: what an unauthenticated caller gets."""
    app = create_app(db.settings, db=db, queue=queue)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


@pytest.fixture
async def client(anonymous: httpx.AsyncClient, admin_key: str) -> httpx.AsyncClient:
    """The API as a caller holding an admin key."""
    anonymous.headers[HEADER] = admin_key
    return anonymous
