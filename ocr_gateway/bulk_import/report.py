"""What an import shows while it runs, and the summary it ends with.

On a terminal, a rich progress display: files done of the total with the pages created so
far and, with ``--process``, pages processed of those queued; failures are printed above
it as they happen. Otherwise (a pipe, a file, CI) plain lines, one per file
(``imported`` / ``skipped`` / ``failed`` / ``ignored``) and one each time the count of
processed pages moves, so logs and tests can read them.

Why rich rather than tqdm: one live display holds several counters (files, pages created,
pages processed) with custom columns, and messages print above it without tearing it; tqdm
needs a bar per counter placed by hand and ``tqdm.write`` for messages. rich is already in
the development environment (import-linter and schemathesis use it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, TextIO

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)


@dataclass(slots=True)
class Tally:
    """What the run did so far; the summary and the exit status are read off it."""

    files: int = 0  # candidates to read
    imported: int = 0
    pages: int = 0  # created by the files imported now
    skipped: int = 0
    failed: int = 0
    ignored: int = 0
    queued: int = 0  # pages this run waits for (``--process``)
    processed: int = 0
    page_failures: int = 0
    interrupted: bool = False

    def summary(self, *, process: bool) -> str:
        text = (
            f"imported {self.imported} files ({self.pages} pages), "
            f"skipped {self.skipped} (already imported), failed {self.failed}, "
            f"ignored {self.ignored} (not a PDF or an image)"
        )
        if process:
            text += f"; pages processed {self.processed}, failed {self.page_failures}"
            if waiting := self.queued - self.processed - self.page_failures:
                text += f", still queued {waiting}"
        return ("interrupted: " if self.interrupted else "") + text


class Reporter(Protocol):
    def start(self, tally: Tally, *, process: bool) -> None: ...

    def file(self, outcome: str, shown: str, detail: str, tally: Tally) -> None: ...

    def note(self, text: str) -> None: ...

    def pages(self, tally: Tally) -> None: ...

    def close(self, tally: Tally, *, process: bool) -> None: ...


def reporter_for(stream: TextIO) -> Reporter:
    """A progress display on a terminal, plain lines elsewhere."""
    if stream.isatty():
        return ProgressReporter(Console(file=stream))
    return PlainReporter(stream)


class PlainReporter:
    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self._last: tuple[int, int, int] | None = None

    def _line(self, text: str) -> None:
        print(text, file=self.stream, flush=True)

    def start(self, tally: Tally, *, process: bool) -> None:
        del process
        self._line(f"importing {tally.files} files")

    def file(self, outcome: str, shown: str, detail: str, tally: Tally) -> None:
        done = tally.imported + tally.skipped + tally.failed
        counter = "" if outcome == "ignored" else f"[{done}/{tally.files}] "
        self._line(f"{counter}{outcome} {shown}" + (f": {detail}" if detail else ""))

    def note(self, text: str) -> None:
        self._line(text)

    def pages(self, tally: Tally) -> None:
        now = (tally.processed, tally.page_failures, tally.queued)
        if tally.queued and now != self._last:
            self._last = now
            self._line(
                f"pages processed {tally.processed}/{tally.queued} ({tally.page_failures} failed)"
            )

    def close(self, tally: Tally, *, process: bool) -> None:
        self._line(tally.summary(process=process))


class ProgressReporter:
    def __init__(self, console: Console) -> None:
        self.console = console
        self.progress = Progress(
            TextColumn("{task.description:<16}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[detail]}"),
            TimeElapsedColumn(),
            console=console,
        )
        self._files = TaskID(0)
        self._pages = TaskID(0)

    def start(self, tally: Tally, *, process: bool) -> None:
        self._files = self.progress.add_task("files", total=tally.files, detail="0 pages created")
        self._pages = self.progress.add_task(
            "pages processed", total=0, detail="0 failed", visible=process
        )
        self.progress.start()

    def file(self, outcome: str, shown: str, detail: str, tally: Tally) -> None:
        if outcome == "ignored":  # counted in the summary; a line each would bury the bar
            return
        if outcome == "failed":
            self.progress.console.print(
                f"[red]failed[/red] {escape(shown)}: {escape(detail)}", highlight=False
            )
        done = tally.imported + tally.skipped + tally.failed
        self.progress.update(
            self._files,
            completed=done,
            detail=f"{tally.pages} pages created, {tally.skipped} skipped",
        )

    def note(self, text: str) -> None:
        self.progress.console.print(escape(text), highlight=False)

    def pages(self, tally: Tally) -> None:
        self.progress.update(
            self._pages,
            total=tally.queued,
            completed=tally.processed + tally.page_failures,
            detail=f"{tally.page_failures} failed",
        )

    def close(self, tally: Tally, *, process: bool) -> None:
        self.progress.stop()
        self.console.print(escape(tally.summary(process=process)), highlight=False)
