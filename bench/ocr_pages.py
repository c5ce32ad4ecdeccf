"""Pages with known text for bench/ocr_throughput.py, and how OCR is scored against them.

Sources (never copied into the repository; the bench takes their paths):

- invoices: every page of every PDF in a directory that has a usable text layer, rasterised
  at 150 dpi (``open_pdf(data).render(i, dpi=150, max_pixels=...)``); the truth is the text
  layer (``Pdf.text(i)``: words with boxes, in the same reading order as OCR results);
- receipts: the SROIE scans (``sroie/*.jpg``); the truth is their line transcriptions and
  labelled entities in ``sroie-labels-only/sroie_labels.jsonl`` (records with
  ``imageInDevset: true``);
- rendered: the project's own rendered invoices (tests/support/invoices.py), no truth.

Scores:

- CER: Levenshtein distance between the OCR text and the truth text after whitespace folding
  (every run of whitespace -> one space), over the truth's length; summed over pages (edits /
  characters) for a set. Meaningful where both are in reading order (the invoices);
- word recall: share of the truth's words (whitespace-separated, as a multiset) that the OCR
  words contain;
- receipt fields: whether the printed date, total and vendor (the SROIE labels) appear in the
  folded OCR text (case-insensitive; the total also without its currency prefix).
"""

from __future__ import annotations

import io
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

RENDER_DPI = 150
MAX_PIXELS = 50_000_000  # the fetch limit: what the pipeline would accept


@dataclass
class Page:
    page_id: str
    kind: str  # invoice | receipt | rendered
    png: Path
    truth_text: str | None = None
    truth_words: list[str] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)
    holdout: bool = False  # receipts: sorted docId, index % 3 == 2 (choose on the others)


def fold(text: str) -> str:
    return " ".join(text.split())


def edits(ocr_text: str, truth_text: str) -> int:
    from rapidfuzz.distance import Levenshtein

    return int(Levenshtein.distance(fold(ocr_text), fold(truth_text)))


def words_found(ocr_words: list[str], truth_words: list[str]) -> int:
    found = Counter(ocr_words) & Counter(truth_words)
    return sum(found.values())


def fields_present(ocr_text: str, fields: dict[str, str]) -> dict[str, bool]:
    text = fold(ocr_text).upper()
    present = {}
    for name, value in fields.items():
        wanted = fold(value).upper()
        variants = {wanted}
        if name == "total":
            variants.add(re.sub(r"^(RM|\$)\s*", "", wanted))
        present[name] = any(v and v in text for v in variants)
    return present


def invoice_pages(folder: Path, out: Path, limit: int | None) -> tuple[list[Page], list[str]]:
    """Pages of the PDFs under ``folder`` with a usable text layer; (pages, skipped ids)."""
    from ocr_gateway.processing.pdf import PdfError, open_pdf

    pages, skipped = [], []
    for pdf_path in sorted(folder.rglob("*.pdf")):
        try:
            with open_pdf(pdf_path.read_bytes()) as pdf:
                for index in range(pdf.page_count):
                    page_id = f"{pdf_path.stem}#{index + 1}"
                    truth = pdf.text(index, dpi=RENDER_DPI)
                    if truth is None:
                        skipped.append(page_id)
                        continue
                    image = pdf.render(index, dpi=RENDER_DPI, max_pixels=MAX_PIXELS)
                    png = _save(image, out, page_id)
                    truth_words = [w.text for w in truth.words]
                    pages.append(Page(page_id, "invoice", png, truth.text, truth_words))
        except PdfError as exc:
            skipped.append(f"{pdf_path.stem} ({exc.code})")
        if limit is not None and len(pages) >= limit:
            break
    return pages[:limit], skipped


def receipt_pages(
    folder: Path, labels: Path, out: Path, limit: int | None, *, part: str = "all"
) -> list[Page]:
    """The development-set receipt scans with their transcriptions and labelled fields;
    ``part``: ``all``, ``dev`` or ``holdout`` (sorted docId, index % 3 == 2)."""
    records = {}
    for line in labels.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record.get("imageInDevset"):
            records[record["key"]] = record
    pages = []
    scans = [jpg for jpg in sorted(folder.glob("*.jpg")) if jpg.stem in records]
    for index, jpg in enumerate(scans):
        holdout = index % 3 == 2
        if part != "all" and holdout != (part == "holdout"):
            continue
        record = records[jpg.stem]
        entities = record["entities"]
        wanted = {
            "date": entities["date"],
            "total": entities["total"],
            "vendor": entities["company"],
        }
        truth_words = [word for line in record["words"] for word in line.split()]
        with Image.open(jpg) as image:
            png = _save(image.convert("RGB"), out, jpg.stem)
        text = " ".join(record["words"])
        pages.append(Page(jpg.stem, "receipt", png, text, truth_words, wanted, holdout))
        if limit is not None and len(pages) >= limit:
            break
    return pages


def rendered_pages(out: Path, count: int) -> list[Page]:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tests.support.invoices import sample_invoices

    rendered = sample_invoices()
    pages = []
    for n in range(count):
        invoice = rendered[n % len(rendered)]
        pages.append(Page(f"rendered-{n}", "rendered", _save(invoice.image, out, f"r{n}")))
    return pages


def _save(image: Image.Image, out: Path, page_id: str) -> Path:
    name = re.sub(r"[^A-Za-z0-9_.-]", "_", page_id) + ".png"
    path = out / name
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    return path
