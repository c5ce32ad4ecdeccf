"""One ``ocr-gateway import`` run over the files found (see ``ocr_gateway.bulk_import``)."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from ocr_gateway.bulk_import import FAILED, INTERRUPTED, OK, USAGE
from ocr_gateway.bulk_import.files import Candidate, Found
from ocr_gateway.bulk_import.report import Reporter, Tally
from ocr_gateway.db.availability import is_unavailable
from ocr_gateway.db.engine import Database
from ocr_gateway.db.models import JobGroup, Page
from ocr_gateway.enums import PageStatus
from ocr_gateway.errors import GatewayError, InvalidInput
from ocr_gateway.processing.builtin_templates import GENERIC_INVOICE_TEMPLATE
from ocr_gateway.processing.queue import DeferredQueue, PageQueue, QueuedPage, hand_over
from ocr_gateway.services import bulk_import as service
from ocr_gateway.services import document as document_service

log = logging.getLogger("ocr_gateway.bulk_import")
POLL_S = 0.5
DONE = (PageStatus.processed.value, PageStatus.failed.value)


@dataclass(frozen=True, slots=True)
class Options:
    paths: list[str]
    group: str
    template: str | None
    process: bool


class FileProblem(Exception):
    """A candidate that cannot be read as a document (the message says why)."""


class Interrupted(Exception):
    """Ctrl-C while importing: raised before the next file (``Run.on_sigint``)."""


class DatabaseLost(Exception):
    """The database stopped answering mid-run: every later file would fail the same way."""


@dataclass(frozen=True, slots=True)
class WatchedPage:
    shown: str  # the file's
    number: int


class Run:
    def __init__(
        self, options: Options, found: Found, reporter: Reporter, *, errors: TextIO
    ) -> None:
        self.options = options
        self.found = found
        self.reporter = reporter
        self.errors = errors  # what went wrong with the run itself (stderr)
        self.tally = Tally(files=len(found.candidates), ignored=len(found.ignored))
        self.watched: dict[str, WatchedPage] = {}
        self._importing = True
        self._stop = False
        self._task: tuple[asyncio.AbstractEventLoop, asyncio.Task[Any]] | None = None

    def on_sigint(self, _signum: int, _frame: object) -> None:
        """Ctrl-C (the SIGINT handler ``ocr-gateway import`` installs): while files are being
        imported, stop before the next one (the one in hand commits or rolls back whole);
        while waiting for OCR, or at a second Ctrl-C, cancel the run at once (asyncio's own
        handler would cancel the file in hand and roll it back)."""
        if self._importing and not self._stop:
            self._stop = True
        elif self._task is not None:
            loop, task = self._task
            loop.call_soon_threadsafe(task.cancel)

    async def execute(self, db: Database) -> int:
        """Import every candidate into the group; the exit status (``bulk_import``)."""
        task = asyncio.current_task()
        self._task = (asyncio.get_running_loop(), task) if task is not None else None
        try:
            group = await self._group(db)
        except (InvalidInput, service.AmbiguousGroup) as exc:
            print(f"error: {_usage_message(exc)}", file=self.errors)
            return USAGE
        try:
            await self._import_all(db, group)
        except Interrupted:
            return self.interrupted()
        except DatabaseLost as exc:
            self.reporter.close(self.tally, process=self.options.process)
            print(f"error: the database stopped answering: {exc.__cause__}", file=self.errors)
            print(
                "what was imported stays; run the same command again to continue", file=self.errors
            )
            return FAILED
        self.reporter.close(self.tally, process=self.options.process)
        return FAILED if self.tally.failed or self.tally.page_failures else OK

    def interrupted(self) -> int:
        """Ctrl-C: what was committed stays; say so (the exit status)."""
        self.tally.interrupted = True
        self.reporter.close(self.tally, process=self.options.process)
        print(
            "stopped: the files imported so far stay; the same command continues", file=self.errors
        )
        return INTERRUPTED

    # -- the group --------------------------------------------------------------------------

    async def _group(self, db: Database) -> JobGroup:
        template_id = self.options.template or str(GENERIC_INVOICE_TEMPLATE["id"])
        async with db.sessionmaker() as session, session.begin():
            template = await service.check_template(session, template_id)
            group, created = await service.group_for_import(
                session, name=self.options.group, template_id=template.id
            )
        if created:
            self.reporter.note(
                f"created job group {group.name!r} ({group.id}) with template {template.name!r}"
            )
        else:
            self.reporter.note(f"importing into job group {group.name!r} ({group.id})")
            if self.options.template and group.template_id != template.id:
                self.reporter.note(
                    f"the group's template is {group.template_id}; these jobs get {template.id}"
                )
        return group

    # -- the files --------------------------------------------------------------------------

    async def _import_all(self, db: Database, group: JobGroup) -> None:
        queue = self._page_queue(db) if self.options.process else None
        if queue is not None:
            await queue.start()
        try:
            self.reporter.start(self.tally, process=queue is not None)
            for shown in self.found.ignored:
                self.reporter.file("ignored", shown, "", self.tally)
            for folder, why in self.found.unreadable:
                self._failed(folder, f"the folder cannot be read ({why})")
            watch = asyncio.create_task(self._watch(db)) if queue is not None else None
            try:
                for candidate in self.found.candidates:
                    if self._stop:
                        raise Interrupted
                    await self._one(db, group, candidate, queue)
                if self._stop:
                    raise Interrupted
            except BaseException:
                if watch is not None:
                    watch.cancel()
                raise
            self._importing = False
            if watch is not None:
                await _waited(watch)
        finally:
            if queue is not None:
                await queue.stop()

    def _page_queue(self, db: Database) -> PageQueue | None:
        """The queue ``serve`` would use (``app.page_queue``); None when nothing here or
        elsewhere will process the pages this run could wait for."""
        from ocr_gateway.app import page_queue

        queue = page_queue(db, db.settings)
        if isinstance(queue, DeferredQueue):
            self.reporter.note(
                "--process: OCR_GATEWAY_LOCAL_WORKERS is 0, so this process runs no OCR: "
                "the pages are queued and wait for an app that processes them"
            )
            return None
        if not db.settings.is_sqlite:
            self.reporter.note(
                "--process: the pages go to the procrastinate queue; `ocr-gateway worker` "
                "processes them (Ctrl-C stops waiting, the pages stay queued)"
            )
        return queue

    async def _one(
        self, db: Database, group: JobGroup, candidate: Candidate, queue: PageQueue | None
    ) -> None:
        try:
            await self._import_file(db, group, candidate, queue)
        except (FileProblem, GatewayError) as exc:
            self._failed(candidate.shown, _message(exc))
        except Exception as exc:
            if is_unavailable(exc):
                raise DatabaseLost from exc
            log.exception("importing %s failed", candidate.shown)
            self._failed(candidate.shown, f"unexpected error ({type(exc).__name__})")

    async def _import_file(
        self, db: Database, group: JobGroup, candidate: Candidate, queue: PageQueue | None
    ) -> None:
        data = await asyncio.to_thread(read_file, candidate.path, db.settings.fetch_max_bytes)
        digest = hashlib.sha256(data).hexdigest()
        async with db.read_sessionmaker() as session:
            earlier = await service.imported_as(session, group_id=group.id, sha256=digest)
        # An imported file is not opened again; a new one is inspected before the transaction.
        document = None if earlier else await self._document(db, candidate, data)
        async with db.sessionmaker() as session, session.begin():
            earlier = await service.imported_as(
                session, group_id=group.id, sha256=digest, held=True
            )
            if earlier is not None:
                job = earlier
                queued, pages = await service.continue_job(session, job.id) if queue else ([], [])
            else:
                document = document or await self._document(db, candidate, data)
                job_data = self._job_data(group, candidate)
                imported = await service.import_document(
                    session, document, job_data, process=queue is not None
                )
                job, queued, pages = imported.job, imported.queued, imported.pages
        if queue is not None:
            await self._hand_over(queue, queued, candidate, pages)
        if earlier is not None:
            self.tally.skipped += 1
            detail = f"already imported as job {job.id}"
            self.reporter.file("skipped", candidate.shown, detail, self.tally)
            return
        self.tally.imported += 1
        self.tally.pages += len(pages)
        detail = f"{len(pages)} page{'s' if len(pages) != 1 else ''}, job {job.id}"
        self.reporter.file("imported", candidate.shown, detail, self.tally)

    async def _document(
        self, db: Database, candidate: Candidate, data: bytes
    ) -> document_service.FetchedDocument:
        url = candidate.path.as_uri()
        return await document_service.read_document(db.settings, url, data, field="file")

    def _job_data(self, group: JobGroup, candidate: Candidate) -> dict[str, Any]:
        data: dict[str, Any] = {
            "group": group.id,
            "name": candidate.path.name[:255],
            "sourceFileName": candidate.shown[-1024:],
            "metadata": {"importedFrom": str(candidate.path)},
        }
        if self.options.template:
            data["template"] = self.options.template
        return data

    async def _hand_over(
        self, queue: PageQueue, queued: list[QueuedPage], candidate: Candidate, pages: list[Page]
    ) -> None:
        """Give the queue the pages just queued (after their commit); watch them all."""
        if queued:
            await hand_over(queue, queued)
        for page in pages:
            self.watched.setdefault(page.id, WatchedPage(candidate.shown, page.page_number))
        self.tally.queued = len(self.watched)

    def _failed(self, shown: str, why: str) -> None:
        self.tally.failed += 1
        self.reporter.file("failed", shown, why, self.tally)

    # -- processing -------------------------------------------------------------------------

    async def _watch(self, db: Database) -> None:
        """Count the watched pages done or failed until the import is over and none is
        left in flight; then name each failed page."""
        while True:
            ids = list(self.watched)
            async with db.read_sessionmaker() as session:
                states = await service.page_states(session, ids)
            missing = [id for id in ids if id not in states]  # deleted meanwhile
            failed = [id for id, s in states.items() if s.status == PageStatus.failed.value]
            self.tally.processed = sum(
                s.status == PageStatus.processed.value for s in states.values()
            )
            self.tally.page_failures = len(failed) + len(missing)
            self.reporter.pages(self.tally)
            in_flight = len(ids) - self.tally.processed - self.tally.page_failures
            if not self._importing and not in_flight and len(ids) == len(self.watched):
                break
            await asyncio.sleep(POLL_S)
        for id in failed + missing:
            page = self.watched[id]
            state = states.get(id)
            why = (state.error or {}).get("message", "failed") if state else "deleted meanwhile"
            self.reporter.note(f"page {page.number} of {page.shown} failed: {why}")


async def _waited(watch: asyncio.Task[None]) -> None:
    try:
        await watch
    except Exception as exc:
        if is_unavailable(exc):
            raise DatabaseLost from exc
        raise


def read_file(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; raises ``FileProblem``."""
    try:
        # O_NONBLOCK: a FIFO named like a PDF must not hang the run; it is refused below.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise FileProblem("is not a regular file")
            if info.st_size > limit:
                raise FileProblem(_too_large(info.st_size, limit))
            data = handle.read(limit + 1)
    except OSError as exc:
        raise FileProblem(f"cannot be read ({exc.strerror or exc})") from exc
    if len(data) > limit:  # grew while being read
        raise FileProblem(_too_large(len(data), limit))
    return data


def _too_large(size: int, limit: int) -> str:
    return f"is {size} bytes, more than the limit of {limit} (OCR_GATEWAY_FETCH_MAX_BYTES)"


def _message(exc: Exception) -> str:
    if isinstance(exc, InvalidInput):
        return "; ".join(
            p.message if p.field == "file" else f"{p.field}: {p.message}" for p in exc.problems
        )
    return exc.message if isinstance(exc, GatewayError) else str(exc)


def _usage_message(exc: Exception) -> str:
    if isinstance(exc, service.AmbiguousGroup):
        return (
            f"--group: {exc}; rename all but one (updateJobGroup) so that the name picks "
            "the group to import into"
        )
    assert isinstance(exc, InvalidInput)
    option = {"template": "--template", "name": "--group"}
    return "; ".join(f"{option.get(p.field, p.field)}: {p.message}" for p in exc.problems)
