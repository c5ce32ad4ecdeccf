"""Which failures mean "the database is unreachable or busy: try again" (503) and which are
bugs (500)."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import exc as sa_exc

from ocr_gateway.db.availability import is_unavailable


class PostgresError(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def wrapped(cause: BaseException) -> RuntimeError:
    error = RuntimeError("while resolving a field")
    error.__cause__ = cause
    return error


@pytest.mark.parametrize(
    "error",
    [
        ConnectionRefusedError(111, "refused"),
        wrapped(ConnectionResetError()),
        sa_exc.TimeoutError("QueuePool limit reached"),
        sa_exc.DBAPIError("SELECT 1", {}, Exception("gone"), connection_invalidated=True),
        wrapped(PostgresError("57P01")),  # admin shutdown
        PostgresError("08006"),  # connection failure
        PostgresError("53300"),  # too many connections
        wrapped(PostgresError("40P01")),  # deadlock detected: rolled back, try again
        PostgresError("40001"),  # serialization failure
        sqlite3.OperationalError("database is locked"),
    ],
)
def test_unreachable(error: BaseException) -> None:
    assert is_unavailable(error)


@pytest.mark.parametrize(
    "error",
    [
        ValueError("a bug"),
        PostgresError("23505"),  # unique violation: a real answer
        PostgresError("57014"),  # statement timeout: the query, not the server
        sqlite3.OperationalError("no such table: pages"),
        sa_exc.DBAPIError("SELECT 1", {}, Exception("syntax"), connection_invalidated=False),
    ],
)
def test_not_unreachable(error: BaseException) -> None:
    assert not is_unavailable(error)


def test_cycles_in_the_cause_chain_end() -> None:
    first, second = RuntimeError("a"), RuntimeError("b")
    first.__context__, second.__context__ = second, first
    assert not is_unavailable(first)
