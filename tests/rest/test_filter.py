"""The MongoDB-style ``filter`` parameter over HTTP, on both backends: every operator, and
every way of getting it wrong (400 naming the problem)."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.rest.rest import fails, fields, new_group, new_job, new_page, ok

PAGES = "/ocr-invoice-job-pages"
GROUPS = "/ocr-invoice-job-groups"


async def page_numbers(client: httpx.AsyncClient, filter_: Any) -> list[int]:
    params = {"filter": json.dumps(filter_), "sort": "pageNumber", "order": "asc"}
    body = await ok(client, "GET", PAGES, params=params)
    numbers = [page["pageNumber"] for page in body["data"]]
    assert body["total"] == len(numbers)
    return numbers


async def four_pages(client: httpx.AsyncClient) -> str:
    """Pages 1-4 of one job: types cover/content/content/none, metadata of varied shapes."""
    job = await new_job(client)
    specs: list[dict[str, Any]] = [
        {"pageType": "cover", "metadata": {"customer": {"region": "emea"}, "score": 10}},
        {"pageType": "content", "metadata": {"customer": {"region": "apac"}, "score": 20}},
        {"pageType": "content", "metadata": {"customer": {"region": "emea"}, "score": 30}},
        {"metadata": {"flag": True}},
    ]
    for number, spec in enumerate(specs, start=1):
        await new_page(client, job["id"], pageNumber=number, **spec)
    return str(job["id"])


@pytest.mark.parametrize(
    ("filter_", "expected"),
    [
        ({}, [1, 2, 3, 4]),
        ({"pageNumber": 2}, [2]),
        ({"pageNumber": {"$eq": 2}}, [2]),
        ({"pageNumber": {"$ne": 2}}, [1, 3, 4]),
        ({"pageNumber": {"$gt": 2}}, [3, 4]),
        ({"pageNumber": {"$gte": 2, "$lt": 4}}, [2, 3]),
        ({"pageNumber": {"$lte": 1}}, [1]),
        ({"pageNumber": {"$in": [1, 4]}}, [1, 4]),
        ({"pageNumber": {"$nin": [1, 4]}}, [2, 3]),
        ({"pageType": "content"}, [2, 3]),
        ({"pageType": {"$in": ["cover", "summary"]}}, [1]),
        ({"pageType": {"$exists": False}}, [4]),
        ({"pageType": {"$exists": True}}, [1, 2, 3]),
        ({"pageType": None}, [4]),
        ({"pageType": {"$ne": None}}, [1, 2, 3]),
        ({"pageType": {"$ne": "content"}}, [1, 4]),
        ({"status": "pending", "pageNumber": {"$gte": 3}}, [3, 4]),
        ({"$or": [{"pageNumber": 1}, {"pageType": "content", "pageNumber": {"$gt": 2}}]}, [1, 3]),
        ({"$and": [{"pageNumber": {"$gt": 1}}, {"pageNumber": {"$lt": 4}}]}, [2, 3]),
        ({"$or": [{"$and": [{"pageNumber": 1}]}, {"pageNumber": 4}]}, [1, 4]),
        ({"metadata.customer.region": "emea"}, [1, 3]),
        ({"metadata.customer.region": {"$in": ["apac"]}}, [2]),
        ({"metadata.customer.region": {"$ne": "emea"}}, [2, 4]),
        ({"metadata.score": {"$gte": 20}}, [2, 3]),
        ({"metadata.score": {"$exists": False}}, [4]),
        ({"metadata.flag": True}, [4]),
        ({"metadata.customer": {"region": "apac"}}, [2]),
        ({"pageUrl": {"$in": ["https://files.example.com/invoices/p1.png"]}}, [1, 2, 3, 4]),
        ({"createdAt": {"$gte": "2000-01-01T00:00:00Z"}}, [1, 2, 3, 4]),
        ({"createdAt": {"$lt": "2000-01-01"}}, []),
    ],
)
async def test_filter_operators_select_the_right_pages(
    client: httpx.AsyncClient, filter_: dict[str, Any], expected: list[int]
) -> None:
    await four_pages(client)
    assert await page_numbers(client, filter_) == expected


async def test_filter_by_job_and_by_id(client: httpx.AsyncClient) -> None:
    job = await four_pages(client)
    other = await new_job(client, name="other.pdf")
    page = await new_page(client, other["id"], pageNumber=9)
    assert await page_numbers(client, {"job": other["id"]}) == [9]
    assert await page_numbers(client, {"job": {"$ne": job}}) == [9]
    assert await page_numbers(client, {"_id": page["id"]}) == [9]
    assert await page_numbers(client, {"id": {"$in": [page["id"]]}}) == [9]


async def test_filter_and_search_combine_and_total_counts_both(
    client: httpx.AsyncClient,
) -> None:
    await four_pages(client)
    params = {"filter": '{"pageType": "content"}', "search": "P1.PNG", "limit": 1}
    body = await ok(client, "GET", PAGES, params=params)
    assert body["total"] == 2
    assert len(body["data"]) == 1


@pytest.mark.parametrize(
    ("filter_", "expected"),
    [
        ({"tags": "q1"}, ["a", "b"]),
        ({"tags": {"$eq": "acme"}}, ["b"]),
        ({"tags": {"$in": ["acme", "q2"]}}, ["b", "c"]),
        ({"tags": {"$nin": ["q1"]}}, ["c", "d"]),
        ({"tags": {"$all": ["q1", "acme"]}}, ["b"]),
        ({"tags": {"$ne": "q1"}}, ["c", "d"]),
        ({"tags": []}, ["d"]),
        ({"tags": {"$ne": []}}, ["a", "b", "c"]),
        ({"priority": {"$gte": "high"}}, ["b", "c"]),
        ({"priority": "low"}, ["a"]),
        ({"name": {"$in": ["a", "d"]}}, ["a", "d"]),
        ({"batchNumber": None}, ["b", "c", "d"]),
        ({"metadata.region": "emea"}, ["a"]),
    ],
)
async def test_group_filters_on_tags_priority_and_text(
    client: httpx.AsyncClient, filter_: dict[str, Any], expected: list[str]
) -> None:
    await new_group(client, name="a", tags=["q1"], priority="low", batchNumber="B-1",
                    metadata={"region": "emea"})  # fmt: skip
    await new_group(client, name="b", tags=["q1", "acme"], priority="urgent")
    await new_group(client, name="c", tags=["q2"], priority="high")
    await new_group(client, name="d")
    params = {"filter": json.dumps(filter_), "sort": "name", "order": "asc"}
    body = await ok(client, "GET", GROUPS, params=params)
    assert [group["name"] for group in body["data"]] == expected


@pytest.mark.parametrize(
    ("raw", "field", "words"),
    [
        ("{not json", "filter", "not valid JSON"),
        ("[1, 2]", "filter", "JSON object"),
        ('"status"', "filter", "JSON object"),
        ('{"ocrText": "x"}', "filter.ocrText", "unknown filter field"),
        ('{"jobId": "x"}', "filter.jobId", "unknown filter field"),
        ('{"pageNumber": {"$regex": "1"}}', "filter.pageNumber.$regex", "unknown operator"),
        ('{"pageNumber": {"$all": [1]}}', "filter.pageNumber.$all", "tags"),
        ('{"$nor": [{"pageNumber": 1}]}', "filter.$nor", "$and or $or"),
        ('{"$where": "1 == 1"}', "filter.$where", "$and or $or"),
        ('{"pageNumber": {"$gt": "two"}}', "filter.pageNumber.$gt", "must be an integer"),
        ('{"pageNumber": {"$gt": null}}', "filter.pageNumber.$gt", "null"),
        ('{"pageNumber": null}', "filter.pageNumber.$eq", "null"),
        ('{"pageNumber": {"$in": 3}}', "filter.pageNumber.$in", "array"),
        ('{"pageNumber": {"$in": [1, null]}}', "filter.pageNumber.$in", "null"),
        ('{"pageNumber": {"$gte": 1, "x": 2}}', "filter.pageNumber", "operators"),
        ('{"pageNumber": [1, 2]}', "filter.pageNumber.$eq", "single value"),
        ('{"pageType": {"$exists": "yes"}}', "filter.pageType.$exists", "true or false"),
        ('{"pageUrl": {"$gt": "a"}}', "filter.pageUrl.$gt", "not supported"),
        ('{"status": "done"}', "filter.status.$eq", "must be one of: pending"),
        ('{"createdAt": {"$gt": "yesterday"}}', "filter.createdAt.$gt", "ISO 8601"),
        ('{"$and": []}', "filter.$and", "non-empty array"),
        ('{"$or": {"pageNumber": 1}}', "filter.$or", "non-empty array"),
        ('{"$or": [1]}', "filter.$or[0]", "filter object"),
        ('{"metadata": {"a": 1}}', "filter.metadata", "dotted path"),
        ('{"job.name": "x"}', "filter.job.name", "unknown filter field"),
        ('{"metadata.a b": 1}', "filter.metadata[0].path", "dot-separated"),
        ('{"metadata.a": {"$gt": NaN}}', "filter", "not valid JSON"),
        ('{"metadata.a": 1e999}', "filter", "out of range"),
        ('{"metadata.a": 100000000000000000000000}', "filter.metadata.a.$eq", "64 bits"),
        ('{"pageUrl": "a\\u0000b"}', "filter", "NUL"),
        ('{"pageUrl": "\\ud800"}', "filter", "surrogates"),
        ('{"$and": [' * 12 + "{}" + "]}" * 12, "filter.$and[0]", "nest deeper"),
    ],
)
async def test_a_bad_filter_is_400_naming_the_problem(
    client: httpx.AsyncClient, raw: str, field: str, words: str
) -> None:
    error = await fails(client, "GET", PAGES, 400, "BAD_USER_INPUT", params={"filter": raw})
    assert fields(error)[0].startswith(field), error
    assert words in error["message"], error


async def test_a_very_long_filter_is_400(client: httpx.AsyncClient) -> None:
    raw = json.dumps({"pageUrl": {"$in": ["x" * 100] * 100}})
    error = await fails(client, "GET", PAGES, 400, "BAD_USER_INPUT", params={"filter": raw})
    assert fields(error) == ["filter"]


async def test_a_filter_with_too_many_terms_is_400(client: httpx.AsyncClient) -> None:
    raw = json.dumps({"$or": [{"pageNumber": n} for n in range(1, 300)]})
    await fails(client, "GET", PAGES, 400, "BAD_USER_INPUT", params={"filter": raw})
