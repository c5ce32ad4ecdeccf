"""The GraphQL schema assembled: the resolvers' root types on the schema's types, inputs and
extensions (limits, admission, the unit of work) and the compiling executor. Above both
``schema/`` (types, inputs, arguments, loaders, extensions) and ``resolvers/``, which
builds on them."""

from __future__ import annotations

from functools import partial
from typing import Any

import strawberry
from graphql import ASTValidationRule, GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    MaxTokensLimiter,
    ParserCache,
)
from strawberry.extensions.disable_introspection import DisableIntrospection
from strawberry.extensions.max_aliases import create_validator as aliases_validator
from strawberry.extensions.query_depth_limiter import create_validator as depth_validator
from strawberry.types import ExecutionContext, ExecutionResult

from ocr_gateway.resolvers.mutation import Mutation
from ocr_gateway.resolvers.query import Query
from ocr_gateway.resolvers.subscription import Subscription
from ocr_gateway.schema.admission import Admission
from ocr_gateway.schema.compiled import CompilingExecutor
from ocr_gateway.schema.extensions import (
    StreamedErrorCodes,
    UnitOfWork,
    is_expected,
    with_code,
)
from ocr_gateway.settings import Settings


class GatewaySchema(strawberry.Schema):
    async def execute(self, *args: Any, **kwargs: Any) -> ExecutionResult:
        # Here rather than in an extension: parse errors raised by ParserCache never reach
        # the extensions' on_operation hooks.
        result = await super().execute(*args, **kwargs)
        if result.errors:
            result.errors = [with_code(error) for error in result.errors]
        return result

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        # Expected errors (bad input, not found …) are answers, not incidents: no traceback.
        # Unexpected ones are logged by with_code() before they are masked.
        del errors, execution_context


def build_schema(settings: Settings) -> GatewaySchema:
    # The limit rules are made once: the validation cache keys on the rule classes, and the
    # limiters' own constructors make new classes per request (the cache would never hit).
    limits: list[type[ASTValidationRule]] = [
        depth_validator(settings.max_query_depth, None, None),
        aliases_validator(settings.max_aliases),
    ]
    extensions: list[Any] = [
        UnitOfWork,
        StreamedErrorCodes,
        ParserCache,
        # Authorisation and a bound on the document's size, then the (cached) validation.
        partial(Admission, max_selections=settings.max_selections),
        partial(AddValidationRules, limits),
        partial(MaxTokensLimiter, max_token_count=settings.max_tokens),
    ]
    if not settings.introspection:
        extensions.append(DisableIntrospection)
    return GatewaySchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=extensions,
        execution_context_class=CompilingExecutor,
    )


__all__ = ["GatewaySchema", "build_schema", "is_expected"]
