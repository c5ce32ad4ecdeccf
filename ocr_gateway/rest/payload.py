"""Reading JSON from a REST request: the body, and the ``filter`` query parameter.

JSON that no database can store is refused here, at the HTTP boundary, with a clear error
instead of a failure deep in a driver: NaN and Infinity (not JSON), numbers that overflow a
double, strings with NUL characters or lone surrogates (PostgreSQL text and jsonb cannot hold
them), nesting deeper than ``MAX_DEPTH``, and bodies larger than ``MAX_BODY_BYTES``.
"""

from __future__ import annotations

import json
import math
from typing import Any

from starlette.requests import Request

from ocr_gateway.rest.envelope import RestError

MAX_BODY_BYTES = 1024 * 1024
MAX_DEPTH = 32


class _Unstorable(ValueError):
    """Well-formed JSON no database can store."""


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Unstorable(f"number {text[:40]} is out of range")
    return value


def _constant(text: str) -> Any:
    raise ValueError(f"{text} is not valid JSON")


def loads(raw: bytes | str, *, where: str, status: int, content_status: int | None = None) -> Any:
    """Decode strict JSON. Malformed JSON is a ``status`` error naming ``where``; well-formed
    JSON that cannot be stored is a ``content_status`` error (default: ``status``)."""
    try:
        value = json.loads(raw, parse_float=_finite, parse_constant=_constant)
    except RecursionError:
        message = f"nests deeper than {MAX_DEPTH} levels"
        raise RestError.bad_input(content_status or status, where, message) from None
    except _Unstorable as exc:
        raise RestError.bad_input(content_status or status, where, str(exc)) from None
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise RestError.bad_input(status, where, f"is not valid JSON: {exc}") from None
    problem = _storable(value)
    if problem:
        raise RestError.bad_input(content_status or status, where, problem)
    return value


def _storable(value: Any) -> str | None:
    """Why ``value`` cannot be stored, or None. Iterative: depth is what it checks."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            return f"nests deeper than {MAX_DEPTH} levels"
        if isinstance(item, str):
            problem = _text_problem(item)
            if problem:
                return problem
        elif isinstance(item, dict):
            stack.extend((key, depth) for key in item)
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return None


def _text_problem(text: str) -> str | None:
    if "\x00" in text:
        return "strings must not contain NUL (\\u0000) characters"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "strings must be valid Unicode (no lone surrogates)"
    return None


def check_text(value: str, *, where: str) -> str:
    """A plain query parameter (``search``) under the same rules as JSON strings."""
    problem = _text_problem(value)
    if problem:
        raise RestError.bad_input(400, where, problem)
    return value


async def read_object(request: Request) -> dict[str, Any]:
    """The request body, which must be one JSON object (422 otherwise; 400 if not JSON)."""
    raw = await _read(request)
    if not raw.strip():
        raise RestError.bad_input(422, "body", "a JSON object is required")
    value = loads(raw, where="body", status=400, content_status=422)
    if not isinstance(value, dict):
        raise RestError.bad_input(422, "body", "must be a JSON object")
    return value


async def _read(request: Request) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise _too_large()
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise _too_large()
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large() -> RestError:
    return RestError(
        413, "PAYLOAD_TOO_LARGE", f"the request body must be at most {MAX_BODY_BYTES} bytes"
    )
