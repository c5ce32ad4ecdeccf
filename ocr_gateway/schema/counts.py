"""Counts by status (of a group's or job's pages and jobs, and of a list's aggregate)."""

from __future__ import annotations

import strawberry

from ocr_gateway.enums import PageStatus as PageStatusValue
from ocr_gateway.enums import WorkStatus as WorkStatusValue


@strawberry.type(description="Counts of pages by status")
class PageCounts:
    pending: int
    queued: int
    processing: int
    processed: int
    failed: int

    @classmethod
    def from_counts(cls, counts: dict[PageStatusValue, int]) -> PageCounts:
        return cls(**{s.value: counts.get(s, 0) for s in PageStatusValue})


@strawberry.type(description="Counts of jobs by status")
class JobCounts:
    pending: int
    queued: int
    processing: int
    completed: int
    partially_failed: int
    failed: int

    @classmethod
    def from_counts(cls, counts: dict[str, int]) -> JobCounts:
        return cls(**{s.value: counts.get(s.value, 0) for s in WorkStatusValue})
