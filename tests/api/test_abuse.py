"""Documents built to cost the server CPU are refused at once, with or without a key."""

from __future__ import annotations

import time

import httpx

from tests.support.abuse import fragment_bomb

BOMB_LEVELS = 30  # 2**30 selections once expanded, from 1.2 KB
DATA_BOMB = fragment_bomb(BOMB_LEVELS, leaf="templates { totalCount }")
INTROSPECTION_BOMB = fragment_bomb(BOMB_LEVELS)


async def timed_post(http: httpx.AsyncClient, query: str) -> tuple[float, dict[str, object]]:
    """The fastest of three tries, after a warm-up request (the key check, the first
    connection): the machine is shared, and a bomb that is not refused at once takes
    seconds on every try."""
    await http.post("/graphql", json={"query": "{ __typename }"})
    timings = []
    for _ in range(3):
        began = time.perf_counter()
        response = await http.post("/graphql", json={"query": query})
        timings.append(time.perf_counter() - began)
    return min(timings), response.json()


def only_code(body: dict[str, object]) -> str:
    errors = body["errors"]
    assert isinstance(errors, list), body
    assert len(errors) == 1, body
    code: str = errors[0]["extensions"]["code"]
    return code


async def test_a_fragment_bomb_with_a_valid_key_is_refused_within_100_ms(
    client: httpx.AsyncClient,
) -> None:
    seconds, body = await timed_post(client, DATA_BOMB)
    assert only_code(body) == "BAD_USER_INPUT"
    assert "once its fragments are expanded" in str(body)
    assert seconds < 0.1


async def test_a_fragment_bomb_without_a_key_is_refused_before_validation(
    anonymous: httpx.AsyncClient,
) -> None:
    seconds, body = await timed_post(anonymous, DATA_BOMB)
    assert only_code(body) == "UNAUTHENTICATED"
    assert seconds < 0.1


async def test_an_introspection_bomb_without_a_key_is_refused_within_100_ms(
    anonymous: httpx.AsyncClient,
) -> None:
    # Introspection is open to everyone, so this one reaches the size bound.
    seconds, body = await timed_post(anonymous, INTROSPECTION_BOMB)
    assert only_code(body) == "BAD_USER_INPUT"
    assert seconds < 0.1


async def test_a_bad_key_is_refused_before_an_invalid_document_is_validated(
    anonymous: httpx.AsyncClient,
) -> None:
    anonymous.headers["X-API-Key"] = "ogw_000000000000_" + "x" * 43
    _seconds, body = await timed_post(anonymous, "{ nope pages { totalCount } }")
    assert only_code(body) == "UNAUTHENTICATED"


async def test_documents_below_the_bound_still_run(client: httpx.AsyncClient) -> None:
    _seconds, body = await timed_post(client, fragment_bomb(8, leaf="templates { totalCount }"))
    assert "errors" not in body, body
