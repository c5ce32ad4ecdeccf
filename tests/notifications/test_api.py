"""The notifications object through the API: checked on write, never shown with its secret,
kept when sent back without it; the delivery log on ``JobGroup.notificationDeliveries``."""

from __future__ import annotations

import httpx

from ocr_gateway.db.engine import Database
from ocr_gateway.notifications.webhook import record_group_event
from tests.api.factories import problem_fields
from tests.api.graphql import create_group, gql, gql_error
from tests.notifications.factories import SECRET, only_delivery, webhook

URL = "https://hooks.example.com/ocr"
GET = "query($id: ID!) { jobGroup(id: $id) { notifications } }"
UPDATE = "mutation($id: ID!, $i: UpdateJobGroupInput!) { updateJobGroup(id: $id, input: $i) {"
UPDATE += " notifications } }"
DELIVERIES = "query($id: ID!, $n: Int) { jobGroup(id: $id) { notificationDeliveries(limit: $n) {"
DELIVERIES += " id event url status attempts lastStatusCode lastError nextAttemptAt } } }"


async def stored_notifications(client: httpx.AsyncClient, group_id: str) -> dict[str, object]:
    result: dict[str, object] = (await gql(client, GET, id=group_id))["jobGroup"]["notifications"]
    return result


async def test_the_secret_is_stored_but_never_shown(client: httpx.AsyncClient) -> None:
    group = await create_group(client, notifications=webhook(URL, events=["group.failed"]))
    shown = await stored_notifications(client, group["id"])
    assert shown == {"webhook": {"url": URL, "events": ["group.failed"], "secretSet": True}}
    response = await client.get(f"/api/v1/ocr-invoice-job-groups/{group['id']}")
    assert SECRET not in response.text


async def test_a_bad_webhook_is_refused_with_every_problem(client: httpx.AsyncClient) -> None:
    bad = {"webhook": {"url": "ftp://x", "secret": "short", "events": ["group.done"]}}
    error = await gql_error(
        client,
        "mutation($i: CreateJobGroupInput!) { createJobGroup(input: $i) { id } }",
        i={"name": "batch", "template": "000000000000000000000001", "notifications": bad},
    )
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert problem_fields(error) == [
        "notifications.webhook.url",
        "notifications.webhook.secret",
        "notifications.webhook.events",
    ]


async def test_what_was_read_can_be_written_back(client: httpx.AsyncClient, db: Database) -> None:
    group = await create_group(client, notifications=webhook(URL))
    shown = await stored_notifications(client, group["id"])
    shown["webhook"]["events"] = ["group.completed"]  # type: ignore[index]
    await gql(client, UPDATE, id=group["id"], i={"notifications": shown})
    async with db.sessionmaker() as session, session.begin():
        await record_group_event(session, group["id"], "group.completed", {})
    # The stored secret survived the round trip: the event was recorded for a valid webhook.
    assert (await only_delivery(db, group["id"])).event == "group.completed"


async def test_the_delivery_log_is_readable(client: httpx.AsyncClient, db: Database) -> None:
    group = await create_group(client, notifications=webhook(URL))
    for event in ("page.failed", "group.failed"):
        async with db.sessionmaker() as session, session.begin():
            await record_group_event(session, group["id"], event, {})
    result = await gql(client, DELIVERIES, id=group["id"], n=1)
    [latest] = result["jobGroup"]["notificationDeliveries"]
    assert (latest["event"], latest["url"], latest["status"]) == ("group.failed", URL, "pending")
    assert (latest["attempts"], latest["lastStatusCode"], latest["lastError"]) == (0, None, None)
    error = await gql_error(client, DELIVERIES, id=group["id"], n=0)
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
