"""The shim is the GraphQL schema: its documents validate, and both APIs answer the same."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from graphql import parse, validate

from ocr_gateway.graphql_schema import build_schema
from ocr_gateway.rest import operations
from ocr_gateway.rest.envelope import coercion_detail, rest_path
from ocr_gateway.rest.mongo_filter import Vocabulary, translate
from ocr_gateway.settings import Settings
from tests.api.graphql import gql
from tests.rest.rest import new_group, new_job, new_page, ok

SCHEMA = build_schema(Settings())._schema


@pytest.mark.parametrize("operation", operations.ALL, ids=lambda op: op.name)
def test_every_rest_operation_validates_against_the_schema(
    operation: operations.Operation,
) -> None:
    assert validate(SCHEMA, parse(operation.document)) == []


def flat(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v["id"] if k in ("job", "group", "template") and v else v for k, v in item.items()}


async def test_rest_answers_what_graphql_answers(client: httpx.AsyncClient) -> None:
    group = await new_group(client, tags=["q1"])
    job = await new_job(client, group=group["id"])
    page = await new_page(client, job["id"], metadata={"a": 1})
    for operation, id, path in (
        (operations.PAGES.get, page["id"], f"/ocr-invoice-job-pages/{page['id']}"),
        (operations.JOBS.get, job["id"], f"/ocr-invoice-jobs/{job['id']}"),
        (operations.JOB_GROUPS.get, group["id"], f"/ocr-invoice-job-groups/{group['id']}"),
    ):
        graphql = (await gql(client, operation.document, id=id))[operation.field]
        assert (await ok(client, "GET", path))["data"] == flat(graphql)


async def test_a_rest_list_is_the_graphql_list(client: httpx.AsyncClient) -> None:
    job = await new_job(client)
    for number in (1, 2, 3):
        await new_page(client, job["id"], pageNumber=number)
    variables = {"limit": 2, "offset": 1, "order": "asc", "sort": "pageNumber",
                 "filter": {"pageNumber": {"gte": 1}}}  # fmt: skip
    graphql = (await gql(client, operations.PAGES.list.document, **variables))["pages"]
    params = {"limit": 2, "offset": 1, "order": "asc", "sort": "pageNumber",
              "filter": '{"pageNumber": {"$gte": 1}}'}  # fmt: skip
    rest = await ok(client, "GET", "/ocr-invoice-job-pages", params=params)
    assert rest["data"] == [flat(item) for item in graphql["items"]]
    assert rest["total"] == graphql["totalCount"] == 3


# ---------------------------------------------------------------- translation units

PAGE_VOCABULARY = Vocabulary.of(SCHEMA, "PageFilter")
GROUP_VOCABULARY = Vocabulary.of(SCHEMA, "JobGroupFilter")


def test_the_vocabulary_is_read_off_the_filter_input() -> None:
    rules = PAGE_VOCABULARY.fields
    assert rules["metadata"].kind == "json"
    assert "and" not in rules
    assert "gte" in rules["pageNumber"].operators
    assert "exists" not in rules["pageNumber"].operators
    assert GROUP_VOCABULARY.fields["tags"].kind == "tags"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, None),
        ("  ", None),
        ("{}", None),
        ('{"pageNumber": {"$gte": 2, "$lte": 5}}', {"pageNumber": {"gte": 2, "lte": 5}}),
        ('{"pageType": null}', {"pageType": {"exists": False}}),
        ('{"pageType": {"$eq": null, "$exists": true}}',
         {"pageType": {"exists": False}, "and": [{"pageType": {"exists": True}}]}),
        ('{"_id": "a"}', {"id": {"eq": "a"}}),
        ('{"metadata.a.b": {"$gt": 1, "$lt": 3}}',
         {"metadata": [{"path": "a.b", "gt": 1}, {"path": "a.b", "lt": 3}]}),
        ('{"$or": [{"status": "failed"}], "job": "j"}',
         {"or": [{"status": {"eq": "failed"}}], "job": {"eq": "j"}}),
    ],
)  # fmt: skip
def test_translation_to_the_graphql_filter_input(raw: str | None, expected: Any) -> None:
    assert translate(raw, PAGE_VOCABULARY) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ('{"tags": "q1"}', {"tags": {"has": "q1"}}),
        ('{"tags": {"$in": ["a"], "$nin": ["b"]}}', {"tags": {"hasAny": ["a"], "hasNone": ["b"]}}),
        ('{"tags": {"$all": ["a", "b"]}}', {"tags": {"hasAll": ["a", "b"]}}),
        ('{"tags": []}', {"tags": {"isEmpty": True}}),
        ('{"tags": {"$ne": []}}', {"tags": {"isEmpty": False}}),
        ('{"tags": {"$ne": "x"}}', {"tags": {"hasNone": ["x"]}}),
        ('{"priority": {"$gte": "high"}}', {"priority": {"gte": "high"}}),
    ],
)
def test_tags_translate_with_mongo_array_semantics(raw: str, expected: Any) -> None:
    assert translate(raw, GROUP_VOCABULARY) == expected


@pytest.mark.parametrize(
    ("message", "field", "text"),
    [
        ("Variable '$input' has invalid value at .pageNumber: Int cannot represent "
         "non-integer value: 'x'", "pageNumber", "must be an integer"),
        ("Variable '$input' has invalid value: Expected value of type 'CreatePageInput' to "
         "include required field 'job', found: {}.", "job", "is required"),
        ("Variable '$input' has invalid value: Expected value of type 'CreatePageInput' not to "
         "include unknown field 'foo'. Did you mean 'job'?", "foo", "is not a known field"),
        ("Variable '$input' has invalid value at .pageType: Value 'x' does not exist in "
         "'PageType' enum.", "pageType", "must be one of: cover, header"),
        ("Variable '$filter' has invalid value at .and[0].pageNumber.gt: Int cannot represent "
         "non-integer value: 'x'", "filter.$and[0].pageNumber.$gt", "must be an integer"),
        ("Something else entirely", "", "Something else entirely"),
    ],
)  # fmt: skip
def test_coercion_messages_speak_rest(message: str, field: str, text: str) -> None:
    enums = {"PageType": ["cover", "header", "content"]}
    detail = coercion_detail(message, enums)
    assert detail["field"] == field
    assert detail["message"].startswith(text)


def test_rest_paths_of_other_variables() -> None:
    assert rest_path("offset", "") == "offset"
    assert rest_path("input", ".tags[0]") == "tags[0]"
