"""No N+1: a nested query costs one SQL statement per root field when compiled, and a fixed
number of statements on the executor, whatever the row count."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from sqlalchemy import event

from ocr_gateway.app import create_app
from ocr_gateway.auth import HEADER
from ocr_gateway.db.engine import Database
from ocr_gateway.db.models import Job, JobGroup, Page
from tests.api.graphql import GENERIC_TEMPLATE_ID, gql

NESTED = """
query Nested($limit: Int!) {
  jobGroups(limit: $limit) {
    totalCount
    items {
      id name status
      template { id name }
      progress { percentDone }
      jobs { totalCount items { id name pageCount
        pages { totalCount items { id pageNumber job { id group { id } } } } } }
    }
  }
}
"""
# On the executor, one statement per relation, whatever the number of rows: jobGroups items
# + totalCount (2), template (1), progress: pages and jobs by status (2), jobs items +
# totalCount (2), pageCount (1), pages items + totalCount (2), page.job (1), job.group (1).
EXECUTOR_STATEMENTS = 12
TRANSACTION = ("SAVEPOINT", "RELEASE", "BEGIN", "ROLLBACK")
TWO_ROOTS = (
    "query($id: ID!) { jobGroups(limit: 2) { totalCount } page(id: $id) { id job { name } } }"
)


async def seed(db: Database, groups: int, jobs: int = 2, pages: int = 2) -> None:
    async with db.sessionmaker() as session:
        for g in range(groups):
            group = JobGroup(
                name=f"group {g}",
                template_id=GENERIC_TEMPLATE_ID,
                priority="medium",
                status="pending",
                processing_settings={},
                notifications={},
                tags=[],
                metadata_={},
            )
            session.add(group)
            await session.flush()
            for j in range(jobs):
                job = Job(
                    name=f"job {g}.{j}",
                    group_id=group.id,
                    template_id=GENERIC_TEMPLATE_ID,
                    status="pending",
                    priority="medium",
                    invoice_data={},
                    metadata_={},
                )
                session.add(job)
                await session.flush()
                for p in range(pages):
                    session.add(
                        Page(
                            job_id=job.id,
                            page_number=p + 1,
                            page_url=f"https://example.com/{g}/{j}/{p}.png",
                            status="pending",
                            image_properties={},
                            annotations=[],
                            metadata_={},
                            attempts=0,
                        )
                    )
        await session.commit()


@contextmanager
def counting(db: Database) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(args[2])

    event.listen(db.engine.sync_engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", record)


async def statements_for(client: httpx.AsyncClient, db: Database, limit: int) -> list[str]:
    with counting(db) as statements:
        data = await gql(client, NESTED, limit=limit)
    groups = data["jobGroups"]["items"]
    assert len(groups) == limit
    assert all(len(g["jobs"]["items"]) == 2 for g in groups)
    assert all(len(j["pages"]["items"]) == 2 for g in groups for j in g["jobs"]["items"])
    # The API-key check costs one more statement per request, whatever the query.
    return [s for s in statements if not s.upper().startswith(TRANSACTION) and "api_keys" not in s]


@pytest.fixture(params=["compiled", "executor"])
async def measured(
    request: pytest.FixtureRequest, db: Database, queue: Any, admin_key: str
) -> AsyncIterator[tuple[httpx.AsyncClient, int]]:
    """A client on an app that runs each query once (no cross-check), and the statements
    the nested query costs there: one (compiled) or one per relation (executor)."""
    compiled = request.param == "compiled"
    update = {"compiled_crosscheck": False, "compiled_reads": compiled}
    app = create_app(db.settings.model_copy(update=update), db=db, queue=queue)
    transport = httpx.ASGITransport(app=app)
    headers = {HEADER: admin_key}
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver", headers=headers
    ) as http:
        yield http, 1 if compiled else EXECUTOR_STATEMENTS


@pytest.mark.parametrize("rows", [5, 50])
async def test_nested_query_costs_a_fixed_number_of_statements(
    measured: tuple[httpx.AsyncClient, int], db: Database, rows: int
) -> None:
    client, expected = measured
    await seed(db, groups=rows)
    statements = await statements_for(client, db, limit=rows)
    assert len(statements) == expected, "\n\n".join(statements)


async def test_statement_count_does_not_grow_with_rows(
    measured: tuple[httpx.AsyncClient, int], db: Database
) -> None:
    client, _ = measured
    await seed(db, groups=50)
    small = await statements_for(client, db, limit=5)
    large = await statements_for(client, db, limit=50)
    assert len(small) == len(large)


async def test_each_compiled_root_field_is_one_statement(
    measured: tuple[httpx.AsyncClient, int], db: Database
) -> None:
    client, per_query = measured
    await seed(db, groups=2, jobs=1, pages=1)
    page = (await gql(client, "{ pages(limit: 1) { items { id } } }"))["pages"]["items"][0]
    with counting(db) as statements:
        data = await gql(client, TWO_ROOTS, id=page["id"])
    assert data["jobGroups"] == {"totalCount": 2}
    assert data["page"]["job"]["name"].startswith("job ")
    own = [s for s in statements if "api_keys" not in s and not s.upper().startswith(TRANSACTION)]
    assert len(own) == (2 if per_query == 1 else 3), "\n\n".join(own)
