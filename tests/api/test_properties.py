"""Property-based: whatever a client sends to GraphQL or REST, the answer is never a 500
and never an INTERNAL_SERVER_ERROR (bounded runs, on both backends)."""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api.graphql import GENERIC_TEMPLATE_ID

RUNS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=40),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
field_names = st.sampled_from(
    [
        "name",
        "template",
        "priority",
        "tags",
        "metadata",
        "description",
        "batchNumber",
        "processingSettings",
        "notifications",
        "createdBy",
        "assignedTo",
        "job",
        "pageNumber",
        "pageUrl",
        "pageType",
        "annotations",
        "imageProperties",
        "bogus",
    ]
)
inputs = st.dictionaries(field_names, json_values, max_size=8)
filters = st.dictionaries(
    st.sampled_from(
        [
            "status",
            "name",
            "pageNumber",
            "tags",
            "metadata.a",
            "$or",
            "$and",
            "createdAt",
            "priority",
            "bogus",
            "$where",
        ]
    ),
    st.one_of(
        json_values,
        st.dictionaries(
            st.sampled_from(["$eq", "$ne", "$gt", "$in", "$nin", "$exists", "$regex"]),
            json_values,
            max_size=2,
        ),
    ),
    max_size=3,
)


def no_internal_error(response: httpx.Response) -> None:
    assert response.status_code < 500, response.text
    assert "INTERNAL_SERVER_ERROR" not in response.text, response.text


@RUNS
@given(data=inputs)
async def test_graphql_mutations_never_fail_internally(
    client: httpx.AsyncClient, data: dict[str, Any]
) -> None:
    for mutation in (
        "mutation($i: CreateJobGroupInput!) { createJobGroup(input: $i) { id } }",
        "mutation($i: CreatePageInput!) { createPage(input: $i) { id } }",
        'mutation($i: UpdateJobInput!) { updateJob(id: "60f7b1b3e4b0e8b3f8b3f8b4", input: $i) { id } }',
    ):
        response = await client.post("/graphql", json={"query": mutation, "variables": {"i": data}})
        no_internal_error(response)


@RUNS
@given(
    limit=st.integers(-5, 500),
    offset=st.integers(-5, 2**40),
    search=st.text(max_size=30),
    cursor=st.text(max_size=40),
)
async def test_graphql_list_arguments_never_fail_internally(
    client: httpx.AsyncClient, limit: int, offset: int, search: str, cursor: str
) -> None:
    # One root field per request: when a sibling fails, graphql-core cancels the others
    # mid-query, which discards their connection (right in production, but it would break
    # the single connection this test's rollback fixture shares between examples).
    lists = "query($l: Int!, $o: Int!, $s: String) { pages(limit: $l, offset: $o, search: $s) "
    lists += "{ totalCount } }"
    variables = {"l": limit, "o": min(offset, 2**31 - 1), "s": search}
    no_internal_error(await client.post("/graphql", json={"query": lists, "variables": variables}))
    cursors = "query($c: String) { jobGroupsConnection(first: 5, after: $c) { totalCount } }"
    no_internal_error(
        await client.post("/graphql", json={"query": cursors, "variables": {"c": cursor}})
    )


@RUNS
@given(body=inputs, query_filter=filters, sort=st.text(max_size=12))
async def test_rest_bodies_and_filters_never_fail_internally(
    client: httpx.AsyncClient, body: dict[str, Any], query_filter: dict[str, Any], sort: str
) -> None:
    body.setdefault("template", GENERIC_TEMPLATE_ID)
    no_internal_error(await client.post("/api/v1/ocr-invoice-job-groups", json=body))
    no_internal_error(
        await client.put("/api/v1/ocr-invoice-job-pages/60f7b1b3e4b0e8b3f8b3f8b4", json=body)
    )
    params = {"filter": json.dumps(query_filter), "sort": sort, "limit": "10"}
    no_internal_error(await client.get("/api/v1/ocr-invoice-job-pages", params=params))
    no_internal_error(await client.get("/api/v1/ocr-invoice-job-groups", params=params))


# Issue 12, F4: the inputs that once answered 500 through GraphQL, mixed with ordinary ones.
hostile_text = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["\x00", "a\x00b", "\udcff", "x\ud800", "\ufffe", "é\x00"]),
)
hostile_numbers = st.one_of(
    st.floats(),  # NaN and the infinities included
    st.integers(min_value=-(2**70), max_value=2**70),
)
hostile_dates = st.one_of(
    st.sampled_from(
        [
            "0001-01-01T00:00:00+05:00",
            "9999-12-31T23:59:59-05:00",
            "0001-01-01T00:00:00Z",
            "2024-02-30T00:00:00Z",
            "2024-01-01T00:00:00\x00",
        ]
    ),
    st.datetimes().map(lambda d: d.isoformat()),
)
hostile_json = st.recursive(
    st.one_of(scalars, hostile_text, hostile_numbers),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(hostile_text, inner, max_size=3)
    ),
    max_leaves=8,
)


def _nested(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = {"a": value}
    return value


hostile_lists = st.one_of(
    st.lists(hostile_text, max_size=4),
    st.integers(1, 40_000).map(lambda n: [f"v{i}" for i in range(n)] if n > 900 else ["v"]),
)
hostile_filters = st.one_of(
    hostile_text.map(lambda t: {"name": {"eq": t}}),
    hostile_text.map(lambda t: {"name": {"startsWith": t}}),
    hostile_text.map(lambda t: {"tags": {"has": t}}),
    hostile_lists.map(lambda v: {"tags": {"hasAny": v}}),
    hostile_lists.map(lambda v: {"name": {"in": v}}),
    hostile_dates.map(lambda d: {"createdAt": {"gt": d}}),
    st.builds(
        lambda op, value: {"metadata": [{"path": "a.b", op: value}]},
        st.sampled_from(["eq", "ne", "gt", "lte", "in"]),
        st.one_of(hostile_json, st.sampled_from([_nested(900), _nested(40)])),
    ),
    st.integers(1, 60).map(lambda depth: {"not": _nested_not(depth)}),
)
hostile_page_filters = st.one_of(
    hostile_numbers.map(lambda n: {"meanConfidence": {"gt": n}}),
    hostile_numbers.map(lambda n: {"meanConfidence": {"in": [n, 1.0]}}),
    hostile_dates.map(lambda d: {"processedAt": {"lt": d}}),
)


def _nested_not(depth: int) -> Any:
    value: Any = {"name": {"eq": "x"}}
    for _ in range(depth):
        value = {"not": value}
    return value


def _cursor(parts: list[Any]) -> str:
    raw = json.dumps(parts, ensure_ascii=False, allow_nan=True)
    return base64.urlsafe_b64encode(raw.encode("utf-8", "surrogatepass")).decode().rstrip("=")


hostile_cursors = st.one_of(
    hostile_text,
    st.builds(
        lambda sort, value, id_: _cursor([sort, "desc", value, id_]),
        st.sampled_from(["name", "created_at", "priority"]),
        st.one_of(hostile_text, hostile_dates, hostile_numbers),
        st.one_of(hostile_text, st.just("0" * 24)),
    ),
)


async def _post_raw(client: httpx.AsyncClient, query: str, variables: dict[str, Any]) -> None:
    # The json module writes NaN/Infinity and lone surrogates (as escapes); the server must
    # refuse them clearly, as it must refuse what it can decode.
    body = json.dumps({"query": query, "variables": variables}, allow_nan=True)
    for _ in range(2):  # the second time, the query may be prepared (``schema.prepared``)
        response = await client.post(
            "/graphql", content=body.encode(), headers={"content-type": "application/json"}
        )
        no_internal_error(response)


@RUNS
@given(group_filter=hostile_filters, page_filter=hostile_page_filters, cursor=hostile_cursors)
async def test_graphql_hostile_filters_and_cursors_never_fail_internally(
    client: httpx.AsyncClient,
    group_filter: dict[str, Any],
    page_filter: dict[str, Any],
    cursor: str,
) -> None:
    await _post_raw(
        client,
        "query($f: JobGroupFilter) { jobGroups(filter: $f) { totalCount items { id } } }",
        {"f": group_filter},
    )
    await _post_raw(
        client, "query($f: PageFilter) { pages(filter: $f) { totalCount } }", {"f": page_filter}
    )
    await _post_raw(
        client,
        "query($c: String) { jobGroupsConnection(first: 2, after: $c, sort: name)"
        " { edges { cursor } } }",
        {"c": cursor},
    )
    await _post_raw(
        client,
        "query($c: String) { jobGroupsConnection(last: 2, before: $c) { edges { cursor } } }",
        {"c": cursor},
    )


# -- F3: a parent deleted while a query reads its children -------------------------------

SHAPES = [
    "{ pages(limit: 20, sort: createdAt, order: desc) { items { id job { id name"
    " group { id name } template { id } } } } }",
    "{ jobs(limit: 20, sort: createdAt, order: desc) { items { id group { id name }"
    " pages { totalCount items { id job { id } } } } } }",
    "{ jobGroups(limit: 10, sort: createdAt, order: desc) { items { id jobs { items { id"
    " group { id } pages { items { id job { id group { id } } } } } } } } }",
    "{ pagesConnection(first: 20) { edges { node { id job { id group { id } } } } } }",
    "query($id: ID!) { page(id: $id) { id job { id pages { items { id job { id } } } } } }",
]
VICTIMS = ["job", "group and its jobs", "group only"]


async def _delete_victim(session: Any, victim: str, job_id: str, group_id: str) -> None:
    from ocr_gateway.services import job as job_service
    from ocr_gateway.services import job_group as group_service

    if victim == "job":
        await job_service.delete_job(session, job_id, cascade=True)
    else:
        await group_service.delete_job_group(session, group_id, cascade=victim != "group only")


@RUNS
@given(shape=st.sampled_from(SHAPES), victim=st.sampled_from(VICTIMS))
async def test_graphql_parents_deleted_mid_query_give_null_or_not_found(
    db: Any, admin_key: str, monkeypatch: Any, shape: str, victim: str
) -> None:
    """The delete lands between the read of the children and the read of their parent (the
    executor path; a compiled field reads in one statement)."""
    from ocr_gateway.app import create_app
    from ocr_gateway.auth import HEADER
    from ocr_gateway.schema import loaders
    from tests.api.graphql import create_group, create_job, create_page, gql
    from tests.conftest import RecordingQueue

    settings = db.settings.model_copy(update={"compiled_reads": False})
    app = create_app(settings, db=db, queue=RecordingQueue())
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://t", headers={HEADER: admin_key}
    ) as http:
        group = await create_group(http)
        job = await create_job(http, group=group["id"])
        pages = [await create_page(http, job["id"], pageNumber=n) for n in (1, 2)]
        real = loaders.repo.get_by_ids
        pending = [victim]

        async def racing(session: Any, model: Any, ids: Any) -> Any:
            if pending and model.__name__ in ("Job", "JobGroup"):
                await _delete_victim(session, pending.pop(), job["id"], group["id"])
            return await real(session, model, ids)

        monkeypatch.setattr(loaders.repo, "get_by_ids", racing)
        try:
            response = await http.post(
                "/graphql", json={"query": shape, "variables": {"id": pages[0]["id"]}}
            )
        finally:
            monkeypatch.setattr(loaders.repo, "get_by_ids", real)
        no_internal_error(response)
        codes = {e["extensions"]["code"] for e in response.json().get("errors") or []}
        assert codes <= {"NOT_FOUND"}, response.text
        await gql(http, "{ jobGroups { totalCount } }")  # the request's session is usable


# -- F5: the database unreachable --------------------------------------------------------

DOCUMENTS = st.sampled_from(
    [
        "{ jobGroups { totalCount items { id jobs { items { id } } } } }",
        "{ pages(limit: 5) { items { id job { id } } } }",
        'query { page(id: "60f7b1b3e4b0e8b3f8b3f8b4") { id } }',
        "{ templates { totalCount } }",
        'mutation { createJobGroup(input: {name: "G", template: "000000000000000000000001"})'
        " { id } }",
        'mutation { processPage(id: "60f7b1b3e4b0e8b3f8b3f8b4") { id } }',
        'mutation { deleteJob(id: "60f7b1b3e4b0e8b3f8b3f8b4", cascade: true) { id } }',
        "{ __typename }",
        "{ bogus }",
        "not graphql at all {",
    ]
)


WELL_FORMED_KEY = "ogw_0123456789ab_" + "a" * 43  # its check needs the database


@RUNS
@given(document=DOCUMENTS, key=st.sampled_from([WELL_FORMED_KEY, "", "x"]))
async def test_graphql_with_the_database_unreachable_is_a_json_503(document: str, key: str) -> None:
    """Whatever the document, an unreachable database never gives a 500: a request whose
    key must be looked up answers 503 with a JSON SERVICE_UNAVAILABLE error; one that can be
    answered without the database (no key, a malformed key, a syntax error) says so."""
    from ocr_gateway.app import create_app
    from ocr_gateway.auth import HEADER
    from ocr_gateway.db.engine import Database
    from ocr_gateway.settings import Settings

    settings = Settings(database_url="postgresql+asyncpg://nobody@127.0.0.1:1/none")
    database = Database(settings)
    app = create_app(settings, db=database)
    transport = httpx.ASGITransport(app=app)
    headers = {HEADER: key} if key else {}
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            response = await http.post("/graphql", json={"query": document}, headers=headers)
    finally:
        await database.dispose()
    assert response.status_code in (200, 503), response.text
    assert "INTERNAL_SERVER_ERROR" not in response.text, response.text
    assert response.headers["content-type"].startswith("application/"), response.text
    codes = [e["extensions"]["code"] for e in response.json().get("errors") or []]
    if key == WELL_FORMED_KEY:
        assert response.status_code == 503, response.text
        assert response.headers["retry-after"] == "1"
        assert codes == ["SERVICE_UNAVAILABLE"], response.text
    else:
        assert set(codes) <= {"UNAUTHENTICATED", "BAD_USER_INPUT"}, response.text
