"""API keys: who is calling, and what they may do.

A key looks like ``ogw_<prefix>_<secret>``; the database keeps the prefix (to find the row)
and a SHA-256 of the whole key (keys are 256-bit random, so a plain hash cannot be
reversed or guessed). Keys carry scopes:

    read     queries and subscriptions
    write    create / update / delete mutations
    process  processPage / processJob / processJobGroup
    metrics  GET /metrics (Prometheus)
    admin    everything

Every surface (REST, GraphQL over HTTP, subscriptions, GraphiQL's requests) authenticates
in the context, through the process's ``key_cache.KeyCache`` (no database round trip per
request), and authorises per root field (``schema.admission``); /healthz, GraphiQL's page and
the API docs are open. Revoking a key notifies every API process on PostgreSQL
(``REVOKED_CHANNEL``).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import func, or_, select, update

from ocr_gateway.db.engine import Database
from ocr_gateway.db.models import ApiKey
from ocr_gateway.db.types import utcnow

HEADER = "X-API-Key"
KEY_PREFIX = "ogw"
REVOKED_CHANNEL = "ocr_gateway_api_keys"


class Scope(StrEnum):
    read = "read"
    write = "write"
    process = "process"
    metrics = "metrics"
    admin = "admin"


@dataclass(frozen=True)
class Principal:
    key_id: str
    name: str
    scopes: frozenset[Scope]

    def allows(self, scope: Scope) -> bool:
        return scope in self.scopes or Scope.admin in self.scopes


class AuthFailure(StrEnum):
    missing = "missing"
    unknown = "unknown"
    revoked = "revoked"

    @property
    def message(self) -> str:
        return {
            AuthFailure.missing: f"an API key is required (header {HEADER})",
            AuthFailure.unknown: "the API key is not valid",
            AuthFailure.revoked: "the API key has been revoked",
        }[self]


def parse_scopes(text: str) -> list[Scope]:
    """``"read,write"`` -> scopes; raises ValueError naming an unknown one."""
    scopes = []
    for part in (p.strip() for p in text.split(",") if p.strip()):
        try:
            scopes.append(Scope(part))
        except ValueError:
            allowed = ", ".join(s.value for s in Scope)
            raise ValueError(f"unknown scope {part!r} (allowed: {allowed})") from None
    if not scopes:
        raise ValueError("give at least one scope")
    return scopes


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _split(key: str) -> str | None:
    """The prefix of a well-formed key, else None."""
    parts = key.split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX or len(parts[1]) != 12 or len(parts[2]) < 32:
        return None
    return parts[1]


async def create_key(db: Database, name: str, scopes: Sequence[Scope]) -> tuple[ApiKey, str]:
    """A new key; the clear key is returned once and never stored."""
    prefix = secrets.token_hex(6)
    key = f"{KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    row = ApiKey(name=name, prefix=prefix, key_hash=key_hash(key), scopes=[s.value for s in scopes])
    async with db.sessionmaker() as session, session.begin():
        session.add(row)
    return row, key


async def list_keys(db: Database) -> list[ApiKey]:
    async with db.sessionmaker() as session:
        return list(await session.scalars(select(ApiKey).order_by(ApiKey.created_at)))


async def revoke_key(db: Database, id_or_prefix: str) -> bool:
    """Revoke a key; on PostgreSQL every API process hears of it at commit (NOTIFY)."""
    async with db.sessionmaker() as session, session.begin():
        result = await session.execute(
            update(ApiKey)
            .where((ApiKey.id == id_or_prefix) | (ApiKey.prefix == id_or_prefix))
            .where(ApiKey.revoked_at.is_(None))
            .values(revoked_at=utcnow())
            .returning(ApiKey.prefix)
        )
        revoked = list(result.scalars())
        if revoked and db.dialect == "postgresql":
            await session.execute(select(func.pg_notify(REVOKED_CHANNEL, revoked[0])))
    return bool(revoked)


async def authenticate(db: Database, key: str | None) -> Principal | AuthFailure:
    """Who holds ``key``: one indexed read, no write (see ``key_cache`` for the cached form)."""
    if not key:
        return AuthFailure.missing
    prefix = _split(key.strip())
    if prefix is None:
        return AuthFailure.unknown
    async with db.read_sessionmaker() as session:
        row = await session.scalar(select(ApiKey).where(ApiKey.prefix == prefix))
    if row is None or not hmac.compare_digest(row.key_hash, key_hash(key.strip())):
        return AuthFailure.unknown
    if row.revoked_at is not None:
        return AuthFailure.revoked
    return Principal(row.id, row.name, frozenset(Scope(s) for s in row.scopes))


async def record_use(db: Database, last_used: Mapping[str, datetime]) -> None:
    """Write when keys were last used (by id), never moving a time backwards."""
    async with db.sessionmaker() as session, session.begin():
        for key_id, used_at in sorted(last_used.items()):
            await session.execute(
                update(ApiKey)
                .where(ApiKey.id == key_id)
                .where(or_(ApiKey.last_used_at.is_(None), ApiKey.last_used_at < used_at))
                .values(last_used_at=used_at)
            )
