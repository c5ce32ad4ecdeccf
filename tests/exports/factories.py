"""Hand-built invoice data, shaped as ``processing.invoice.assemble_invoice`` writes it."""

from __future__ import annotations

from typing import Any

from ocr_gateway.exports import ExportJob, Party

JOB_ID = "65a1b2c3d4e5f60718293a4b"
GROUP_BUYER = Party("Acme Buying Ltd", "GB")


def field(value: Any, normalized: Any = None, *, confidence: float = 0.93) -> dict[str, Any]:
    return {
        "value": value,
        "normalizedValue": value if normalized is None else normalized,
        "confidence": confidence,
        "page": 1,
        "box": [10, 20, 110, 40],
        "method": "label",
        "needsReview": confidence < 0.5,
    }


def complete_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "invoiceNumber": field("RE-2024-0042"),
        "invoiceDate": field("31.01.2024", "2024-01-31"),
        "dueDate": field("29.02.2024", "2024-02-29"),
        "total": field("1.190,00 €", "1190.00"),
        "subtotal": field("1.000,00", "1000.00"),
        "tax": field("190,00", "190.00"),
        "currency": field("€", "EUR"),
        "vendorName": field("Müller & Söhne GmbH"),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def export_job(
    data: dict[str, Any] | None = None,
    *,
    buyer: Party | None = GROUP_BUYER,
    id: str = JOB_ID,
    name: str = "mueller-0042.pdf",
) -> ExportJob:
    return ExportJob(
        id=id,
        name=name,
        status="completed",
        group_id="65a1b2c3d4e5f60718293a00",
        invoice_data=complete_data() if data is None else data,
        buyer=buyer,
    )
