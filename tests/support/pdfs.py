"""Small PDFs made by the tests themselves (reportlab): text layers, scans, broken files.

``text_pdf(pages)`` draws each page's ``(x_mm, y_mm_from_top, text, size)`` items as real text
(a text layer PDFium can read); ``image_pdf(image)`` wraps a raster image as a page with no
text layer, the way a scanner writes PDFs. ``unmapped_font_pdf`` writes glyph ids in a font
with no ToUnicode map (what PDFium reads is not text), ``empty_pdf`` a document of no pages.
"""

from __future__ import annotations

import io
import random
from collections.abc import Sequence

from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

TextItem = tuple[float, float, str, float]


def text_pdf(pages: Sequence[Sequence[TextItem]], *, encrypt: str | None = None) -> bytes:
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4, encrypt=encrypt, invariant=True)
    _, height = A4
    for items in pages:
        for x, y, text, size in items:
            pdf.setFont("Helvetica", size)
            pdf.drawString(x * mm, height - y * mm, text)
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def image_pdf(image: Image.Image) -> bytes:
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4, invariant=True)
    width, height = A4
    pdf.drawImage(ImageReader(image), 0, 0, width=width, height=height)
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def unmapped_font_pdf(lines: int = 12, *, seed: int = 7) -> bytes:
    """A page of text in a CID font (Identity-H) without a ToUnicode map: the glyph ids are
    all a reader gets, as from subset fonts some PDF writers embed without one."""
    rng = random.Random(seed)
    content = b"".join(
        b"BT /F1 12 Tf 50 %d Td <%s> Tj ET\n"
        % (800 - 20 * i, "".join(f"{rng.randint(3, 90):04x}" for _ in range(30)).encode())
        for i in range(lines)
    )
    fonts = [
        b"<< /Type /Font /Subtype /Type0 /BaseFont /AAAAAA+Custom /Encoding /Identity-H"
        b" /DescendantFonts [6 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /AAAAAA+Custom /CIDSystemInfo"
        b" << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 7 0 R"
        b" /CIDToGIDMap /Identity /DW 500 >>",
        b"<< /Type /FontDescriptor /FontName /AAAAAA+Custom /Flags 4 /FontBBox [0 -200 1000 900]"
        b" /ItalicAngle 0 /Ascent 900 /Descent -200 /CapHeight 700 /StemV 80 >>",
    ]
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
        b" /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>"
    )
    stream = b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"
    kids = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
    return _raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", kids, page, stream, *fonts])


def empty_pdf() -> bytes:
    """A well-formed PDF whose page tree has no pages."""
    return _raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"])


def _raw_pdf(objects: Sequence[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
