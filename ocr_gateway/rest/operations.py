"""The GraphQL operations the REST shim runs: one named operation per REST call.

Every REST endpoint is carried out by one of these documents on the same schema as
``/graphql``, so validation, errors and behaviour are defined once. The fragments select
what a REST response carries: every field of the GraphQL type, with relations as ids
(``job { id }`` becomes ``"job": "<id>"``, see ``envelope.flatten_references``).
"""

from __future__ import annotations

from dataclasses import dataclass

PROGRESS = """
fragment RestProgress on Progress {
  pages { pending queued processing processed failed }
  totalPages
  jobs { pending queued processing completed partiallyFailed failed }
  totalJobs
  percentDone
}
"""

TEMPLATE = """
fragment RestTemplate on Template {
  id name description languages
  fields { name type regex labels region { x y width height } required }
  options { dateFormats decimalSeparator defaultCurrency }
  active builtin createdAt updatedAt
}
"""

JOB_GROUP = (
    """
fragment RestJobGroup on JobGroup {
  id name description batchNumber template { id } priority status
  processingSettings notifications createdBy assignedTo tags metadata
  progress { ...RestProgress }
  createdAt updatedAt
}
"""
    + PROGRESS
)

JOB = (
    """
fragment RestJob on Job {
  id name sourceFileName group { id } template { id } status priority pageCount
  invoiceData discrepancies needsReview possibleDuplicateOf error metadata
  corrections {
    field value normalizedValue previous correctedBy correctedByKeyId correctedAt
  }
  progress { ...RestProgress }
  createdAt updatedAt completedAt
}
"""
    + PROGRESS
)

PAGE = """
fragment RestPage on Page {
  id job { id } pageNumber pageUrl pageType imageProperties annotations metadata
  status textSource ocrText meanConfidence
  lines { text confidence box }
  words { text confidence box }
  extractedFields engine engineVersion attempts timings error
  queuedAt startedAt processedAt createdAt updatedAt
}
"""

LIST_ARGUMENTS = (
    "limit: $limit, offset: $offset, sort: $sort, order: $order, filter: $filter, search: $search"
)


@dataclass(frozen=True)
class Operation:
    """A named GraphQL operation and the root field its result is read from."""

    name: str
    field: str
    document: str


def _list(name: str, field: str, sort: str, filter_: str, fragment: str) -> Operation:
    variables = (
        f"$limit: Int!, $offset: Int!, $sort: {sort}, $order: SortOrder!, "
        f"$filter: {filter_}, $search: String"
    )
    spread = fragment.split()[1]
    document = (
        f"query {name}({variables}) {{\n"
        f"  {field}({LIST_ARGUMENTS}) {{ items {{ ...{spread} }} totalCount }}\n"
        f"}}\n{fragment}"
    )
    return Operation(name, field, document)


def _one(kind: str, name: str, field: str, signature: str, call: str, body: str) -> Operation:
    spread = body.split()[1]
    document = f"{kind} {name}({signature}) {{\n  {field}({call}) {{ ...{spread} }}\n}}\n{body}"
    return Operation(name, field, document)


def _delete(name: str, field: str, signature: str = "$id: ID!", call: str = "id: $id") -> Operation:
    document = f"mutation {name}({signature}) {{\n  {field}({call}) {{ id }}\n}}\n"
    return Operation(name, field, document)


def _children(name: str, parent: str, child: str, fragment: str, arguments: str) -> Operation:
    spread = fragment.split()[1]
    document = (
        f"query {name}($id: ID!, $limit: Int!, $offset: Int!) {{\n"
        f"  {parent}(id: $id) {{\n"
        f"    {child}(limit: $limit, offset: $offset{arguments}) {{"
        f" items {{ ...{spread} }} totalCount }}\n"
        f"  }}\n}}\n{fragment}"
    )
    return Operation(name, parent, document)


@dataclass(frozen=True)
class ResourceOperations:
    list: Operation
    get: Operation
    create: Operation
    update: Operation
    delete: Operation

    def all(self) -> tuple[Operation, ...]:
        return (self.list, self.get, self.create, self.update, self.delete)


def _resource(
    type_name: str, one: str, many: str, fragment: str, delete: Operation
) -> ResourceOperations:
    return ResourceOperations(
        list=_list(
            f"RestList{type_name}s", many, f"{type_name}Sort", f"{type_name}Filter", fragment
        ),
        get=_one("query", f"RestGet{type_name}", one, "$id: ID!", "id: $id", fragment),
        create=_one(
            "mutation",
            f"RestCreate{type_name}",
            f"create{type_name}",
            f"$input: Create{type_name}Input!",
            "input: $input",
            fragment,
        ),
        update=_one(
            "mutation",
            f"RestUpdate{type_name}",
            f"update{type_name}",
            f"$id: ID!, $input: Update{type_name}Input!",
            "id: $id, input: $input",
            fragment,
        ),
        delete=delete,
    )


PAGES = _resource("Page", "page", "pages", PAGE, _delete("RestDeletePage", "deletePage"))
JOB_GROUPS = _resource(
    "JobGroup", "jobGroup", "jobGroups", JOB_GROUP, _delete("RestDeleteJobGroup", "deleteJobGroup")
)
JOBS = _resource(
    "Job",
    "job",
    "jobs",
    JOB,
    _delete(
        "RestDeleteJob", "deleteJob", "$id: ID!, $cascade: Boolean!", "id: $id, cascade: $cascade"
    ),
)
TEMPLATES = _resource(
    "Template", "template", "templates", TEMPLATE, _delete("RestDeleteTemplate", "deleteTemplate")
)

JOB_FROM_DOCUMENT = _one(
    "mutation",
    "RestCreateJobFromDocument",
    "createJobFromDocument",
    "$input: CreateJobFromDocumentInput!",
    "input: $input",
    JOB,
)
PROCESS_PAGE = _one("mutation", "RestProcessPage", "processPage", "$id: ID!", "id: $id", PAGE)
# Oldest first, so rows created while a client reads batch after batch land at the end.
JOBS_OF_GROUP = _children(
    "RestJobsOfGroup", "jobGroup", "jobs", JOB, ", sort: createdAt, order: asc"
)
PAGES_OF_JOB = _children("RestPagesOfJob", "job", "pages", PAGE, ", sort: pageNumber, order: asc")

CORRECT_FIELD = _one(
    "mutation",
    "RestCorrectField",
    "correctField",
    "$jobId: ID!, $field: String!, $value: JSON",
    "jobId: $jobId, field: $field, value: $value",
    JOB,
)
REMOVE_FIELD_CORRECTION = _one(
    "mutation",
    "RestRemoveFieldCorrection",
    "removeFieldCorrection",
    "$jobId: ID!, $field: String!",
    "jobId: $jobId, field: $field",
    JOB,
)

# Downloads (``rest.exports``): the export fields, answered as files.
EXPORT_JOB_GROUP = Operation(
    "RestExportJobGroup",
    "jobGroup",
    "query RestExportJobGroup($id: ID!, $format: JobGroupExportFormat!) {\n"
    "  jobGroup(id: $id) { export(format: $format) }\n}\n",
)
EXPORT_JOB = Operation(
    "RestExportJob",
    "job",
    "query RestExportJob($id: ID!, $format: JobExportFormat!) {\n"
    "  job(id: $id) { export(format: $format) }\n}\n",
)

ALL: tuple[Operation, ...] = (
    *(op for r in (PAGES, JOB_GROUPS, JOBS, TEMPLATES) for op in r.all()),
    JOB_FROM_DOCUMENT,
    PROCESS_PAGE,
    JOBS_OF_GROUP,
    PAGES_OF_JOB,
    CORRECT_FIELD,
    REMOVE_FIELD_CORRECTION,
    EXPORT_JOB_GROUP,
    EXPORT_JOB,
)
