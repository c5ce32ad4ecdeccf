"""API keys on GraphQL over HTTP: every root field x no key / bad key / revoked key / scope."""

from __future__ import annotations

import httpx
import pytest

from ocr_gateway.app import create_app
from ocr_gateway.auth import HEADER, Scope, create_key, revoke_key
from ocr_gateway.db.engine import Database
from ocr_gateway.graphql_schema import build_schema
from ocr_gateway.processing.queue import DeferredQueue
from ocr_gateway.settings import Settings

NO_ID = '"60f7b1b3e4b0e8b3f8b3f8b4"'
T = '"000000000000000000000001"'
LIST = "{ totalCount }"
CONN = "{ totalCount }"
OPERATIONS: dict[str, tuple[Scope, str]] = {
    "template": (Scope.read, f"{{ template(id: {T}) {{ id }} }}"),
    "templates": (Scope.read, f"{{ templates {LIST} }}"),
    "templatesConnection": (Scope.read, f"{{ templatesConnection {CONN} }}"),
    "jobGroup": (Scope.read, f"{{ jobGroup(id: {NO_ID}) {{ id }} }}"),
    "jobGroups": (Scope.read, f"{{ jobGroups {LIST} }}"),
    "jobGroupsConnection": (Scope.read, f"{{ jobGroupsConnection {CONN} }}"),
    "job": (Scope.read, f"{{ job(id: {NO_ID}) {{ id }} }}"),
    "jobs": (Scope.read, f"{{ jobs {LIST} }}"),
    "jobsConnection": (Scope.read, f"{{ jobsConnection {CONN} }}"),
    "page": (Scope.read, f"{{ page(id: {NO_ID}) {{ id }} }}"),
    "pages": (Scope.read, f"{{ pages {LIST} }}"),
    "pagesConnection": (Scope.read, f"{{ pagesConnection {CONN} }}"),
    "createTemplate": (Scope.write, 'mutation { createTemplate(input: {name: "T2"}) { id } }'),
    "updateTemplate": (
        Scope.write,
        f'mutation {{ updateTemplate(id: {NO_ID}, input: {{name: "x"}}) {{ id }} }}',
    ),
    "deleteTemplate": (Scope.write, f"mutation {{ deleteTemplate(id: {NO_ID}) {{ id }} }}"),
    "createJobGroup": (
        Scope.write,
        f'mutation {{ createJobGroup(input: {{name: "G", template: {T}}}) {{ id }} }}',
    ),
    "updateJobGroup": (
        Scope.write,
        f'mutation {{ updateJobGroup(id: {NO_ID}, input: {{name: "x"}}) {{ id }} }}',
    ),
    "deleteJobGroup": (Scope.write, f"mutation {{ deleteJobGroup(id: {NO_ID}) {{ id }} }}"),
    "createJob": (Scope.write, 'mutation { createJob(input: {name: "J"}) { id } }'),
    "createJobFromDocument": (
        Scope.write,
        'mutation { createJobFromDocument(input: {documentUrl: "ftp://e.com/x.pdf"}) { id } }',
    ),
    "updateJob": (
        Scope.write,
        f'mutation {{ updateJob(id: {NO_ID}, input: {{name: "x"}}) {{ id }} }}',
    ),
    "deleteJob": (Scope.write, f"mutation {{ deleteJob(id: {NO_ID}) {{ id }} }}"),
    "correctField": (
        Scope.write,
        f'mutation {{ correctField(jobId: {NO_ID}, field: "total", value: "1.00") {{ id }} }}',
    ),
    "removeFieldCorrection": (
        Scope.write,
        f'mutation {{ removeFieldCorrection(jobId: {NO_ID}, field: "total") {{ id }} }}',
    ),
    "createPage": (
        Scope.write,
        f'mutation {{ createPage(input: {{job: {NO_ID}, pageNumber: 1, pageUrl: "https://e.com/1"}})'
        " { id } }",
    ),
    "updatePage": (
        Scope.write,
        f"mutation {{ updatePage(id: {NO_ID}, input: {{pageNumber: 2}}) {{ id }} }}",
    ),
    "deletePage": (Scope.write, f"mutation {{ deletePage(id: {NO_ID}) {{ id }} }}"),
    "processPage": (Scope.process, f"mutation {{ processPage(id: {NO_ID}) {{ id }} }}"),
    "processJob": (Scope.process, f"mutation {{ processJob(id: {NO_ID}) {{ id }} }}"),
    "processJobGroup": (Scope.process, f"mutation {{ processJobGroup(id: {NO_ID}) {{ id }} }}"),
}
REFUSALS = {"UNAUTHENTICATED", "FORBIDDEN"}


def test_the_matrix_covers_every_query_and_mutation() -> None:
    schema = build_schema(Settings())._schema
    assert schema.query_type is not None
    assert schema.mutation_type is not None
    roots = set(schema.query_type.fields) | set(schema.mutation_type.fields)
    assert roots == set(OPERATIONS)


async def codes(client: httpx.AsyncClient, query: str, key: str | None) -> set[str]:
    headers = {HEADER: key} if key is not None else {}
    response = await client.post("/graphql", json={"query": query}, headers=headers)
    return {e["extensions"]["code"] for e in response.json().get("errors") or []}


@pytest.mark.parametrize("field", sorted(OPERATIONS))
async def test_every_root_field_needs_a_valid_key(
    anonymous: httpx.AsyncClient, db: Database, field: str
) -> None:
    _scope, query = OPERATIONS[field]
    revoked_row, revoked = await create_key(db, "old", [Scope.admin])
    await revoke_key(db, revoked_row.id)
    assert await codes(anonymous, query, None) == {"UNAUTHENTICATED"}
    assert await codes(anonymous, query, "ogw_000000000000_" + "x" * 43) == {"UNAUTHENTICATED"}
    assert await codes(anonymous, query, "not a key") == {"UNAUTHENTICATED"}
    assert await codes(anonymous, query, revoked) == {"UNAUTHENTICATED"}


@pytest.mark.parametrize("field", sorted(OPERATIONS))
async def test_every_root_field_needs_its_scope(
    anonymous: httpx.AsyncClient, db: Database, field: str
) -> None:
    needed, query = OPERATIONS[field]
    for scope in Scope:
        _row, key = await create_key(db, f"only-{scope.value}", [scope])
        found = await codes(anonymous, query, key)
        if scope in (needed, Scope.admin):
            assert not found & REFUSALS, (scope, found)
        else:
            assert found == {"FORBIDDEN"}, (scope, found)


async def test_a_refused_operation_changes_nothing(
    anonymous: httpx.AsyncClient, db: Database
) -> None:
    _row, reader = await create_key(db, "reader", [Scope.read])
    mutation = OPERATIONS["createJobGroup"][1]
    assert await codes(anonymous, mutation, reader) == {"FORBIDDEN"}
    _row, admin = await create_key(db, "admin", [Scope.admin])
    response = await anonymous.post(
        "/graphql", json={"query": "{ jobGroups { totalCount } }"}, headers={HEADER: admin}
    )
    assert response.json()["data"]["jobGroups"]["totalCount"] == 0


async def test_introspection_and_health_need_no_key(anonymous: httpx.AsyncClient) -> None:
    assert await codes(anonymous, "{ __schema { queryType { name } } }", None) == set()
    assert (await anonymous.get("/healthz")).status_code == 200


async def test_keys_can_be_switched_off(db: Database) -> None:
    settings = db.settings.model_copy(update={"auth_enabled": False})
    app = create_app(settings, db=db, queue=DeferredQueue())
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        assert await codes(http, "{ templates { totalCount } }", None) == set()
