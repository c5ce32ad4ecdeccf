"""Small PDFs made by the tests themselves (reportlab): text layers, scans, broken files.

``text_pdf(pages)`` draws each page's ``(x_mm, y_mm_from_top, text, size)`` items as real text
(a text layer PDFium can read); ``image_pdf(image)`` wraps a raster image as a page with no
text layer, the way a scanner writes PDFs.
"""

from __future__ import annotations

import io
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
