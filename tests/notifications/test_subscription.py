"""The notifications object: what is accepted, what the API shows, what an update keeps."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from ocr_gateway.notifications.webhook import (
    EVENTS,
    check_notifications,
    merge_notifications,
    public_notifications,
)
from tests.notifications.factories import SECRET, webhook

URL = "https://hooks.example.com/ocr"


def problems(value: Any) -> list[tuple[str, str]]:
    return [(p.field, p.message) for p in check_notifications(value)]


def fields(value: Any) -> list[str]:
    return [field for field, _message in problems(value)]


@pytest.mark.parametrize(
    "value",
    [
        {},
        {"email": "ops@example.com"},  # legacy free-form data stays allowed
        {"webhook": None},
        webhook(URL),
        webhook("http://hooks.example.com:8080/ocr?token=abc"),
        webhook(URL, events=["group.completed"]),
        webhook(URL, events=list(EVENTS)),
        {**webhook(URL), "email": "ops@example.com"},
    ],
)
def test_valid_notifications_have_no_problems(value: dict[str, Any]) -> None:
    assert problems(value) == []


def test_notifications_must_be_an_object() -> None:
    assert fields(["webhook"]) == ["notifications"]


def test_webhook_must_be_an_object() -> None:
    assert fields({"webhook": "https://hooks.example.com"}) == ["notifications.webhook"]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (None, "is required"),
        ("", "is required"),
        ("/relative/hook", "absolute http or https"),
        ("ftp://hooks.example.com/x", "absolute http or https"),
        ("https:///no-host", "absolute http or https"),
        ("https://hooks.example.com:99999/x", "not a valid URL"),
        ("https://user:pass@hooks.example.com/x", "credentials"),
        ("https://hooks.example.com/a b", "spaces"),
        ("https://hooks.example.com/" + "x" * 2100, "at most 2048"),
    ],
)
def test_a_bad_url_is_refused(url: Any, message: str) -> None:
    [(field, text)] = problems({"webhook": {"url": url, "secret": SECRET}})
    assert field == "notifications.webhook.url"
    assert message in text


@pytest.mark.parametrize(
    ("secret", "message"),
    [(None, "is required"), ("short", "16 to 256"), ("x" * 257, "16 to 256"), (42, "required")],
)
def test_the_secret_needs_16_to_256_characters(secret: Any, message: str) -> None:
    [(field, text)] = problems({"webhook": {"url": URL, "secret": secret}})
    assert field == "notifications.webhook.secret"
    assert message in text


@pytest.mark.parametrize(
    ("events", "message"),
    [
        ([], "at least one event"),
        ("group.completed", "list of event names"),
        (["group.completed", "group.done"], "unknown events ['group.done']"),
        ([1], "list of event names"),
    ],
)
def test_events_must_be_known(events: Any, message: str) -> None:
    [(field, text)] = problems(webhook(URL, events=events))
    assert field == "notifications.webhook.events"
    assert message in text


def test_every_problem_is_reported_at_once() -> None:
    value = {"webhook": {"url": "nope", "secret": "x", "events": ["x"], "retries": 3}}
    assert fields(value) == [
        "notifications.webhook.retries",
        "notifications.webhook.url",
        "notifications.webhook.secret",
        "notifications.webhook.events",
    ]


def test_public_notifications_never_show_the_secret() -> None:
    stored = {**webhook(URL, events=["group.failed"]), "email": "ops@example.com"}
    before = copy.deepcopy(stored)
    shown = public_notifications(stored)
    assert shown == {
        "webhook": {"url": URL, "events": ["group.failed"], "secretSet": True},
        "email": "ops@example.com",
    }
    assert SECRET not in repr(shown)
    assert stored == before  # the stored object is left alone


def test_public_notifications_pass_other_shapes_through() -> None:
    assert public_notifications({"email": "a@b.c"}) == {"email": "a@b.c"}
    assert public_notifications({"webhook": None}) == {"webhook": None}
    assert public_notifications(None) == {}


def test_what_was_read_can_be_sent_back_and_keeps_the_secret() -> None:
    stored = webhook(URL)
    edited = public_notifications(stored)
    edited["webhook"]["events"] = ["group.completed"]
    merged = merge_notifications(stored, edited)
    assert merged == {"webhook": {"url": URL, "events": ["group.completed"], "secret": SECRET}}
    assert check_notifications(merged) == []


def test_a_new_secret_replaces_the_stored_one() -> None:
    merged = merge_notifications(webhook(URL), {"webhook": {"url": URL, "secret": "n" * 20}})
    assert merged["webhook"]["secret"] == "n" * 20


def test_without_a_stored_secret_a_webhook_still_needs_one() -> None:
    merged = merge_notifications({}, {"webhook": {"url": URL, "secretSet": True}})
    assert fields(merged) == ["notifications.webhook.secret"]
