"""Property-based: schemathesis drives every REST operation of /openapi.json against the ASGI
app on SQLite, with valid and invalid input, and finds no 5xx and no answer that breaks the
documented status codes, content types or response schemas.

Bounded (a few hundred requests, well under a minute on two cores, no real name lookups). Half
of the generated ids and references are swapped for rows that exist, so success answers are
checked too.
"""

from __future__ import annotations

import os
import socket
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from schemathesis import checks

from ocr_gateway.app import create_app
from ocr_gateway.auth import HEADER, Scope, create_key
from ocr_gateway.db import migrate
from ocr_gateway.db.engine import Database
from ocr_gateway.outbound import netguard
from ocr_gateway.settings import Settings
from tests.conftest import RecordingQueue
from tests.rest.rest import GENERIC_TEMPLATE_ID

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]
CONFIG = schemathesis.config.SchemathesisConfig.from_dict(
    {
        "seed": 20240601,
        "generation": {"max-examples": 12, "database": "none", "mode": "all"},
        "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
    }
)


# Loaded when the module is collected (schemathesis' lazy ``from_fixture`` does not work with
# pytest 9); the app touches its database only once a test runs, after ``rows`` made it.
DATABASE = Path(tempfile.gettempdir()) / f"ocr-gateway-schemathesis-{os.getpid()}.db"
SETTINGS = Settings(database_url=f"sqlite+aiosqlite:///{DATABASE}")
schema = schemathesis.openapi.from_asgi(
    "/openapi.json", create_app(SETTINGS, queue=RecordingQueue()), config=CONFIG
).include(path_regex="^/api/v1/")


@pytest.fixture(scope="module")
def database_file() -> Iterator[Path]:
    yield DATABASE
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DATABASE}{suffix}").unlink(missing_ok=True)


@pytest.fixture(autouse=True)
def no_name_resolves(monkeypatch: pytest.MonkeyPatch) -> None:
    """Generated document URLs name random hosts: they fail to resolve at once, as they would
    on any resolver, instead of waiting on this machine's (a slow lookup timed a request out)."""

    async def resolver(host: str, port: int) -> list[str]:
        raise socket.gaierror(socket.EAI_NONAME, f"{host}: Name or service not known")

    monkeypatch.setattr(netguard, "system_resolver", resolver)


@dataclass(frozen=True)
class Rows:
    key: str  # an admin API key
    ids: dict[str, list[str]]  # a resource's path segment -> ids of its rows


@pytest.fixture(scope="module")
async def rows(database_file: Path) -> Rows:
    """The app's SQLite file, migrated, with an API key and a few rows of every resource."""
    database = Database(Settings(database_url=f"sqlite+aiosqlite:///{database_file}"))
    await migrate.upgrade(database.engine)
    _row, key = await create_key(database, "schemathesis", [Scope.admin])
    app = create_app(SETTINGS, db=database, queue=RecordingQueue())
    transport = httpx.ASGITransport(app=app)
    headers = {HEADER: key}
    async with httpx.AsyncClient(transport=transport, base_url="http://seed/api/v1") as http:
        http.headers.update(headers)
        ids = await _seed(http)
    await database.dispose()
    return Rows(key, ids)


async def _seed(http: httpx.AsyncClient) -> dict[str, list[str]]:
    async def post(path: str, body: dict[str, Any]) -> str:
        response = await http.post(path, json=body)
        assert response.status_code == 201, response.text
        return str(response.json()["data"]["id"])

    templates = [await post("/ocr-templates", {"name": f"T{n}"}) for n in range(4)]
    groups = [await post("/ocr-invoice-job-groups", {"name": f"G{n}", "template": t})
              for n, t in enumerate(templates)]  # fmt: skip
    jobs = [await post("/ocr-invoice-jobs", {"name": f"J{n}", "group": g})
            for n, g in enumerate(groups)]  # fmt: skip
    pages = [await post("/ocr-invoice-job-pages",
                        {"job": jobs[n % 2], "pageNumber": n, "pageUrl": f"https://x.example/{n}.png"})
             for n in range(1, 9)]  # fmt: skip
    return {
        "ocr-templates": [GENERIC_TEMPLATE_ID, *templates],
        "ocr-invoice-job-groups": groups,
        "ocr-invoice-jobs": jobs,
        "ocr-invoice-job-pages": pages,
    }


REFERENCES = {"job": "ocr-invoice-jobs", "group": "ocr-invoice-job-groups",
              "template": "ocr-templates"}  # fmt: skip


def _aim_at_existing_rows(case: Any, rows: Rows) -> None:
    """Three times in four, send a valid API key (else what was generated: a 401); half the
    time, make the path id and the body's references point at rows that exist."""
    key = zlib.crc32(repr((case.path_parameters, case.query, case.body)).encode())
    if key % 4:
        case.headers = {**(case.headers or {}), HEADER: rows.key}
    if key % 2:
        return
    resource = case.path.split("/")[3]
    if case.path_parameters and "id" in case.path_parameters:
        # The first half of the rows are only ever deleted, the rest never: other operations
        # keep finding rows however early the deletes run.
        choices = rows.ids[resource]
        half = len(choices) // 2
        choices = choices[:half] if case.method == "DELETE" else choices[half:]
        case.path_parameters = {**case.path_parameters, "id": choices[key % len(choices)]}
    if isinstance(case.body, dict):
        for field, target in REFERENCES.items():
            if isinstance(case.body.get(field), str):
                choices = rows.ids[target]
                case.body = {**case.body, field: choices[key % len(choices)]}


@schema.parametrize()
def test_the_rest_api_honours_its_openapi_document(case: Any, rows: Rows) -> None:
    _aim_at_existing_rows(case, rows)
    case.call_and_validate(checks=CHECKS)
