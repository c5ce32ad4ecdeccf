"""/ocr-invoice-jobs and /ocr-templates: the same style as the seed APIs, on both backends."""

from __future__ import annotations

import httpx
import pytest

from tests.rest.rest import (
    GENERIC_TEMPLATE_ID,
    UNKNOWN_ID,
    fails,
    fields,
    ids,
    new_group,
    new_job,
    new_page,
    new_template,
    ok,
)

JOBS = "/ocr-invoice-jobs"
TEMPLATES = "/ocr-templates"


async def test_a_job_takes_its_groups_template_and_priority(client: httpx.AsyncClient) -> None:
    template = await new_template(client)
    group = await new_group(client, template=template["id"], priority="high")
    job = await new_job(client, group=group["id"], sourceFileName="scan.pdf")
    assert (job["group"], job["template"], job["priority"]) == (group["id"], template["id"], "high")
    assert job["sourceFileName"] == "scan.pdf"
    assert job["pageCount"] == 0
    assert (await ok(client, "GET", f"{JOBS}/{job['id']}"))["data"] == job


async def test_a_job_without_group_uses_the_generic_template(client: httpx.AsyncClient) -> None:
    job = await new_job(client)
    assert (job["group"], job["template"], job["priority"]) == (None, GENERIC_TEMPLATE_ID, "medium")


@pytest.mark.parametrize(
    ("body", "field"),
    [({}, "name"), ({"name": ""}, "name"), ({"name": "a", "group": UNKNOWN_ID}, "group"),
     ({"name": "a", "template": "x"}, "template"), ({"name": "a", "priority": "now"}, "priority")],
)  # fmt: skip
async def test_create_job_with_bad_input_is_422(
    client: httpx.AsyncClient, body: dict[str, object], field: str
) -> None:
    error = await fails(client, "POST", JOBS, 422, "BAD_USER_INPUT", json=body)
    assert fields(error) == [field]


async def test_list_jobs_filters_on_group(client: httpx.AsyncClient) -> None:
    group = await new_group(client)
    inside = await new_job(client, group=group["id"])
    await new_job(client, name="outside.pdf")
    params = {"filter": f'{{"group": "{group["id"]}"}}'}
    body = await ok(client, "GET", JOBS, params=params)
    assert (ids(body["data"]), body["total"]) == ([inside["id"]], 1)


async def test_list_jobs_without_a_group(client: httpx.AsyncClient) -> None:
    await new_job(client, group=(await new_group(client))["id"])
    alone = await new_job(client, name="alone.pdf")
    body = await ok(client, "GET", JOBS, params={"filter": '{"group": null}'})
    assert ids(body["data"]) == [alone["id"]]


async def test_put_job_replaces_the_name_and_leaves_the_group(client: httpx.AsyncClient) -> None:
    group = await new_group(client)
    job = await new_job(client, group=group["id"], metadata={"a": 1})
    updated = (await ok(client, "PUT", f"{JOBS}/{job['id']}", json={"name": "b.pdf"}))["data"]
    assert (updated["name"], updated["group"], updated["metadata"]) == (
        "b.pdf",
        group["id"],
        {"a": 1},
    )


async def test_put_job_with_group_null_takes_it_out(client: httpx.AsyncClient) -> None:
    job = await new_job(client, group=(await new_group(client))["id"])
    body = {"name": "x.pdf", "group": None}
    assert (await ok(client, "PUT", f"{JOBS}/{job['id']}", json=body))["data"]["group"] is None


async def test_put_job_without_a_name_is_422(client: httpx.AsyncClient) -> None:
    job = await new_job(client)
    error = await fails(client, "PUT", f"{JOBS}/{job['id']}", 422, "BAD_USER_INPUT", json={})
    assert fields(error) == ["name"]


async def test_pages_of_a_job_come_in_page_number_order(client: httpx.AsyncClient) -> None:
    job = await new_job(client)
    pages = {n: await new_page(client, job["id"], pageNumber=n) for n in (3, 1, 2)}
    body = await ok(client, "GET", f"{JOBS}/{job['id']}/pages")
    assert ids(body["data"]) == [pages[n]["id"] for n in (1, 2, 3)]
    assert body["total"] == 3
    assert {p["job"] for p in body["data"]} == {job["id"]}


async def test_pages_of_an_unknown_job_is_404(client: httpx.AsyncClient) -> None:
    await fails(client, "GET", f"{JOBS}/{UNKNOWN_ID}/pages", 404, "NOT_FOUND")


async def test_delete_a_job_with_pages_needs_cascade(client: httpx.AsyncClient) -> None:
    job = await new_job(client)
    page = await new_page(client, job["id"])
    await fails(client, "DELETE", f"{JOBS}/{job['id']}", 409, "CONFLICT")
    await ok(client, "GET", f"/ocr-invoice-job-pages/{page['id']}")
    body = await ok(client, "DELETE", f"{JOBS}/{job['id']}", params={"cascade": "true"})
    assert body == {"success": True, "message": "OCR invoice job deleted successfully"}
    await fails(client, "GET", f"/ocr-invoice-job-pages/{page['id']}", 404, "NOT_FOUND")


async def test_delete_a_job_without_pages(client: httpx.AsyncClient) -> None:
    job = await new_job(client)
    await ok(client, "DELETE", f"{JOBS}/{job['id']}")
    await fails(client, "GET", f"{JOBS}/{job['id']}", 404, "NOT_FOUND")


async def test_delete_with_a_bad_cascade_is_400(client: httpx.AsyncClient) -> None:
    job = await new_job(client)
    params = {"cascade": "maybe"}
    error = await fails(
        client, "DELETE", f"{JOBS}/{job['id']}", 400, "BAD_USER_INPUT", params=params
    )
    assert fields(error) == ["cascade"]


# ---------------------------------------------------------------- templates


async def test_create_and_get_a_template(client: httpx.AsyncClient) -> None:
    data = {
        "name": "Acme",
        "languages": ["en", "de"],
        "fields": [{"name": "total", "type": "amount", "labels": ["Total"],
                    "region": {"x": 0.5, "y": 0.8, "width": 0.5, "height": 0.2}}],
        "options": {"decimalSeparator": ",", "defaultCurrency": "EUR"},
    }  # fmt: skip
    template = (await ok(client, "POST", TEMPLATES, 201, json=data))["data"]
    assert template["languages"] == ["en", "de"]
    assert template["builtin"] is False
    assert template["fields"][0]["region"] == data["fields"][0]["region"]  # type: ignore[index]
    assert template["options"]["defaultCurrency"] == "EUR"
    assert (await ok(client, "GET", f"{TEMPLATES}/{template['id']}"))["data"] == template


async def test_the_builtin_template_is_listed_and_read_only(client: httpx.AsyncClient) -> None:
    body = await ok(client, "GET", TEMPLATES, params={"filter": '{"builtin": true}'})
    assert GENERIC_TEMPLATE_ID in ids(body["data"])
    path = f"{TEMPLATES}/{GENERIC_TEMPLATE_ID}"
    await fails(client, "PUT", path, 409, "CONFLICT", json={"name": "Mine"})
    await fails(client, "DELETE", path, 409, "CONFLICT")


async def test_a_duplicate_template_name_is_409(client: httpx.AsyncClient) -> None:
    await new_template(client, name="Acme")
    await fails(client, "POST", TEMPLATES, 409, "CONFLICT", json={"name": "acme"})


@pytest.mark.parametrize(
    ("body", "field"),
    [({"name": "a", "languages": ["xx"]}, "languages"),
     ({"name": "a", "fields": [{"name": "9bad", "labels": ["x"]}]}, "fields[0].name"),
     ({"name": "a", "fields": [{"name": "t"}]}, "fields[0]"),
     ({"name": "a", "options": {"defaultCurrency": "euro"}}, "options.defaultCurrency")],
)  # fmt: skip
async def test_create_template_with_bad_input_is_422(
    client: httpx.AsyncClient, body: dict[str, object], field: str
) -> None:
    error = await fails(client, "POST", TEMPLATES, 422, "BAD_USER_INPUT", json=body)
    assert fields(error) == [field]


async def test_put_template_keeps_what_is_not_given(client: httpx.AsyncClient) -> None:
    template = await new_template(client, description="d")
    body = {"name": "Renamed"}
    updated = (await ok(client, "PUT", f"{TEMPLATES}/{template['id']}", json=body))["data"]
    assert (updated["name"], updated["description"]) == ("Renamed", "d")
    assert updated["fields"] == template["fields"]


async def test_a_template_in_use_cannot_be_deleted(client: httpx.AsyncClient) -> None:
    template = await new_template(client)
    await new_group(client, template=template["id"])
    await fails(client, "DELETE", f"{TEMPLATES}/{template['id']}", 409, "CONFLICT")


async def test_delete_an_unused_template(client: httpx.AsyncClient) -> None:
    template = await new_template(client)
    body = await ok(client, "DELETE", f"{TEMPLATES}/{template['id']}")
    assert body == {"success": True, "message": "OCR template deleted successfully"}
    await fails(client, "GET", f"{TEMPLATES}/{template['id']}", 404, "NOT_FOUND")
