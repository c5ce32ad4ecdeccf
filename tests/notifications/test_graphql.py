"""The delivery log in GraphQL: the type, and one statement for the deliveries of many groups."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import strawberry
from sqlalchemy import event

from ocr_gateway.db.engine import Database
from ocr_gateway.notifications.graphql import (
    WebhookDelivery,
    deliveries_for_groups,
    group_deliveries_loader,
)
from ocr_gateway.notifications.webhook import deliver_due, record_group_event
from ocr_gateway.schema.context import Context
from tests.notifications.factories import create_group, deliveries, fast_settings, webhook
from tests.notifications.receiver import WebhookReceiver

URL = "https://hooks.example.com/ocr"


async def group_with_events(db: Database, *events: str) -> str:
    group_id = await create_group(db, webhook(URL, events=list(events)))
    for name in events:
        async with db.sessionmaker() as session, session.begin():
            await record_group_event(session, group_id, name, {})
    return group_id


@contextmanager
def count_statements(db: Database) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(db.engine.sync_engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", record)


async def test_each_group_gets_its_newest_deliveries_up_to_the_limit(db: Database) -> None:
    busy = await group_with_events(db, "page.failed", "group.failed", "group.completed")
    quiet = await group_with_events(db, "group.completed")
    silent = await create_group(db, webhook(URL))
    async with db.sessionmaker() as session:
        found = await deliveries_for_groups(session, [busy, quiet, silent], 2)
    newest_first = [d.id for d in reversed(await deliveries(db, busy))][:2]
    assert [d.id for d in found[busy]] == newest_first
    assert [d.event for d in found[quiet]] == ["group.completed"]
    assert found.get(silent, []) == []


async def test_the_loader_reads_many_groups_in_one_statement(db: Database) -> None:
    groups = [await group_with_events(db, "group.completed", "page.failed") for _ in range(5)]
    context = Context(db, db.settings)
    loader = group_deliveries_loader(context)
    with count_statements(db) as statements:
        results = await loader.load_many([(g, 20) for g in groups])
    await context.finish(commit=False)
    assert [len(r) for r in results] == [2] * 5
    assert len([s for s in statements if s.startswith("SELECT")]) == 1


async def test_the_graphql_type_shows_the_delivery_log(db: Database) -> None:
    with WebhookReceiver() as receiver:
        receiver.answer(503)
        group_id = await create_group(db, webhook(receiver.url()))
        async with db.sessionmaker() as session, session.begin():
            await record_group_event(session, group_id, "group.failed", {})
        await deliver_due(db, fast_settings(db, webhook_retry_base_s=30))
    [row] = await deliveries(db, group_id)

    @strawberry.type
    class Query:
        @strawberry.field
        def deliveries(self) -> list[WebhookDelivery]:
            return [WebhookDelivery.from_row(row)]

    schema = strawberry.Schema(query=Query)
    result = await schema.execute(
        "{ deliveries { id event url status attempts lastStatusCode lastError"
        " createdAt deliveredAt nextAttemptAt } }"
    )
    assert result.errors is None
    assert result.data is not None
    [shown] = result.data["deliveries"]
    assert shown["id"] == row.id
    assert (shown["event"], shown["url"], shown["status"]) == (
        "group.failed",
        receiver.url(),
        "pending",
    )
    assert (shown["attempts"], shown["lastStatusCode"]) == (1, 503)
    assert shown["lastError"]["code"] == "http_status"
    assert shown["deliveredAt"] is None
    assert shown["nextAttemptAt"] > shown["createdAt"]
    assert "enum WebhookDeliveryStatus" in str(schema)
