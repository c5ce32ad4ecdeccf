"""Contract: /openapi.json holds exactly the seed documents' page and group operations, with
their parameters, constraints, enums, bodies and texts; and /docs works with no internet."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from ocr_gateway.app import create_app
from ocr_gateway.settings import Settings

PREFIX = "/api/v1"
PAGES = f"{PREFIX}/ocr-invoice-job-pages"
GROUPS = f"{PREFIX}/ocr-invoice-job-groups"

# Transcribed from ../shared/seeds/000_* (pages) and 002_* (groups).
SEED_OPERATIONS = {
    ("get", PAGES): ("Get all OCR invoice job pages",
                     "Retrieve a list of all OCR invoice job pages with optional filtering and pagination"),
    ("post", PAGES): ("Create a new OCR invoice job page",
                      "Create a new OCR invoice job page with the provided data"),
    ("get", f"{PAGES}/{{id}}"): ("Get OCR invoice job page by ID",
                                 "Retrieve a specific OCR invoice job page by its ID"),
    ("put", f"{PAGES}/{{id}}"): ("Update OCR invoice job page",
                                 "Update an existing OCR invoice job page with new data"),
    ("delete", f"{PAGES}/{{id}}"): ("Delete OCR invoice job page",
                                    "Delete an existing OCR invoice job page"),
    ("post", f"{PAGES}/{{id}}/process"): ("Process OCR invoice job page",
                                          "Start processing a specific page of an OCR invoice job"),
    ("get", GROUPS): ("Get all OCR invoice job groups",
                      "Retrieve a list of all OCR invoice job groups with optional filtering and pagination"),
    ("post", GROUPS): ("Create a new OCR invoice job group",
                       "Create a new OCR invoice job group with the provided data"),
    ("get", f"{GROUPS}/{{id}}"): ("Get OCR invoice job group by ID",
                                  "Retrieve a specific OCR invoice job group by its ID"),
    ("put", f"{GROUPS}/{{id}}"): ("Update OCR invoice job group",
                                  "Update an existing OCR invoice job group with new data"),
    ("delete", f"{GROUPS}/{{id}}"): ("Delete OCR invoice job group",
                                     "Delete an existing OCR invoice job group"),
    ("get", f"{GROUPS}/{{id}}/jobs"): ("Get jobs in a group",
                                       "Retrieve all OCR jobs belonging to a specific group"),
}  # fmt: skip
SEED_LIST_PARAMETERS = {
    "limit": ({"type": "integer", "minimum": 1, "maximum": 100, "default": 50},
              "Maximum number of records to return"),
    "offset": ({"type": "integer", "minimum": 0, "default": 0},
               "Number of records to skip for pagination"),
    "sort": ({"type": "string"}, "Field to sort by"),
    "order": ({"type": "string", "enum": ["asc", "desc"], "default": "desc"},
              "Sort order (asc or desc)"),
    "filter": ({"type": "string"}, "Filter conditions in JSON format"),
    "search": ({"type": "string"}, "Search term for text fields"),
}  # fmt: skip
SEED_BODIES = {
    "Page": {
        "required": ["job", "pageNumber", "pageUrl"],
        "properties": {
            "job": {"type": "string", "description": "OCR invoice job ID this page belongs to"},
            "pageNumber": {"type": "integer", "minimum": 1,
                           "description": "Page number within the document"},
            "pageUrl": {"type": "string", "format": "uri", "description": "URL of the page image"},
            "pageType": {"type": "string", "description": "Type of page content",
                         "enum": ["cover", "header", "content", "footer", "summary", "attachment"]},
            "imageProperties": {"type": "object"},
            "annotations": {"type": "array", "items": {"type": "object"}},
            "metadata": {"type": "object", "description": "Additional metadata"},
        },
    },
    "JobGroup": {
        "required": ["name", "template"],
        "properties": {
            "name": {"type": "string", "description": "Name of the job group"},
            "description": {"type": "string", "description": "Description of the job group"},
            "batchNumber": {"type": "string", "description": "Batch number for tracking"},
            "template": {"type": "string", "description": "OCR template ID to use for this group"},
            "priority": {"type": "string", "default": "medium", "description": "Processing priority",
                         "enum": ["low", "medium", "high", "urgent"]},
            "processingSettings": {"type": "object"},
            "notifications": {"type": "object"},
            "createdBy": {"type": "string", "description": "User who created the job group"},
            "assignedTo": {"type": "string", "description": "User assigned to manage this group"},
            "tags": {"type": "array", "items": {"type": "string"},
                     "description": "Tags for categorization"},
            "metadata": {"type": "object", "description": "Additional metadata"},
        },
    },
}  # fmt: skip
ID_DESCRIPTIONS = {PAGES: "OCR invoice job page ID", GROUPS: "OCR invoice job group ID"}
REST_METHODS = ("get", "post", "put", "delete", "patch")


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    app = create_app(Settings(database_url="sqlite+aiosqlite:///:memory:"))
    return app.openapi()


def operations(document: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (method, path): operation
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in REST_METHODS
    }


def contains(actual: Any, expected: Any) -> bool:
    """``expected`` is ``actual`` or, for objects, a part of it (added limits are allowed)."""
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(
            k in actual and contains(actual[k], v) for k, v in expected.items()
        )
    return bool(actual == expected)


def resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    name = schema["$ref"].rsplit("/", 1)[1]
    resolved: dict[str, Any] = document["components"]["schemas"][name]
    return resolved


# Added under the seeds' paths, read-only: the group's export download (issue 13).
ADDED_OPERATIONS = {("get", f"{GROUPS}/{{id}}/export")}


def test_the_page_and_group_operations_are_exactly_the_seeds(document: dict[str, Any]) -> None:
    found = {key for key in operations(document) if key[1].startswith((PAGES, GROUPS))}
    assert found == set(SEED_OPERATIONS) | ADDED_OPERATIONS


@pytest.mark.parametrize("key", sorted(SEED_OPERATIONS))
def test_summaries_and_descriptions_are_verbatim(
    document: dict[str, Any], key: tuple[str, str]
) -> None:
    operation = operations(document)[key]
    assert (operation["summary"], operation["description"]) == SEED_OPERATIONS[key]


@pytest.mark.parametrize("path", [PAGES, GROUPS])
def test_list_parameters_have_the_seeds_constraints_enums_and_defaults(
    document: dict[str, Any], path: str
) -> None:
    parameters = operations(document)[("get", path)]["parameters"]
    assert [p["name"] for p in parameters] == list(SEED_LIST_PARAMETERS)
    for parameter in parameters:
        schema, description = SEED_LIST_PARAMETERS[parameter["name"]]
        assert parameter["in"] == "query"
        assert parameter["required"] is False
        assert contains(parameter["schema"], schema), parameter["name"]
        assert parameter["description"].startswith(description)


@pytest.mark.parametrize(
    ("path", "sorts"),
    [
        (PAGES, ["createdAt", "updatedAt", "pageNumber", "status"]),
        (GROUPS, ["createdAt", "updatedAt", "name", "batchNumber", "priority", "status"]),
    ],
)
def test_sort_is_declared_with_its_enum(
    document: dict[str, Any], path: str, sorts: list[str]
) -> None:
    parameters = operations(document)[("get", path)]["parameters"]
    sort = next(p for p in parameters if p["name"] == "sort")
    assert sort["schema"] == {"type": "string", "enum": sorts}


@pytest.mark.parametrize("key", sorted(k for k in SEED_OPERATIONS if "{id}" in k[1]))
def test_id_operations_take_exactly_the_path_id(
    document: dict[str, Any], key: tuple[str, str]
) -> None:
    parameters = operations(document)[key]["parameters"]
    base = PAGES if key[1].startswith(PAGES) else GROUPS
    assert parameters == [{"name": "id", "in": "path", "required": True,
                           "description": ID_DESCRIPTIONS[base],
                           "schema": {"type": "string", "pattern": "^[0-9a-f]{24}$"}}]  # fmt: skip


@pytest.mark.parametrize(("path", "schema"), [(PAGES, "Page"), (GROUPS, "JobGroup")])
@pytest.mark.parametrize("method", ["post", "put"])
def test_request_bodies_are_the_seeds(
    document: dict[str, Any], path: str, schema: str, method: str
) -> None:
    key = (method, path if method == "post" else f"{path}/{{id}}")
    body = operations(document)[key]["requestBody"]
    assert body["required"] is True
    resolved = resolve(document, body["content"]["application/json"]["schema"])
    seed = SEED_BODIES[schema]
    assert resolved["required"] == seed["required"]
    assert set(resolved["properties"]) == set(seed["properties"])
    for name, expected in seed["properties"].items():
        assert contains(resolved["properties"][name], expected), name


def test_update_bodies_say_what_happens_to_fields_not_given(document: dict[str, Any]) -> None:
    for schema in ("PageUpdate", "JobGroupUpdate"):
        description = document["components"]["schemas"][schema]["description"]
        assert "not given are left unchanged" in description


def test_every_rest_operation_declares_api_key_auth(document: dict[str, Any]) -> None:
    scheme = document["components"]["securitySchemes"]["ApiKeyAuth"]
    assert {k: scheme[k] for k in ("type", "in", "name")} == {
        "type": "apiKey", "in": "header", "name": "X-API-Key"
    }  # fmt: skip
    rest = {k: op for k, op in operations(document).items() if k[1].startswith(PREFIX)}
    assert len(rest) == 28  # seeds 12, jobs 7, templates 5, corrections 2, exports 2
    assert all(op["security"] == [{"ApiKeyAuth": []}] for op in rest.values())


@pytest.mark.parametrize("key", sorted(SEED_OPERATIONS))
def test_responses_document_the_envelope(document: dict[str, Any], key: tuple[str, str]) -> None:
    responses = operations(document)[key]["responses"]
    success = next(code for code in responses if code.startswith("2"))
    envelope = resolve(document, responses[success]["content"]["application/json"]["schema"])
    assert envelope["properties"]["success"] == {"type": "boolean", "const": True}
    if key[1].endswith(("/jobs",)) or key == ("get", PAGES) or key == ("get", GROUPS):
        assert envelope["properties"]["data"]["type"] == "array"
        assert "total" in envelope["required"]
    elif key[0] == "delete":
        assert set(envelope["required"]) == {"success", "message"}
    else:
        assert envelope["properties"]["data"]["$ref"].startswith("#/components/schemas/")
    for code, response in responses.items():
        if not code.startswith("2"):
            schema = response["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/ErrorEnvelope"}, code


def test_the_seed_tags_describe_the_operations(document: dict[str, Any]) -> None:
    tags = {tag["name"]: tag["description"] for tag in document["tags"]}
    assert (
        tags["OCR Invoice Job Page"]
        == "Operations related to individual pages within OCR invoice jobs"
    )
    assert tags["OCR Invoice Job Group"] == "Operations related to OCR invoice job group management"


def test_jobs_and_templates_are_documented_in_the_same_style(document: dict[str, Any]) -> None:
    paths = set(document["paths"])
    for resource in ("ocr-invoice-jobs", "ocr-templates"):
        assert {f"{PREFIX}/{resource}", f"{PREFIX}/{resource}/{{id}}"} <= paths
    assert f"{PREFIX}/ocr-invoice-jobs/{{id}}/pages" in paths


def test_the_rest_prefix_is_configurable() -> None:
    app = create_app(Settings(database_url="sqlite+aiosqlite:///:memory:", rest_prefix="/legacy"))
    paths = set(app.openapi()["paths"])
    assert "/legacy/ocr-invoice-job-pages" in paths
    assert PAGES not in paths


# ---------------------------------------------------------------- /docs without internet


async def test_docs_load_every_asset_from_the_app(client: httpx.AsyncClient) -> None:
    response = await client.get("/docs")
    assert response.status_code == 200
    assert "text/html" in response.headers["content-type"]
    urls = re.findall(r'(?:src|href)="([^"]+)"', response.text)
    assert len(urls) == 3, urls
    assert all(url.startswith("/") for url in urls), urls
    assert "//" not in "".join(urls)
    assert 'validatorUrl": null' in response.text
    for url in urls:
        asset = await client.get(url)
        assert asset.status_code == 200, url
        assert len(asset.content) > 500, url


async def test_docs_point_at_the_served_openapi_document(client: httpx.AsyncClient) -> None:
    page = await client.get("/docs")
    assert "url: '/openapi.json'" in page.text
    assert (await client.get("/openapi.json")).json()["openapi"].startswith("3.1")


async def test_redoc_is_off(client: httpx.AsyncClient) -> None:
    assert (await client.get("/redoc")).status_code == 404


@pytest.mark.parametrize(
    ("path", "allow"),
    [
        (PAGES, "GET, OPTIONS, POST"),
        (f"{PAGES}/60f7b1b3e4b0e8b3f8b3f8b4", "DELETE, GET, OPTIONS, PUT"),
        (f"{GROUPS}/60f7b1b3e4b0e8b3f8b3f8b4/jobs", "GET, OPTIONS"),
    ],
)
async def test_options_lists_the_methods_and_others_are_405(
    anonymous: httpx.AsyncClient, path: str, allow: str
) -> None:
    options = await anonymous.options(path)
    assert (options.status_code, options.headers["allow"]) == (204, allow)
    refused = await anonymous.request("PATCH", path)
    assert (refused.status_code, refused.headers["allow"]) == (405, allow)
    assert refused.json()["error"]["code"] == "METHOD_NOT_ALLOWED"


CORRECTIONS = f"{PREFIX}/ocr-invoice-jobs/{{id}}/corrections/{{field}}"


@pytest.mark.parametrize("method", ["put", "delete"])
def test_corrections_are_documented(document: dict[str, Any], method: str) -> None:
    operation = operations(document)[(method, CORRECTIONS)]
    assert [p["name"] for p in operation["parameters"]] == ["id", "field"]
    assert operation["tags"] == ["OCR Invoice Job"]
    success = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert success == {"$ref": "#/components/schemas/JobEnvelope"}
    assert {"401", "403", "404"} <= set(operation["responses"])


def test_a_correction_body_is_a_value_alone(document: dict[str, Any]) -> None:
    put = operations(document)[("put", CORRECTIONS)]
    body = resolve(document, put["requestBody"]["content"]["application/json"]["schema"])
    assert body["required"] == ["value"]
    assert body["additionalProperties"] is False
    assert body["properties"]["value"]["type"] == ["string", "number", "null"]
    assert "422" in put["responses"]
    job = document["components"]["schemas"]["Job"]["properties"]
    assert job["corrections"]["items"] == {"$ref": "#/components/schemas/FieldCorrection"}
    assert job["needsReview"]["type"] == "boolean"
