"""Field checks shared by the services; every problem names the public (camelCase) field.

``text_problem`` and ``json_text_problem`` (what both backends can store) live in
``db.types`` and are re-exported here.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlsplit

from ocr_gateway.db.types import json_text_problem, text_problem
from ocr_gateway.errors import FieldProblem, InvalidInput
from ocr_gateway.ids import is_valid_id

MAX_JSON_BYTES = 64 * 1024
URI_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*$")
# The schemes page images can be fetched from (``processing.fetch``): anything else could
# never be processed, so it is refused when the page is created.
FETCHABLE_SCHEMES = ("http", "https", "file", "data")
HOST_SCHEMES = frozenset({"http", "https"})


class Checks:
    """Collects every problem of one input, so the client hears about all of them at once."""

    def __init__(self) -> None:
        self.problems: list[FieldProblem] = []

    def fail(self, field: str, message: str) -> None:
        self.problems.append(FieldProblem(field, message))

    def raise_if_any(self) -> None:
        if self.problems:
            raise InvalidInput(self.problems)

    def not_null(self, data: dict[str, Any], fields: tuple[str, ...]) -> None:
        for field in fields:
            if field in data and data[field] is None:
                self.fail(field, "must not be null")

    def text(
        self, field: str, value: Any, *, max_length: int, required: bool = False
    ) -> str | None:
        if value is None:
            if required:
                self.fail(field, "is required")
            return None
        if not isinstance(value, str):
            self.fail(field, "must be a string")
            return None
        if required and not value.strip():
            self.fail(field, "must not be blank")
        if problem := text_problem(value):
            self.fail(field, problem)
        if len(value) > max_length:
            self.fail(field, f"must be at most {max_length} characters")
        return value

    def id(self, field: str, value: Any) -> bool:
        if not is_valid_id(value):
            self.fail(field, "must be a 24-character hexadecimal id")
            return False
        return True

    def integer(self, field: str, value: Any, *, minimum: int, maximum: int) -> None:
        if not isinstance(value, int) or isinstance(value, bool):
            self.fail(field, "must be an integer")
        elif not minimum <= value <= maximum:
            self.fail(field, f"must be between {minimum} and {maximum}")

    def json_object(self, field: str, value: Any) -> None:
        if not isinstance(value, dict):
            self.fail(field, "must be a JSON object")
        else:
            self._json_size(field, value)

    def json_object_list(self, field: str, value: Any, *, max_items: int) -> None:
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.fail(field, "must be a list of JSON objects")
        elif len(value) > max_items:
            self.fail(field, f"must have at most {max_items} items")
        else:
            self._json_size(field, value)

    def strings(self, field: str, value: Any, *, max_items: int, max_length: int) -> None:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(field, "must be a list of strings")
        elif len(value) > max_items:
            self.fail(field, f"must have at most {max_items} items")
        elif any(not v.strip() or len(v) > max_length for v in value):
            self.fail(field, f"items must be non-blank and at most {max_length} characters")
        elif problem := json_text_problem(value):
            self.fail(field, problem)

    def absolute_uri(self, field: str, value: Any) -> None:
        if not isinstance(value, str) or not value:
            self.fail(field, "is required")
            return
        if len(value) > 4096:
            self.fail(field, "must be at most 4096 characters")
            return
        problem = text_problem(value) or uri_problem(value) or fetchable_problem(value)
        if problem:
            self.fail(field, problem)

    def _json_size(self, field: str, value: Any) -> None:
        try:
            size = len(json.dumps(value, allow_nan=False))
        except ValueError:
            self.fail(field, "must be valid JSON (no NaN or Infinity)")
            return
        if problem := json_text_problem(value):
            self.fail(field, problem)
        elif size > MAX_JSON_BYTES:
            self.fail(field, f"must be at most {MAX_JSON_BYTES} bytes of JSON")


def uri_problem(value: str) -> str | None:
    """Why ``value`` is not an absolute URI (RFC 3986), or None when it is one."""
    if any(c.isspace() for c in value) or any(ord(c) < 32 for c in value):
        return "must be an absolute URI without spaces"
    try:
        parts = urlsplit(value)
    except ValueError:
        return "must be an absolute URI"
    if not parts.scheme or not URI_SCHEME.match(parts.scheme):
        return "must be an absolute URI with a scheme, e.g. https://example.com/page-1.png"
    scheme = parts.scheme.lower()
    if scheme in HOST_SCHEMES and not parts.hostname:
        return f"must name a host ({scheme}://host/...)"
    if scheme == "file" and not parts.path.startswith("/"):
        return "file URIs must have an absolute path (file:///...)"
    if scheme not in HOST_SCHEMES and scheme != "file" and not (parts.path or parts.netloc):
        return "must be an absolute URI"
    return None


def fetchable_problem(value: str) -> str | None:
    """Why an absolute URI can never be fetched as a page image, or None."""
    scheme = urlsplit(value).scheme.lower()
    if scheme in FETCHABLE_SCHEMES:
        return None
    allowed = ", ".join(f"{s}:" for s in FETCHABLE_SCHEMES)
    return f"the scheme {scheme}: cannot be fetched; use one of {allowed}"


__all__ = ["Checks", "fetchable_problem", "json_text_problem", "text_problem", "uri_problem"]
