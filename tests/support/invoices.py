"""Render realistic invoice page images for OCR tests and benchmarks.

Each page is A4 at 150 dpi (1240 x 1754 px), drawn with the DejaVu fonts (Debian/Ubuntu package
``fonts-dejavu-core``). A page comes with the values the generic invoice template should extract
from it, already normalised (ISO dates, ``1234.50`` amounts, ISO 4217 currency codes), so a test
compares ``extract_fields(...)`` output with ``RenderedInvoice.expected`` directly.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

A4_150DPI = (1240, 1754)
FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
CENT = Decimal("0.01")

Font = ImageFont.FreeTypeFont


@dataclass(frozen=True)
class LineItem:
    description: str
    quantity: int
    unit_price: Decimal

    @property
    def amount(self) -> Decimal:
        return (self.unit_price * self.quantity).quantize(CENT, ROUND_HALF_UP)


@dataclass(frozen=True)
class InvoiceSpec:
    vendor_name: str
    vendor_address: tuple[str, ...]
    customer: tuple[str, ...]
    invoice_number: str
    invoice_date: dt.date
    due_date: dt.date
    date_format: str
    currency_code: str
    currency_symbol: str
    items: tuple[LineItem, ...]
    tax_label: str
    tax_rate: Decimal
    decimal_comma: bool = False
    symbol_after: bool = False
    footer: tuple[str, ...] = field(default=())
    font: str = "DejaVuSans"  # DejaVuSans, DejaVuSerif or DejaVuSansCondensed

    @property
    def subtotal(self) -> Decimal:
        return sum((item.amount for item in self.items), Decimal("0.00"))

    @property
    def tax(self) -> Decimal:
        return (self.subtotal * self.tax_rate / 100).quantize(CENT, ROUND_HALF_UP)

    @property
    def total(self) -> Decimal:
        return self.subtotal + self.tax

    def money(self, value: Decimal) -> str:
        """Format an amount the way this invoice prints it: ``$1,234.50`` or ``1.234,50 €``."""
        text = f"{value:,.2f}"
        if self.decimal_comma:
            text = text.replace(",", " ").replace(".", ",").replace(" ", ".")
        if self.symbol_after:
            return f"{text} {self.currency_symbol}"
        return f"{self.currency_symbol}{text}"

    def expected_fields(self) -> dict[str, str]:
        """Normalised values of the generic invoice template's fields."""
        return {
            "invoiceNumber": self.invoice_number,
            "invoiceDate": self.invoice_date.isoformat(),
            "dueDate": self.due_date.isoformat(),
            "subtotal": f"{self.subtotal:.2f}",
            "tax": f"{self.tax:.2f}",
            "total": f"{self.total:.2f}",
            "currency": self.currency_code,
            "vendorName": self.vendor_name,
        }


@dataclass(frozen=True)
class RenderedInvoice:
    spec: InvoiceSpec
    image: Image.Image
    texts: tuple[str, ...]  # every string drawn, in drawing order

    @property
    def expected(self) -> dict[str, str]:
        return self.spec.expected_fields()


SAMPLE_INVOICES: tuple[InvoiceSpec, ...] = (
    InvoiceSpec(
        vendor_name="Northwind Traders",
        vendor_address=("1200 Harbor Way, Suite 400", "Seattle, WA 98101", "Tax ID: 91-4412078"),
        customer=("Contoso Ltd", "Attn: Accounts Payable", "55 Market Street", "Denver, CO 80202"),
        invoice_number="INV_2024_0042",
        invoice_date=dt.date(2024, 3, 1),
        due_date=dt.date(2024, 3, 31),
        date_format="%B %d, %Y",
        currency_code="USD",
        currency_symbol="$",
        items=(
            LineItem("Industrial shelving unit", 4, Decimal("289.00")),
            LineItem("Pallet jack rental (weekly)", 2, Decimal("145.50")),
            LineItem("Safety gloves, box of 50", 12, Decimal("18.75")),
            LineItem("Delivery and installation", 1, Decimal("320.00")),
        ),
        tax_label="Sales Tax (8.25%)",
        tax_rate=Decimal("8.25"),
        footer=("Payment terms: Net 30", "Thank you for your business!"),
    ),
    InvoiceSpec(
        vendor_name="Bergmann Elektro GmbH",
        vendor_address=("Industriestrasse 17", "70565 Stuttgart, Germany", "VAT No: DE284511907"),
        customer=("Lindqvist AB", "Kungsgatan 8", "111 43 Stockholm, Sweden"),
        invoice_number="RE_2024_11_0815",
        invoice_date=dt.date(2024, 11, 15),
        due_date=dt.date(2024, 12, 15),
        date_format="%d.%m.%Y",
        currency_code="EUR",
        currency_symbol="€",
        items=(
            LineItem("Cable tray 3m, galvanised", 20, Decimal("34.90")),
            LineItem("Circuit breaker C16", 36, Decimal("7.45")),
            LineItem("Distribution board assembly", 1, Decimal("1480.00")),
        ),
        tax_label="VAT (19%)",
        tax_rate=Decimal("19"),
        decimal_comma=True,
        symbol_after=True,
        footer=("IBAN: DE44 5001 0517 5407 3249 31", "Please quote the invoice number."),
    ),
    InvoiceSpec(
        vendor_name="Harbour Print Studio",
        vendor_address=("4 Dockside Lane", "Bristol BS1 5TY, United Kingdom"),
        customer=("Meadow & Finch Bakery", "12 Orchard Road", "Bath BA1 2QR"),
        invoice_number="HPS_0917",
        invoice_date=dt.date(2025, 1, 9),
        due_date=dt.date(2025, 2, 8),
        date_format="%d %b %Y",
        currency_code="GBP",
        currency_symbol="£",
        items=(
            LineItem("Business cards, 500 pcs", 3, Decimal("42.00")),
            LineItem("A2 posters, matte", 25, Decimal("6.80")),
            LineItem("Design proof", 1, Decimal("95.00")),
            LineItem("Courier", 1, Decimal("11.50")),
        ),
        tax_label="VAT 20%",
        tax_rate=Decimal("20"),
        footer=("Bank: Lloyds  Sort code 30-94-57  Account 10442871",),
    ),
)


@cache
def font(size: int, *, bold: bool = False, family: str = "DejaVuSans") -> Font:
    """A DejaVu font: Sans and Serif come with fonts-dejavu-core; SansCondensed (used by some
    generated invoices) needs fonts-dejavu-extra and falls back to Sans without it."""
    for candidate in dict.fromkeys((family, "DejaVuSans")):
        name = f"{candidate}-Bold.ttf" if bold else f"{candidate}.ttf"
        for folder in FONT_DIRS:
            if (folder / name).is_file():
                return ImageFont.truetype(str(folder / name), size)
    raise FileNotFoundError("DejaVu fonts not found; install the fonts-dejavu-core package")


class _Page:
    """A drawing cursor over one page; coordinates are pixels at 150 dpi."""

    def __init__(self, size: tuple[int, int], family: str) -> None:
        self.family = family
        self.image = Image.new("RGB", size, "white")
        self.draw = ImageDraw.Draw(self.image)
        self.texts: list[str] = []

    def text(self, xy: tuple[int, int], text: str, size: int = 20, *, bold: bool = False) -> None:
        self.texts.append(text)
        self.draw.text(xy, text, fill=(20, 20, 20), font=font(size, bold=bold, family=self.family))

    def right(self, x: int, y: int, text: str, size: int = 20, *, bold: bool = False) -> None:
        width = self.draw.textlength(text, font=font(size, bold=bold, family=self.family))
        self.text((x - round(width), y), text, size, bold=bold)

    def rule(self, y: int, x0: int = 90, x1: int = 1150) -> None:
        self.draw.line([(x0, y), (x1, y)], fill=(120, 120, 120), width=2)


def render_invoice(spec: InvoiceSpec, *, size: tuple[int, int] = A4_150DPI) -> RenderedInvoice:
    page = _Page(size, spec.font)
    _draw_header(page, spec)
    y = _draw_items(page, spec, top=560)
    _draw_totals(page, spec, top=y + 30)
    for i, line in enumerate(spec.footer):
        page.text((90, 1500 + i * 34), line, 18)
    page.right(1150, 1660, "Page 1 of 1", 16)
    return RenderedInvoice(spec=spec, image=page.image, texts=tuple(page.texts))


def _draw_header(page: _Page, spec: InvoiceSpec) -> None:
    page.text((90, 90), spec.vendor_name, 40, bold=True)
    for i, line in enumerate(spec.vendor_address):
        page.text((90, 150 + i * 30), line, 19)
    page.right(1150, 86, "INVOICE", 48, bold=True)
    meta = (
        ("Invoice No:", spec.invoice_number),
        ("Invoice Date:", spec.invoice_date.strftime(spec.date_format)),
        ("Due Date:", spec.due_date.strftime(spec.date_format)),
        ("Currency:", spec.currency_code),
    )
    for i, (label, value) in enumerate(meta):
        page.text((700, 290 + i * 36), label, 21, bold=True)
        page.text((880, 290 + i * 36), value, 21)
    page.text((90, 290), "Bill To:", 21, bold=True)
    for i, line in enumerate(spec.customer):
        page.text((90, 326 + i * 30), line, 20)


def _draw_items(page: _Page, spec: InvoiceSpec, *, top: int) -> int:
    page.rule(top - 10)
    page.text((90, top), "Description", 20, bold=True)
    page.right(760, top, "Qty", 20, bold=True)
    page.right(950, top, "Unit Price", 20, bold=True)
    page.right(1150, top, "Amount", 20, bold=True)
    page.rule(top + 36)
    y = top + 56
    for item in spec.items:
        page.text((90, y), item.description, 20)
        page.right(760, y, str(item.quantity), 20)
        page.right(950, y, spec.money(item.unit_price), 20)
        page.right(1150, y, spec.money(item.amount), 20)
        y += 42
    page.rule(y)
    return y


def _draw_totals(page: _Page, spec: InvoiceSpec, *, top: int) -> None:
    rows = (
        ("Subtotal", spec.subtotal, False),
        (spec.tax_label, spec.tax, False),
        ("Total", spec.total, True),
    )
    for i, (label, value, bold) in enumerate(rows):
        y = top + i * 40
        page.text((720, y), label, 22 if bold else 20, bold=bold)
        page.right(1150, y, spec.money(value), 22 if bold else 20, bold=bold)


def sample_invoices() -> list[RenderedInvoice]:
    return [render_invoice(spec) for spec in SAMPLE_INVOICES]


_VENDORS = (
    "Acme Industrial Supply",
    "Blue Ridge Consulting LLC",
    "Cedar & Stone Interiors",
    "Delta Freight Services",
    "Evergreen Office Solutions",
    "Falcon Data Systems Inc",
)
_ITEMS = (
    "Consulting hours",
    "Laptop stand, aluminium",
    "Annual software licence",
    "Printer toner cartridge",
    "On-site support visit",
    "Network switch 24-port",
    "Ergonomic office chair",
    "Shipping and handling",
)
_STYLES = (  # currency code, symbol, decimal comma, symbol after, date format, tax label
    ("USD", "$", False, False, "%m/%d/%Y", "Sales Tax (7%)", Decimal("7")),
    ("EUR", "€", True, True, "%d.%m.%Y", "VAT (21%)", Decimal("21")),
    ("GBP", "£", False, False, "%d %b %Y", "VAT 20%", Decimal("20")),
    ("USD", "$", False, False, "%B %d, %Y", "Tax (6.5%)", Decimal("6.5")),
)


def generated_invoices(count: int, *, seed: int = 0) -> list[RenderedInvoice]:
    """``count`` varied invoices (vendors, currencies, date styles, fonts), reproducible by seed."""
    rng = random.Random(seed)
    pages = []
    for n in range(count):
        code, symbol, comma, after, date_format, tax_label, rate = _STYLES[n % len(_STYLES)]
        issued = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(700))
        items = tuple(
            LineItem(name, rng.randrange(1, 30), Decimal(rng.randrange(150, 90000)) / 100)
            for name in rng.sample(_ITEMS, rng.randrange(2, 6))
        )
        spec = InvoiceSpec(
            vendor_name=_VENDORS[n % len(_VENDORS)],
            vendor_address=(f"{rng.randrange(1, 9999)} Commerce Park", "Springfield, IL 62701"),
            customer=("Globex Corporation", f"{rng.randrange(1, 999)} Main Street"),
            invoice_number=f"INV_{issued.year}_{rng.randrange(1, 99999):05d}",
            invoice_date=issued,
            due_date=issued + dt.timedelta(days=30),
            date_format=date_format,
            currency_code=code,
            currency_symbol=symbol,
            items=items,
            tax_label=tax_label,
            tax_rate=rate,
            decimal_comma=comma,
            symbol_after=after,
            font=("DejaVuSans", "DejaVuSerif", "DejaVuSansCondensed")[n % 3],
        )
        pages.append(render_invoice(spec))
    return pages
