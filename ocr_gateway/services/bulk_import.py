"""The rules of ``ocr-gateway import`` (``ocr_gateway.bulk_import`` applies them per file).

- The target group is found by its exact name (``group_for_import``): no group of that name
  is created with the template (``services.job_group``: the checks of ``createJobGroup``);
  one is used as it is; several are refused (``AmbiguousGroup``), since a file could land
  in either and a re-run would not know which to compare with.
- A file is imported into a group once, by content: ``imported_as`` is the group's job whose
  pages were made from the stored document with that sha256 (a job deleted since does not
  count: its file is imported again). Runs at the same time take turns per file and per
  group name (``hold``: an advisory lock on PostgreSQL).
- ``import_document`` makes the job, the stored document and the pages through
  ``services.document`` (what ``createJobFromDocument`` runs) and, when asked, queues the
  pages (``services.processing``), in the caller's unit of work: a file is all or nothing.
- ``continue_job``: with ``--process``, a file imported by an earlier run whose pages were
  never queued has them queued now; pages still in flight are waited for.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from ocr_gateway.db.models import Document, Job, JobGroup, Page, Template
from ocr_gateway.enums import PageStatus
from ocr_gateway.errors import InvalidInput
from ocr_gateway.ids import is_valid_id
from ocr_gateway.processing.lifecycle import IN_FLIGHT
from ocr_gateway.processing.queue import QueuedPage
from ocr_gateway.services import document as document_service
from ocr_gateway.services import job_group as group_service
from ocr_gateway.services import processing as processing_service


class AmbiguousGroup(Exception):
    """Several job groups carry the name given to ``--group``."""

    def __init__(self, name: str, ids: Sequence[str]) -> None:
        super().__init__(f"{len(ids)} job groups are named {name!r} ({', '.join(ids)})")
        self.ids = list(ids)


@dataclass(frozen=True, slots=True)
class Imported:
    job: Job
    pages: list[Page]
    queued: list[QueuedPage]


@dataclass(frozen=True, slots=True)
class PageState:
    status: str
    error: dict[str, Any] | None


async def check_template(session: AsyncSession, template_id: str) -> Template:
    """The active template ``template_id``; ``InvalidInput`` on ``template`` otherwise."""
    template = await session.get(Template, template_id) if is_valid_id(template_id) else None
    if template is None:
        raise InvalidInput.single("template", f"no template with id {template_id!r}")
    if not template.active:
        raise InvalidInput.single("template", f"template {template_id!r} is inactive")
    return template


async def group_for_import(
    session: AsyncSession, *, name: str, template_id: str
) -> tuple[JobGroup, bool]:
    """The group named ``name`` and whether it was created now (see the module docstring)."""
    await hold(session, f"group:{name}")  # two runs naming a new group make one group
    found = list(await session.scalars(select(JobGroup).where(JobGroup.name == name)))
    if len(found) > 1:
        raise AmbiguousGroup(name, sorted(group.id for group in found))
    if found:
        return found[0], False
    group = await group_service.create_job_group(session, {"name": name, "template": template_id})
    return group, True


async def imported_as(
    session: AsyncSession, *, group_id: str, sha256: str, held: bool = False
) -> Job | None:
    """The job of the group already made from the document with this content, if any.
    ``held`` (in the transaction that imports it): two runs importing the same file into the
    group at once take turns, and the second finds the first's job."""
    if held:
        await hold(session, f"file:{group_id}:{sha256}")
    stmt = (
        select(Job)
        .join(Page, Page.job_id == Job.id)
        .join(Document, Document.id == Page.document_id)
        .where(Job.group_id == group_id, Document.sha256 == sha256)
        .order_by(Job.created_at)
        .limit(1)
    )
    job: Job | None = await session.scalar(stmt)
    return job


async def import_document(
    session: AsyncSession,
    document: document_service.FetchedDocument,
    data: dict[str, Any],
    *,
    process: bool,
) -> Imported:
    """The job and pages of one file, queued when ``process`` (see the module docstring)."""
    job, pages = await document_service.create_job_from_document(session, document, data)
    queued: list[QueuedPage] = []
    if process:
        job, queued = await processing_service.process_job(session, job.id)
    return Imported(job, pages, queued)


async def continue_job(session: AsyncSession, job_id: str) -> tuple[list[QueuedPage], list[Page]]:
    """An earlier import's job under ``--process``: its ``pending`` pages queued now, and
    the pages to wait for (those just queued and those still in flight)."""
    stmt = select(Page).where(Page.job_id == job_id).order_by(Page.page_number)
    pages = list(await session.scalars(stmt))
    pending = [page for page in pages if page.status == PageStatus.pending.value]
    queued = await processing_service.queue_pages(session, pending) if pending else []
    return queued, [page for page in pages if page.status in IN_FLIGHT]


async def page_states(session: AsyncSession, page_ids: Sequence[str]) -> dict[str, PageState]:
    """Status and error of each page that still exists, read in chunks of bounded size."""
    states: dict[str, PageState] = {}
    for start in range(0, len(page_ids), 500):
        chunk = page_ids[start : start + 500]
        rows = await session.execute(
            select(Page.id, Page.status, Page.error).where(Page.id.in_(chunk))
        )
        states.update({id: PageState(status, error) for id, status, error in rows})
    return states


IMPORT_LOCKS = 0x494D50  # "IMP": the advisory-lock namespace of imports


async def hold(session: AsyncSession, key: str) -> None:
    """A lock on ``key`` until the transaction ends: PostgreSQL's advisory lock (SQLite's
    writing transactions are serial already)."""
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(
            text("SELECT pg_advisory_xact_lock(:namespace, hashtext(:key))"),
            {"namespace": IMPORT_LOCKS, "key": key},
        )
