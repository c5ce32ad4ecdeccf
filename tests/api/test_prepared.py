"""Prepared queries (``schema.prepared``): a query seen once is answered from its text
straight to the SQL, with the same answers, authorisation and errors as the full pipeline."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy import event

from ocr_gateway.app import create_app
from ocr_gateway.auth import HEADER, Scope, create_key
from ocr_gateway.db.engine import Database
from ocr_gateway.processing.queue import DeferredQueue
from ocr_gateway.schema.prepared import PREPARED_TEXT, prepared_queries
from tests.api.graphql import GENERIC_TEMPLATE_ID, create_group, create_job, gql


def _client(db: Database, key: str | None, **settings: Any) -> httpx.AsyncClient:
    app = create_app(
        db.settings.model_copy(update={"compiled_crosscheck": False, **settings}),
        db=db,
        queue=DeferredQueue(),
    )
    headers = {HEADER: key} if key else {}
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t", headers=headers
    )


class Runs:
    """Counts the operations the full pipeline (Strawberry) runs for an app."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        app: Any = http._transport.app  # type: ignore[attr-defined]
        self.schema = app.state.schema
        self.count = 0
        execute = self.schema.execute

        async def counted(*args: Any, **kwargs: Any) -> Any:
            self.count += 1
            return await execute(*args, **kwargs)

        self.schema.execute = counted


@pytest.fixture
async def fast(db: Database, admin_key: str) -> AsyncIterator[httpx.AsyncClient]:
    async with _client(db, admin_key) as http:
        yield http


@pytest.fixture
async def executor(db: Database, admin_key: str) -> AsyncIterator[httpx.AsyncClient]:
    """The executor alone: no compiled reads, so nothing is prepared either."""
    async with _client(db, admin_key, compiled_reads=False) as http:
        yield http


async def post(http: httpx.AsyncClient, query: str, **variables: Any) -> httpx.Response:
    return await http.post("/graphql", json={"query": query, "variables": variables or None})


async def test_a_query_seen_once_skips_the_pipeline(fast: httpx.AsyncClient) -> None:
    await create_group(fast, name="first")
    runs = Runs(fast)
    query = "{ jobGroups(limit: 5) { totalCount items { id name tags progress { percentDone } } } }"
    answers = [(await post(fast, query)).json() for _ in range(3)]
    assert runs.count == 1
    assert answers[0] == answers[1] == answers[2]
    assert answers[0]["data"]["jobGroups"]["totalCount"] >= 1
    assert len(prepared_queries(runs.schema._schema)) >= 1


async def test_mutations_are_never_prepared(fast: httpx.AsyncClient) -> None:
    runs = Runs(fast)
    for _ in range(2):
        await create_group(fast)
    assert runs.count == 2


QUERIES: list[tuple[str, dict[str, Any]]] = [
    ("{ __typename }", {}),
    ("{ a: __typename jobGroups(limit: 2) { totalCount } }", {}),
    ("query($id: ID!) { jobGroup(id: $id) { id name priority tags createdAt } }", {"id": "G"}),
    (
        "query($id: ID!) { jobGroup(id: $id) { name jobs { items { name pages { totalCount } } } } }",
        {"id": "G"},
    ),
    (
        "query($n: String) { jobs(filter: {name: {startsWith: $n}}, sort: name, order: asc)"
        " { totalCount items { id name group { name } } } }",
        {"n": "inv"},
    ),
    (
        "{ jobGroupsConnection(first: 1) { totalCount edges { cursor node { id } }"
        " pageInfo { hasNextPage endCursor } } }",
        {},
    ),
    ("{ templates(limit: 3) { items { id name builtin } } }", {}),
]


@pytest.mark.parametrize(("query", "variables"), QUERIES)
async def test_prepared_answers_are_the_executors(
    fast: httpx.AsyncClient,
    executor: httpx.AsyncClient,
    query: str,
    variables: dict[str, Any],
) -> None:
    group = await create_group(fast, name="prepared", tags=["q1"])
    await create_job(fast, group=group["id"], name="invoice-1.pdf")
    await create_job(fast, group=group["id"], name="invoice-2.pdf")
    values = {k: group["id"] if v == "G" else v for k, v in variables.items()}
    expected = (await post(executor, query, **values)).json()
    assert "errors" not in expected, expected
    runs = Runs(fast)
    for _ in range(3):
        response = await post(fast, query, **values)
        assert response.status_code == 200
        assert response.json() == expected
    assert runs.count <= 1


async def test_the_prepared_path_checks_the_key(db: Database, fast: httpx.AsyncClient) -> None:
    query = "{ jobGroups(limit: 1) { totalCount } }"
    assert "errors" not in (await post(fast, query)).json()
    await post(fast, query)  # prepared now
    _row, write_only = await create_key(db, "writer", [Scope.write])
    async with _same_app(fast, None) as anonymous, _same_app(fast, write_only) as writer:
        for http, code in ((anonymous, "UNAUTHENTICATED"), (writer, "FORBIDDEN")):
            body = (await post(http, query)).json()
            assert body["errors"][0]["extensions"]["code"] == code, body
            assert body.get("data") is None
        # Introspection is open to everyone, prepared or not.
        for _ in range(2):
            assert (await post(anonymous, "{ __typename }")).json() == {
                "data": {"__typename": "Query"}
            }


async def test_errors_come_from_the_pipeline(
    fast: httpx.AsyncClient, executor: httpx.AsyncClient
) -> None:
    query = "query($id: ID!) { page(id: $id) { id pageNumber } }"
    await post(fast, query, id="60f7b1b3e4b0e8b3f8b3f8b4")  # prepared, though not found
    for variables in ({"id": "60f7b1b3e4b0e8b3f8b3f8b4"}, {"id": "not-an-id"}, {"id": None}, {}):
        expected = (await post(executor, query, **variables)).json()
        got = (await post(fast, query, **variables)).json()
        assert got == expected
        assert got["errors"], got


async def test_typename_needs_no_database(db: Database, fast: httpx.AsyncClient) -> None:
    await post(fast, "{ __typename }")
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(db.engine.sync_engine, "before_cursor_execute", record)
    try:
        for _ in range(3):
            assert (await post(fast, "{ __typename }")).json() == {"data": {"__typename": "Query"}}
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", record)
    assert statements == []


async def test_the_spec_media_type_is_kept(fast: httpx.AsyncClient) -> None:
    headers = {"accept": "application/graphql-response+json"}
    for _ in range(2):
        response = await fast.post("/graphql", json={"query": "{ __typename }"}, headers=headers)
        assert response.headers["content-type"] == "application/graphql-response+json"
        assert response.headers["x-content-type-options"] == "nosniff"


async def test_rest_reads_take_the_prepared_path(fast: httpx.AsyncClient) -> None:
    group = await create_group(fast, name="rest")
    runs = Runs(fast)
    bodies = [
        (await fast.get(f"/api/v1/ocr-invoice-job-groups/{group['id']}")).json() for _ in range(3)
    ]
    assert bodies[0] == bodies[1] == bodies[2]
    assert bodies[0]["data"]["name"] == "rest"
    assert runs.count == 1


async def test_prepared_reads_on_a_pooled_engine(migrated: Database) -> None:
    """Outside the tests' rolled-back transaction: asyncpg's own connections on PostgreSQL
    (``db.direct``), the engine's pool on SQLite."""
    database = Database(migrated.settings.model_copy(update={"compiled_crosscheck": False}))
    _row, key = await create_key(database, "pooled", [Scope.read])
    query = f'{{ template(id: "{GENERIC_TEMPLATE_ID}") {{ id builtin }} }}'
    try:
        async with _client(database, key) as http:
            runs = Runs(http)
            answers = [await gql(http, query) for _ in range(4)]
            assert answers == [{"template": {"id": GENERIC_TEMPLATE_ID, "builtin": True}}] * 4
            assert runs.count == 1
    finally:
        await database.dispose()


async def test_the_prepared_path_keeps_the_timeout(
    db: Database, admin_key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ocr_gateway.graphql_view as view

    async with _client(db, admin_key, request_timeout_s=0.5) as http:
        query = "{ jobGroups(limit: 1) { totalCount } }"
        assert "errors" not in (await post(http, query)).json()  # prepared now

        async def slow(*_args: Any, **_kwargs: Any) -> Any:
            await asyncio.sleep(5)

        monkeypatch.setattr(view, "answer", slow)
        plain = await post(http, query)
        assert plain.status_code == 200
        assert plain.json() == {
            "data": None,
            "errors": [
                {
                    "message": "the operation took longer than 0.5 s",
                    "extensions": {"code": "TIMEOUT"},
                }
            ],
        }
        spec = await http.post(
            "/graphql",
            json={"query": query},
            headers={"accept": "application/graphql-response+json"},
        )
        assert spec.status_code == 400
        assert spec.json()["errors"][0]["extensions"]["code"] == "TIMEOUT"


async def test_long_texts_are_not_remembered(fast: httpx.AsyncClient) -> None:
    runs = Runs(fast)
    query = "{ __typename }" + " " * (PREPARED_TEXT + 1)
    for _ in range(3):
        assert (await post(fast, query)).json() == {"data": {"__typename": "Query"}}
    assert runs.count == 3


async def test_skipped_root_fields_still_need_their_scope(
    db: Database, fast: httpx.AsyncClient
) -> None:
    query = "{ __typename jobGroups(limit: 1) @skip(if: true) { totalCount } }"
    for _ in range(2):  # prepared by a caller who may run it
        assert (await post(fast, query)).json() == {"data": {"__typename": "Query"}}
    async with _same_app(fast, None) as anonymous:
        for _ in range(2):
            body = (await post(anonymous, query)).json()
            assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED", body


def _same_app(http: httpx.AsyncClient, key: str | None) -> httpx.AsyncClient:
    """Another caller of the app behind ``http`` (so the same prepared queries)."""
    headers = {HEADER: key} if key else {}
    return httpx.AsyncClient(transport=http._transport, base_url="http://t", headers=headers)


async def test_rest_prepared_reads_without_keys(db: Database) -> None:
    async with _client(db, None, auth_enabled=False) as http:
        group = await create_group(http, name="open")
        runs = Runs(http)
        for _ in range(3):
            body = (await http.get(f"/api/v1/ocr-invoice-job-groups/{group['id']}")).json()
            assert body["data"]["name"] == "open"
        assert runs.count == 1


async def test_reads_by_id_make_their_sql_once(
    fast: httpx.AsyncClient, executor: httpx.AsyncClient
) -> None:
    groups = [await create_group(fast, name=f"by id {n}") for n in range(3)]
    query = "query($id: ID!) { jobGroup(id: $id) { id name jobs { totalCount } } a: __typename }"
    runs = Runs(fast)
    for _ in range(2):
        for group in groups:
            body = (await post(fast, query, id=group["id"])).json()
            assert body == (await post(executor, query, id=group["id"])).json()
            assert body["data"]["jobGroup"]["name"] == group["name"]
    assert runs.count == 1
    (prepared,) = [p for p in prepared_queries(runs.schema._schema)._entries.values()]
    assert prepared.id_variable == "id"
    assert len(prepared.templates) == 1
    assert not prepared.statements
    for bad in ("nope", "60f7b1b3e4b0e8b3f8b3f8b4"):
        assert (await post(fast, query, id=bad)).json() == (
            await post(executor, query, id=bad)
        ).json()


@pytest.mark.parametrize("nested", ["id: {ne: $id}", "id: {in: [$id]}", "group: {eq: $id}"])
async def test_an_id_used_again_below_is_still_each_requests(
    fast: httpx.AsyncClient, executor: httpx.AsyncClient, nested: str
) -> None:
    groups = [await create_group(fast, name=f"nested {n}") for n in range(2)]
    for group in groups:
        await create_job(fast, group=group["id"])
    query = (
        f"query($id: ID!) {{ jobGroup(id: $id) {{ name jobs(filter: {{{nested}}})"
        " { totalCount } } }"
    )
    runs = Runs(fast)
    for _ in range(2):
        for group in groups:
            body = (await post(fast, query, id=group["id"])).json()
            assert "errors" not in body, body
            assert body == (await post(executor, query, id=group["id"])).json()
    assert runs.count == 1
    (prepared,) = prepared_queries(runs.schema._schema)._entries.values()
    assert prepared.templates
