from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.api.factories import (
    TEMPLATE_FIELDS,
    UNKNOWN_ID,
    create_template,
    ids,
    problem_fields,
    total,
)
from tests.api.graphql import GENERIC_TEMPLATE_ID, create_group, create_job, gql, gql_error, gql_raw

GET = f"query($id: ID!) {{ template(id: $id) {{ {TEMPLATE_FIELDS} }} }}"
CREATE = "mutation($i: CreateTemplateInput!) { createTemplate(input: $i) { id } }"
UPDATE = "mutation($id: ID!, $i: UpdateTemplateInput!) { updateTemplate(id: $id, input: $i) {"
UPDATE += f" {TEMPLATE_FIELDS} }} }}"
DELETE = "mutation($id: ID!) { deleteTemplate(id: $id) { id } }"
GENERIC_FIELDS = [
    "invoiceNumber",
    "invoiceDate",
    "dueDate",
    "total",
    "subtotal",
    "tax",
    "currency",
    "vendorName",
]


async def test_the_generic_invoice_template_is_built_in(client: httpx.AsyncClient) -> None:
    template = (await gql(client, GET, id=GENERIC_TEMPLATE_ID))["template"]
    assert template["name"] == "Generic invoice"
    assert template["builtin"] is True
    assert template["active"] is True
    assert template["languages"] == ["en"]
    assert sorted(f["name"] for f in template["fields"]) == sorted(GENERIC_FIELDS)
    assert all(f["regex"] or f["labels"] for f in template["fields"])
    assert template["options"]["defaultCurrency"] == "USD"


async def test_the_generic_template_is_listed(client: httpx.AsyncClient) -> None:
    query = "{ templates(filter: {builtin: {eq: true}}) { totalCount items { id builtin } } }"
    result = (await gql(client, query))["templates"]
    assert result["totalCount"] == 1
    assert result["items"] == [{"id": GENERIC_TEMPLATE_ID, "builtin": True}]


async def test_a_built_in_template_cannot_be_updated(client: httpx.AsyncClient) -> None:
    error = await gql_error(client, UPDATE, id=GENERIC_TEMPLATE_ID, i={"description": "mine"})
    assert error["extensions"]["code"] == "CONFLICT"
    template = (await gql(client, GET, id=GENERIC_TEMPLATE_ID))["template"]
    assert template["description"] != "mine"


async def test_a_built_in_template_cannot_be_deleted(client: httpx.AsyncClient) -> None:
    error = await gql_error(client, DELETE, id=GENERIC_TEMPLATE_ID)
    assert error["extensions"]["code"] == "CONFLICT"
    assert (await gql(client, GET, id=GENERIC_TEMPLATE_ID))["template"] is not None


async def test_create_stores_fields_options_and_languages(client: httpx.AsyncClient) -> None:
    fields = [
        {
            "name": "invoiceNumber",
            "type": "string",
            "regex": r"INV-\d{4}",
            "labels": ["invoice no"],
            "required": True,
            "region": {"x": 0.5, "y": 0.0, "width": 0.5, "height": 0.25},
        },
        {"name": "total", "type": "amount", "labels": ["total", "gesamt"]},
    ]
    options = {"dateFormats": ["%d.%m.%Y"], "decimalSeparator": ",", "defaultCurrency": "EUR"}
    created = await create_template(
        client,
        name="Acme GmbH",
        description="German invoices",
        languages=["de", "en"],
        fields=fields,
        options=options,
    )
    fetched = (await gql(client, GET, id=created["id"]))["template"]
    assert fetched == created
    assert fetched["builtin"] is False
    assert fetched["active"] is True
    assert fetched["languages"] == ["de", "en"]
    assert fetched["options"] == options
    assert fetched["fields"][0] == {**fields[0], "required": True}
    assert fetched["fields"][1] == {
        **fields[1],
        "regex": None,
        "region": None,
        "required": False,
    }


async def test_create_applies_the_defaults(client: httpx.AsyncClient) -> None:
    created = await create_template(client, name="Plain")
    assert len(created["id"]) == 24
    assert created["languages"] == ["en"]
    assert created["description"] is None
    assert created["options"] == {
        "dateFormats": [],
        "decimalSeparator": ".",
        "defaultCurrency": None,
    }
    assert created["fields"][0]["type"] == "amount"
    assert created["fields"][0]["required"] is False


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": "   "}, "name"),
        ({"name": "x" * 256}, "name"),
        ({"languages": ["en", "xx"]}, "languages"),
        ({"languages": []}, "languages"),
        ({"fields": [{"name": "total", "regex": "([0-9"}]}, "fields[0].regex"),
        (
            {"fields": [{"name": "total", "labels": ["a"]}, {"name": "total", "labels": ["b"]}]},
            "fields[1].name",
        ),
        ({"fields": [{"name": "9lives", "labels": ["a"]}]}, "fields[0].name"),
        ({"fields": [{"name": "total"}]}, "fields[0]"),
        ({"fields": [{"name": "total", "regex": "", "labels": []}]}, "fields[0]"),
        (
            {
                "fields": [
                    {
                        "name": "total",
                        "labels": ["total"],
                        "region": {"x": 0.6, "y": 0.1, "width": 0.5, "height": 0.2},
                    }
                ]
            },
            "fields[0].region",
        ),
        (
            {
                "fields": [
                    {
                        "name": "total",
                        "labels": ["total"],
                        "region": {"x": -0.1, "y": 0.1, "width": 0.5, "height": 0.2},
                    }
                ]
            },
            "fields[0].region",
        ),
        ({"options": {"defaultCurrency": "usd"}}, "options.defaultCurrency"),
        ({"options": {"defaultCurrency": "DOLLARS"}}, "options.defaultCurrency"),
        ({"options": {"decimalSeparator": ";"}}, "options.decimalSeparator"),
    ],
)
async def test_create_rejects_bad_input_naming_the_field(
    client: httpx.AsyncClient, fields: dict[str, Any], field: str
) -> None:
    data = {"name": "Acme", "fields": [{"name": "total", "labels": ["total"]}], **fields}
    error = await gql_error(client, CREATE, i=data)
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert problem_fields(error) == [field]
    assert await total(client, "templates") == 1


async def test_create_reports_every_bad_field_at_once(client: httpx.AsyncClient) -> None:
    data = {
        "name": "",
        "languages": ["klingon"],
        "fields": [{"name": "total"}],
        "options": {"defaultCurrency": "eur"},
    }
    error = await gql_error(client, CREATE, i=data)
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert sorted(problem_fields(error)) == sorted(
        ["name", "languages", "fields[0]", "options.defaultCurrency"]
    )


async def test_create_rejects_an_unknown_field_type(client: httpx.AsyncClient) -> None:
    data = {"name": "Acme", "fields": [{"name": "total", "type": "money", "labels": ["t"]}]}
    error = await gql_error(client, CREATE, i=data)
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert await total(client, "templates") == 1


async def test_create_with_a_taken_name_is_a_conflict(client: httpx.AsyncClient) -> None:
    await create_template(client, name="Acme")
    error = await gql_error(client, CREATE, i={"name": "Acme"})
    assert error["extensions"]["code"] == "CONFLICT"
    assert await total(client, "templates") == 2


async def test_template_names_are_unique_ignoring_case(client: httpx.AsyncClient) -> None:
    error = await gql_error(client, CREATE, i={"name": "GENERIC INVOICE"})
    assert error["extensions"]["code"] == "CONFLICT"


async def test_get_unknown_or_malformed_id_is_not_found(client: httpx.AsyncClient) -> None:
    for id_ in (UNKNOWN_ID, "nope"):
        body = await gql_raw(client, GET, id=id_)
        assert body["data"] == {"template": None}
        assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_update_changes_only_the_given_fields(client: httpx.AsyncClient) -> None:
    created = await create_template(
        client, description="keep", languages=["fr"], options={"defaultCurrency": "EUR"}
    )
    updated = (await gql(client, UPDATE, id=created["id"], i={"name": "Renamed"}))["updateTemplate"]
    assert updated["name"] == "Renamed"
    assert {k: v for k, v in updated.items() if k not in ("name", "updatedAt")} == {
        k: v for k, v in created.items() if k not in ("name", "updatedAt")
    }
    assert updated["updatedAt"] >= created["updatedAt"]


async def test_update_replaces_the_field_list(client: httpx.AsyncClient) -> None:
    created = await create_template(client)
    new_fields = [{"name": "iban", "regex": "[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}"}]
    updated = await gql(client, UPDATE, id=created["id"], i={"fields": new_fields})
    assert [f["name"] for f in updated["updateTemplate"]["fields"]] == ["iban"]


async def test_update_with_null_clears_the_description(client: httpx.AsyncClient) -> None:
    created = await create_template(client, description="old")
    updated = await gql(client, UPDATE, id=created["id"], i={"description": None})
    assert updated["updateTemplate"]["description"] is None


async def test_update_can_deactivate(client: httpx.AsyncClient) -> None:
    created = await create_template(client)
    updated = await gql(client, UPDATE, id=created["id"], i={"active": False})
    assert updated["updateTemplate"]["active"] is False


async def test_update_validates_like_create(client: httpx.AsyncClient) -> None:
    created = await create_template(client)
    error = await gql_error(client, UPDATE, id=created["id"], i={"languages": ["zz"]})
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert problem_fields(error) == ["languages"]
    fetched = (await gql(client, GET, id=created["id"]))["template"]
    assert fetched["languages"] == ["en"]


async def test_update_to_a_taken_name_is_a_conflict(client: httpx.AsyncClient) -> None:
    await create_template(client, name="First")
    second = await create_template(client, name="Second")
    error = await gql_error(client, UPDATE, id=second["id"], i={"name": "first"})
    assert error["extensions"]["code"] == "CONFLICT"
    assert (await gql(client, GET, id=second["id"]))["template"]["name"] == "Second"


async def test_update_keeping_its_own_name_is_fine(client: httpx.AsyncClient) -> None:
    created = await create_template(client, name="Acme")
    updated = await gql(client, UPDATE, id=created["id"], i={"name": "Acme"})
    assert updated["updateTemplate"]["name"] == "Acme"


async def test_update_unknown_template_is_not_found(client: httpx.AsyncClient) -> None:
    error = await gql_error(client, UPDATE, id=UNKNOWN_ID, i={"name": "x"})
    assert error["extensions"]["code"] == "NOT_FOUND"


async def test_delete_an_unused_template(client: httpx.AsyncClient) -> None:
    created = await create_template(client)
    deleted = await gql(client, DELETE, id=created["id"])
    assert deleted["deleteTemplate"] == {"id": created["id"]}
    body = await gql_raw(client, GET, id=created["id"])
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_delete_a_template_used_by_a_group_is_a_conflict(client: httpx.AsyncClient) -> None:
    template = await create_template(client)
    await create_group(client, template=template["id"])
    error = await gql_error(client, DELETE, id=template["id"])
    assert error["extensions"]["code"] == "CONFLICT"
    assert (await gql(client, GET, id=template["id"]))["template"]["id"] == template["id"]


async def test_delete_a_template_used_by_a_job_is_a_conflict(client: httpx.AsyncClient) -> None:
    template = await create_template(client)
    await create_job(client, template=template["id"])
    error = await gql_error(client, DELETE, id=template["id"])
    assert error["extensions"]["code"] == "CONFLICT"
    assert await total(client, "templates") == 2


async def test_delete_unknown_template_is_not_found(client: httpx.AsyncClient) -> None:
    error = await gql_error(client, DELETE, id=UNKNOWN_ID)
    assert error["extensions"]["code"] == "NOT_FOUND"


async def test_an_inactive_template_cannot_be_given_to_new_work(
    client: httpx.AsyncClient,
) -> None:
    template = await create_template(client, active=False)
    group = await gql_error(
        client,
        "mutation($i: CreateJobGroupInput!) { createJobGroup(input: $i) { id } }",
        i={"name": "Batch", "template": template["id"]},
    )
    job = await gql_error(
        client,
        "mutation($i: CreateJobInput!) { createJob(input: $i) { id } }",
        i={"name": "a.pdf", "template": template["id"]},
    )
    assert problem_fields(group) == ["template"]
    assert problem_fields(job) == ["template"]


async def test_job_groups_lists_the_groups_using_the_template(client: httpx.AsyncClient) -> None:
    template = await create_template(client)
    mine = [await create_group(client, template=template["id"], name=f"g{n}") for n in range(3)]
    await create_group(client, name="generic")
    query = "query($id: ID!) { template(id: $id) { jobGroups(limit: 2, sort: name, order: asc)"
    query += " { totalCount items { id name template { id } } } } }"
    groups = (await gql(client, query, id=template["id"]))["template"]["jobGroups"]
    assert groups["totalCount"] == 3
    assert ids(groups["items"]) == ids(mine[:2])
    assert {g["template"]["id"] for g in groups["items"]} == {template["id"]}


async def test_job_groups_of_many_templates_stay_apart(client: httpx.AsyncClient) -> None:
    template = await create_template(client)
    await create_group(client, template=template["id"], name="mine")
    for n in range(2):
        await create_group(client, name=f"generic {n}")
    query = "{ templates(sort: name, order: asc) { items { name"
    query += ' jobGroups(filter: {name: {startsWith: "generic"}}) { totalCount } } } }'
    items = (await gql(client, query))["templates"]["items"]
    assert items == [
        {"name": "Acme invoices", "jobGroups": {"totalCount": 0}},
        {"name": "Generic invoice", "jobGroups": {"totalCount": 2}},
    ]


async def test_search_templates_by_name_or_description(client: httpx.AsyncClient) -> None:
    acme = await create_template(client, name="Acme", description="Invoices from ACME Corp")
    await create_template(client, name="Other")
    query = "query($s: String!) { templates(search: $s) { totalCount items { id } } }"
    result = (await gql(client, query, s="acme corp"))["templates"]
    assert result == {"totalCount": 1, "items": [{"id": acme["id"]}]}
