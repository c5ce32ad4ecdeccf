"""Duplicate-invoice flags (``ocr_gateway.processing.duplicates``) on a development set of
real invoices and receipts: how often distinct documents would be flagged as each other's
duplicates (false flags), how many documents the rule can flag at all (coverage), and
whether a document still matches itself when one copy holds the product's extraction and
the other the true values (as after a person corrected one copy: re-upload recall).

    .venv/bin/python bench/duplicates.py DIR [--list-dev]

``DIR`` is laid out as ``/work/shared/data/invoices`` (its README.md). Two sets:

- PDF invoices with a usable text layer, read as the product reads them (text layer,
  embedded e-invoice ignored: ``bench.extraction_accuracy``'s path, no OCR);
- the labelled receipt transcriptions (``sroie-labels-only``), through the extraction
  step as ``extraction_accuracy --text-only`` runs it.

Documents are flagged in docId order (the order jobs would be created in). The set's
documents are meant to be distinct, but some are not: SROIE holds receipts scanned twice
under two ids (same shop, time, items, total) and several ZUGFeRD samples reuse one seller
and invoice number; so a flag on the true values is mostly a real duplicate of the set,
and a flag on the extracted values is confirmed when the two documents' true values match
too (``--list-dev`` prints the dev part's flags to look at). Hold-out as everywhere: sorted docId, index % 3 == 2; only the
dev part is listed.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.extraction_accuracy import Page, run_transcriptions, score_input, split_of
from ocr_gateway.processing.duplicates import DuplicateKeys, keys_of, matches
from ocr_gateway.processing.pdf import open_pdf

FIELDS = ("vendorName", "invoiceNumber", "invoiceDate", "total", "currency")


@dataclass(frozen=True)
class Doc:
    doc_id: str
    split: str
    found: DuplicateKeys  # from the product's extraction
    truth: DuplicateKeys  # from the expected JSON


def as_invoice(values: Mapping[str, Any]) -> dict[str, Any]:
    """Values (field -> normalised value) as invoice data."""
    out = {}
    for name in FIELDS:
        value = values.get(name)
        if value is not None:
            out[name] = {"value": str(value), "normalizedValue": str(value)}
    return out


def pdf_docs(folder: Path) -> tuple[list[Doc], list[str]]:
    entries = [json.loads(line) for line in (folder / "index.jsonl").open()]
    entries.sort(key=lambda e: e["docId"])
    docs, skipped = [], []
    for index, entry in enumerate(entries):
        if not entry["file"].lower().endswith(".pdf"):
            continue
        data = (folder / entry["file"]).read_bytes()
        with open_pdf(data) as pdf:
            texts = [pdf.text(i) for i in range(pdf.page_count)]
        if any(text is None for text in texts):
            skipped.append(entry["docId"])  # needs OCR: not in this run
            continue
        pages = [Page(text, "pdf_text", 0.0) for text in texts if text is not None]
        expected = json.loads((folder / entry["expected"]).read_text())
        result = score_input(entry["docId"], entry["source"], split_of(index), expected, pages)
        docs.append(_doc(result.doc_id, result.split, result.found, expected))
    return docs, skipped


def receipt_docs(folder: Path) -> list[Doc]:
    return [_doc(r.doc_id, r.split, r.found, r.expected) for r in run_transcriptions(folder)]


def _doc(doc_id: str, split: str, found: Mapping[str, Any], expected: Mapping[str, Any]) -> Doc:
    return Doc(doc_id, split, keys_of(as_invoice(found)), keys_of(as_invoice(expected)))


def flags(keys: Sequence[DuplicateKeys]) -> list[int | None]:
    """For each document, the index of the earliest earlier one it matches, or None."""
    return [
        next((j for j in range(i) if matches(keys[i], keys[j])), None) for i in range(len(keys))
    ]


def table(name: str, docs: Sequence[Doc]) -> list[str]:
    found_flags = flags([d.found for d in docs])
    truth_flags = flags([d.truth for d in docs])
    rows = []
    for split in ("dev", "holdout"):
        part = [i for i, d in enumerate(docs) if d.split == split]
        n = len(part)
        covered = sum(1 for i in part if docs[i].found.keys)
        covered_truth = sum(1 for i in part if docs[i].truth.keys)
        false_found = sum(1 for i in part if found_flags[i] is not None)
        false_truth = sum(1 for i in part if truth_flags[i] is not None)
        confirmed = sum(
            1
            for i in part
            if (j := found_flags[i]) is not None and matches(docs[i].truth, docs[j].truth)
        )
        recall_base = [i for i in part if docs[i].truth.keys]
        recalled = sum(1 for i in recall_base if matches(docs[i].found, docs[i].truth))
        rows.append(
            f"| {name} | {split} | {n} | {_pct(covered, n)} | {_pct(covered_truth, n)} "
            f"| {false_found} ({_pct(false_found, n)}) | {confirmed} "
            f"| {false_truth} ({_pct(false_truth, n)}) "
            f"| {recalled}/{len(recall_base)} ({_pct(recalled, len(recall_base))}) |"
        )
    return rows


def listing(docs: Sequence[Doc]) -> list[str]:
    out = []
    for label, keys in (("extracted", [d.found for d in docs]), ("true", [d.truth for d in docs])):
        for i, j in enumerate(flags(keys)):
            if j is not None and docs[i].split == "dev":
                out.append(f"- {label}: {docs[i].doc_id} -> {docs[j].doc_id}: {keys[i]}")
    return out


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--list-dev", action="store_true", help="print the dev part's flags")
    args = parser.parse_args()
    began = time.perf_counter()
    pdfs, skipped = pdf_docs(args.folder)
    receipts = receipt_docs(args.folder)
    lines = [
        "| set | split | documents | with a key (extracted) | with a key (true values) "
        "| flagged, extracted values | of which the true values match too "
        "| flagged, true values | extracted copy matches true copy |",
        "|---|---|---|---|---|---|---|---|---|",
        *table("PDF invoices (text layer)", pdfs),
        *table("receipt transcriptions", receipts),
        "",
        f"PDFs needing OCR, left out: {', '.join(skipped) or 'none'}; "
        f"{time.perf_counter() - began:.0f} s",
    ]
    if args.list_dev:
        lines += ["", "Dev flags:", *listing(pdfs), *listing(receipts)]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
