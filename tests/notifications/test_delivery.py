"""Delivering: signed POSTs to a real local receiver, retries with backoff, permanent
failures, and the address rules of image fetching."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import time
from collections.abc import Iterator, Sequence
from datetime import timedelta

import pytest
from sqlalchemy import update

from ocr_gateway.db.engine import Database
from ocr_gateway.db.models import JobGroup
from ocr_gateway.db.types import utcnow
from ocr_gateway.notifications.webhook import deliver_due
from tests.notifications.factories import (
    SECRET,
    fast_settings,
    group_with_event,
    make_due,
    only_delivery,
)
from tests.notifications.receiver import Answer, WebhookReceiver


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    with WebhookReceiver() as server:
        yield server


def expected_signature(timestamp: str, body: bytes) -> str:
    mac = hmac.new(SECRET.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


async def test_a_delivery_is_posted_signed_and_marked_delivered(
    db: Database, receiver: WebhookReceiver
) -> None:
    group_id = await group_with_event(db, receiver.url("/hooks/ocr"))
    assert await deliver_due(db, fast_settings(db)) == 1
    [request] = receiver.requests
    delivery = await only_delivery(db, group_id)
    assert (request.method, request.path) == ("POST", "/hooks/ocr")
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["X-OCR-Gateway-Event"] == "group.completed"
    assert request.headers["X-OCR-Gateway-Delivery"] == delivery.id
    timestamp = request.headers["X-OCR-Gateway-Timestamp"]
    assert abs(int(timestamp) - time.time()) < 60
    assert request.headers["X-OCR-Gateway-Signature"] == expected_signature(timestamp, request.body)
    assert json.loads(request.body) == delivery.payload
    assert SECRET.encode() not in request.body
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 1, 200)
    assert delivery.delivered_at is not None
    assert (delivery.next_attempt_at, delivery.last_error) == (None, None)


async def test_a_tampered_body_fails_the_signature(db: Database, receiver: WebhookReceiver) -> None:
    await group_with_event(db, receiver.url())
    await deliver_due(db, fast_settings(db))
    [request] = receiver.requests
    timestamp = request.headers["X-OCR-Gateway-Timestamp"]
    tampered = request.body.replace(b"completed", b"failed")
    assert request.headers["X-OCR-Gateway-Signature"] != expected_signature(timestamp, tampered)


async def test_a_5xx_is_retried_and_delivered_on_the_second_attempt(
    db: Database, receiver: WebhookReceiver
) -> None:
    group_id = await group_with_event(db, receiver.url())
    receiver.answer(Answer(500, b"database down"), 200)
    settings = fast_settings(db)
    assert await deliver_due(db, settings) == 1
    first = await only_delivery(db, group_id)
    assert (first.status, first.attempts, first.last_status_code) == ("pending", 1, 500)
    assert first.last_error == {
        "code": "http_status",
        "message": "the receiver answered HTTP 500",
        "body": "database down",
    }
    assert await deliver_due(db, settings) == 1
    second = await only_delivery(db, group_id)
    assert (second.status, second.attempts, second.last_status_code) == ("delivered", 2, 200)
    ids = {r.headers["X-OCR-Gateway-Delivery"] for r in receiver.requests}
    assert ids == {second.id}  # the same delivery id on every retry
    assert len(receiver.requests) == 2


async def test_retries_back_off_exponentially(db: Database, receiver: WebhookReceiver) -> None:
    group_id = await group_with_event(db, receiver.url())
    receiver.answer(503, 503)
    settings = fast_settings(db, webhook_retry_base_s=60)
    for attempt, delay in ((1, 60), (2, 120)):
        before = utcnow()
        assert await deliver_due(db, settings) == 1
        delivery = await only_delivery(db, group_id)
        assert delivery.attempts == attempt
        assert delivery.next_attempt_at is not None
        wait = delivery.next_attempt_at - before
        assert timedelta(seconds=delay) <= wait < timedelta(seconds=delay + 5)
        assert await deliver_due(db, settings) == 0  # not due yet
        await make_due(db)
    assert len(receiver.requests) == 2


async def test_retry_after_is_honoured(db: Database, receiver: WebhookReceiver) -> None:
    group_id = await group_with_event(db, receiver.url())
    receiver.answer(Answer(429, b"slow down", {"Retry-After": "120"}))
    before = utcnow()
    await deliver_due(db, fast_settings(db))
    delivery = await only_delivery(db, group_id)
    assert (delivery.status, delivery.last_status_code) == ("pending", 429)
    assert delivery.next_attempt_at is not None
    assert delivery.next_attempt_at - before >= timedelta(seconds=120)


async def test_a_delivery_fails_once_its_attempts_are_used_up(
    db: Database, receiver: WebhookReceiver
) -> None:
    group_id = await group_with_event(db, receiver.url())
    receiver.answer(500, 502, 200)
    settings = fast_settings(db, webhook_max_attempts=2)
    await deliver_due(db, settings)
    await deliver_due(db, settings)
    assert await deliver_due(db, settings) == 0
    delivery = await only_delivery(db, group_id)
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("failed", 2, 502)
    assert delivery.next_attempt_at is None
    assert len(receiver.requests) == 2


@pytest.mark.parametrize("status", [400, 401, 404, 410, 422])
async def test_a_4xx_fails_at_once(db: Database, receiver: WebhookReceiver, status: int) -> None:
    group_id = await group_with_event(db, receiver.url())
    receiver.answer(status)
    await deliver_due(db, fast_settings(db))
    assert await deliver_due(db, fast_settings(db)) == 0
    delivery = await only_delivery(db, group_id)
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("failed", 1, status)
    assert delivery.last_error is not None
    assert delivery.last_error["code"] == "http_status"


@pytest.mark.parametrize("status", [408, 425, 429, 500, 503])
async def test_transient_statuses_are_retried(
    db: Database, receiver: WebhookReceiver, status: int
) -> None:
    group_id = await group_with_event(db, receiver.url())
    receiver.answer(status)
    await deliver_due(db, fast_settings(db))
    assert (await only_delivery(db, group_id)).status == "pending"


async def test_a_redirect_is_not_followed_and_fails(
    db: Database, receiver: WebhookReceiver
) -> None:
    group_id = await group_with_event(db, receiver.url("/old"))
    receiver.answer(Answer(308, b"", {"Location": receiver.url("/new")}))
    await deliver_due(db, fast_settings(db))
    delivery = await only_delivery(db, group_id)
    assert (delivery.status, delivery.last_status_code) == ("failed", 308)
    assert delivery.last_error is not None
    assert delivery.last_error["code"] == "redirect_refused"
    assert [r.path for r in receiver.requests] == ["/old"]


async def test_the_answer_is_read_only_up_to_the_cap(
    db: Database, receiver: WebhookReceiver
) -> None:
    group_id = await group_with_event(db, receiver.url())
    receiver.answer(Answer(500, b"x" * 200_000))
    await deliver_due(db, fast_settings(db, webhook_max_response_bytes=4096))
    delivery = await only_delivery(db, group_id)
    assert delivery.last_error is not None
    assert delivery.last_error["body"] == "x" * 1000


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://10.0.0.1/hook", "a private address"),
        ("http://169.254.169.254/latest/meta-data", "a cloud metadata address"),
        ("http://[::ffff:169.254.169.254]/hook", "a cloud metadata address"),
        ("http://127.0.0.1:9/hook", "a loopback address"),
        ("http://0.0.0.0:9/hook", "an unspecified address"),
    ],
)
async def test_refused_addresses_fail_at_once_without_a_connection(
    db: Database, url: str, reason: str
) -> None:
    group_id = await group_with_event(db, url)
    settings = fast_settings(db, fetch_allow_loopback=False)
    started = time.monotonic()
    await deliver_due(db, settings)
    assert time.monotonic() - started < 2  # 10.0.0.1 would have hung until the timeout
    delivery = await only_delivery(db, group_id)
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("failed", 1, None)
    assert delivery.last_error is not None
    assert delivery.last_error["code"] == "address_refused"
    assert reason in delivery.last_error["message"]


def resolving_to(*addresses: str) -> object:
    async def resolve(host: str, port: int) -> Sequence[str]:
        return list(addresses)

    return resolve


async def test_a_name_resolving_to_a_refused_address_is_never_contacted(
    db: Database, receiver: WebhookReceiver
) -> None:
    group_id = await group_with_event(db, receiver.url(host="hooks.example.test"))
    settings = fast_settings(db, fetch_allow_loopback=False)
    await deliver_due(db, settings, resolver=resolving_to("127.0.0.1"))  # type: ignore[arg-type]
    delivery = await only_delivery(db, group_id)
    assert (delivery.status, delivery.last_error and delivery.last_error["code"]) == (
        "failed",
        "address_refused",
    )
    assert receiver.requests == []


async def test_the_connection_is_pinned_to_the_checked_address(
    db: Database, receiver: WebhookReceiver
) -> None:
    group_id = await group_with_event(db, receiver.url(host="hooks.example.test"))
    resolver = resolving_to("127.0.0.1")
    await deliver_due(db, fast_settings(db), resolver=resolver)  # type: ignore[arg-type]
    assert (await only_delivery(db, group_id)).status == "delivered"
    [request] = receiver.requests
    assert request.headers["Host"] == f"hooks.example.test:{receiver.port}"


async def test_the_webhook_allowance_overrides_the_fetch_rules(
    db: Database, receiver: WebhookReceiver
) -> None:
    group_id = await group_with_event(db, receiver.url())
    settings = fast_settings(db, fetch_allow_loopback=True, webhook_allow_loopback=False)
    await deliver_due(db, settings)
    assert (await only_delivery(db, group_id)).status == "failed"
    assert receiver.requests == []


async def test_a_timeout_is_retried(db: Database, receiver: WebhookReceiver) -> None:
    group_id = await group_with_event(db, receiver.url())
    receiver.delay = 1.0
    await deliver_due(db, fast_settings(db, webhook_timeout_s=0.2))
    delivery = await only_delivery(db, group_id)
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert delivery.last_error is not None
    assert delivery.last_error["code"] == "timeout"


async def test_a_refused_connection_is_retried(db: Database) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    group_id = await group_with_event(db, f"http://127.0.0.1:{port}/hook")
    await deliver_due(db, fast_settings(db))
    delivery = await only_delivery(db, group_id)
    assert delivery.status == "pending"
    assert delivery.last_error is not None
    assert delivery.last_error["code"] == "connection_error"


async def test_a_removed_webhook_fails_its_pending_deliveries(
    db: Database, receiver: WebhookReceiver
) -> None:
    group_id = await group_with_event(db, receiver.url())
    async with db.sessionmaker() as session, session.begin():
        await session.execute(
            update(JobGroup).where(JobGroup.id == group_id).values(notifications={})
        )
    await deliver_due(db, fast_settings(db))
    delivery = await only_delivery(db, group_id)
    assert delivery.status == "failed"
    assert delivery.last_error is not None
    assert delivery.last_error["code"] == "webhook_removed"
    assert receiver.requests == []


async def test_a_rotated_secret_signs_the_next_attempt(
    db: Database, receiver: WebhookReceiver
) -> None:
    group_id = await group_with_event(db, receiver.url())
    rotated = "r" * 32
    async with db.sessionmaker() as session, session.begin():
        await session.execute(
            update(JobGroup)
            .where(JobGroup.id == group_id)
            .values(notifications={"webhook": {"url": receiver.url(), "secret": rotated}})
        )
    await deliver_due(db, fast_settings(db))
    [request] = receiver.requests
    timestamp = request.headers["X-OCR-Gateway-Timestamp"]
    mac = hmac.new(rotated.encode(), timestamp.encode() + b"." + request.body, hashlib.sha256)
    assert request.headers["X-OCR-Gateway-Signature"] == "sha256=" + mac.hexdigest()
