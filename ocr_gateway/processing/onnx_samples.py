"""Synthetic text pages and crops for verifying and calibrating the ONNX exports.

The export runs at install or first start, where no real page is at hand, so it draws its own:
pages of invoice-like lines (words, amounts, dates, rules) in Pillow's built-in scalable font
at several sizes, reproducible by seed. ``pages`` feed the int8 detector's calibration and the
detector's verification (with different seeds); ``crops`` are single lines for the recogniser.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from PIL import Image, ImageDraw, ImageFont

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

WORDS = (
    *("Invoice", "Total", "Subtotal", "VAT", "Tax", "Date", "Due", "Amount", "Qty", "Unit"),
    *("Price", "Description", "Customer", "Account", "Number", "Payment", "Bank", "IBAN"),
    *("Reference", "Order", "Delivery", "Service", "Hours", "Consulting", "GmbH", "Ltd"),
    *("SARL", "Street", "Road", "Rechnung", "Betrag", "Summe", "Facture", "Montant"),
    *("TOTAL", "CASH", "CHANGE"),
)


def _token(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.6:
        return rng.choice(WORDS)
    if kind < 0.8:
        return f"{rng.randint(1, 9999)}.{rng.randint(0, 99):02d}"
    if kind < 0.9:
        return f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/20{rng.randint(10, 30)}"
    return f"INV-{rng.randint(1000, 99999)}"


def _line(rng: random.Random, words: int) -> str:
    return " ".join(_token(rng) for _ in range(words))


def page(width: int, height: int, *, seed: int) -> Image.Image:
    """A white page with dark lines of text in sizes of 1-4 % of the page height."""
    rng = random.Random(seed)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    y = int(height * 0.04)
    while y < height * 0.94:
        size = max(8, int(height * rng.choice((0.010, 0.012, 0.014, 0.018, 0.025, 0.04))))
        font = ImageFont.load_default(size=size)
        x = int(width * rng.uniform(0.04, 0.4))
        tone = rng.randint(0, 90)
        draw.text((x, y), _line(rng, rng.randint(1, 6)), fill=(tone, tone, tone), font=font)
        if rng.random() < 0.15:
            draw.line((int(width * 0.04), y - 4, int(width * 0.96), y - 4), fill=(120, 120, 120))
        y += int(size * rng.uniform(1.4, 2.6))
    return image


def pages(count: int, *, seed: int) -> list[npt.NDArray[np.uint8]]:
    """``count`` RGB pages of portrait and landscape sizes between 480 and 1280 px."""
    import numpy as np

    rng = random.Random(seed)
    sizes = [(640, 896), (896, 640), (992, 1280), (480, 672), (1280, 960)]
    return [
        np.asarray(page(*sizes[i % len(sizes)], seed=rng.randint(0, 1 << 30)), dtype=np.uint8)
        for i in range(count)
    ]


def crops(count: int, *, seed: int) -> list[npt.NDArray[np.uint8]]:
    """``count`` greyscale single-line crops, 1 to 8 words, heights 20-48 px."""
    import numpy as np

    rng = random.Random(seed)
    result = []
    for _ in range(count):
        size = rng.randint(16, 40)
        font = ImageFont.load_default(size=size)
        text = _line(rng, rng.randint(1, 8))
        left, top, right, bottom = (round(v) for v in font.getbbox(text))
        image = Image.new("L", (right - left + 8, bottom - top + 8), 255)
        ImageDraw.Draw(image).text((4 - left, 4 - top), text, fill=rng.randint(0, 80), font=font)
        result.append(np.asarray(image, dtype=np.uint8))
    return result
