"""Exports over both APIs, on both backends: GraphQL fields and REST downloads."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import httpx
import pytest

from ocr_gateway.auth import HEADER, Scope, create_key
from ocr_gateway.db.engine import Database
from ocr_gateway.db.models import Job
from tests.api.factories import UNKNOWN_ID, set_columns
from tests.api.graphql import create_group, create_job, gql, gql_raw
from tests.exports.factories import complete_data, field
from tests.exports.schemas import assert_valid_cii, assert_valid_ubl
from tests.rest.rest import PREFIX, fails

GROUP_EXPORT = (
    "query($id: ID!, $f: JobGroupExportFormat!) { jobGroup(id: $id) { export(format: $f) } }"
)
JOB_EXPORT = "query($id: ID!, $f: JobExportFormat!) { job(id: $id) { id export(format: $f) } }"
BUYER = {"buyer": {"name": "Acme Buying Ltd", "country": "GB", "vatId": "GB123456789"}}


async def invoice_job(
    client: httpx.AsyncClient, db: Database, group: str, name: str, data: dict[str, Any]
) -> str:
    job = await create_job(client, name=name, group=group)
    await set_columns(db, Job, job["id"], invoice_data=data, status="completed")
    return str(job["id"])


async def group_with_jobs(client: httpx.AsyncClient, db: Database) -> tuple[str, list[str]]:
    group = await create_group(client, name="January", metadata=BUYER)
    first = await invoice_job(client, db, group["id"], "mueller.pdf", complete_data())
    hostile = complete_data(vendorName=field("=cmd|' /C calc'!A0"), tax=None, subtotal=None)
    second = await invoice_job(client, db, group["id"], "partial.png", hostile)
    return group["id"], [first, second]


async def test_graphql_group_export_csv_and_json(client: httpx.AsyncClient, db: Database) -> None:
    group, jobs = await group_with_jobs(client, db)
    text = (await gql(client, GROUP_EXPORT, id=group, f="csv"))["jobGroup"]["export"]
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["jobId"] for r in rows] == jobs
    assert rows[0]["total"] == "1190.00"
    assert rows[0]["status"] == "completed"
    assert rows[1]["vendorName"] == "'=cmd|' /C calc'!A0"
    assert rows[1]["subtotal"] == ""
    objects = json.loads(
        (await gql(client, GROUP_EXPORT, id=group, f="json"))["jobGroup"]["export"]
    )
    assert [o["jobId"] for o in objects] == jobs
    assert objects[1]["vendorName"] == "=cmd|' /C calc'!A0"


async def test_graphql_job_export_ubl_and_cii_use_the_group_buyer(
    client: httpx.AsyncClient, db: Database
) -> None:
    _group, (job, _) = await group_with_jobs(client, db)
    ubl = (await gql(client, JOB_EXPORT, id=job, f="ubl"))["job"]["export"]
    root = assert_valid_ubl(ubl.encode())
    assert b"Acme Buying Ltd" in ubl.encode()
    assert root.findtext("{*}ID") == "RE-2024-0042"
    cii = (await gql(client, JOB_EXPORT, id=job, f="cii"))["job"]["export"]
    profile, _root = assert_valid_cii(cii.encode())
    assert profile == "urn:factur-x.eu:1p0:basicwl"
    one = json.loads((await gql(client, JOB_EXPORT, id=job, f="json"))["job"]["export"])
    assert (one["jobId"], one["invoiceNumber"]) == (job, "RE-2024-0042")


async def test_graphql_incomplete_job_is_null_with_the_missing_fields(
    client: httpx.AsyncClient, db: Database
) -> None:
    _group, (_, partial) = await group_with_jobs(client, db)
    body = await gql_raw(client, JOB_EXPORT, id=partial, f="ubl")
    assert body["data"]["job"] == {"id": partial, "export": None}
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert [f["field"] for f in error["extensions"]["fields"]] == ["subtotal"]
    assert error["path"] == ["job", "export"]


async def test_graphql_export_of_a_job_without_a_group_needs_the_buyer_in_its_data(
    client: httpx.AsyncClient, db: Database
) -> None:
    job = await create_job(client, name="loose.pdf")
    await set_columns(db, Job, job["id"], invoice_data=complete_data())
    body = await gql_raw(client, JOB_EXPORT, id=job["id"], f="cii")
    assert [f["field"] for f in body["errors"][0]["extensions"]["fields"]] == ["buyerName"]
    ubl = (await gql(client, JOB_EXPORT, id=job["id"], f="ubl"))["job"]["export"]
    assert_valid_ubl(ubl.encode())


async def test_graphql_rejects_a_format_the_field_does_not_offer(client: httpx.AsyncClient) -> None:
    group = await create_group(client)
    body = await gql_raw(client, GROUP_EXPORT, id=group["id"], f="ubl")
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_rest_group_csv_download(client: httpx.AsyncClient, db: Database) -> None:
    group, jobs = await group_with_jobs(client, db)
    response = await client.get(f"{PREFIX}/ocr-invoice-job-groups/{group}/export?format=csv")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    disposition = f'attachment; filename="job-group-{group}.csv"'
    assert response.headers["content-disposition"] == disposition
    assert [r["jobId"] for r in csv.DictReader(io.StringIO(response.text))] == jobs
    graphql = (await gql(client, GROUP_EXPORT, id=group, f="csv"))["jobGroup"]["export"]
    assert response.text == graphql


async def test_rest_group_json_download(client: httpx.AsyncClient, db: Database) -> None:
    group, jobs = await group_with_jobs(client, db)
    response = await client.get(f"{PREFIX}/ocr-invoice-job-groups/{group}/export?format=json")
    assert response.headers["content-type"] == "application/json"
    assert [o["jobId"] for o in response.json()] == jobs


@pytest.mark.parametrize("format", ["ubl", "cii"])
async def test_rest_job_xml_download(client: httpx.AsyncClient, db: Database, format: str) -> None:
    _group, (job, _) = await group_with_jobs(client, db)
    response = await client.get(
        f"{PREFIX}/ocr-invoice-jobs/{job}/export", params={"format": format}
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/xml"
    disposition = f'attachment; filename="job-{job}.{format}.xml"'
    assert response.headers["content-disposition"] == disposition
    if format == "ubl":
        assert_valid_ubl(response.content)
    else:
        assert_valid_cii(response.content)


async def test_rest_incomplete_job_is_422_naming_the_fields(
    client: httpx.AsyncClient, db: Database
) -> None:
    _group, (_, partial) = await group_with_jobs(client, db)
    error = await fails(
        client, "GET", f"/ocr-invoice-jobs/{partial}/export?format=cii", 422, "BAD_USER_INPUT"
    )
    assert [d["field"] for d in error["details"]] == ["subtotal"]
    assert "cannot make this document" in error["message"]


async def test_rest_bad_format_and_unknown_ids(client: httpx.AsyncClient) -> None:
    group = await create_group(client)
    path = f"/ocr-invoice-job-groups/{group['id']}/export"
    error = await fails(client, "GET", path + "?format=ubl", 400, "BAD_USER_INPUT")
    assert error["details"] == [
        {"field": "format", "message": "must be one of csv, json, not 'ubl'"}
    ]
    await fails(client, "GET", path, 400, "BAD_USER_INPUT")
    await fails(
        client, "GET", f"/ocr-invoice-job-groups/{UNKNOWN_ID}/export?format=csv", 404, "NOT_FOUND"
    )
    await fails(
        client, "GET", f"/ocr-invoice-jobs/{UNKNOWN_ID}/export?format=ubl", 404, "NOT_FOUND"
    )
    await fails(client, "GET", "/ocr-invoice-jobs/not-an-id/export?format=ubl", 404, "NOT_FOUND")


async def test_exports_need_the_read_scope_and_nothing_more(
    client: httpx.AsyncClient, db: Database
) -> None:
    group, _jobs = await group_with_jobs(client, db)
    path = f"{PREFIX}/ocr-invoice-job-groups/{group}/export?format=csv"
    _row, writer = await create_key(db, "writer", [Scope.write])
    _row, reader = await create_key(db, "reader", [Scope.read])
    assert (await client.get(path, headers={HEADER: writer})).status_code == 403
    assert (await client.get(path, headers={HEADER: reader})).status_code == 200
    assert (await client.get(path, headers={HEADER: "nope"})).status_code == 401


async def test_an_empty_group_exports_a_header_row(client: httpx.AsyncClient) -> None:
    group = await create_group(client)
    text = (await gql(client, GROUP_EXPORT, id=group["id"], f="csv"))["jobGroup"]["export"]
    assert text.count("\r\n") == 1


async def test_the_export_routes_are_in_the_openapi_document(client: httpx.AsyncClient) -> None:
    document = (await client.get("/openapi.json")).json()
    group = document["paths"][f"{PREFIX}/ocr-invoice-job-groups/{{id}}/export"]["get"]
    job = document["paths"][f"{PREFIX}/ocr-invoice-jobs/{{id}}/export"]["get"]
    assert set(group["responses"]["200"]["content"]) == {"text/csv", "application/json"}
    assert set(job["responses"]["200"]["content"]) == {"application/xml", "application/json"}
    formats = {p["name"]: p for p in job["parameters"]}["format"]
    assert formats["schema"]["enum"] == ["ubl", "cii", "json"]
    assert "422" in job["responses"]
