"""Templates that exist from the first start (pure data: the API process seeds them).

The shape is the stored template's (see ``template.py``); the seeding code owns timestamps and
the active flag. Field order matters only for readability; each field is extracted on its own.
"""

from __future__ import annotations

from typing import Any

# An invoice number: letters/digits in runs joined by - _ / . with at least one digit somewhere.
# OCR may read "_" as a space or split "INV_2024_ 0042" in two boxes, so a space may follow a
# separator or stand for one (before a run with a digit).
_INVOICE_NUMBER = (
    r"(?i)(?<![\w])((?=[A-Z0-9_\-/. ]*\d)[A-Z0-9]+"
    r"(?:[-_/.]\s?[A-Z0-9]+|\s(?=[A-Z]*\d)[A-Z0-9]+)*)"
)
# A vendor name line: has letters, and is not a heading or a labelled line.
_VENDOR_NAME = (
    r"(?i)^(?!.*\b(?:invoice|receipt|statement|bill to|date|page|tax|vat|total)\b)"
    r"(?=.*[a-z]{2})([^:]{2,80})$"
)

GENERIC_INVOICE_TEMPLATE: dict[str, Any] = {
    "id": "000000000000000000000001",
    "name": "Generic invoice",
    "description": (
        "Built-in template for common invoice layouts: invoice number, issue and due dates, "
        "subtotal, tax, total, currency and vendor name, found by their usual labels."
    ),
    "languages": ["en"],
    "fields": [
        {
            "name": "invoiceNumber",
            "type": "string",
            "regex": _INVOICE_NUMBER,
            "labels": [
                "Invoice Number",
                "Invoice No",
                "Invoice #",
                "Invoice Num",
                "Invoice ID",
                "Inv No",
                "Inv #",
                "Bill Number",
                "Bill No",
            ],
            "region": None,
            "required": True,
        },
        {
            "name": "invoiceDate",
            "type": "date",
            "regex": None,
            "labels": [
                "Invoice Date",
                "Date of Issue",
                "Issue Date",
                "Date Issued",
                "Billing Date",
                "Invoice Dated",
                "Date",
            ],
            "region": None,
            "required": True,
        },
        {
            "name": "dueDate",
            "type": "date",
            "regex": None,
            "labels": ["Due Date", "Payment Due", "Date Due", "Due By", "Pay By", "Due"],
            "region": None,
            "required": False,
        },
        {
            "name": "total",
            "type": "amount",
            "regex": None,
            "labels": [
                "Total Due",
                "Amount Due",
                "Balance Due",
                "Grand Total",
                "Invoice Total",
                "Total Amount",
                "Amount Payable",
                "Total Payable",
                "Total",
            ],
            "region": None,
            "required": True,
        },
        {
            "name": "subtotal",
            "type": "amount",
            "regex": None,
            "labels": [
                "Subtotal",
                "Sub-total",
                "Sub Total",
                "Net Total",
                "Net Amount",
                "Total Net",
            ],
            "region": None,
            "required": False,
        },
        {
            "name": "tax",
            "type": "amount",
            "regex": None,
            "labels": [
                "Sales Tax",
                "Tax Amount",
                "Total Tax",
                "VAT Amount",
                "VAT",
                "GST",
                "HST",
                "Tax",
            ],
            "region": None,
            "required": False,
        },
        {
            "name": "currency",
            "type": "currency",
            "regex": None,
            "labels": ["Currency"],
            "region": None,
            "required": False,
        },
        {
            "name": "vendorName",
            "type": "string",
            "regex": _VENDOR_NAME,
            "labels": ["Vendor", "Supplier", "Seller", "Sold By", "Bill From", "From"],
            "region": {"x": 0.0, "y": 0.0, "width": 0.6, "height": 0.15},
            "required": False,
        },
    ],
    "options": {
        "dateFormats": [
            "%Y-%m-%d",
            "%m/%d/%Y",
            "%d.%m.%Y",
            "%d/%m/%Y",
            "%B %d, %Y",
            "%b %d, %Y",
            "%d %B %Y",
            "%d %b %Y",
        ],
        "decimalSeparator": ".",
        "defaultCurrency": "USD",
        "totalCheck": {"total": "total", "parts": ["subtotal", "tax"]},
    },
}

BUILTIN_TEMPLATES: tuple[dict[str, Any], ...] = (GENERIC_INVOICE_TEMPLATE,)
