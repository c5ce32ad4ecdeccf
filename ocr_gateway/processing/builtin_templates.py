"""Built-in templates: pure data, loaded by the API process to seed the database."""

from __future__ import annotations

from typing import Any

GENERIC_INVOICE_TEMPLATE: dict[str, Any] = {
    "id": "000000000000000000000001",
    "name": "Generic invoice",
    "description": "Common fields of an invoice in English.",
    "languages": ["en"],
    "fields": [
        {
            "name": "invoiceNumber",
            "type": "string",
            "labels": ["invoice no", "invoice number", "invoice #"],
            "regex": None,
            "region": None,
            "required": True,
        },
        {
            "name": "invoiceDate",
            "type": "date",
            "labels": ["invoice date", "date"],
            "regex": None,
            "region": None,
            "required": True,
        },
        {
            "name": "dueDate",
            "type": "date",
            "labels": ["due date", "payment due"],
            "regex": None,
            "region": None,
            "required": False,
        },
        {
            "name": "subtotal",
            "type": "amount",
            "labels": ["subtotal", "sub total"],
            "regex": None,
            "region": None,
            "required": False,
        },
        {
            "name": "tax",
            "type": "amount",
            "labels": ["tax", "vat"],
            "regex": None,
            "region": None,
            "required": False,
        },
        {
            "name": "total",
            "type": "amount",
            "labels": ["total", "amount due"],
            "regex": None,
            "region": None,
            "required": True,
        },
        {
            "name": "currency",
            "type": "currency",
            "labels": ["currency"],
            "regex": None,
            "region": None,
            "required": False,
        },
        {
            "name": "vendorName",
            "type": "string",
            "labels": ["from", "vendor"],
            "regex": None,
            "region": None,
            "required": False,
        },
    ],
    "options": {
        "dateFormats": ["%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y", "%B %d, %Y"],
        "decimalSeparator": ".",
        "defaultCurrency": "USD",
    },
}
