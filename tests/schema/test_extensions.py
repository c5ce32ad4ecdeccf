"""Errors sent over WebSockets get the same codes and masking as those over HTTP."""

from __future__ import annotations

from dataclasses import dataclass, field

from graphql import GraphQLError

from ocr_gateway.errors import NotFound
from ocr_gateway.schema.extensions import StreamedErrorCodes


@dataclass
class StreamedResult:
    errors: list[GraphQLError] = field(default_factory=list)


def streamed(*errors: GraphQLError) -> list[GraphQLError]:
    result = StreamedResult(list(errors))
    StreamedErrorCodes().on_stream_result(result)
    return result.errors


def test_an_unexpected_error_is_masked() -> None:
    secret = GraphQLError("boom", original_error=RuntimeError("password=hunter2"))
    [error] = streamed(secret)
    assert error.message == "Internal server error"
    assert error.extensions == {"code": "INTERNAL_SERVER_ERROR"}


def test_an_unreachable_database_is_service_unavailable() -> None:
    refused = GraphQLError("[Errno 111]", original_error=ConnectionRefusedError(111, "refused"))
    [error] = streamed(refused)
    assert error.extensions == {"code": "SERVICE_UNAVAILABLE"}
    assert "Errno" not in error.message


def test_expected_errors_keep_their_code() -> None:
    missing = NotFound("Job", "60f7b1b3e4b0e8b3f8b3f8b4")
    [error] = streamed(
        GraphQLError(missing.message, original_error=missing, extensions=missing.extensions)
    )
    assert error.extensions is not None
    assert error.extensions["code"] == "NOT_FOUND"
