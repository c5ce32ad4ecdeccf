"""Property: for any query over the lists and lookups (random selections, filters, sorts,
paging and nesting, generated from the schema by hypothesis-graphql), compiled reads and
the Strawberry executor give the same answer: the same data, in the same order, with the
same types, and the same errors. A fixed budget of examples per backend (see ``RUNS``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import graphql
import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import queries

from ocr_gateway.app import create_app
from ocr_gateway.auth import HEADER
from ocr_gateway.db.engine import Database
from ocr_gateway.db.models import Page
from ocr_gateway.schema import build_schema
from ocr_gateway.schema.compiled import typed
from tests.api.factories import set_columns
from tests.api.graphql import create_group, create_job, create_page

RUNS = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ROOTS = ["jobGroups", "jobs", "pages", "templates", "jobGroup", "job", "page"]
SCHEMA = build_schema(__import__("ocr_gateway.settings").settings.Settings())._schema
SCALARS = {
    "DateTime": st.datetimes(
        min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC)
    ).map(lambda moment: graphql.StringValueNode(value=moment.isoformat())),
    "JSON": st.one_of(
        st.integers(-50, 50).map(lambda n: graphql.IntValueNode(value=str(n))),
        st.sampled_from(["emea", "apac", "q1"]).map(lambda s: graphql.StringValueNode(value=s)),
    ),
}
ID_TOKEN = "__ID__"


class _Plausible(graphql.Visitor):
    """Mostly valid paging (so that most examples reach the database), and a token for the
    id of a lookup (replaced by a seeded row's id)."""

    def enter_argument(self, node: graphql.ArgumentNode, *_args: Any) -> Any:
        name, value = node.name.value, node.value
        if name in ("limit", "first") and isinstance(value, graphql.IntValueNode):
            return graphql.ArgumentNode(
                name=node.name,
                value=graphql.IntValueNode(value=str(abs(int(value.value)) % 12 + 1)),
            )
        if name == "offset" and isinstance(value, graphql.IntValueNode):
            return graphql.ArgumentNode(
                name=node.name, value=graphql.IntValueNode(value=str(abs(int(value.value)) % 3))
            )
        if name == "id":
            return graphql.ArgumentNode(
                name=node.name, value=graphql.StringValueNode(value=ID_TOKEN)
            )
        return None


def _print(document: graphql.DocumentNode) -> str:
    return graphql.print_ast(graphql.visit(document, _Plausible()))


documents = st.sampled_from(ROOTS).flatmap(
    lambda root: queries(
        SCHEMA, fields=[root], custom_scalars=SCALARS, allow_x00=False, print_ast=_print
    )
)


@pytest.fixture
async def both(
    db: Database, queue: Any, admin_key: str
) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncClient]]:
    """A client of each path, on the same (rolled back) database, each query run once."""
    clients = []
    for compiled in (True, False):
        update = {"compiled_reads": compiled, "compiled_crosscheck": False}
        app = create_app(db.settings.model_copy(update=update), db=db, queue=queue)
        clients.append(
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app),
                base_url="http://testserver",
                headers={HEADER: admin_key},
            )
        )
    yield clients[0], clients[1]
    for client in clients:
        await client.aclose()


async def seed(client: httpx.AsyncClient, db: Database) -> dict[str, list[str]]:
    """Three groups of two jobs of two or three pages; ids by lookup field."""
    ids: dict[str, list[str]] = {"jobGroup": [], "job": [], "page": []}
    statuses = ["pending", "processed", "failed", "queued"]
    for g, (priority, tags) in enumerate([("low", ["q1"]), ("high", ["q1", "q2"]), ("urgent", [])]):
        group = await create_group(
            client, name=f"group {g}", priority=priority, tags=tags,
            metadata={"customer": {"region": ["emea", "apac"][g % 2]}, "n": g},
        )  # fmt: skip
        ids["jobGroup"].append(group["id"])
        for j in range(2):
            job = await create_job(client, group=group["id"], name=f"job {g}.{j}")
            ids["job"].append(job["id"])
            for p in range(1, 3 + j):
                page = await create_page(client, job["id"], pageNumber=p)
                ids["page"].append(page["id"])
                status = statuses[(g + j + p) % len(statuses)]
                confidence = None if status != "processed" else 0.1 * p + 0.05
                await set_columns(db, Page, page["id"], status=status, mean_confidence=confidence)
    await create_job(client, name="loose job")
    return ids


@RUNS
@given(document=documents, pick=st.integers(0, 20))
async def test_compiled_and_executed_answers_agree(
    both: tuple[httpx.AsyncClient, httpx.AsyncClient], db: Database, document: str, pick: int
) -> None:
    compiled, executed = both
    if not hasattr(db, "seeded_ids"):
        db.seeded_ids = await seed(compiled, db)  # type: ignore[attr-defined]
    root = document.split("(", 1)[0].strip("{ \n")
    if ID_TOKEN in document:
        ids = db.seeded_ids.get(root, ["60f7b1b3e4b0e8b3f8b3f8b4"])  # type: ignore[attr-defined]
        document = document.replace(ID_TOKEN, ids[pick % len(ids)])
    answers = [await c.post("/graphql", json={"query": document}) for c in (compiled, executed)]
    assert answers[0].status_code == answers[1].status_code, document
    assert typed(answers[0].json()) == typed(answers[1].json()), document
