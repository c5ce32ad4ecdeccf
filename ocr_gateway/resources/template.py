"""Template: what to read off an invoice page, and how (``db.models.Template``).

Its ``fields`` and ``options`` are reshaped with defaults by the GraphQL type
(``schema.types.Template``) and are left to the executor.
"""

from __future__ import annotations

from ocr_gateway.db.models import Template
from ocr_gateway.resources.base import Column, Resource, Sort, ToMany
from ocr_gateway.resources.common import CREATED_AT, ID, UPDATED_AT

TEMPLATE = Resource(
    name="template",
    type_name="Template",
    label="templates",
    table=Template.__table__,  # type: ignore[arg-type]
    columns={
        "id": ID,
        "createdAt": CREATED_AT,
        "updatedAt": UPDATED_AT,
        "name": Column("name", "string", filter="name", sort=Sort("string"), search=True),
        "description": Column("description", "string", search=True),
        "languages": Column("languages", "json"),
        "active": Column("active", "bool", filter="active"),
        "builtin": Column("builtin", "bool", filter="builtin"),
    },
    relations={
        "jobGroups": ToMany(
            "job_group", lambda groups, template: ([], groups.c.template_id == template.c.id)
        ),
    },
)
