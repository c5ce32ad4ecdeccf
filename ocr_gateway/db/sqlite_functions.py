"""The Python functions compiled SQLite statements call (``sql.compiler.json_sql``), put on
every SQLite connection by ``db.engine``: what SQLite cannot write exactly itself."""

from __future__ import annotations

import base64
import json
import sqlite3
from typing import Any

SQLITE_FLOAT = "ogw_json_float"
SQLITE_BASE64URL = "ogw_base64url"
SQLITE_PERCENT = "ogw_percent_done"


def python_float(value: float) -> str:
    """A float as JSON text, the way the executor's JSON encoder writes it."""
    return json.dumps(float(value))


def percent_done(done: int, total: int) -> float:
    """Share of pages done, 0..100, two decimals (``schema.types.Progress.percent_done``)."""
    if not total:
        return 0.0
    return round(100.0 * done / total, 2)


def base64url(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def install_sqlite_functions(connection: sqlite3.Connection | Any) -> None:
    """Register the Python functions compiled SQLite statements call (deterministic)."""

    def json_float(value: Any) -> str | None:
        return None if value is None else python_float(value)

    def percent(done: Any, total: Any) -> str:
        return python_float(percent_done(int(done or 0), int(total or 0)))

    def b64(text: Any) -> str | None:
        return None if text is None else base64url(str(text))

    connection.create_function(SQLITE_FLOAT, 1, json_float, deterministic=True)
    connection.create_function(SQLITE_PERCENT, 2, percent, deterministic=True)
    connection.create_function(SQLITE_BASE64URL, 1, b64, deterministic=True)
