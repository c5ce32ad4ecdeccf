"""Group notifications by webhook: the subscription, the events, the signed requests.

The ``notifications`` object (``webhook`` with url, secret, events) is described and
checked in ``subscription``; ``check_notifications``, ``public_notifications`` and
``merge_notifications`` are re-exported here.

Events::

    group.completed          every page of the group is processed
    group.failed             every page of the group failed
    group.partially_failed   every page is done, some failed
    page.failed              a page of the group failed for good (no attempt left)
    job.corrected            a person corrected (or removed the correction of) an invoice
                             field of a job of the group (``services.correction``)

``record_group_event`` adds a pending row to ``webhook_deliveries`` inside the transaction
that changed the status: an event is sent if and only if its change was committed, and it
survives restarts. ``delivery_loop`` (workers, and the app on SQLite) runs ``deliver_due``,
which claims due rows (SKIP LOCKED on PostgreSQL), POSTs them and records the outcome.

The request: ``POST <url>``, the body the payload as compact UTF-8 JSON::

    {"id": "<delivery id>", "event": "group.completed", "occurredAt": "2026-11-24T10:00:00+00:00",
     "group": {"id", "name", "status", "batchNumber", "priority",
               "progress": {"totalPages", "pages": {"processed": 3, ...},
                            "totalJobs", "jobs": {"completed": 1, ...}, "percentDone"}},
     "job": {...}, "page": {...}}                                  # page.failed only
     "job": {...}, "field", "removed", "invoiceField": {...}}      # job.corrected only
                   (its job: id, name, status, possibleDuplicateOf)

and the headers::

    Content-Type: application/json
    X-OCR-Gateway-Event: group.completed
    X-OCR-Gateway-Delivery: <delivery id>     the same on every retry: deduplicate on it
    X-OCR-Gateway-Timestamp: <unix seconds>   when this attempt was signed
    X-OCR-Gateway-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>" keyed
                             with the group's secret (UTF-8)>

A receiver verifies the raw body bytes, in constant time, and refuses stale timestamps
(replays)::

    import hashlib, hmac, time

    def verify(secret: str, headers, body: bytes, tolerance_s: int = 300) -> bool:
        timestamp = headers["X-OCR-Gateway-Timestamp"]
        if abs(time.time() - int(timestamp)) > tolerance_s:
            return False
        signed = timestamp.encode() + b"." + body
        expected = "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, headers["X-OCR-Gateway-Signature"])

Delivery is at least once (a sender that dies after the receiver answered and before the
outcome is written sends again once its lease runs out) and unordered between deliveries.
2xx is delivered. 5xx, 408, 425, 429 (``Retry-After`` honoured), timeouts and connection
errors are retried after ``retry_base * 2**(attempt - 1)`` seconds (at most ``retry_max``),
``max_attempts`` attempts in all. Redirects are not followed: a 3xx fails at once, as do other
4xx, invalid URLs and addresses the image-fetching rules refuse (``sender``).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ocr_gateway.aio import wait_until_set
from ocr_gateway.db import repository
from ocr_gateway.db.engine import Database
from ocr_gateway.db.models import Job
from ocr_gateway.db.types import utcnow
from ocr_gateway.enums import PageStatus, WorkStatus
from ocr_gateway.ids import new_id
from ocr_gateway.notifications import outbox
from ocr_gateway.notifications.models import DeliveryStatus
from ocr_gateway.notifications.sender import Attempt, Verdict, WebhookPolicy, post
from ocr_gateway.notifications.signing import signed_headers
from ocr_gateway.notifications.subscription import (
    EVENTS,
    check_notifications,
    merge_notifications,
    public_notifications,
    subscribed_url,
)
from ocr_gateway.outbound import netguard
from ocr_gateway.settings import Settings

__all__ = [
    "EVENTS",
    "WebhookPolicy",
    "check_notifications",
    "deliver_due",
    "delivery_loop",
    "merge_notifications",
    "public_notifications",
    "record_group_event",
    "record_page_failed",
    "record_status_changes",
]

log = logging.getLogger("ocr_gateway.notifications")

GROUP_EVENTS = {
    WorkStatus.completed.value: "group.completed",
    WorkStatus.failed.value: "group.failed",
    WorkStatus.partially_failed.value: "group.partially_failed",
}
RESERVED_KEYS = frozenset({"id", "event", "occurredAt", "group"})
# A claim outlives the slowest attempt (bounded by the policy's timeout) by this much.
LEASE_MARGIN_S = 30.0


# -- recording events (inside the caller's transaction) -------------------------------------


async def record_group_event(
    session: AsyncSession, group_id: str, event: str, data: dict[str, Any]
) -> None:
    """Queue ``event`` for the group's webhook, if it has one subscribed to that event."""
    if event not in EVENTS:
        raise ValueError(f"unknown webhook event {event!r}")
    if RESERVED_KEYS & set(data):
        raise ValueError(f"event data must not set {sorted(RESERVED_KEYS & set(data))}")
    await session.flush()  # the session does not autoflush; read what the caller changed
    group = await outbox.group_for_event(session, group_id)
    url = None if group is None else subscribed_url(group["notifications"], event)
    if group is None or url is None:
        return
    delivery_id, now = new_id(), utcnow()
    payload = {
        "id": delivery_id,
        "event": event,
        "occurredAt": now.isoformat(),
        "group": await _group_summary(session, group),
        **data,
    }
    await outbox.insert_delivery(
        session, id=delivery_id, group_id=group_id, event=event, url=url, payload=payload, now=now
    )


async def record_status_changes(session: AsyncSession, groups: Mapping[str, str]) -> None:
    """The ``group.*`` events of groups whose status just changed (``StatusChanges.groups``)."""
    for group_id, status in sorted(groups.items()):
        event = GROUP_EVENTS.get(status)
        if event is not None:
            await record_group_event(session, group_id, event, {})


async def record_page_failed(session: AsyncSession, page_id: str) -> None:
    """``page.failed`` for a page that failed for good (call it after statuses are refreshed)."""
    page = await outbox.page_for_event(session, page_id)
    if page is None or page["group_id"] is None:
        return
    data = {
        "job": {"id": page["job_id"], "name": page["job_name"], "status": page["job_status"]},
        "page": {
            "id": page["id"],
            "pageNumber": page["page_number"],
            "pageUrl": page["page_url"],
            "status": page["status"],
            "attempts": page["attempts"],
            "error": page["error"],
        },
    }
    await record_group_event(session, page["group_id"], "page.failed", data)


async def _group_summary(session: AsyncSession, group: dict[str, Any]) -> dict[str, Any]:
    group_id = group["id"]
    pages = (await repository.page_status_counts(session, Job.group_id, [group_id])).get(
        group_id, {}
    )
    jobs = (await repository.job_status_counts(session, [group_id])).get(group_id, {})
    total_pages = sum(pages.values())
    done = pages.get(PageStatus.processed, 0) + pages.get(PageStatus.failed, 0)
    return {
        "id": group_id,
        "name": group["name"],
        "status": group["status"],
        "batchNumber": group["batch_number"],
        "priority": group["priority"],
        "progress": {
            "totalPages": total_pages,
            "pages": {s.value: pages.get(s, 0) for s in PageStatus},
            "totalJobs": sum(jobs.values()),
            "jobs": {_camel(s.value): jobs.get(s.value, 0) for s in WorkStatus},
            "percentDone": round(100.0 * done / total_pages, 2) if total_pages else 0.0,
        },
    }


def _camel(name: str) -> str:
    first, *rest = name.split("_")
    return first + "".join(word.title() for word in rest)


# -- delivering -----------------------------------------------------------------------------


async def deliver_due(
    db: Database,
    settings: Settings,
    *,
    limit: int = 20,
    resolver: netguard.Resolver | None = None,
) -> int:
    """Send up to ``limit`` due deliveries (concurrently); returns how many were attempted."""
    policy = WebhookPolicy.from_settings(settings)
    now = utcnow()
    lease_until = now + timedelta(seconds=policy.timeout + LEASE_MARGIN_S)
    async with db.sessionmaker() as session, session.begin():
        claimed = await outbox.claim_due(session, now=now, lease_until=lease_until, limit=limit)
    if not claimed:
        return 0
    attempts = await asyncio.gather(*(_attempt(c, policy, resolver) for c in claimed))
    finished = utcnow()
    async with db.sessionmaker() as session, session.begin():
        for delivery, attempt in zip(claimed, attempts, strict=True):
            values = _outcome(delivery.attempt, attempt, policy, finished)
            if not await outbox.record_outcome(session, delivery, values):
                log.warning("webhook delivery %s was taken over by another sender", delivery.id)
    return len(claimed)


async def _attempt(
    delivery: outbox.Claimed, policy: WebhookPolicy, resolver: netguard.Resolver | None
) -> Attempt:
    webhook = delivery.notifications.get("webhook")
    secret = webhook.get("secret") if isinstance(webhook, dict) else None
    if not isinstance(secret, str) or not secret:
        message = "the group no longer has a webhook secret to sign with"
        return Attempt(Verdict.failed, error={"code": "webhook_removed", "message": message})
    body = json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False).encode()
    headers = signed_headers(
        secret=secret,
        event=delivery.event,
        delivery_id=delivery.id,
        timestamp=int(time.time()),
        body=body,
    )
    try:
        return await post(delivery.url, body, headers, policy, resolver)
    except Exception:  # a bug must not lose the batch's outcomes: retry it later
        log.exception("webhook delivery %s: unexpected error", delivery.id)
        error = {"code": "internal_error", "message": "unexpected error while sending"}
        return Attempt(Verdict.retry, error=error)


def _outcome(
    attempt_number: int, attempt: Attempt, policy: WebhookPolicy, now: datetime
) -> dict[str, Any]:
    """The columns to write after attempt number ``attempt_number`` (1-based)."""
    values: dict[str, Any] = {"last_status_code": attempt.status_code, "last_error": attempt.error}
    if attempt.verdict is Verdict.delivered:
        status, next_at = DeliveryStatus.delivered, None
        values["delivered_at"] = now
    elif attempt.verdict is Verdict.retry and attempt_number < policy.max_attempts:
        delay = policy.backoff(attempt_number, attempt.retry_after)
        status, next_at = DeliveryStatus.pending, now + timedelta(seconds=delay)
    else:
        status, next_at = DeliveryStatus.failed, None
    return {**values, "status": status.value, "next_attempt_at": next_at}


async def delivery_loop(db: Database, settings: Settings, stop: asyncio.Event) -> None:
    """Deliver due webhooks until ``stop`` is set: again at once after a full batch, else
    every ``poll_interval`` seconds. Cancelling it mid-send loses nothing: the deliveries it
    held are retried when their lease runs out."""
    policy = WebhookPolicy.from_settings(settings)
    while not stop.is_set():
        try:
            sent = await deliver_due(db, settings, limit=policy.batch_size)
        except Exception:
            log.exception("webhook delivery round failed")
            sent = 0
        if sent < policy.batch_size:
            await wait_until_set(stop, policy.poll_interval)
