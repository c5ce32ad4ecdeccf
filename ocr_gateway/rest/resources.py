"""The four REST resources: paths, GraphQL operations, and the words they are documented with.

Pages and job groups are the seed documents' APIs (texts verbatim); jobs and templates follow
the same style, since legacy clients create jobs (and may need templates) before pages.
"""

from __future__ import annotations

from dataclasses import dataclass

from ocr_gateway.rest import operations as ops
from ocr_gateway.rest.openapi import ResourceText


@dataclass(frozen=True)
class Resource:
    path: str
    type_name: str  # the GraphQL type: its Sort enum and Filter input drive the list
    operations: ops.ResourceOperations
    required: tuple[str, ...]  # required by POST and PUT (the seeds mark both alike)
    text: ResourceText

    @property
    def deleted_message(self) -> str:
        return f"{self.text.noun} deleted successfully"


PAGES = Resource(
    path="/ocr-invoice-job-pages",
    type_name="Page",
    operations=ops.PAGES,
    required=("job", "pageNumber", "pageUrl"),
    text=ResourceText(
        tag="OCR Invoice Job Page",
        tag_description="Operations related to individual pages within OCR invoice jobs",
        noun="OCR invoice job page",
        plural="OCR invoice job pages",
        schema="Page",
        delete_effect="Deleted. Only the page goes; its job and the job's other pages stay.",
        seeds={
            "list": (
                "Get all OCR invoice job pages",
                "Retrieve a list of all OCR invoice job pages with optional filtering and "
                "pagination",
            ),
            "create": (
                "Create a new OCR invoice job page",
                "Create a new OCR invoice job page with the provided data",
            ),
            "get": (
                "Get OCR invoice job page by ID",
                "Retrieve a specific OCR invoice job page by its ID",
            ),
            "update": (
                "Update OCR invoice job page",
                "Update an existing OCR invoice job page with new data",
            ),
            "delete": ("Delete OCR invoice job page", "Delete an existing OCR invoice job page"),
            "process": (
                "Process OCR invoice job page",
                "Start processing a specific page of an OCR invoice job",
            ),
        },
    ),
)

JOB_GROUPS = Resource(
    path="/ocr-invoice-job-groups",
    type_name="JobGroup",
    operations=ops.JOB_GROUPS,
    required=("name", "template"),
    text=ResourceText(
        tag="OCR Invoice Job Group",
        tag_description="Operations related to OCR invoice job group management",
        noun="OCR invoice job group",
        plural="OCR invoice job groups",
        schema="JobGroup",
        delete_effect="Deleted. The group's jobs (and their pages) are kept: they leave the "
        "group (their group becomes null) and stay reachable under /ocr-invoice-jobs.",
        seeds={
            "list": (
                "Get all OCR invoice job groups",
                "Retrieve a list of all OCR invoice job groups with optional filtering and "
                "pagination",
            ),
            "create": (
                "Create a new OCR invoice job group",
                "Create a new OCR invoice job group with the provided data",
            ),
            "get": (
                "Get OCR invoice job group by ID",
                "Retrieve a specific OCR invoice job group by its ID",
            ),
            "update": (
                "Update OCR invoice job group",
                "Update an existing OCR invoice job group with new data",
            ),
            "delete": ("Delete OCR invoice job group", "Delete an existing OCR invoice job group"),
            "jobs": ("Get jobs in a group", "Retrieve all OCR jobs belonging to a specific group"),
        },
    ),
)

JOBS = Resource(
    path="/ocr-invoice-jobs",
    type_name="Job",
    operations=ops.JOBS,
    required=("name",),
    text=ResourceText(
        tag="OCR Invoice Job",
        tag_description="Operations related to OCR invoice jobs (the documents pages belong to)",
        noun="OCR invoice job",
        plural="OCR invoice jobs",
        schema="Job",
        delete_effect="Deleted. A job with pages is deleted only with cascade=true, which "
        "deletes its pages too; without it the answer is 409 and nothing changes.",
        seeds={
            "list": (
                "Get all OCR invoice jobs",
                "Retrieve a list of all OCR invoice jobs with optional filtering and pagination",
            ),
            "create": (
                "Create a new OCR invoice job",
                "Create a new OCR invoice job with the provided data",
            ),
            "get": ("Get OCR invoice job by ID", "Retrieve a specific OCR invoice job by its ID"),
            "update": (
                "Update OCR invoice job",
                "Update an existing OCR invoice job with new data",
            ),
            "delete": ("Delete OCR invoice job", "Delete an existing OCR invoice job"),
            "pages": (
                "Get pages of a job",
                "Retrieve all pages of a specific OCR invoice job, in page-number order",
            ),
            "from-document": (
                "Create an OCR invoice job from a document",
                "Fetch a PDF or an image once and create a job with one page per PDF page",
            ),
        },
    ),
)

TEMPLATES = Resource(
    path="/ocr-templates",
    type_name="Template",
    operations=ops.TEMPLATES,
    required=("name",),
    text=ResourceText(
        tag="OCR Template",
        tag_description="Operations related to OCR templates (what to read off a page, and how)",
        noun="OCR template",
        plural="OCR templates",
        schema="Template",
        delete_effect="Deleted. Only a template no group or job uses can be deleted (else "
        "409); built-in templates are read-only.",
        seeds={
            "list": (
                "Get all OCR templates",
                "Retrieve a list of all OCR templates with optional filtering and pagination",
            ),
            "create": (
                "Create a new OCR template",
                "Create a new OCR template with the provided data",
            ),
            "get": ("Get OCR template by ID", "Retrieve a specific OCR template by its ID"),
            "update": ("Update OCR template", "Update an existing OCR template with new data"),
            "delete": ("Delete OCR template", "Delete an existing OCR template"),
        },
    ),
)

ALL = (PAGES, JOB_GROUPS, JOBS, TEMPLATES)
