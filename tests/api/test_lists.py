"""The list machinery every resource shares: paging, sorting, filters, search, nested lists
and cursor connections."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from ocr_gateway.db.engine import Database
from ocr_gateway.db.models import Job, JobGroup, Page, Template
from tests.api.factories import create_template, ids, parse_time, problem_fields, set_columns
from tests.api.graphql import (
    GENERIC_TEMPLATE_ID,
    create_group,
    create_job,
    create_page,
    gql,
    gql_error,
)

RANK = {"low": 0, "medium": 1, "high": 2, "urgent": 3}
JAN, FEB, MAR = (datetime(2023, month, 10, tzinfo=UTC) for month in (1, 2, 3))
LISTS = ["templates", "jobGroups", "jobs", "pages"]
SORT_ENUMS = {
    "templates": "TemplateSort",
    "jobGroups": "JobGroupSort",
    "jobs": "JobSort",
    "pages": "PageSort",
}
FILTERS = {
    "templates": "TemplateFilter",
    "jobGroups": "JobGroupFilter",
    "jobs": "JobFilter",
    "pages": "PageFilter",
}


async def names(client: httpx.AsyncClient, filter_: dict[str, Any]) -> set[str]:
    query = "query($f: JobGroupFilter) { jobGroups(filter: $f) { totalCount items { name } } }"
    result = (await gql(client, query, f=filter_))["jobGroups"]
    assert result["totalCount"] == len(result["items"])
    return {item["name"] for item in result["items"]}


# ---------------------------------------------------------------- paging


async def test_limit_and_offset_slice_and_total_ignores_them(client: httpx.AsyncClient) -> None:
    for name in "abcde":
        await create_group(client, name=name)
    query = "query($l: Int!, $o: Int!) { jobGroups(limit: $l, offset: $o, sort: name, order: asc)"
    query += " { totalCount items { name } } }"
    page = (await gql(client, query, l=2, o=1))["jobGroups"]
    assert page == {"totalCount": 5, "items": [{"name": "b"}, {"name": "c"}]}
    beyond = (await gql(client, query, l=10, o=7))["jobGroups"]
    assert beyond == {"totalCount": 5, "items": []}


async def test_the_default_limit_is_fifty(client: httpx.AsyncClient, db: Database) -> None:
    job = await create_job(client)
    async with db.sessionmaker() as session:
        session.add_all(
            Page(job_id=job["id"], page_number=n, page_url=f"https://e.com/{n}.png")
            for n in range(1, 53)
        )
        await session.commit()
    result = (await gql(client, "{ pages { totalCount items { id } } }"))["pages"]
    assert result["totalCount"] == 52
    assert len(result["items"]) == 50


@pytest.mark.parametrize("list_name", LISTS)
@pytest.mark.parametrize(
    ("arguments", "field"),
    [("limit: 0", "limit"), ("limit: 101", "limit"), ("offset: -1", "offset")],
)
async def test_out_of_range_paging_is_bad_input(
    client: httpx.AsyncClient, list_name: str, arguments: str, field: str
) -> None:
    error = await gql_error(client, f"{{ {list_name}({arguments}) {{ totalCount }} }}")
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert problem_fields(error) == [field]


@pytest.mark.parametrize(
    "query",
    [
        "{ jobGroups { items { jobs(limit: 0) { totalCount } } } }",
        "{ jobGroups { items { pages(offset: -1) { totalCount } } } }",
        "{ jobs { items { pages(limit: 101) { totalCount } } } }",
        "{ templates { items { jobGroups(limit: 0) { totalCount } } } }",
    ],
)
async def test_out_of_range_paging_of_a_nested_list_is_bad_input(
    client: httpx.AsyncClient, query: str
) -> None:
    group = await create_group(client)
    await create_job(client, group=group["id"])
    error = await gql_error(client, query)
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


# ---------------------------------------------------------------- sorting


async def seed_groups_for_sorting(client: httpx.AsyncClient, db: Database) -> None:
    rows = [
        ("b", "high", "completed", "b2", FEB),
        ("a", "low", "pending", None, JAN),
        ("b", "high", "failed", "b1", FEB),
        ("c", "urgent", "pending", "b2", MAR),
        ("a", "low", "pending", None, JAN),
    ]
    for name, priority, status, batch, at in rows:
        group = await create_group(client, name=name, priority=priority, batchNumber=batch)
        await set_columns(db, JobGroup, group["id"], status=status, created_at=at, updated_at=at)


async def seed_jobs_for_sorting(client: httpx.AsyncClient, db: Database) -> None:
    rows = [
        ("b", "high", "completed", FEB),
        ("a", "low", "pending", JAN),
        ("b", "high", "failed", FEB),
        ("c", "urgent", "pending", MAR),
    ]
    for name, priority, status, at in rows:
        job = await create_job(client, name=name, priority=priority)
        await set_columns(db, Job, job["id"], status=status, created_at=at, updated_at=at)


async def seed_pages_for_sorting(client: httpx.AsyncClient, db: Database) -> None:
    rows = [(1, "processed", FEB), (1, "pending", JAN), (2, "failed", FEB), (2, "pending", MAR)]
    jobs = [await create_job(client, name="first"), await create_job(client, name="second")]
    for i, (number, status, at) in enumerate(rows):
        page = await create_page(client, jobs[i % 2]["id"], pageNumber=number)
        await set_columns(db, Page, page["id"], status=status, created_at=at, updated_at=at)


async def seed_templates_for_sorting(client: httpx.AsyncClient, db: Database) -> None:
    for name, at in (("tb", FEB), ("ta", JAN), ("tc", FEB), ("td", JAN)):
        template = await create_template(client, name=name)
        await set_columns(db, Template, template["id"], created_at=at, updated_at=at)


SEEDS: dict[str, Callable[[httpx.AsyncClient, Database], Any]] = {
    "jobGroups": seed_groups_for_sorting,
    "jobs": seed_jobs_for_sorting,
    "pages": seed_pages_for_sorting,
    "templates": seed_templates_for_sorting,
}
SORT_KEYS: dict[str, Callable[[Any], Any]] = {
    "name": str,
    "priority": RANK.__getitem__,
    "status": str,
    "batchNumber": lambda value: value or "",
    "createdAt": parse_time,
    "updatedAt": parse_time,
    "pageNumber": int,
}
SORTS = [
    ("jobGroups", "name"),
    ("jobGroups", "priority"),
    ("jobGroups", "status"),
    ("jobGroups", "batchNumber"),
    ("jobGroups", "createdAt"),
    ("jobGroups", "updatedAt"),
    ("jobs", "name"),
    ("jobs", "priority"),
    ("jobs", "status"),
    ("jobs", "createdAt"),
    ("jobs", "updatedAt"),
    ("pages", "pageNumber"),
    ("pages", "status"),
    ("pages", "createdAt"),
    ("pages", "updatedAt"),
    ("templates", "name"),
    ("templates", "createdAt"),
    ("templates", "updatedAt"),
]


@pytest.mark.parametrize("order", ["asc", "desc"])
@pytest.mark.parametrize(("list_name", "sort"), SORTS)
async def test_sort_by_each_field_breaks_ties_by_id(
    client: httpx.AsyncClient, db: Database, list_name: str, sort: str, order: str
) -> None:
    await SEEDS[list_name](client, db)
    query = f"query($s: {SORT_ENUMS[list_name]}!, $o: SortOrder!, $f: {FILTERS[list_name]})"
    query += f" {{ {list_name}(sort: $s, order: $o, filter: $f) {{ items {{ id {sort} }} }} }}"
    own = {"builtin": {"eq": False}} if list_name == "templates" else None
    items = (await gql(client, query, s=sort, o=order, f=own))[list_name]["items"]
    key = SORT_KEYS[sort]
    expected = sorted(items, key=lambda item: (key(item[sort]), item["id"]))
    if order == "desc":
        expected.reverse()
    assert len(items) >= 4
    assert ids(items) == ids(expected)


async def test_the_default_order_is_newest_first(client: httpx.AsyncClient, db: Database) -> None:
    created = [await create_group(client, name=f"g{n}") for n in range(3)]
    for group, at in zip(created, (FEB, MAR, JAN), strict=True):
        await set_columns(db, JobGroup, group["id"], created_at=at)
    items = (await gql(client, "{ jobGroups { items { id } } }"))["jobGroups"]["items"]
    assert ids(items) == [created[1]["id"], created[0]["id"], created[2]["id"]]


async def test_an_unknown_sort_field_is_bad_input(client: httpx.AsyncClient) -> None:
    error = await gql_error(client, "{ jobs(sort: pageNumber) { totalCount } }")
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


# ---------------------------------------------------------------- filters on job groups


async def seed_groups_for_filtering(client: httpx.AsyncClient) -> None:
    await create_group(
        client,
        name="Alpha January",
        description="first batch",
        batchNumber="B-2023-001",
        priority="low",
        tags=["q1", "acme"],
        metadata={"customer": {"region": "emea", "size": 10}, "vip": True},
        createdBy="alice",
        assignedTo="bob",
    )
    await create_group(
        client,
        name="Beta January",
        priority="medium",
        tags=["q1"],
        metadata={"customer": {"region": "apac", "size": 25}},
        createdBy="carol",
    )
    await create_group(
        client,
        name="gamma February",
        description="second batch",
        batchNumber="B-2023-002",
        priority="high",
        tags=["q2", "acme"],
        metadata={"customer": {"region": "emea", "size": 40}, "vip": False},
    )
    await create_group(client, name="Delta", description="misc", priority="urgent")


A, B, C, D = "Alpha January", "Beta January", "gamma February", "Delta"
GROUP_FILTERS = [
    pytest.param({"name": {"eq": B}}, {B}, id="name-eq"),
    pytest.param({"name": {"ne": B}}, {A, C, D}, id="name-ne"),
    pytest.param({"name": {"in": [A, D, "nobody"]}}, {A, D}, id="name-in"),
    pytest.param({"name": {"nin": [A, D]}}, {B, C}, id="name-nin"),
    pytest.param({"name": {"contains": "JANUARY"}}, {A, B}, id="name-contains-any-case"),
    pytest.param({"name": {"startsWith": "GAM"}}, {C}, id="name-startswith-any-case"),
    pytest.param({"name": {"startsWith": "January"}}, set(), id="name-startswith-not-inside"),
    pytest.param({"description": {"exists": False}}, {B}, id="description-exists-false"),
    pytest.param({"description": {"exists": True}}, {A, C, D}, id="description-exists-true"),
    pytest.param({"batchNumber": {"ne": "B-2023-001"}}, {B, C, D}, id="ne-includes-null"),
    pytest.param({"createdBy": {"eq": "alice"}}, {A}, id="created-by-eq"),
    pytest.param({"assignedTo": {"exists": True}}, {A}, id="assigned-to-exists"),
    pytest.param({"priority": {"eq": "medium"}}, {B}, id="priority-eq"),
    pytest.param({"priority": {"ne": "medium"}}, {A, C, D}, id="priority-ne"),
    pytest.param({"priority": {"gte": "high"}}, {C, D}, id="priority-gte"),
    pytest.param({"priority": {"gt": "medium"}}, {C, D}, id="priority-gt"),
    pytest.param({"priority": {"lt": "medium"}}, {A}, id="priority-lt"),
    pytest.param({"priority": {"lte": "medium"}}, {A, B}, id="priority-lte"),
    pytest.param({"priority": {"gte": "medium", "lt": "urgent"}}, {B, C}, id="priority-range"),
    pytest.param({"priority": {"in": ["low", "urgent"]}}, {A, D}, id="priority-in"),
    pytest.param({"priority": {"nin": ["low", "urgent"]}}, {B, C}, id="priority-nin"),
    pytest.param({"status": {"eq": "pending"}}, {A, B, C, D}, id="status-eq"),
    pytest.param({"status": {"in": ["completed", "failed"]}}, set(), id="status-in"),
    pytest.param({"template": {"eq": GENERIC_TEMPLATE_ID}}, {A, B, C, D}, id="template-eq"),
    pytest.param({"tags": {"has": "acme"}}, {A, C}, id="tags-has"),
    pytest.param({"tags": {"hasAny": ["q2", "zz"]}}, {C}, id="tags-has-any"),
    pytest.param({"tags": {"hasAll": ["q1", "acme"]}}, {A}, id="tags-has-all"),
    pytest.param({"tags": {"hasNone": ["acme"]}}, {B, D}, id="tags-has-none"),
    pytest.param({"tags": {"isEmpty": True}}, {D}, id="tags-is-empty"),
    pytest.param({"tags": {"isEmpty": False}}, {A, B, C}, id="tags-is-not-empty"),
    pytest.param(
        {"metadata": [{"path": "customer.region", "eq": "emea"}]}, {A, C}, id="metadata-eq"
    ),
    pytest.param(
        {"metadata": [{"path": "customer.region", "ne": "emea"}]}, {B, D}, id="metadata-ne"
    ),
    pytest.param({"metadata": [{"path": "customer.size", "gt": 20}]}, {B, C}, id="metadata-gt"),
    pytest.param({"metadata": [{"path": "customer.size", "gte": 25}]}, {B, C}, id="metadata-gte"),
    pytest.param({"metadata": [{"path": "customer.size", "lt": 25}]}, {A}, id="metadata-lt"),
    pytest.param(
        {"metadata": [{"path": "customer.size", "gt": 5, "lte": 25}]}, {A, B}, id="metadata-range"
    ),
    pytest.param({"metadata": [{"path": "vip", "exists": True}]}, {A, C}, id="metadata-exists"),
    pytest.param(
        {"metadata": [{"path": "vip", "exists": False}]}, {B, D}, id="metadata-exists-false"
    ),
    pytest.param({"metadata": [{"path": "vip", "eq": True}]}, {A}, id="metadata-eq-true"),
    pytest.param(
        {"metadata": [{"path": "customer.region", "in": ["apac", "amer"]}]},
        {B},
        id="metadata-in",
    ),
    pytest.param(
        {"metadata": [{"path": "customer.region", "nin": ["apac"]}]}, {A, C, D}, id="metadata-nin"
    ),
    pytest.param(
        {"metadata": [{"path": "customer", "eq": {"region": "apac", "size": 25}}]},
        {B},
        id="metadata-eq-object",
    ),
    pytest.param(
        {"metadata": [{"path": "customer.region", "eq": "emea"}, {"path": "vip", "eq": False}]},
        {C},
        id="metadata-conditions-and",
    ),
    pytest.param({"or": [{"tags": {"has": "q2"}}, {"priority": {"eq": "low"}}]}, {A, C}, id="or"),
    pytest.param(
        {"and": [{"tags": {"has": "acme"}}, {"not": {"priority": {"eq": "low"}}}]},
        {C},
        id="and-not",
    ),
    pytest.param({"not": {"name": {"contains": "january"}}}, {C, D}, id="not"),
    pytest.param(
        {
            "or": [
                {"and": [{"tags": {"has": "q1"}}, {"priority": {"gt": "low"}}]},
                {"name": {"eq": D}},
            ]
        },
        {B, D},
        id="or-of-and",
    ),
    pytest.param(
        {"tags": {"has": "acme"}, "priority": {"gte": "high"}}, {C}, id="fields-are-anded"
    ),
    pytest.param({"or": []}, set(), id="empty-or-matches-nothing"),
    pytest.param({"and": []}, {A, B, C, D}, id="empty-and-matches-all"),
]


@pytest.mark.parametrize(("filter_", "expected"), GROUP_FILTERS)
async def test_filter_job_groups(
    client: httpx.AsyncClient, filter_: dict[str, Any], expected: set[str]
) -> None:
    await seed_groups_for_filtering(client)
    assert await names(client, filter_) == expected


async def test_filter_job_groups_by_id(client: httpx.AsyncClient) -> None:
    groups = [await create_group(client, name=f"g{n}") for n in range(3)]
    assert await names(client, {"id": {"in": ids(groups[:2])}}) == {"g0", "g1"}
    assert await names(client, {"id": {"nin": ids(groups[:2])}}) == {"g2"}
    assert await names(client, {"id": {"eq": groups[2]["id"]}}) == {"g2"}
    assert await names(client, {"id": {"ne": groups[2]["id"]}}) == {"g0", "g1"}


async def test_metadata_gt_compares_numbers_only(client: httpx.AsyncClient) -> None:
    await create_group(client, name="number", metadata={"size": 40})
    await create_group(client, name="text", metadata={"size": "large"})
    await create_group(client, name="missing", metadata={})
    assert await names(client, {"metadata": [{"path": "size", "gt": 20}]}) == {"number"}


async def test_metadata_lt_compares_numbers_only(client: httpx.AsyncClient) -> None:
    await create_group(client, name="number", metadata={"size": 40})
    await create_group(client, name="text", metadata={"size": "large"})
    await create_group(client, name="missing", metadata={})
    assert await names(client, {"metadata": [{"path": "size", "lt": 100}]}) == {"number"}


async def test_filter_by_created_at_range_with_iso_strings(
    client: httpx.AsyncClient, db: Database
) -> None:
    for name, at in (("jan", JAN), ("feb", FEB), ("mar", MAR)):
        group = await create_group(client, name=name)
        await set_columns(db, JobGroup, group["id"], created_at=at)
    window = {"gte": "2023-02-01T00:00:00Z", "lt": "2023-03-10T00:00:00+00:00"}
    assert await names(client, {"createdAt": window}) == {"feb"}
    assert await names(client, {"createdAt": {"lte": "2023-02-10T00:00:00Z"}}) == {"jan", "feb"}
    assert await names(client, {"createdAt": {"eq": "2023-02-10T01:00:00+01:00"}}) == {"feb"}
    assert await names(client, {"createdAt": {"gt": "2023-01-10T00:00:00"}}) == {"feb", "mar"}
    assert await names(client, {"createdAt": {"ne": "2023-01-10T00:00:00Z"}}) == {"feb", "mar"}


async def test_a_malformed_date_is_bad_input(client: httpx.AsyncClient) -> None:
    query = '{ jobGroups(filter: {createdAt: {gte: "last tuesday"}}) { totalCount } }'
    error = await gql_error(client, query)
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


@pytest.mark.parametrize(
    ("condition", "field"),
    [
        ({"path": "a..b", "eq": 1}, "filter.metadata[0].path"),
        ({"path": "a;drop table", "eq": 1}, "filter.metadata[0].path"),
    ],
)
async def test_a_bad_metadata_condition_is_bad_input(
    client: httpx.AsyncClient, condition: dict[str, Any], field: str
) -> None:
    query = "query($f: JobGroupFilter) { jobGroups(filter: $f) { totalCount } }"
    error = await gql_error(client, query, f={"metadata": [condition]})
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert problem_fields(error) == [field]


# ---------------------------------------------------------------- filters on jobs and pages


async def test_filter_jobs_by_group_template_and_priority(client: httpx.AsyncClient) -> None:
    template = await create_template(client)
    group = await create_group(client, template=template["id"], priority="high")
    in_group = await create_job(client, group=group["id"], name="in group")
    loose = await create_job(client, name="loose", sourceFileName="scan.pdf")
    query = "query($f: JobFilter) { jobs(filter: $f, sort: name, order: asc) { items { id } } }"

    async def matching(filter_: dict[str, Any]) -> list[str]:
        return ids((await gql(client, query, f=filter_))["jobs"]["items"])

    assert await matching({"group": {"eq": group["id"]}}) == [in_group["id"]]
    assert await matching({"group": {"exists": False}}) == [loose["id"]]
    assert await matching({"group": {"ne": group["id"]}}) == [loose["id"]]
    assert await matching({"template": {"eq": GENERIC_TEMPLATE_ID}}) == [loose["id"]]
    assert await matching({"template": {"in": [template["id"]]}}) == [in_group["id"]]
    assert await matching({"priority": {"gte": "high"}}) == [in_group["id"]]
    assert await matching({"sourceFileName": {"exists": True}}) == [loose["id"]]
    assert await matching({"name": {"contains": "GROUP"}}) == [in_group["id"]]
    assert await matching({"status": {"eq": "pending"}}) == [in_group["id"], loose["id"]]


async def seed_pages_for_filtering(client: httpx.AsyncClient, db: Database) -> None:
    job = await create_job(client)
    rows = [
        (1, "cover", "https://cdn.example.com/a/1.png", "processed", 0.95, 1),
        (2, "content", "https://cdn.example.com/a/2.png", "failed", None, 3),
        (3, "content", "https://cdn.example.com/a/3.png", "pending", None, 0),
        (4, None, "http://other.org/4.tiff", "pending", None, 0),
    ]
    for number, kind, url, status, confidence, attempts in rows:
        page = await create_page(
            client,
            job["id"],
            pageNumber=number,
            pageUrl=url,
            pageType=kind,
            metadata={"scan": {"dpi": 100 * number}},
        )
        await set_columns(
            db, Page, page["id"], status=status, mean_confidence=confidence, attempts=attempts
        )


PAGE_FILTERS = [
    pytest.param({"pageNumber": {"eq": 2}}, [2], id="number-eq"),
    pytest.param({"pageNumber": {"ne": 2}}, [1, 3, 4], id="number-ne"),
    pytest.param({"pageNumber": {"in": [1, 3]}}, [1, 3], id="number-in"),
    pytest.param({"pageNumber": {"nin": [1, 3]}}, [2, 4], id="number-nin"),
    pytest.param({"pageNumber": {"gt": 2}}, [3, 4], id="number-gt"),
    pytest.param({"pageNumber": {"gte": 2}}, [2, 3, 4], id="number-gte"),
    pytest.param({"pageNumber": {"lt": 2}}, [1], id="number-lt"),
    pytest.param({"pageNumber": {"lte": 2}}, [1, 2], id="number-lte"),
    pytest.param({"pageNumber": {"gte": 2, "lte": 3}}, [2, 3], id="number-range"),
    pytest.param({"pageType": {"eq": "content"}}, [2, 3], id="type-eq"),
    pytest.param({"pageType": {"ne": "content"}}, [1, 4], id="type-ne-includes-null"),
    pytest.param({"pageType": {"in": ["cover", "summary"]}}, [1], id="type-in"),
    pytest.param({"pageType": {"nin": ["cover"]}}, [2, 3, 4], id="type-nin-includes-null"),
    pytest.param({"pageType": {"exists": False}}, [4], id="type-exists-false"),
    pytest.param({"pageUrl": {"startsWith": "HTTP://other"}}, [4], id="url-starts-with"),
    pytest.param({"pageUrl": {"contains": ".PNG"}}, [1, 2, 3], id="url-contains"),
    pytest.param({"status": {"eq": "processed"}}, [1], id="status-eq"),
    pytest.param({"status": {"in": ["failed", "processed"]}}, [1, 2], id="status-in"),
    pytest.param({"status": {"nin": ["pending"]}}, [1, 2], id="status-nin"),
    pytest.param({"meanConfidence": {"gt": 0.9}}, [1], id="confidence-gt"),
    pytest.param({"meanConfidence": {"exists": False}}, [2, 3, 4], id="confidence-missing"),
    pytest.param({"attempts": {"gte": 1}}, [1, 2], id="attempts-gte"),
    pytest.param(
        {"metadata": [{"path": "scan.dpi", "gte": 300}]}, [3, 4], id="metadata-number-gte"
    ),
    pytest.param(
        {"or": [{"status": {"eq": "failed"}}, {"pageType": {"exists": False}}]},
        [2, 4],
        id="or",
    ),
]


@pytest.mark.parametrize(("filter_", "expected"), PAGE_FILTERS)
async def test_filter_pages(
    client: httpx.AsyncClient, db: Database, filter_: dict[str, Any], expected: list[int]
) -> None:
    await seed_pages_for_filtering(client, db)
    query = "query($f: PageFilter) { pages(filter: $f, sort: pageNumber, order: asc) {"
    query += " totalCount items { pageNumber } } }"
    result = (await gql(client, query, f=filter_))["pages"]
    assert [item["pageNumber"] for item in result["items"]] == expected
    assert result["totalCount"] == len(expected)


async def test_filter_templates(client: httpx.AsyncClient) -> None:
    await create_template(client, name="Acme", active=False)
    query = "query($f: TemplateFilter) { templates(filter: $f) { items { name } } }"
    inactive = await gql(client, query, f={"active": {"eq": False}})
    assert inactive["templates"]["items"] == [{"name": "Acme"}]
    generic = await gql(client, query, f={"name": {"startsWith": "generic"}})
    assert generic["templates"]["items"] == [{"name": "Generic invoice"}]


# ---------------------------------------------------------------- search


async def test_search_is_case_insensitive_across_text_fields(client: httpx.AsyncClient) -> None:
    await create_group(client, name="Invoices of ACME")
    await create_group(client, name="one", description="Sent by acme corp")
    await create_group(client, name="two", batchNumber="ACME-42")
    await create_group(client, name="three", createdBy="Acme Robot")
    await create_group(client, name="four", assignedTo="acme-team")
    await create_group(client, name="five", description="nothing to see")
    query = 'query { jobGroups(search: "aCmE") { totalCount items { name } } }'
    result = (await gql(client, query))["jobGroups"]
    assert result["totalCount"] == 5
    assert {item["name"] for item in result["items"]} == {
        "Invoices of ACME",
        "one",
        "two",
        "three",
        "four",
    }


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("%", {"100% done"}),
        ("0%", {"100% done"}),
        ("_", {"a_b"}),
        ("a_b", {"a_b"}),
        ("\\", {"back\\slash"}),
        ("", {"100% done", "1000 done", "a_b", "axb", "back\\slash"}),
    ],
)
async def test_search_treats_wildcards_literally(
    client: httpx.AsyncClient, term: str, expected: set[str]
) -> None:
    for name in ("100% done", "1000 done", "a_b", "axb", "back\\slash"):
        await create_group(client, name=name)
    query = "query($s: String) { jobGroups(search: $s) { items { name } } }"
    items = (await gql(client, query, s=term))["jobGroups"]["items"]
    assert {item["name"] for item in items} == expected


async def test_search_combines_with_filter(client: httpx.AsyncClient) -> None:
    await create_group(client, name="january low", priority="low")
    await create_group(client, name="january high", priority="high")
    await create_group(client, name="february high", priority="high")
    query = 'query { jobGroups(search: "JANUARY", filter: {priority: {gte: high}}) {'
    query += " totalCount items { name } } }"
    result = (await gql(client, query))["jobGroups"]
    assert result == {"totalCount": 1, "items": [{"name": "january high"}]}


async def test_an_overlong_search_is_bad_input(client: httpx.AsyncClient) -> None:
    query = "query($s: String) { jobs(search: $s) { totalCount } }"
    error = await gql_error(client, query, s="x" * 201)
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert problem_fields(error) == ["search"]


# ---------------------------------------------------------------- nested lists


async def test_nested_jobs_are_paged_per_group(client: httpx.AsyncClient) -> None:
    expected: dict[str, list[str]] = {}
    for group_name, count in (("g1", 1), ("g2", 3), ("g3", 4)):
        group = await create_group(client, name=group_name)
        expected[group_name] = [f"{group_name}-job{n}" for n in range(count)]
        for job_name in expected[group_name]:
            await create_job(client, group=group["id"], name=job_name)
    await create_job(client, name="loose")
    query = "{ jobGroups(sort: name, order: asc) { items { name"
    query += " jobs(limit: 2, sort: name, order: asc) { totalCount items { name group { name } } }"
    query += " } } }"
    items = (await gql(client, query))["jobGroups"]["items"]
    for item in items:
        jobs = item["jobs"]
        assert jobs["totalCount"] == len(expected[item["name"]]), item["name"]
        assert [job["name"] for job in jobs["items"]] == expected[item["name"]][:2], item["name"]
        assert {job["group"]["name"] for job in jobs["items"]} == {item["name"]}
    assert [item["name"] for item in items] == ["g1", "g2", "g3"]


async def test_nested_jobs_take_offset_filter_and_search_per_group(
    client: httpx.AsyncClient,
) -> None:
    for group_name in ("g1", "g2"):
        group = await create_group(client, name=group_name)
        for n in range(4):
            kind = "credit" if n % 2 else "invoice"
            await create_job(client, group=group["id"], name=f"{group_name}-{kind}-{n}")
    query = "{ jobGroups(sort: name, order: asc) { items { name"
    query += ' credits: jobs(filter: {name: {contains: "credit"}}, sort: name, order: desc)'
    query += " { totalCount items { name } }"
    query += ' found: jobs(search: "INVOICE", offset: 1, sort: name, order: asc)'
    query += " { totalCount items { name } } } } }"
    items = (await gql(client, query))["jobGroups"]["items"]
    assert items == [
        {
            "name": name,
            "credits": {
                "totalCount": 2,
                "items": [{"name": f"{name}-credit-3"}, {"name": f"{name}-credit-1"}],
            },
            "found": {"totalCount": 2, "items": [{"name": f"{name}-invoice-2"}]},
        }
        for name in ("g1", "g2")
    ]


async def test_group_pages_span_every_job_of_the_group(client: httpx.AsyncClient) -> None:
    group = await create_group(client, name="mine")
    other = await create_group(client, name="other")
    for job_name in ("a", "b"):
        job = await create_job(client, group=group["id"], name=job_name)
        for n in (1, 2):
            await create_page(client, job["id"], pageNumber=n, pageUrl=f"https://e.com/{n}.png")
    stranger = await create_job(client, group=other["id"])
    await create_page(client, stranger["id"])
    query = "query($id: ID!) { jobGroup(id: $id) { all: pages { totalCount }"
    query += " firsts: pages(filter: {pageNumber: {eq: 1}}, limit: 1) { totalCount items {"
    query += " pageNumber job { group { name } } } } } }"
    result = (await gql(client, query, id=group["id"]))["jobGroup"]
    assert result["all"] == {"totalCount": 4}
    assert result["firsts"] == {
        "totalCount": 2,
        "items": [{"pageNumber": 1, "job": {"group": {"name": "mine"}}}],
    }


async def test_group_pages_are_counted_per_group(client: httpx.AsyncClient) -> None:
    for group_name, pages in (("g1", 1), ("g2", 3)):
        group = await create_group(client, name=group_name)
        job = await create_job(client, group=group["id"])
        for n in range(1, pages + 1):
            await create_page(client, job["id"], pageNumber=n)
    query = "{ jobGroups(sort: name, order: asc) { items { name pages(limit: 2) { totalCount"
    query += " items { id } } } } }"
    items = (await gql(client, query))["jobGroups"]["items"]
    assert [(i["name"], i["pages"]["totalCount"], len(i["pages"]["items"])) for i in items] == [
        ("g1", 1, 1),
        ("g2", 3, 2),
    ]


async def test_job_pages_are_paged_per_job(client: httpx.AsyncClient) -> None:
    for job_name, pages in (("a", 3), ("b", 1), ("c", 0)):
        job = await create_job(client, name=job_name)
        for n in range(1, pages + 1):
            await create_page(client, job["id"], pageNumber=n)
    query = "{ jobs(sort: name, order: asc) { items { name pages(limit: 2, order: desc) {"
    query += " totalCount items { pageNumber } } } } }"
    items = (await gql(client, query))["jobs"]["items"]
    assert [(i["name"], i["pages"]["totalCount"]) for i in items] == [("a", 3), ("b", 1), ("c", 0)]
    assert [[p["pageNumber"] for p in i["pages"]["items"]] for i in items] == [[3, 2], [1], []]


# ---------------------------------------------------------------- cursor connections


CONNECTION = """
query($first: Int!, $after: String, $sort: JobGroupSort, $order: SortOrder!) {
  jobGroupsConnection(first: $first, after: $after, sort: $sort, order: $order) {
    totalCount
    edges { cursor node { id name } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}
"""


async def walk(client: httpx.AsyncClient, sort: str | None, order: str) -> list[dict[str, Any]]:
    """Every slice of the groups connection, two at a time."""
    slices, after = [], None
    while True:
        variables = {"first": 2, "after": after, "sort": sort, "order": order}
        result = (await gql(client, CONNECTION, **variables))["jobGroupsConnection"]
        slices.append(result)
        if not result["pageInfo"]["hasNextPage"]:
            return slices
        after = result["pageInfo"]["endCursor"]
        assert len(slices) < 10, "the walk does not end"


async def seed_groups_for_walking(client: httpx.AsyncClient, db: Database) -> None:
    names_ = ["b", "a", "b", "c", "a"]
    for name, priority in zip(names_, ["high", "low", "high", "urgent", "low"], strict=True):
        group = await create_group(client, name=name, priority=priority)
        if name == "b":  # ties on the timestamp too
            await set_columns(db, JobGroup, group["id"], created_at=FEB)


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        (None, "desc"),
        ("name", "asc"),
        ("name", "desc"),
        ("priority", "desc"),
        ("createdAt", "asc"),
        ("batchNumber", "asc"),
        ("status", "desc"),
    ],
)
async def test_walking_a_connection_returns_every_row_once(
    client: httpx.AsyncClient, db: Database, sort: str | None, order: str
) -> None:
    await seed_groups_for_walking(client, db)
    slices = await walk(client, sort, order)
    walked = [edge["node"]["id"] for s in slices for edge in s["edges"]]
    query = "query($sort: JobGroupSort, $order: SortOrder!) { jobGroups(sort: $sort,"
    query += " order: $order) { items { id } } }"
    listed = ids((await gql(client, query, sort=sort, order=order))["jobGroups"]["items"])
    assert walked == listed
    assert len(set(walked)) == 5
    assert [len(s["edges"]) for s in slices] == [2, 2, 1]
    assert {s["totalCount"] for s in slices} == {5}


async def test_page_info_flags_and_cursors(client: httpx.AsyncClient) -> None:
    for name in "abc":
        await create_group(client, name=name)
    variables: dict[str, Any] = {"first": 2, "sort": "name", "order": "asc"}
    first = (await gql(client, CONNECTION, **variables))["jobGroupsConnection"]
    assert first["pageInfo"]["hasNextPage"] is True
    assert first["pageInfo"]["hasPreviousPage"] is False
    assert first["pageInfo"]["startCursor"] == first["edges"][0]["cursor"]
    assert first["pageInfo"]["endCursor"] == first["edges"][-1]["cursor"]
    variables["after"] = first["pageInfo"]["endCursor"]
    last = (await gql(client, CONNECTION, **variables))["jobGroupsConnection"]
    assert [edge["node"]["name"] for edge in last["edges"]] == ["c"]
    assert last["pageInfo"]["hasNextPage"] is False
    assert last["pageInfo"]["hasPreviousPage"] is True


async def test_an_empty_connection(client: httpx.AsyncClient) -> None:
    result = (await gql(client, CONNECTION, first=2, order="desc"))["jobGroupsConnection"]
    assert result == {
        "totalCount": 0,
        "edges": [],
        "pageInfo": {
            "hasNextPage": False,
            "hasPreviousPage": False,
            "startCursor": None,
            "endCursor": None,
        },
    }


async def test_rows_added_behind_the_cursor_do_not_shift_the_walk(
    client: httpx.AsyncClient,
) -> None:
    for name in "abcd":
        await create_group(client, name=name)
    variables: dict[str, Any] = {"first": 2, "sort": "name", "order": "asc"}
    first = (await gql(client, CONNECTION, **variables))["jobGroupsConnection"]
    await create_group(client, name="0 first of all")
    variables["after"] = first["pageInfo"]["endCursor"]
    rest = (await gql(client, CONNECTION, **variables))["jobGroupsConnection"]
    assert [edge["node"]["name"] for edge in rest["edges"]] == ["c", "d"]


@pytest.mark.parametrize(
    ("connection", "create"),
    [
        ("jobsConnection", "job"),
        ("pagesConnection", "page"),
        ("templatesConnection", "template"),
    ],
)
async def test_every_resource_has_a_connection(
    client: httpx.AsyncClient, connection: str, create: str
) -> None:
    job = await create_job(client, name="job0")
    created = [job]
    for n in range(1, 3):
        if create == "job":
            created.append(await create_job(client, name=f"job{n}"))
        elif create == "page":
            created.append(await create_page(client, job["id"], pageNumber=n))
        else:
            created.append(await create_template(client, name=f"template{n}"))
    query = f"query($after: String) {{ {connection}(first: 2, after: $after) {{ totalCount"
    query += " edges { node { id } } pageInfo { hasNextPage endCursor } } }"
    first = (await gql(client, query))[connection]
    rest = (await gql(client, query, after=first["pageInfo"]["endCursor"]))[connection]
    walked = [edge["node"]["id"] for edge in first["edges"] + rest["edges"]]
    expected = created[1:] if create == "page" else created
    if create == "template":
        expected = [*created[1:], {"id": GENERIC_TEMPLATE_ID}]
    assert sorted(walked) == sorted(ids(expected))
    assert len(walked) == len(set(walked))
    assert first["totalCount"] == len(expected)
    assert rest["pageInfo"]["hasNextPage"] is False


async def test_a_cursor_reused_with_another_sort_is_bad_input(client: httpx.AsyncClient) -> None:
    for name in "abc":
        await create_group(client, name=name)
    first = await gql(client, CONNECTION, first=2, sort="name", order="asc")
    cursor = first["jobGroupsConnection"]["pageInfo"]["endCursor"]
    for sort, order in (("priority", "asc"), ("name", "desc"), (None, "asc")):
        variables = {"first": 2, "after": cursor, "sort": sort, "order": order}
        error = await gql_error(client, CONNECTION, **variables)
        assert error["extensions"]["code"] == "BAD_USER_INPUT"
        assert problem_fields(error) == ["after"]


def forged(*parts: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(parts)).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    ("cursor", "sort"),
    [
        pytest.param("garbage", "name", id="garbage"),
        pytest.param("!!!", "name", id="not-base64"),
        pytest.param(base64.urlsafe_b64encode(b"\xff\xfe").decode(), "name", id="not-utf8"),
        pytest.param(forged("name", "asc"), "name", id="too-short"),
        pytest.param(forged("createdAt", "asc", "yesterday", "x" * 24), None, id="bad-date"),
        pytest.param(forged("name", "asc", {"x": 1}, "0" * 24), "name", id="object-value"),
        pytest.param(forged("name", "asc", "b", 42), "name", id="number-id"),
        pytest.param(forged("priority", "asc", "high", "0" * 24), "priority", id="text-rank"),
    ],
)
async def test_a_garbage_cursor_is_bad_input(
    client: httpx.AsyncClient, cursor: str, sort: str | None
) -> None:
    await create_group(client, name="a")
    variables = {"first": 2, "after": cursor, "sort": sort, "order": "asc"}
    error = await gql_error(client, CONNECTION, **variables)
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert problem_fields(error) == ["after"]


@pytest.mark.parametrize("first", [0, -1, 101])
async def test_first_out_of_range_is_bad_input(client: httpx.AsyncClient, first: int) -> None:
    error = await gql_error(client, CONNECTION, first=first, order="desc")
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert problem_fields(error) == ["first"]


async def test_a_connection_filters_and_searches(client: httpx.AsyncClient) -> None:
    for name, priority in (("jan a", "high"), ("jan b", "low"), ("feb", "high")):
        await create_group(client, name=name, priority=priority)
    query = 'query { jobGroupsConnection(first: 5, search: "JAN", filter: {priority: {eq: high}})'
    query += " { totalCount edges { node { name } } } }"
    result = (await gql(client, query))["jobGroupsConnection"]
    assert result == {"totalCount": 1, "edges": [{"node": {"name": "jan a"}}]}
