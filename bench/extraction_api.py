"""``bench/extraction_accuracy.py DIR --api``: the whole product over its public API.

    .venv/bin/python bench/extraction_accuracy.py DIR --api [--workers N] [--timeout S]

1. ``ocr-gateway migrate`` and ``ocr-gateway apikey create`` on a temporary SQLite file
   (the embedded default), then the app itself in its own process (uvicorn, real HTTP on
   127.0.0.1) with ``OCR_GATEWAY_MEDIA_ROOT=DIR`` and its embedded OCR processes
   (``OCR_GATEWAY_LOCAL_WORKERS``, default 1).
2. One job per document of ``DIR/index.jsonl``, created over GraphQL with the document as a
   ``file://`` URL under the media root: an image is the job's one page; a PDF goes through
   ``createJobFromDocument`` where the API has it, else one page per PDF page
   (``pageUrl`` + ``pageNumber``) where pages know their ``textSource``; an API that reads
   no PDFs gets none, and the report says how many documents it skipped and why.
3. ``processJob`` on every job; the embedded workers do the rest. The run waits until no
   page is queued or processing.
4. Each job's ``invoiceData`` (and its pages' text, status and timings) read back over the
   API, scored by ``bench/extraction_scoring.py`` like the other modes. Seconds per page:
   the pages' own ``timings.total`` (fetch + text or OCR + extraction, as the workers
   measured them) and the run's wall-clock time over its pages.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bench.common import ROOT, uvicorn_server
from bench.extraction_scoring import DocumentResult

IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".webp"})
IN_FLIGHT = ("pending", "queued", "processing")
FEATURES = """{
  mutation: __type(name: "Mutation") { fields { name type { name ofType { name } } } }
  page: __type(name: "Page") { fields { name } }
  fromDocument: __type(name: "CreateJobFromDocumentInput") { inputFields { name } }
}"""
PAYLOAD = """query($name: String!) {
  __type(name: $name) { fields { name type { name ofType { name } } } }
}"""
PAGE_FIELDS = "pageNumber status ocrText timings error"


class ApiError(RuntimeError):
    pass


@dataclass(frozen=True)
class Features:
    """What this build of the API can do with a PDF."""

    from_document: bool  # createJobFromDocument
    from_document_inputs: frozenset[str]
    from_document_selection: str  # how its result names the job: "id" or "job { id }"
    pdf_pages: bool  # a page's pageUrl may point to a PDF (pages know their textSource)

    @property
    def reads_pdfs(self) -> bool:
        return self.from_document or self.pdf_pages


@dataclass
class ApiRun:
    results: list[DocumentResult]
    skipped: dict[str, list[str]] = field(default_factory=dict)  # reason -> docIds
    failed_pages: list[str] = field(default_factory=list)  # "docId p.N: code message"
    text_sources: dict[str, int] = field(default_factory=dict)
    stage_s: dict[str, float] = field(default_factory=dict)  # timings summed over pages
    wall_s: float = 0.0
    pages: int = 0

    def notes(self) -> list[str]:
        per_page = sum(r.seconds for r in self.results) / max(self.pages, 1)
        lines = [
            f"API run: {len(self.results)} documents, {self.pages} pages processed in "
            f"{self.wall_s:.1f} s wall-clock ({self.wall_s / max(self.pages, 1):.2f} s/page "
            f"end to end; {per_page:.2f} s/page as the workers timed them)",
        ]
        if self.stage_s:
            pages = max(self.pages, 1)
            shown = ", ".join(f"{k} {v / pages:.2f}" for k, v in self.stage_s.items())
            lines.append(f"Seconds per page by stage (workers' timings): {shown}")
        if self.text_sources:
            shown = ", ".join(f"{k}: {v}" for k, v in sorted(self.text_sources.items()))
            lines.append(f"Text sources of the pages: {shown}")
        for reason, docs in self.skipped.items():
            lines.append(
                f"Skipped {len(docs)} documents ({reason}): {', '.join(docs[:5])}"
                + (" ..." if len(docs) > 5 else "")
            )
        if self.failed_pages:
            lines.append(f"Failed pages ({len(self.failed_pages)}):")
            lines += [f"  {line}" for line in self.failed_pages[:20]]
        return lines


class Api:
    def __init__(self, client: httpx.Client) -> None:
        self.client = client

    def gql(self, query: str, **variables: Any) -> dict[str, Any]:
        response = self.client.post("/graphql", json={"query": query, "variables": variables})
        body = response.json()
        if body.get("errors"):
            raise ApiError(body["errors"][0]["message"])
        data: dict[str, Any] = body["data"]
        return data

    def features(self) -> Features:
        data = self.gql(FEATURES)
        mutations = {f["name"]: _type_name(f) for f in (data["mutation"] or {}).get("fields") or []}
        page = {f["name"] for f in (data["page"] or {}).get("fields") or []}
        inputs = {f["name"] for f in (data["fromDocument"] or {}).get("inputFields") or []}
        returned = mutations.get("createJobFromDocument")
        return Features(
            from_document=returned is not None,
            from_document_inputs=frozenset(inputs),
            from_document_selection=self._job_selection(returned),
            pdf_pages="textSource" in page,
        )

    def _job_selection(self, type_name: str | None) -> str:
        if type_name in (None, "Job"):
            return "id"
        fields = (self.gql(PAYLOAD, name=type_name)["__type"] or {}).get("fields") or []
        found = next((f["name"] for f in fields if _type_name(f) == "Job"), None)
        if found is None:
            raise ApiError(f"createJobFromDocument returns {type_name}, which names no Job")
        return f"{found} {{ id }}"

    def create_job(self, name: str, source: str) -> str:
        query = "mutation($i: CreateJobInput!) { createJob(input: $i) { id } }"
        data = self.gql(query, i={"name": name, "sourceFileName": source})
        return str(data["createJob"]["id"])

    def create_page(self, job: str, number: int, url: str) -> None:
        query = "mutation($i: CreatePageInput!) { createPage(input: $i) { id } }"
        self.gql(query, i={"job": job, "pageNumber": number, "pageUrl": url})

    def job_from_document(self, name: str, url: str, features: Features) -> str:
        given = {"documentUrl": url, "name": name}
        inputs = {k: v for k, v in given.items() if k in features.from_document_inputs}
        selection = features.from_document_selection
        query = (
            "mutation($i: CreateJobFromDocumentInput!) {"
            f" createJobFromDocument(input: $i) {{ {selection} }} }}"
        )
        data = self.gql(query, i=inputs)["createJobFromDocument"]
        return str(data["id"] if selection == "id" else next(iter(data.values()))["id"])

    def process_job(self, job: str) -> None:
        self.gql("mutation($id: ID!) { processJob(id: $id) { id } }", id=job)

    def in_flight(self) -> int:
        query = "query($s: [PageStatus!]) { pages(filter: {status: {in: $s}}) { totalCount } }"
        return int(self.gql(query, s=list(IN_FLIGHT))["pages"]["totalCount"])

    def job(self, job: str, features: Features) -> dict[str, Any]:
        fields = PAGE_FIELDS + (" textSource" if features.pdf_pages else "")
        query = (
            "query($id: ID!) { job(id: $id) { id status invoiceData"
            f" pages(limit: 100) {{ items {{ {fields} }} }} }} }}"
        )
        data: dict[str, Any] = self.gql(query, id=job)["job"]
        return data


def _type_name(field: dict[str, Any]) -> str | None:
    """The named type of a field (through one NON_NULL)."""
    shown = field["type"]
    name = shown.get("name") or (shown.get("ofType") or {}).get("name")
    return str(name) if name else None


def _cli(database_url: str, *args: str) -> str:
    environ = {**os.environ, "DATABASE_URL": database_url, "OCR_GATEWAY_LOG_LEVEL": "WARNING"}
    command = [sys.executable, "-m", "ocr_gateway.cli", *args]
    done = subprocess.run(
        command, env=environ, cwd=ROOT, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise ApiError(f"ocr-gateway {' '.join(args)} failed: {done.stderr.strip()[-500:]}")
    return done.stdout


def _submit(
    api: Api, folder: Path, entry: dict[str, Any], features: Features, run: ApiRun
) -> str | None:
    path = folder / entry["file"]
    url = path.resolve().as_uri()
    suffix = path.suffix.lower()
    if suffix in IMAGE_SUFFIXES:
        job = api.create_job(entry["docId"], path.name)
        api.create_page(job, 1, url)
        return job
    if suffix != ".pdf":
        run.skipped.setdefault(f"not a PDF or image: {suffix}", []).append(entry["docId"])
        return None
    if features.from_document:
        return api.job_from_document(entry["docId"], url, features)
    if features.pdf_pages:
        job = api.create_job(entry["docId"], path.name)
        for number in range(1, int(entry.get("pages") or 1) + 1):
            api.create_page(job, number, url)
        return job
    reason = "this API reads no PDFs: no createJobFromDocument, no Page.textSource"
    run.skipped.setdefault(reason, []).append(entry["docId"])
    return None


def _wait(api: Api, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while api.in_flight():
        if time.monotonic() > deadline:
            raise ApiError(f"pages still in flight after {timeout_s:.0f} s")
        time.sleep(1.0)


def _result(
    entry: dict[str, Any], group: str, split: str, expected: dict[str, Any], job: dict[str, Any],
    run: ApiRun,
) -> DocumentResult:  # fmt: skip
    pages = job["pages"]["items"]
    for page in pages:
        for stage, seconds in (page.get("timings") or {}).items():
            if isinstance(seconds, int | float):
                run.stage_s[stage] = run.stage_s.get(stage, 0.0) + float(seconds)
        source = page.get("textSource") or ("ocr" if page["status"] == "processed" else None)
        if source:
            run.text_sources[source] = run.text_sources.get(source, 0) + 1
        if page["status"] == "failed":
            error = page.get("error") or {}
            run.failed_pages.append(
                f"{entry['docId']} p.{page['pageNumber']}: {error.get('code')} "
                f"{str(error.get('message'))[:120]}"
            )
    fields = job["invoiceData"] or {}
    return DocumentResult(
        doc_id=entry["docId"],
        group=group,
        split=split,
        expected=expected,
        found={name: f.get("normalizedValue") for name, f in fields.items()},
        confidence={name: float(f.get("confidence") or 0.0) for name, f in fields.items()},
        needs_review={name: bool(f.get("needsReview")) for name, f in fields.items()},
        text="\n".join(page.get("ocrText") or "" for page in pages),
        pages=len(pages),
        seconds=sum(float((page.get("timings") or {}).get("total") or 0.0) for page in pages),
    )


def run_api(
    folder: Path,
    entries: Sequence[tuple[dict[str, Any], str, str]],
    *,
    workers: int = 1,
    timeout_s: float = 3600.0,
) -> ApiRun:
    """Every document of ``entries`` ((index entry, group, split), sorted by docId)."""
    import json

    folder = folder.resolve()
    run = ApiRun(results=[])
    with tempfile.TemporaryDirectory(prefix="ocr-gateway-bench-") as tmp:
        database_url = f"sqlite+aiosqlite:///{tmp}/bench.db"
        _cli(database_url, "migrate")
        created = _cli(database_url, "apikey", "create", "--name", "bench", "--scopes", "admin")
        key = created.strip().splitlines()[-1]
        env = {"OCR_GATEWAY_MEDIA_ROOT": str(folder), "OCR_GATEWAY_LOCAL_WORKERS": str(workers)}
        with (
            uvicorn_server(database_url, **env) as base_url,
            httpx.Client(base_url=base_url, headers={"X-API-Key": key}, timeout=120) as client,
        ):
            api = Api(client)
            features = api.features()
            jobs = [(entry, group, split, _submit(api, folder, entry, features, run))
                    for entry, group, split in entries]  # fmt: skip
            began = time.perf_counter()
            for *_rest, job in jobs:
                if job is not None:
                    api.process_job(job)
            _wait(api, timeout_s)
            run.wall_s = time.perf_counter() - began
            for entry, group, split, job in jobs:
                if job is None:
                    continue
                expected = json.loads((folder / entry["expected"]).read_text())
                run.results.append(
                    _result(entry, group, split, expected, api.job(job, features), run)
                )
    run.pages = sum(r.pages for r in run.results)
    return run
