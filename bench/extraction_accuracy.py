"""Extraction accuracy on a development set of real invoices and receipts.

    .venv/bin/python bench/extraction_accuracy.py DIR [--text-only] [--misses] [--out FILE]

``DIR`` is a development set laid out as ``/work/shared/data/invoices`` (its README.md):
``index.jsonl`` names each document and its expected JSON. Results are reported in two
tables by the document's kind (``kind_of``: the entry's ``kind``/``layout``, else the file
type): PDF invoices, and receipts, scans and images (a photographed receipt saved as a PDF
counts as a receipt). Modes:

- default: every document of ``index.jsonl``. A PDF page is read from its text layer
  (``open_pdf(data).text(i)``); a page without a usable one is rendered at 200 dpi and
  OCRed; a scanned receipt (``.jpg``) is OCRed by the product's engine as an OCR process
  builds it (``engine_factory.build_engine``: ``OnnxOcrEngine`` by default). OCR results are cached under ``bench/out/ocr-cache/`` keyed by file
  sha256 and the engine's name, version and settings (``bench/ocr_cache.py``), so only the
  first run pays for OCR (run that one under the heavy lock). Each page goes through
  ``extract_fields`` with the built-in generic template, the pages of a document through
  ``assemble_invoice``;
- ``--api``: the whole product over its public API (``bench/extraction_api.py``): the app
  on a temporary SQLite database with the media root at ``DIR``, jobs created from the
  documents as ``file://`` URLs, processed by the app's own OCR processes, ``invoiceData``
  read back and scored alike (run it under the heavy lock: it OCRs every page, uncached);
- ``--text-only``: the extraction step alone on the labelled receipt transcriptions
  (``sroie-labels-only/sroie_labels.jsonl``): each transcription line becomes one OCR line
  with a synthetic box, top to bottom, words spaced by character count.

Hold-out: documents sorted by docId, every third one (index % 3 == 2) is held out (``--no-holdout``:
none, for a check set such as ``/work/extra-set``, built by ``bench/check_set.py``, that no
rule is tuned on); the labels-only records likewise by line order. Tune only on the dev part: ``--misses`` lists
the dev part's wrong fields, never the hold-out's. Scoring and tables:
``bench/extraction_scoring.py``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.extraction_scoring import (
    DocumentResult,
    calibration_table,
    field_table,
    group_table,
    misses,
    review_table,
    threshold_table,
)
from bench.ocr_cache import OcrCache
from ocr_gateway.processing.builtin_templates import GENERIC_INVOICE_TEMPLATE
from ocr_gateway.processing.decode import decode_image
from ocr_gateway.processing.engine_factory import build_engine
from ocr_gateway.processing.extraction import extract_fields
from ocr_gateway.processing.invoice import PageFields, assemble_invoice
from ocr_gateway.processing.pdf import open_pdf
from ocr_gateway.processing.result import OcrLine, OcrResult, OcrWord
from ocr_gateway.processing.template import Template
from ocr_gateway.settings import Settings

RENDER_DPI = 200
MAX_PIXELS = 40_000_000
TEMPLATE = Template.from_dict(GENERIC_INVOICE_TEMPLATE)


@dataclass(frozen=True)
class Page:
    result: OcrResult
    source: str  # pdf_text | ocr
    seconds: float  # reading the text (OCR time as the engine recorded it, cached or not)


def split_of(index: int, *, holdout: bool = True) -> str:
    """``--no-holdout`` (a check set nobody tunes on) scores every document as one part."""
    return "holdout" if holdout and index % 3 == 2 else "dev"


def kind_of(entry: dict[str, Any]) -> str:
    """``pdf`` or ``image``: the table a document is scored in.

    A set's ``kind`` (or ``layout``) says it where it can: ``digital-pdf`` is a PDF
    invoice (read from its text layer, OCRed only where it has none); a kind or layout
    naming a receipt, an image or a scan is a receipt, scan or picture, read by OCR, even
    inside a PDF (a photographed receipt saved as PDF). Without either, the file type
    decides. Each kind is scored apart because the two differ by far more than any rule.
    """
    kind = str(entry.get("kind") or "").lower()
    described = f"{kind} {entry.get('layout') or ''}".lower()
    if kind == "digital-pdf":
        return "pdf"
    if any(word in described for word in ("receipt", "image", "scan")):
        return "image"
    return "pdf" if str(entry["file"]).lower().endswith(".pdf") else "image"


def by_kind(
    results: Sequence[DocumentResult], kinds: dict[str, str]
) -> tuple[list[DocumentResult], list[DocumentResult]]:
    """(PDF invoices, receipts/scans/images), ``kinds`` mapping docId to ``kind_of``."""
    pdfs = [r for r in results if kinds.get(r.doc_id, "pdf") == "pdf"]
    return pdfs, [r for r in results if kinds.get(r.doc_id, "pdf") != "pdf"]


def index_entries(folder: Path) -> list[dict[str, Any]]:
    lines = (folder / "index.jsonl").read_text().splitlines()
    entries = [json.loads(line) for line in lines if line.strip()]
    return sorted(entries, key=lambda e: e["docId"])


def group_of(entry: dict[str, Any]) -> str:
    if entry["layout"] == "xml-visualisation":
        return f"{entry['source']} (xml-visualisation)"
    return str(entry["source"])


def document_pages(path: Path, cache: OcrCache) -> Iterator[Page]:
    data = path.read_bytes()
    if path.suffix.lower() != ".pdf":
        result = cache.read(data, lambda: decode_image(data, max_pixels=MAX_PIXELS)[0])
        yield Page(result, "ocr", sum(result.timings.values()))
        return
    with open_pdf(data) as pdf:
        for index in range(pdf.page_count):
            began = time.perf_counter()
            text = pdf.text(index)
            if text is not None:
                yield Page(text, "pdf_text", time.perf_counter() - began)
                continue
            key = data + f"#page={index + 1}@{RENDER_DPI}".encode()
            image = pdf.render(index, dpi=RENDER_DPI, max_pixels=MAX_PIXELS)
            result = cache.read(key, lambda image=image: image)  # type: ignore[misc]
            yield Page(result, "ocr", sum(result.timings.values()))


def run_documents(folder: Path, cache: OcrCache, *, holdout: bool = True) -> list[DocumentResult]:
    results = []
    for index, entry in enumerate(index_entries(folder)):
        expected = json.loads((folder / entry["expected"]).read_text())
        pages = list(document_pages(folder / entry["file"], cache))
        results.append(
            score_input(
                entry["docId"], group_of(entry), split_of(index, holdout=holdout), expected, pages
            )
        )
    return results


def score_input(
    doc_id: str, group: str, split: str, expected: dict[str, Any], pages: Sequence[Page]
) -> DocumentResult:
    began = time.perf_counter()
    stored = [
        PageFields(number, extract_fields(page.result, TEMPLATE).to_dict())
        for number, page in enumerate(pages, start=1)
    ]
    invoice = assemble_invoice(stored, review_threshold=TEMPLATE.options.review_threshold)
    extract_seconds = time.perf_counter() - began
    return DocumentResult(
        doc_id=doc_id,
        group=group,
        split=split,
        expected=expected,
        found={name: f["normalizedValue"] for name, f in invoice.fields.items()},
        confidence={name: f["confidence"] for name, f in invoice.fields.items()},
        needs_review={name: f["needsReview"] for name, f in invoice.fields.items()},
        text="\n".join(page.result.text for page in pages),
        pages=len(pages),
        seconds=extract_seconds + sum(page.seconds for page in pages),
    )


def transcription_page(lines: Sequence[str]) -> OcrResult:
    """One OCR line per transcription line, 30 px apart; words 12 px per character."""
    ocr_lines = []
    for row, text in enumerate(line for line in lines if line.strip()):
        words, x = [], 20
        for token in text.split():
            box = (x, 20 + 30 * row, x + 12 * len(token), 44 + 30 * row)
            words.append(OcrWord(token, 1.0, box))
            x += 12 * len(token) + 12
        ocr_lines.append(OcrLine.of(words))
    width = max((line.box[2] for line in ocr_lines), default=100) + 20
    return OcrResult.of(ocr_lines, width=width, height=40 + 30 * len(ocr_lines), timings={})


def run_transcriptions(folder: Path) -> list[DocumentResult]:
    path = folder / "sroie-labels-only" / "sroie_labels.jsonl"
    results = []
    for index, line in enumerate(path.open()):
        record = json.loads(line)
        page = Page(transcription_page(record["words"]), "transcription", 0.0)
        results.append(
            score_input(
                record["key"], "sroie-labels-only", split_of(index), record["expected"], [page]
            )
        )
    return results


def report(results: Sequence[DocumentResult], *, title: str, show_misses: bool) -> str:
    parts = [
        f"### {title}",
        "",
        "Per field (labelled fields only):",
        "",
        field_table(results),
        "",
        "Per source (all labelled fields; s/page = text reading or OCR + extraction):",
        "",
        group_table(results),
        "",
        "Confidence bands (dev part, labelled fields found):",
        "",
        calibration_table([r for r in results if r.split == "dev"]),
        "",
        "Review thresholds (dev part):",
        "",
        threshold_table([r for r in results if r.split == "dev"]),
        "",
        "needsReview at the template's threshold (dev part, then hold-out):",
        "",
        review_table([r for r in results if r.split == "dev"]),
        "",
        review_table([r for r in results if r.split == "holdout"]),
    ]
    if show_misses:
        parts += ["", "Dev misses:", "", *misses(results)]
    return "\n".join(parts)


def api_report(
    folder: Path, *, workers: int, timeout_s: float, show: bool, holdout: bool = True
) -> str:
    """``--api``: the product over its API, scored and reported like the default mode."""
    from bench.extraction_api import run_api

    entries = index_entries(folder)
    listed = [(e, group_of(e), split_of(i, holdout=holdout)) for i, e in enumerate(entries)]
    run = run_api(folder, listed, workers=workers, timeout_s=timeout_s)
    pdfs, images = by_kind(run.results, {e["docId"]: kind_of(e) for e in entries})
    parts = []
    if pdfs:
        parts.append(report(pdfs, title="PDF invoices, over the API", show_misses=show))
    if images:
        parts.append(
            report(images, title="Receipts, scans and images, over the API", show_misses=show)
        )
    return "\n\n".join([*parts, "\n".join(run.notes())])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--text-only", action="store_true", help="labelled transcriptions only")
    parser.add_argument("--misses", action="store_true", help="list the dev part's misses")
    parser.add_argument("--out", type=Path, help="also write the report to this file")
    parser.add_argument("--api", action="store_true", help="the whole product, over its API")
    parser.add_argument(
        "--no-holdout", action="store_true", help="score every document as one part (check sets)"
    )
    parser.add_argument("--workers", type=int, default=1, help="--api: OCR processes")
    parser.add_argument("--timeout", type=float, default=3600, help="--api: seconds to wait")
    args = parser.parse_args()
    began = time.perf_counter()
    if args.api:
        text = api_report(
            args.folder,
            workers=args.workers,
            timeout_s=args.timeout,
            show=args.misses,
            holdout=not args.no_holdout,
        )
        results: Sequence[DocumentResult] = []
    elif args.text_only:
        results = run_transcriptions(args.folder)
        text = report(results, title="Labelled receipt transcriptions", show_misses=args.misses)
    else:
        cache = OcrCache(lambda: build_engine(Settings(), processes=1))
        results = run_documents(args.folder, cache, holdout=not args.no_holdout)
        kinds = {e["docId"]: kind_of(e) for e in index_entries(args.folder)}
        pdfs, images = by_kind(results, kinds)
        text = "\n\n".join(
            [
                report(
                    pdfs,
                    title="PDF invoices (text layer; OCR where it has none)",
                    show_misses=args.misses,
                ),
                report(images, title="Receipts, scans and images (OCR)", show_misses=args.misses),
                f"OCR cache: {cache.hits} hits, {cache.misses} misses",
            ]
        )
    print(text)
    if results:
        print(f"\n{len(results)} documents in {time.perf_counter() - began:.1f} s")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n")


if __name__ == "__main__":
    main()
