"""Telling "the database is unreachable" apart from every other failure.

Such failures are not bugs: the request could not be served now and may succeed shortly.
Both APIs answer them with 503 and the code ``SERVICE_UNAVAILABLE`` (see
``errors.ServiceUnavailable``) instead of a masked 500. Recognised, anywhere in an
exception's chain of causes:

- the network: refused, reset or timed-out connections (``OSError``);
- a connection SQLAlchemy found dead and invalidated, or a pool with no connection free;
- PostgreSQL refusing or ending sessions: SQLSTATE classes 08 (connection), 53
  (insufficient resources), 57P (shutdown, crash, starting up), 3D000 (no such database);
- PostgreSQL rolling a transaction back for a concurrent one: class 40 (deadlock,
  serialization failure): nothing was changed, and the same request will most likely pass;
- SQLite unable to open its file or to get its lock within the busy timeout.
"""

from __future__ import annotations

import sqlite3

from sqlalchemy import exc as sa_exc

POSTGRES_UNAVAILABLE = ("08", "53", "57P", "3D000", "40")
SQLITE_UNAVAILABLE = ("database is locked", "unable to open database file", "disk i/o error")
POSTGRES_ROLLED_BACK = "40"  # serialization failure, deadlock: the same writes may well pass


def is_unavailable(error: BaseException) -> bool:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if _means_unavailable(current):
            return True
        current = current.__cause__ or current.__context__
    return False


def _means_unavailable(error: BaseException) -> bool:
    if isinstance(error, OSError):
        return True
    if isinstance(error, sa_exc.TimeoutError):  # no pooled connection free in time
        return True
    if isinstance(error, sa_exc.DBAPIError) and error.connection_invalidated:
        return True
    sqlstate = getattr(error, "sqlstate", None)
    if isinstance(sqlstate, str) and sqlstate.startswith(POSTGRES_UNAVAILABLE):
        return True
    if isinstance(error, sqlite3.OperationalError):
        return str(error).lower().startswith(SQLITE_UNAVAILABLE)
    return False


def is_rolled_back_by_concurrency(error: BaseException) -> bool:
    """PostgreSQL aborted the transaction because of another one (SQLSTATE class 40: a
    deadlock or a serialization failure): trying the same transaction again is the remedy."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        sqlstate = getattr(current, "sqlstate", None)
        if isinstance(sqlstate, str) and sqlstate.startswith(POSTGRES_ROLLED_BACK):
            return True
        current = getattr(current, "orig", None) or current.__cause__ or current.__context__
    return False
