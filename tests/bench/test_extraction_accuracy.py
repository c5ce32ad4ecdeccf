"""The bench's split of a set into PDF invoices and receipts/scans/images."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bench.extraction_accuracy import by_kind, index_entries, kind_of
from bench.extraction_scoring import DocumentResult


@pytest.mark.parametrize(
    ("entry", "kind"),
    [
        ({"kind": "digital-pdf", "layout": "designed", "file": "a/x.pdf"}, "pdf"),
        # a digital PDF without a usable text layer is OCRed but still a PDF invoice
        ({"kind": "digital-pdf", "layout": "designed", "file": "a/y.PDF"}, "pdf"),
        (
            {"kind": "scanned-receipt-image", "layout": "scanned-receipt", "file": "s/1.jpg"},
            "image",
        ),
        # a photographed receipt saved as PDF is a receipt, not a PDF invoice
        ({"kind": "scanned-receipt-pdf", "layout": "receipt", "file": "r/2.pdf"}, "image"),
        ({"kind": "rendered-invoice-image", "file": "i/3.png"}, "image"),
        ({"layout": "scanned-invoice", "file": "i/4.pdf"}, "image"),
        ({"file": "i/5.png"}, "image"),  # no kind: the file type decides
        ({"file": "i/6.jpeg"}, "image"),
        ({"file": "i/7.pdf"}, "pdf"),
        ({"kind": "", "layout": None, "file": "i/8.pdf"}, "pdf"),
    ],
)
def test_kind_of(entry: dict[str, Any], kind: str) -> None:
    assert kind_of(entry) == kind


def _result(doc_id: str, group: str) -> DocumentResult:
    return DocumentResult(doc_id=doc_id, group=group, split="dev", expected={}, found={})


def test_by_kind_keeps_images_outside_sroie_apart_from_pdfs() -> None:
    results = [_result("a", "parsee"), _result("b", "veryfi"), _result("c", "sroie")]
    kinds = {"a": "pdf", "b": "image", "c": "image"}
    pdfs, images = by_kind(results, kinds)
    assert [r.doc_id for r in pdfs] == ["a"]
    assert [r.doc_id for r in images] == ["b", "c"]


def test_index_entries_sorted_by_doc_id(tmp_path: Path) -> None:
    lines = [{"docId": "b", "file": "x/b.pdf"}, {"docId": "a", "file": "x/a.jpg"}]
    (tmp_path / "index.jsonl").write_text("".join(json.dumps(e) + "\n" for e in lines))
    entries = index_entries(tmp_path)
    assert [e["docId"] for e in entries] == ["a", "b"]
    assert [kind_of(e) for e in entries] == ["image", "pdf"]


def _write_index(folder: Path, entries: list[dict[str, Any]]) -> None:
    (folder / "index.jsonl").write_text("".join(json.dumps(e) + "\n" for e in entries))


@pytest.mark.parametrize(
    ("holdout", "splits"), [(True, ["dev", "dev", "holdout"]), (False, ["dev"] * 3)]
)
def test_api_report_splits_by_kind_and_honours_no_holdout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, holdout: bool, splits: list[str]
) -> None:
    """The API run is told the split (``--no-holdout`` scores a check set as one part) and
    its results land in the table of their kind; only the product run itself is replaced."""
    import bench.extraction_api as extraction_api
    from bench.extraction_accuracy import api_report

    entries = [
        {
            "docId": "a",
            "source": "s",
            "layout": "designed",
            "kind": "digital-pdf",
            "file": "s/a.pdf",
        },
        {
            "docId": "b",
            "source": "s",
            "layout": "scanned-receipt",
            "kind": "receipt-image",
            "file": "s/b.jpg",
        },
        {"docId": "c", "source": "s", "layout": "designed", "file": "s/c.png"},
    ]
    _write_index(tmp_path, entries)
    seen: list[tuple[str, str]] = []

    def run_api(folder: Path, listed: list[Any], **_: Any) -> extraction_api.ApiRun:
        seen.extend((entry["docId"], split) for entry, _group, split in listed)
        return extraction_api.ApiRun(
            results=[
                DocumentResult(
                    doc_id=entry["docId"], group=group, split=split,
                    expected={"total": 1.0}, found={"total": "1.00"},
                )
                for entry, group, split in listed
            ]
        )  # fmt: skip

    monkeypatch.setattr(extraction_api, "run_api", run_api)
    text = api_report(tmp_path, workers=1, timeout_s=1, show=False, holdout=holdout)
    assert seen == list(zip("abc", splits, strict=True))
    pdf_part, image_part = text.split("### Receipts, scans and images, over the API")
    assert "| total | 1/1 |" in pdf_part  # a alone, and always in the dev part
    right = sum(s == "dev" for s in splits[1:])
    assert f"| total | {right}/{right} |" in image_part
