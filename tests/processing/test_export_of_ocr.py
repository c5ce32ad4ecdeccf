"""Real OCR of rendered invoices, through extraction and invoice assembly, to e-invoices
that the official schemas accept and that carry what is printed (see tests/exports)."""

from __future__ import annotations

import pytest

from ocr_gateway.exports import ExportJob, Party
from ocr_gateway.exports.cii import to_cii
from ocr_gateway.exports.ubl import to_ubl
from ocr_gateway.processing.builtin_templates import GENERIC_INVOICE_TEMPLATE
from ocr_gateway.processing.extraction import extract_fields
from ocr_gateway.processing.invoice import PageFields, assemble_invoice
from tests.exports.schemas import assert_valid_cii, assert_valid_ubl
from tests.support.invoices import SAMPLE_INVOICES, RenderedInvoice
from tests.support.ocr import OcrCache

pytestmark = pytest.mark.slow
IDS = [spec.vendor_name for spec in SAMPLE_INVOICES]


@pytest.mark.parametrize("index", range(len(SAMPLE_INVOICES)), ids=IDS)
def test_an_ocred_invoice_exports_as_valid_ubl_and_cii(
    ocr_results: OcrCache, invoices: list[RenderedInvoice], index: int
) -> None:
    extraction = extract_fields(ocr_results[index], GENERIC_INVOICE_TEMPLATE).to_dict()
    data = assemble_invoice([PageFields(1, extraction)]).fields
    job = ExportJob("65a1b2c3d4e5f60718293a4b", "scan.png", "completed", None, data,
                    buyer=Party("Contoso Ltd"))  # fmt: skip
    spec = invoices[index].spec
    ubl = assert_valid_ubl(to_ubl(job))
    assert ubl.findtext("{*}ID") == spec.invoice_number
    assert ubl.findtext("{*}LegalMonetaryTotal/{*}PayableAmount") == f"{spec.total:.2f}"
    profile, cii = assert_valid_cii(to_cii(job))
    assert profile == "urn:factur-x.eu:1p0:basicwl"
    assert cii.findtext(".//{*}GrandTotalAmount") == f"{spec.total:.2f}"
