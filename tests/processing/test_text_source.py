"""Where a page's text comes from: embedded XML, the PDF text layer, or OCR of the render.

The OCR engine here records what it is asked to read: a page with a usable text layer must
never reach it (so an OCR process never loads its models for such a page).
"""

from __future__ import annotations

import base64
import time
from collections.abc import Sequence
from pathlib import Path

import pytest
from PIL import Image

from ocr_gateway.db.engine import Database
from ocr_gateway.db.models import Document
from ocr_gateway.enums import TextSource
from ocr_gateway.processing.builtin_templates import GENERIC_INVOICE_TEMPLATE
from ocr_gateway.processing.extraction import extract_fields
from ocr_gateway.processing.fetch import DocumentLimits, FetchError, FetchPolicy
from ocr_gateway.processing.pipeline import PageWork
from ocr_gateway.processing.result import OcrLine, OcrResult, OcrWord
from ocr_gateway.processing.text_source import (
    DocumentBytes,
    document_bytes,
    extracted_fields,
    read_page_text,
)
from tests.api.test_statements import counting
from tests.support.einvoices import attach, cii_xml, printed_items
from tests.support.pdfs import image_pdf, text_pdf, unmapped_font_pdf

TEMPLATE = {
    "fields": GENERIC_INVOICE_TEMPLATE["fields"],
    "options": GENERIC_INVOICE_TEMPLATE["options"],
}


class RecordingEngine:
    name = "recording"
    version = "1"

    def __init__(self) -> None:
        self.images: list[Image.Image] = []

    def read(self, image: Image.Image, *, languages: Sequence[str]) -> OcrResult:
        self.images.append(image)
        word = OcrWord("scanned", 0.9, (0, 0, 10, 10))
        line = OcrLine("scanned", 0.9, (0, 0, 10, 10), (word,))
        return OcrResult.of([line], width=image.width, height=image.height, timings={"ocr": 0.1})


def work(url: str, *, page_number: int = 1, document: bytes | None = None) -> PageWork:
    return PageWork(
        page_id="0" * 24,
        page_url=url,
        attempt=1,
        languages=["en"],
        template=TEMPLATE,
        page_number=page_number,
        document=document,
    )


def data_url(data: bytes, kind: str = "application/pdf") -> str:
    return f"data:{kind};base64,{base64.b64encode(data).decode()}"


POLICY = FetchPolicy(documents=DocumentLimits(render_dpi=100, max_pixels=2_000_000))


async def test_a_text_layer_is_read_without_the_engine_and_fast() -> None:
    engine = RecordingEngine()
    pdf = text_pdf([printed_items()])
    began = time.perf_counter()
    page = await read_page_text(work(data_url(pdf)), engine, POLICY)
    assert time.perf_counter() - began < 0.2
    assert engine.images == []
    assert (page.source, page.engine) == (TextSource.pdf_text, None)
    assert "FX-2026-0042" in page.result.text
    assert page.properties["format"] == "PDF"
    assert extract_fields(page.result, TEMPLATE).values()["total"] == "120.00"


async def test_a_scanned_page_is_rendered_at_the_dpi_and_ocred() -> None:
    engine = RecordingEngine()
    pdf = image_pdf(Image.new("RGB", (620, 877), "white"))
    page = await read_page_text(work(data_url(pdf)), engine, POLICY)
    assert page.source == TextSource.ocr
    assert page.engine is engine
    assert len(engine.images) == 1
    assert abs(engine.images[0].width - 827) <= 1  # A4 at 100 dpi
    assert page.properties["dpi"] == [100, 100]


async def test_a_garbage_text_layer_is_ocred_instead() -> None:
    engine = RecordingEngine()
    page = await read_page_text(work(data_url(unmapped_font_pdf())), engine, POLICY)
    assert page.source == TextSource.ocr
    assert len(engine.images) == 1


async def test_the_rasterisation_stays_under_the_pixel_cap() -> None:
    engine = RecordingEngine()
    pdf = image_pdf(Image.new("RGB", (620, 877), "white"))
    policy = FetchPolicy(documents=DocumentLimits(render_dpi=600, max_pixels=500_000))
    await read_page_text(work(data_url(pdf)), engine, policy)
    assert engine.images[0].width * engine.images[0].height <= 500_000


@pytest.mark.parametrize(("url_suffix", "page_number"), [("#page=2", 1), ("", 2)])
async def test_the_fragment_or_the_page_number_selects_the_pdf_page(
    url_suffix: str, page_number: int
) -> None:
    pdf = text_pdf([[(20, 20, "first page of the document", 12)], printed_items()])
    page = await read_page_text(
        work(data_url(pdf) + url_suffix, page_number=page_number), RecordingEngine(), POLICY
    )
    assert "FX-2026-0042" in page.result.text
    assert page.properties["pdfPage"] == 2


async def test_a_page_past_the_end_of_the_pdf_fails_permanently() -> None:
    pdf = text_pdf([printed_items()])
    with pytest.raises(FetchError) as caught:
        await read_page_text(work(data_url(pdf), page_number=3), RecordingEngine(), POLICY)
    assert (caught.value.code, caught.value.transient) == ("pdf_page_missing", False)


async def test_a_stored_document_is_read_without_fetching() -> None:
    pdf = text_pdf([printed_items()])
    missing = "https://nowhere.invalid/invoice.pdf#page=1"
    page = await read_page_text(work(missing, document=pdf), RecordingEngine(), POLICY)
    assert page.source == TextSource.pdf_text


async def test_an_embedded_invoice_gives_exact_fields_beside_the_printed_ones() -> None:
    pdf = attach(text_pdf([printed_items(printed_total="210.00")]), "factur-x.xml", cii_xml())
    page = await read_page_text(work(data_url(pdf)), RecordingEngine(), POLICY)
    assert page.source == TextSource.embedded_xml
    stored = extracted_fields(page, extract_fields(page.result, TEMPLATE))
    assert stored["printedTextSource"] == "pdf_text"
    assert stored["fields"]["total"]["normalizedValue"] == "120.00"
    assert stored["fields"]["total"]["method"] == "embedded_xml"
    assert stored["fields"]["total"]["needsReview"] is True
    assert stored["printedFields"]["total"]["normalizedValue"] == "210.00"
    assert stored["discrepancies"] == [
        {"field": "total", "xmlValue": "120.00", "printedValue": "210.00", "printedPage": None}
    ]
    assert stored["fields"]["invoiceNumber"]["needsReview"] is False


async def test_an_embedded_credit_note_warns_that_its_amounts_are_positive() -> None:
    xml = cii_xml(type_code="381")
    pdf = attach(text_pdf([printed_items()]), "factur-x.xml", xml)
    page = await read_page_text(work(data_url(pdf)), RecordingEngine(), POLICY)
    stored = extracted_fields(page, extract_fields(page.result, TEMPLATE))
    assert [w["code"] for w in stored["warnings"]].count("credit_note") == 1
    assert stored["embedded"]["creditNote"] is True
    invoice = attach(text_pdf([printed_items()]), "factur-x.xml", cii_xml())
    page = await read_page_text(work(data_url(invoice)), RecordingEngine(), POLICY)
    plain = extracted_fields(page, extract_fields(page.result, TEMPLATE))
    assert "credit_note" not in [w["code"] for w in plain["warnings"]]


async def test_an_unsafe_embedded_xml_costs_its_fields_only() -> None:
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><Invoice>&a;</Invoice>'
    pdf = attach(text_pdf([printed_items()]), "factur-x.xml", bomb)
    page = await read_page_text(work(data_url(pdf)), RecordingEngine(), POLICY)
    assert page.source == TextSource.pdf_text
    assert page.embedded_error is not None
    assert "entities" in page.embedded_error


async def test_an_image_is_ocred(tmp_path: Path) -> None:
    engine = RecordingEngine()
    path = tmp_path / "receipt.png"
    Image.new("RGB", (300, 400), "white").save(path)
    policy = FetchPolicy(media_root=tmp_path)
    page = await read_page_text(work(f"file://{path}"), engine, policy)
    assert page.source == TextSource.ocr
    assert page.properties["format"] == "PNG"
    assert len(engine.images) == 1


# -- the stored document's bytes, read once for all its pages ---------------------------------


def test_recent_documents_keep_the_last_used_within_their_byte_budget() -> None:
    recent = DocumentBytes(max_bytes=10)
    recent.put("a", b"aaaa")
    recent.put("b", b"bbbb")
    assert recent.get("a") == b"aaaa"  # now the most recently used
    recent.put("c", b"cccc")  # 12 bytes: the least recently used (b) goes
    assert (recent.get("a"), recent.get("b"), recent.get("c")) == (b"aaaa", None, b"cccc")
    recent.put("huge", b"x" * 11)  # larger than the whole budget: not kept, nothing evicted
    assert (recent.get("huge"), recent.get("a"), recent.get("c")) == (None, b"aaaa", b"cccc")


async def test_the_pages_of_one_document_read_its_bytes_from_the_database_once(
    db: Database,
) -> None:
    data = text_pdf([[(20, 20, "Invoice 12", 12)]] * 3)
    async with db.sessionmaker() as session, session.begin():
        document = Document(
            sha256="f" * 64,
            content_type="application/pdf",
            byte_size=len(data),
            page_count=3,
            source_url="file:///invoices/12.pdf",
            data=data,
        )
        session.add(document)
    with counting(db) as statements:
        for _page in range(3):
            async with db.sessionmaker() as session:
                assert await document_bytes(session, document.id) == data
    reads = [s for s in statements if "documents" in s]
    assert len(reads) == 1, reads
