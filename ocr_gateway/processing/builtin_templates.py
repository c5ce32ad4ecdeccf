"""Templates that exist from the first start (pure data: the API process seeds them).

The shape is the stored template's (see ``template.py``); the seeding code owns timestamps and
the active flag. Field order matters only for readability; each field is extracted on its own.
The generic template's field names are the built-in roles (``extraction/vocabulary.py``), so
its few English labels are examples: the vocabulary in seven languages applies to each field.
Its options leave the date order, formats and decimal separator to be inferred per page.
"""

from __future__ import annotations

from typing import Any

GENERIC_INVOICE_TEMPLATE: dict[str, Any] = {
    "id": "000000000000000000000001",
    "name": "Generic invoice",
    "description": (
        "Built-in template for invoices and receipts in any layout: invoice number, issue "
        "and due dates, net total, tax, total, currency and vendor name, found by labels "
        "in English, German, French, Dutch, Spanish, Italian and Portuguese, layout and "
        "arithmetic. The labels listed here add to that built-in vocabulary."
    ),
    "languages": ["en"],  # the OCR model's; extraction reads every language listed above
    "fields": [
        {
            "name": "invoiceNumber",
            "type": "string",
            "regex": None,
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
            "regex": None,
            "labels": ["Vendor", "Supplier", "Seller", "Sold By", "Bill From", "From"],
            "region": None,
            "required": False,
        },
    ],
    "options": {
        "defaultCurrency": "USD",
        "totalCheck": {"total": "total", "parts": ["subtotal", "tax"]},
    },
}

BUILTIN_TEMPLATES: tuple[dict[str, Any], ...] = (GENERIC_INVOICE_TEMPLATE,)
