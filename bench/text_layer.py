"""Seconds per text-layer page, and what the text-source step decides, on a directory of PDFs.

    .venv/bin/python bench/text_layer.py DIR [--repeat 3]

Every ``*.pdf`` under ``DIR`` (recursively; e.g. the development set
``/work/shared/data/invoices``) goes, page by page, through the product's own step
(``processing.text_source.read_page_text`` on the stored bytes, as a worker reads a page of
``createJobFromDocument``): open the PDF, read the text layer, judge it (``text_quality``),
read an embedded e-invoice on the first page. No OCR engine is passed in: a page that needs
OCR is counted, not read. The extraction of the fields from the text is timed apart
(``extract_fields`` with the generic template). Each page is read ``--repeat`` times; the
fastest run counts (the machine is shared).

Where a PDF has its expected JSON beside it (``name.json``, as in the development set), the
embedded e-invoice's fields are compared with it: dates as dates, amounts as decimals, text
after case and space folding. The expected values are what is *printed*; where the XML says
otherwise (the set's README lists those documents) the comparison counts a miss, which is
what the job's ``discrepancies`` then report.

Documents are split as the extraction benchmark splits them: sorted by path, every third one
(index % 3 == 2) is the hold-out; both parts are reported.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image

from ocr_gateway.enums import TextSource
from ocr_gateway.processing.builtin_templates import GENERIC_INVOICE_TEMPLATE
from ocr_gateway.processing.extraction import extract_fields
from ocr_gateway.processing.fetch import FetchPolicy
from ocr_gateway.processing.pdf import open_pdf
from ocr_gateway.processing.pipeline import PageWork
from ocr_gateway.processing.result import OcrResult
from ocr_gateway.processing.text_source import read_page_text

TEMPLATE = {"fields": GENERIC_INVOICE_TEMPLATE["fields"], "options": {}}


class NoOcr:
    """Stands where the OCR engine would: records the pages that would need it."""

    name = "none"
    version = "0"

    def read(self, image: Image.Image, *, languages: Sequence[str]) -> OcrResult:
        return OcrResult.of([], width=image.width, height=image.height, timings={})


@dataclass
class Split:
    documents: int = 0
    pages: int = 0
    ocr_pages: int = 0
    einvoices: int = 0
    xml_fields: int = 0  # expected fields an embedded e-invoice was compared on
    xml_equal: int = 0
    read_s: list[float] = field(default_factory=list)  # text-layer pages only
    extract_s: list[float] = field(default_factory=list)


def same(expected: Any, found: str | None) -> bool:
    if expected is None or found is None:
        return expected is None and found is None
    if isinstance(expected, int | float):
        return Decimal(str(expected)) == Decimal(found)
    return " ".join(str(expected).split()).casefold() == " ".join(found.split()).casefold()


def compare_xml(split: Split, fields: dict[str, str | None], expected: dict[str, Any]) -> None:
    for name, value in expected.items():
        split.xml_fields += 1
        split.xml_equal += same(value, fields.get(name))


async def read_page(
    data: bytes, number: int, repeat: int
) -> tuple[float, TextSource, dict[str, str | None] | None, float]:
    work = PageWork("0" * 24, "file:///bench.pdf", 1, ["en"], TEMPLATE, number, data)
    best = float("inf")
    for _ in range(repeat):
        began = time.perf_counter()
        page = await read_page_text(work, NoOcr(), FetchPolicy())
        best = min(best, time.perf_counter() - began)
    began = time.perf_counter()
    extract_fields(page.result, TEMPLATE)
    extract = time.perf_counter() - began
    embedded = page.embedded
    xml = {n: f.normalized_value for n, f in embedded.fields.items()} if embedded else None
    return best, page.printed_source, xml, extract


async def measure(
    documents: Sequence[tuple[bytes, dict[str, Any] | None]], repeat: int
) -> dict[str, Split]:
    splits = {"dev": Split(), "holdout": Split()}
    for index, (data, expected) in enumerate(documents):
        split = splits["holdout" if index % 3 == 2 else "dev"]
        with open_pdf(data) as pdf:
            count = pdf.page_count
        split.documents += 1
        for number in range(1, count + 1):
            seconds, source, xml, extract = await read_page(data, number, repeat)
            split.pages += 1
            if xml is not None:
                split.einvoices += 1
                if expected is not None:
                    compare_xml(split, xml, expected)
            if source == TextSource.ocr:
                split.ocr_pages += 1
                continue
            split.read_s.append(seconds)
            split.extract_s.append(extract)
    return splits


def row(name: str, split: Split) -> str:
    times = sorted(split.read_s)
    if not times:
        return f"| {name} | {split.documents} | {split.pages} | 0 | {split.ocr_pages} | - | - | - | - | - | {split.einvoices} | - |"
    p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
    return (
        f"| {name} | {split.documents} | {split.pages} | {len(times)} | {split.ocr_pages} "
        f"| {statistics.mean(times):.4f} | {statistics.median(times):.4f} | {p95:.4f} "
        f"| {times[-1]:.4f} | {statistics.mean(split.extract_s):.4f} | {split.einvoices} "
        f"| {split.xml_equal}/{split.xml_fields} |"
    )


def expected_of(path: Path) -> dict[str, Any] | None:
    beside = path.with_suffix(".json")
    if not beside.exists():
        return None
    loaded: dict[str, Any] = json.loads(beside.read_text())
    return loaded


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    documents = [
        (path.read_bytes(), expected_of(path)) for path in sorted(args.directory.rglob("*.pdf"))
    ]
    splits = asyncio.run(measure(documents, args.repeat))
    everything = Split()
    for split in splits.values():
        for name in ("documents", "pages", "ocr_pages", "einvoices", "xml_fields", "xml_equal"):
            setattr(everything, name, getattr(everything, name) + getattr(split, name))
        everything.read_s += split.read_s
        everything.extract_s += split.extract_s
    print(
        "| part | PDFs | pages | text-layer pages | OCR pages | read s/page mean | median "
        "| p95 | max | extract s/page mean | e-invoices | XML fields = expected |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, split in (*splits.items(), ("all", everything)):
        print(row(name, split))


if __name__ == "__main__":
    main()
