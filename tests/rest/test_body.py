"""REST bodies are typed strictly (no list coercion), and every problem is reported at once."""

from __future__ import annotations

import httpx
import pytest

from tests.rest.rest import GENERIC_TEMPLATE_ID, PAGE_URL, call, fails, new_job

PAGES = "/ocr-invoice-job-pages"
GROUPS = "/ocr-invoice-job-groups"


async def count_groups(client: httpx.AsyncClient) -> int:
    total: int = (await call(client, "GET", GROUPS)).json()["total"]
    return total


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"tags": "q1"}, "tags", "must be a list of strings"),
        ({"tags": ["q1", 2]}, "tags[1]", "must be a string"),
        ({"priority": 3}, "priority", "must be one of: low, medium, high, urgent"),
        ({"metadata": [1]}, "metadata", None),
    ],
)
async def test_a_group_body_of_the_wrong_shape_is_refused(
    client: httpx.AsyncClient, body: dict[str, object], field: str, message: str | None
) -> None:
    before = await count_groups(client)
    full = {"name": "G", "template": GENERIC_TEMPLATE_ID, **body}
    error = await fails(client, "POST", GROUPS, 422, "BAD_USER_INPUT", json=full)
    assert field in [d["field"] for d in error["details"]], error
    if message is not None:
        assert {"field": field, "message": message} in error["details"]
    assert await count_groups(client) == before


async def test_annotations_given_as_an_object_are_refused(client: httpx.AsyncClient) -> None:
    job = await new_job(client)
    body = {"job": job["id"], "pageNumber": 1, "pageUrl": PAGE_URL, "annotations": {}}
    error = await fails(client, "POST", PAGES, 422, "BAD_USER_INPUT", json=body)
    assert error["details"] == [
        {"field": "annotations", "message": "must be a list of JSON values"}
    ]


async def test_type_errors_and_other_errors_are_reported_together(
    client: httpx.AsyncClient,
) -> None:
    body = {
        "job": "60f7b1b3e4b0e8b3f8b3f8b4",  # well typed, but no such job
        "pageNumber": "two",  # a type error
        "pageUrl": "javascript:alert(1)",  # well typed, but never fetchable
        "annotations": {},  # a type error
    }
    error = await fails(client, "POST", PAGES, 422, "BAD_USER_INPUT", json=body)
    assert {d["field"] for d in error["details"]} == {"pageNumber", "annotations", "job", "pageUrl"}


async def test_a_put_missing_required_fields_and_of_the_wrong_type_reports_both(
    client: httpx.AsyncClient,
) -> None:
    job = await new_job(client)
    created = await call(
        client, "POST", PAGES, json={"job": job["id"], "pageNumber": 1, "pageUrl": PAGE_URL}
    )
    page_id = created.json()["data"]["id"]
    body = {"job": job["id"], "pageUrl": PAGE_URL, "metadata": "x"}
    error = await fails(client, "PUT", f"{PAGES}/{page_id}", 422, "BAD_USER_INPUT", json=body)
    assert {d["field"] for d in error["details"]} == {"pageNumber", "metadata"}
    unchanged = await call(client, "GET", f"{PAGES}/{page_id}")
    assert unchanged.json()["data"]["metadata"] == {}


async def test_a_dry_run_keeps_nothing_even_when_the_rest_of_the_body_is_good(
    client: httpx.AsyncClient,
) -> None:
    before = await count_groups(client)
    body = {"name": "G", "template": GENERIC_TEMPLATE_ID, "tags": "q1"}
    await fails(client, "POST", GROUPS, 422, "BAD_USER_INPUT", json=body)
    assert await count_groups(client) == before


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "mailto:billing@example.com", "ftp://files.example.com/p.png"]
)
async def test_page_urls_that_can_never_be_fetched_are_refused(
    client: httpx.AsyncClient, url: str
) -> None:
    job = await new_job(client)
    body = {"job": job["id"], "pageNumber": 1, "pageUrl": url}
    error = await fails(client, "POST", PAGES, 422, "BAD_USER_INPUT", json=body)
    assert error["details"][0]["field"] == "pageUrl"
    assert "cannot be fetched" in error["details"][0]["message"]


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("GET", "/no-such-thing", 404, "NOT_FOUND"),
        ("PATCH", PAGES, 405, "METHOD_NOT_ALLOWED"),
        ("DELETE", GROUPS, 405, "METHOD_NOT_ALLOWED"),
    ],
)
async def test_unknown_paths_and_methods_answer_in_the_envelope(
    client: httpx.AsyncClient, method: str, path: str, status: int, code: str
) -> None:
    error = await fails(client, method, path, status, code)
    assert error["message"]
    if status == 405:
        response = await call(client, method, path)
        assert "GET" in response.headers["allow"]
        assert "allowed: GET" in error["message"]
