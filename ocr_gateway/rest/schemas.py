"""JSON Schemas of the REST bodies and responses (OpenAPI ``components.schemas``).

Field names, enums and descriptions follow the seed documents; limits the services enforce
beyond the seeds (maximum lengths, ``pageNumber <= 100000``) are documented too, so a client
can tell from the document alone what will be accepted. Responses allow additional
properties (new fields may be added); request bodies do not (an unknown field is a 422).
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from ocr_gateway import enums

Schema = dict[str, Any]

ERROR_CODES = [
    "BAD_USER_INPUT",
    "UNAUTHENTICATED",
    "FORBIDDEN",
    "NOT_FOUND",
    "METHOD_NOT_ALLOWED",
    "CONFLICT",
    "PAYLOAD_TOO_LARGE",
    "TIMEOUT",
    "INTERNAL_SERVER_ERROR",
]
ID_PATTERN = "^[0-9a-f]{24}$"


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def _values(enum: type[Enum]) -> list[str]:
    return [member.value for member in enum]


def _string(description: str | None = None, **extra: Any) -> Schema:
    schema: Schema = {"type": "string", **extra}
    if description:
        schema["description"] = description
    return schema


def _nullable(schema: Schema) -> Schema:
    if "$ref" in schema:
        return {"anyOf": [schema, {"type": "null"}]}
    out = dict(schema)
    out["type"] = [schema["type"], "null"]
    if "enum" in schema:
        out["enum"] = [*schema["enum"], None]
    return out


def _object(properties: dict[str, Schema], *, required: list[str] | None = None) -> Schema:
    """A response object: every property always present (nullable ones as null)."""
    return {
        "type": "object",
        "required": list(properties) if required is None else required,
        "properties": properties,
    }


def _body(properties: dict[str, Schema], required: list[str], description: str) -> Schema:
    return {
        "type": "object",
        "description": description,
        "required": required,
        "properties": properties,
        "additionalProperties": False,
    }


ANY_OBJECT: Schema = {"type": "object"}
DATE_TIME: Schema = {"type": "string", "format": "date-time"}
ID: Schema = _string("24-character hexadecimal id", pattern=ID_PATTERN)
COUNT: Schema = {"type": "integer", "minimum": 0}
NON_BLANK = r"\S"

# ---------------------------------------------------------------- shared parts

FIELD_ERROR = _object(
    {
        "field": _string("The offending field or parameter (empty when it is the whole request)"),
        "message": _string(),
    }
)
ERROR_ENVELOPE = _object(
    {
        "success": {"type": "boolean", "const": False},
        "error": _object(
            {
                "code": _string(
                    "Machine-readable; the same codes as GraphQL's extensions.code",
                    enum=ERROR_CODES,
                ),
                "message": _string("Human-readable; names the problem"),
                "details": {"type": "array", "items": ref("FieldError")},
            }
        ),
    }
)
DELETE_ENVELOPE = _object({"success": {"type": "boolean", "const": True}, "message": _string()})
PAGE_COUNTS = _object({status: COUNT for status in _values(enums.PageStatus)})
JOB_COUNTS = _object(
    {"partiallyFailed" if s == "partially_failed" else s: COUNT for s in _values(enums.WorkStatus)}
)
PROGRESS = _object(
    {
        "pages": ref("PageCounts"),
        "totalPages": COUNT,
        "jobs": _nullable(ref("JobCounts")),
        "totalJobs": _nullable(COUNT),
        "percentDone": {"type": "number", "minimum": 0, "maximum": 100},
    }
)
OCR_TEXT = _object(
    {
        "text": _string(),
        "confidence": {"type": "number"},
        "box": {"type": "array", "items": {"type": "number"}, "description": "[x0, y0, x1, y1]"},
    }
)

# ---------------------------------------------------------------- pages (seed 000)

PAGE_TYPE = _string("Type of page content", enum=_values(enums.PageType))
PAGE_INPUT: dict[str, Schema] = {
    "job": _string("OCR invoice job ID this page belongs to", pattern=ID_PATTERN),
    "pageNumber": {
        "type": "integer",
        "minimum": 1,
        "maximum": 100_000,
        "description": "Page number within the document",
    },
    "pageUrl": _string("URL of the page image", format="uri", maxLength=4096),
    "pageType": PAGE_TYPE,
    "imageProperties": ANY_OBJECT,
    "annotations": {"type": "array", "items": ANY_OBJECT, "maxItems": 1000},
    "metadata": {"type": "object", "description": "Additional metadata"},
}
PAGE_REQUIRED = ["job", "pageNumber", "pageUrl"]
PAGE = _object(
    {
        "id": ID,
        **PAGE_INPUT,
        "pageType": _nullable(PAGE_TYPE),
        "status": _string(
            "pending -> queued -> processing -> processed | failed",
            enum=_values(enums.PageStatus),
        ),
        "textSource": _nullable(
            _string(
                "Where the fields came from: embedded e-invoice XML, the PDF's text layer, OCR",
                enum=_values(enums.TextSource),
            )
        ),
        "ocrText": _nullable(_string()),
        "meanConfidence": _nullable({"type": "number"}),
        "lines": _nullable({"type": "array", "items": ref("OcrText")}),
        "words": _nullable({"type": "array", "items": ref("OcrText")}),
        "extractedFields": _nullable(ANY_OBJECT),
        "engine": _nullable(_string()),
        "engineVersion": _nullable(_string()),
        "attempts": COUNT,
        "timings": _nullable(ANY_OBJECT),
        "error": _nullable(ANY_OBJECT),
        "queuedAt": _nullable(DATE_TIME),
        "startedAt": _nullable(DATE_TIME),
        "processedAt": _nullable(DATE_TIME),
        "createdAt": DATE_TIME,
        "updatedAt": DATE_TIME,
    }
)

# ---------------------------------------------------------------- job groups (seed 002)

PRIORITY = _string("Processing priority", enum=_values(enums.Priority))
GROUP_INPUT: dict[str, Schema] = {
    "name": _string("Name of the job group", minLength=1, maxLength=255, pattern=NON_BLANK),
    "description": _string("Description of the job group", maxLength=10_000),
    "batchNumber": _string("Batch number for tracking", maxLength=255),
    "template": _string("OCR template ID to use for this group", pattern=ID_PATTERN),
    "priority": {**PRIORITY, "default": "medium"},
    "processingSettings": ANY_OBJECT,
    "notifications": ANY_OBJECT,
    "createdBy": _string("User who created the job group", maxLength=255),
    "assignedTo": _string("User assigned to manage this group", maxLength=255),
    "tags": {
        "type": "array",
        "description": "Tags for categorization",
        "items": {"type": "string", "minLength": 1, "maxLength": 100, "pattern": NON_BLANK},
        "maxItems": 100,
    },
    "metadata": {"type": "object", "description": "Additional metadata"},
}
GROUP_REQUIRED = ["name", "template"]
WORK_STATUS = _string("Derived from the pages below", enum=_values(enums.WorkStatus))
JOB_GROUP = _object(
    {
        "id": ID,
        **GROUP_INPUT,
        "description": _nullable(GROUP_INPUT["description"]),
        "batchNumber": _nullable(GROUP_INPUT["batchNumber"]),
        "createdBy": _nullable(GROUP_INPUT["createdBy"]),
        "assignedTo": _nullable(GROUP_INPUT["assignedTo"]),
        "priority": PRIORITY,
        "status": WORK_STATUS,
        "progress": ref("Progress"),
        "createdAt": DATE_TIME,
        "updatedAt": DATE_TIME,
    }
)

# ---------------------------------------------------------------- jobs

JOB_INPUT: dict[str, Schema] = {
    "name": _string(
        "Name of the job (e.g. the invoice file)", minLength=1, maxLength=255, pattern=NON_BLANK
    ),
    "group": _nullable(
        _string(
            "OCR invoice job group ID; null for none (PUT: null takes the job out of it)",
            pattern=ID_PATTERN,
        )
    ),
    "template": _string(
        "OCR template ID; defaults to the group's, else the generic invoice", pattern=ID_PATTERN
    ),
    "sourceFileName": _string("Name of the source document", maxLength=1024),
    "priority": _string(
        "Defaults to the group's priority, else medium", enum=_values(enums.Priority)
    ),
    "metadata": {"type": "object", "description": "Additional metadata"},
}
JOB = _object(
    {
        "id": ID,
        **JOB_INPUT,
        "group": _nullable(_string("OCR invoice job group ID")),
        "template": _string("OCR template ID"),
        "sourceFileName": _nullable(JOB_INPUT["sourceFileName"]),
        "status": WORK_STATUS,
        "priority": PRIORITY,
        "pageCount": COUNT,
        "invoiceData": {
            "type": "object",
            "description": "Field name -> {value, normalizedValue, confidence, page, box, "
            "method, needsReview}; a corrected field has method manual, confidence 1, "
            "correctedBy, correctedAt and what extraction said under extracted",
        },
        "discrepancies": {
            "type": "array",
            "items": ref("Discrepancy"),
            "description": "Where an embedded e-invoice and the printed pages disagree",
        },
        "needsReview": {
            "type": "boolean",
            "description": "A field of invoiceData still needs a human look",
        },
        "possibleDuplicateOf": _nullable(
            _string(
                "The earliest earlier job with the same vendor and invoice number, or the same "
                "vendor, invoice date and total (a hint, not a block)",
                pattern=ID_PATTERN,
            )
        ),
        "corrections": {"type": "array", "items": ref("FieldCorrection")},
        "error": _nullable(ANY_OBJECT),
        "progress": ref("Progress"),
        "createdAt": DATE_TIME,
        "updatedAt": DATE_TIME,
        "completedAt": _nullable(DATE_TIME),
    }
)

DISCREPANCY = _object(
    {
        "field": _string("The invoice field, e.g. total"),
        "xmlValue": _nullable(_string("Normalised value in the embedded XML (what is used)")),
        "printedValue": _nullable(_string("Normalised value read off the printed page")),
        "printedPage": _nullable({"type": "integer", "minimum": 1}),
    }
)
JOB_FROM_DOCUMENT_INPUT: dict[str, Schema] = {
    "documentUrl": _string(
        "Absolute URI of a PDF or an image (http(s), or file:// under the media root)",
        format="uri",
        maxLength=4096,
    ),
    "name": _string(
        "Name of the job; defaults to the document's file name", minLength=1, maxLength=255
    ),
    "group": JOB_INPUT["group"],
    "template": JOB_INPUT["template"],
    "sourceFileName": JOB_INPUT["sourceFileName"],
    "priority": JOB_INPUT["priority"],
    "metadata": JOB_INPUT["metadata"],
    "process": {
        "type": "boolean",
        "default": False,
        "description": "Queue every page for processing at once (needs the process scope)",
    },
}
FIELD_CORRECTION = _object(
    {
        "field": _string("The template field corrected"),
        "value": _nullable(_string("As given; null: the document has none")),
        "normalizedValue": _nullable(
            _string("ISO date, decimal amount, ISO 4217 code or trimmed text")
        ),
        "previous": _nullable(
            {
                "type": "object",
                "description": "What extraction said: {value, normalizedValue, confidence, "
                "method, page, box}",
            }
        ),
        "correctedBy": _string("The name of the API key that corrected it"),
        "correctedByKeyId": _nullable(_string("The id of that API key")),
        "correctedAt": DATE_TIME,
    }
)
FIELD_CORRECTION_BODY = _body(
    {
        "value": {
            "type": ["string", "number", "null"],
            "description": "The right value: text; a date as YYYY-MM-DD; an amount as a number "
            "or a decimal string (1234.50) with at most the currency's decimals; an ISO 4217 "
            "code; null when the document has none",
        }
    },
    ["value"],
    "A person's value for one invoice field",
)

# ---------------------------------------------------------------- templates

FIELD_TYPE = _string("How the value is normalised", enum=_values(enums.FieldType))
UNIT = {"type": "number", "minimum": 0, "maximum": 1}
REGION_INPUT = {
    "type": "object",
    "description": "A rectangle on the page as fractions (0..1) of its size",
    "required": ["x", "y", "width", "height"],
    "properties": {"x": UNIT, "y": UNIT, "width": UNIT, "height": UNIT},
    "additionalProperties": False,
}
TEMPLATE_FIELD_INPUT = {
    "type": "object",
    "description": "One value to read off a page: a regex and/or label keywords",
    "required": ["name"],
    "properties": {
        "name": _string(pattern="^[A-Za-z][A-Za-z0-9_]{0,63}$"),
        "type": {**FIELD_TYPE, "default": "string"},
        "regex": _string("A Python regular expression"),
        "labels": {"type": "array", "items": {"type": "string"}},
        "region": REGION_INPUT,
        "required": {"type": "boolean", "default": False},
    },
    "additionalProperties": False,
}
TEMPLATE_OPTIONS_INPUT = {
    "type": "object",
    "properties": {
        "dateFormats": {"type": "array", "items": {"type": "string"}, "maxItems": 20},
        "decimalSeparator": {"type": "string", "enum": [".", ","], "default": "."},
        "defaultCurrency": _string("ISO 4217 code", pattern="^[A-Z]{3}$"),
    },
    "additionalProperties": False,
}
TEMPLATE_INPUT: dict[str, Schema] = {
    "name": _string("Unique name of the template", minLength=1, maxLength=255, pattern=NON_BLANK),
    "description": _string(maxLength=10_000),
    "languages": {
        "type": "array",
        "description": "easyocr language codes",
        "items": {"type": "string"},
        "minItems": 1,
        "default": ["en"],
    },
    "fields": {"type": "array", "items": TEMPLATE_FIELD_INPUT, "maxItems": 100},
    "options": TEMPLATE_OPTIONS_INPUT,
    "active": {"type": "boolean", "default": True},
}
TEMPLATE = _object(
    {
        "id": ID,
        "name": _string(),
        "description": _nullable(_string()),
        "languages": {"type": "array", "items": {"type": "string"}},
        "fields": {
            "type": "array",
            "items": _object(
                {
                    "name": _string(),
                    "type": FIELD_TYPE,
                    "regex": _nullable(_string()),
                    "labels": {"type": "array", "items": {"type": "string"}},
                    "region": _nullable({**REGION_INPUT, "additionalProperties": True}),
                    "required": {"type": "boolean"},
                }
            ),
        },
        "options": _object(
            {
                "dateFormats": {"type": "array", "items": {"type": "string"}},
                "decimalSeparator": _string(),
                "defaultCurrency": _nullable(_string()),
            }
        ),
        "active": {"type": "boolean"},
        "builtin": {"type": "boolean", "description": "Shipped with the service; read-only"},
        "createdAt": DATE_TIME,
        "updatedAt": DATE_TIME,
    }
)

# ---------------------------------------------------------------- assembly

PUT_NOTE = (
    "PUT replaces the required fields ({required}). Optional fields that are not given are "
    "left unchanged; send a field as null to clear it where it may be empty."
)


def _envelopes(name: str) -> dict[str, Schema]:
    success = {"type": "boolean", "const": True}
    return {
        f"{name}Envelope": _object({"success": success, "data": ref(name)}),
        f"{name}ListEnvelope": _object(
            {
                "success": success,
                "data": {"type": "array", "items": ref(name)},
                "total": {
                    **COUNT,
                    "description": "Rows matching filter and search, ignoring paging",
                },
            }
        ),
    }


def _bodies(name: str, inputs: dict[str, Schema], required: list[str]) -> dict[str, Schema]:
    listed = ", ".join(required)
    return {
        f"{name}Create": _body(inputs, required, f"A new {name}"),
        f"{name}Update": _body(inputs, required, PUT_NOTE.format(required=listed)),
    }


def components() -> dict[str, Schema]:
    out: dict[str, Schema] = {
        "FieldError": FIELD_ERROR,
        "ErrorEnvelope": ERROR_ENVELOPE,
        "DeleteEnvelope": DELETE_ENVELOPE,
        "PageCounts": PAGE_COUNTS,
        "JobCounts": JOB_COUNTS,
        "Progress": PROGRESS,
        "OcrText": OCR_TEXT,
        "Page": PAGE,
        "JobGroup": JOB_GROUP,
        "Job": JOB,
        "FieldCorrection": FIELD_CORRECTION,
        "FieldCorrectionBody": FIELD_CORRECTION_BODY,
        "Template": TEMPLATE,
        "Discrepancy": DISCREPANCY,
        "JobFromDocument": _body(
            JOB_FROM_DOCUMENT_INPUT,
            ["documentUrl"],
            "A document to make a job of: one page per PDF page, or one image",
        ),
    }
    for name, inputs, required in (
        ("Page", PAGE_INPUT, PAGE_REQUIRED),
        ("JobGroup", GROUP_INPUT, GROUP_REQUIRED),
        ("Job", JOB_INPUT, ["name"]),
        ("Template", TEMPLATE_INPUT, ["name"]),
    ):
        out.update(_envelopes(name))
        out.update(_bodies(name, inputs, required))
    return out
