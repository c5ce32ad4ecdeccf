"""A job group's subscription: the ``notifications`` object, checked and shown safely.

    {"webhook": {"url": "https://hooks.example.com/ocr",
                 "secret": "at least 16 characters, at most 256",
                 "events": ["group.completed", "group.failed"]}}     # optional, default group.*

Other top-level keys are kept as given (legacy free-form data); ``"webhook": null`` means
none. The API never shows the secret: ``public_notifications`` replaces it with
``"secretSet": true``, and a webhook given without a secret keeps the stored one
(``merge_notifications``), so a client can send back what it read with a changed URL.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from ocr_gateway.errors import FieldProblem

EVENTS = (
    "group.completed",
    "group.failed",
    "group.partially_failed",
    "page.failed",
    "job.corrected",
)
# Without an explicit list a group hears about its own outcome only: one webhook per
# failed page of a large batch is something to ask for.
DEFAULT_EVENTS = ("group.completed", "group.failed", "group.partially_failed")
FIELD = "notifications.webhook"
WEBHOOK_KEYS = frozenset({"url", "secret", "events", "secretSet"})
SECRET_LENGTH = (16, 256)
MAX_URL_LENGTH = 2048


def check_notifications(value: Any) -> list[FieldProblem]:
    """Problems with a group's ``notifications`` object (empty when it may be stored)."""
    if not isinstance(value, dict):
        return [FieldProblem("notifications", "must be a JSON object")]
    webhook = value.get("webhook")
    if webhook is None:
        return []
    if not isinstance(webhook, dict):
        return [FieldProblem(FIELD, "must be an object with url, secret and events")]
    problems = [
        FieldProblem(
            f"{FIELD}.{key}", f"unknown field (expected {', '.join(sorted(WEBHOOK_KEYS))})"
        )
        for key in sorted(set(webhook) - WEBHOOK_KEYS)
    ]
    problems += _url_problems(webhook.get("url"))
    problems += _secret_problems(webhook.get("secret"))
    if "events" in webhook:
        problems += _events_problems(webhook["events"])
    return problems


def _url_problems(url: Any) -> list[FieldProblem]:
    field = f"{FIELD}.url"
    if not isinstance(url, str) or not url:
        return [FieldProblem(field, "is required: an absolute http(s) URL")]
    if len(url) > MAX_URL_LENGTH:
        return [FieldProblem(field, f"must be at most {MAX_URL_LENGTH} characters")]
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return [FieldProblem(field, "is not a valid URL")]
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return [FieldProblem(field, "must be an absolute http or https URL")]
    if any(c.isspace() or ord(c) < 32 for c in url):
        return [FieldProblem(field, "must not contain spaces or control characters")]
    if parts.username is not None or parts.password is not None:
        return [FieldProblem(field, "must not contain credentials (requests are signed)")]
    return []


def _secret_problems(secret: Any) -> list[FieldProblem]:
    field = f"{FIELD}.secret"
    shortest, longest = SECRET_LENGTH
    if not isinstance(secret, str) or not secret:
        return [FieldProblem(field, "is required: the key the requests are signed with")]
    if not shortest <= len(secret) <= longest:
        return [FieldProblem(field, f"must be {shortest} to {longest} characters")]
    return []


def _events_problems(events: Any) -> list[FieldProblem]:
    field = f"{FIELD}.events"
    known = ", ".join(EVENTS)
    if not isinstance(events, list) or not all(isinstance(e, str) for e in events):
        return [FieldProblem(field, f"must be a list of event names ({known})")]
    if not events:
        return [FieldProblem(field, "must name at least one event (or leave it out for all)")]
    unknown = sorted(set(events) - set(EVENTS))
    if unknown:
        return [FieldProblem(field, f"unknown events {unknown} (known: {known})")]
    return []


def public_notifications(value: Any) -> dict[str, Any]:
    """The notifications object as the API shows it: the secret replaced by ``secretSet``."""
    if not isinstance(value, dict):
        return {}
    shown = dict(value)
    webhook = shown.get("webhook")
    if isinstance(webhook, dict):
        public = {k: v for k, v in webhook.items() if k not in ("secret", "secretSet")}
        public["secretSet"] = bool(webhook.get("secret"))
        shown["webhook"] = public
    return shown


def merge_notifications(current: Any, incoming: dict[str, Any]) -> dict[str, Any]:
    """What to store: ``incoming``, keeping the stored secret when its webhook has none.

    So a client can send back what it read (which has no secret) with a changed URL or
    events. ``secretSet`` (display only) is dropped.
    """
    merged = dict(incoming)
    webhook = merged.get("webhook")
    if isinstance(webhook, dict):
        webhook = {k: v for k, v in webhook.items() if k != "secretSet"}
        old = current.get("webhook") if isinstance(current, dict) else None
        if "secret" not in webhook and isinstance(old, dict) and "secret" in old:
            webhook["secret"] = old["secret"]
        merged["webhook"] = webhook
    return merged


def subscribed_url(notifications: Any, event: str) -> str | None:
    """The webhook URL that wants ``event``, or None (no webhook, not subscribed, invalid)."""
    if not isinstance(notifications, dict) or notifications.get("webhook") is None:
        return None
    if check_notifications(notifications):  # stored before validation existed
        return None
    webhook = notifications["webhook"]
    url: str = webhook["url"]
    return url if event in webhook.get("events", DEFAULT_EVENTS) else None
