"""Prometheus metrics at ``/metrics`` (prometheus-client's text format).

Measured in the API processes, as requests pass (``Metrics.middleware``):

    ocr_gateway_http_requests_total{surface,method,status}   counter
    ocr_gateway_http_request_seconds{surface}                 histogram
        surface: graphql | rest | health | metrics | other (GraphiQL, docs, assets)

Read from the database at scrape time, where the truth is whichever process did the work
(any number of API processes and OCR workers, on any machines; every API process answers
the same):

    ocr_gateway_pages{status}                  queue depth: pages per status (pending,
                                               queued, processing, processed, failed)
    ocr_gateway_jobs{status} / ocr_gateway_job_groups{status}
    ocr_gateway_page_seconds                   histogram of the processed pages' processing
                                               time (fetch + OCR + extraction)
    ocr_gateway_ocr_seconds                    the OCR's share of it, per page
    ocr_gateway_webhook_deliveries{status}     pending, delivered, failed
    ocr_gateway_database_up                    1 when those could be read

Several API processes on one machine (``serve --workers N``) share their request metrics
through prometheus-client's multiprocess mode: ``serve`` sets ``PROMETHEUS_MULTIPROC_DIR``
to a fresh directory when it starts more than one worker (or uses the operator's), and
every process then answers the sum over all of them.

Access: a key with the ``metrics`` (or ``admin``) scope, in ``X-API-Key`` or as
``Authorization: Bearer <key>`` (what Prometheus' ``authorization`` setting sends);
``OCR_GATEWAY_METRICS_AUTH=false`` opens it (for a scraper on a closed network).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from prometheus_client.utils import floatToGoString
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ocr_gateway.db import stats
from ocr_gateway.db.engine import Database
from ocr_gateway.db.models import Job, JobGroup, Page
from ocr_gateway.notifications.models import WebhookDelivery
from ocr_gateway.settings import Settings

log = logging.getLogger("ocr_gateway.metrics")
MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"
PATH = "/metrics"
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
PAGE_SECONDS_BUCKETS = (0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300)
# Label values are bounded: a client can send any method, and each value is a new series.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
TABLES: tuple[tuple[str, Any, str], ...] = (
    ("ocr_gateway_pages", Page, "Pages per status (the queue's depth)"),
    ("ocr_gateway_jobs", Job, "Jobs per status"),
    ("ocr_gateway_job_groups", JobGroup, "Job groups per status"),
    ("ocr_gateway_webhook_deliveries", WebhookDelivery, "Webhook deliveries per status"),
)


def multiprocess_dir() -> str | None:
    return os.environ.get(MULTIPROCESS_ENV) or None


class Metrics:
    """This app's request metrics, and the scrape that adds the database's figures."""

    def __init__(self, database: Database, settings: Settings) -> None:
        self.database = database
        self.graphql_path = settings.graphql_path.rstrip("/") or "/"
        self.rest_prefix = settings.rest_prefix.rstrip("/") + "/"
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "ocr_gateway_http_requests",
            "HTTP requests answered, by API surface, method and status",
            ["surface", "method", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "ocr_gateway_http_request_seconds",
            "Time to answer an HTTP request, by API surface",
            ["surface"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )

    def surface(self, path: str) -> str:
        if path == self.graphql_path or path.startswith(self.graphql_path + "/"):
            return "graphql"
        if (path.rstrip("/") + "/").startswith(self.rest_prefix):
            return "rest"
        return {"/healthz": "health", PATH: "metrics"}.get(path, "other")

    def middleware(self, app: ASGIApp) -> ASGIApp:
        """Counts and times every HTTP request (WebSockets are long-lived: not timed)."""

        async def measured(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http":
                await app(scope, receive, send)
                return
            began = time.perf_counter()
            status = 500  # what the client sees when the app fails before answering

            async def recording_send(message: Message) -> None:
                nonlocal status
                if message["type"] == "http.response.start":
                    status = message["status"]
                await send(message)

            try:
                await app(scope, receive, recording_send)
            finally:
                surface = self.surface(scope["path"])
                method = scope["method"] if scope["method"] in METHODS else "other"
                self.requests.labels(surface, method, str(status)).inc()
                self.latency.labels(surface).observe(time.perf_counter() - began)

        return measured

    async def scrape(self) -> bytes:
        families = await self._database_families()
        database = CollectorRegistry()
        database.register(_Fixed(families))
        return generate_latest(self._process_registry()) + generate_latest(database)

    def _process_registry(self) -> CollectorRegistry:
        directory = multiprocess_dir()
        if directory is None:
            return self.registry
        registry = CollectorRegistry()
        MultiProcessCollector(registry, path=directory)  # type: ignore[no-untyped-call]
        return registry

    async def _database_families(self) -> list[Metric]:
        up = GaugeMetricFamily("ocr_gateway_database_up", "1 when the figures below were read")
        try:
            async with self.database.read_sessionmaker() as session:
                counts = [(n, h, await stats.count_by_status(session, m)) for n, m, h in TABLES]
                seconds = await stats.page_seconds(session, PAGE_SECONDS_BUCKETS)
                ocr = await stats.ocr_seconds(session, PAGE_SECONDS_BUCKETS)
        except Exception as exc:
            log.warning("metrics: the database could not be read (%s)", exc)
            up.add_metric([], 0)
            return [up]
        up.add_metric([], 1)
        families: list[Metric] = [up]
        for name, help_text, by_status in counts:
            family = GaugeMetricFamily(name, help_text, labels=["status"])
            for status, count in sorted(by_status.items()):
                family.add_metric([status], count)
            families.append(family)
        families.append(
            _histogram(
                "ocr_gateway_page_seconds",
                "Processing time of the processed pages (fetch + OCR + extraction)",
                seconds,
            )
        )
        families.append(_histogram("ocr_gateway_ocr_seconds", "OCR time per processed page", ocr))
        return families


def _histogram(name: str, help_text: str, seconds: stats.Distribution) -> HistogramMetricFamily:
    pairs = zip(seconds.bounds, seconds.at_most, strict=True)
    buckets = [(floatToGoString(b), n) for b, n in pairs]  # type: ignore[no-untyped-call]
    buckets.append(("+Inf", seconds.count))
    return HistogramMetricFamily(name, help_text, buckets=buckets, sum_value=seconds.total)


class _Fixed(Collector):
    """A collector of metric families computed before ``generate_latest`` runs."""

    def __init__(self, families: Iterable[Metric]) -> None:
        self.families = list(families)

    def collect(self) -> Iterable[Metric]:
        return self.families


def endpoint(
    metrics: Metrics, refusal: Callable[[Request], Awaitable[int | None]]
) -> Callable[[Request], Awaitable[Response]]:
    """The /metrics route; ``refusal`` answers 401/403 for a caller who may not scrape."""

    async def scrape(request: Request) -> Response:
        status = await refusal(request)
        if status is not None:
            message = "a key with the metrics scope is required (X-API-Key or Bearer)\n"
            headers = {"www-authenticate": "Bearer"} if status == 401 else {}
            return Response(message, status, headers=headers, media_type="text/plain")
        return Response(await metrics.scrape(), media_type=CONTENT_TYPE_LATEST)

    return scrape
