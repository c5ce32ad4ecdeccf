"""Any page, however odd, gives fields or nothing: extraction never raises for a page."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ocr_gateway.processing.builtin_templates import GENERIC_INVOICE_TEMPLATE
from ocr_gateway.processing.extraction import extract_fields
from ocr_gateway.processing.result import OcrLine, OcrResult, OcrWord

TOKENS = st.one_of(
    st.sampled_from(
        [
            "Total",
            "TTC",
            "Netto",
            "MwSt.",
            "Rechnung",
            "Nr.",
            "Date:",
            "(",
            ")",
            "€",
            "$",
            "RM",
            "Rs.",
            "%",
            "-",
            "·",
            "GmbH",
            "SDN",
            "BHD",
            "Invoice",
            "#",
            "due",
            "incl.",
            "0",
            ":",
        ]
    ),
    st.from_regex(r"[-(]?[0-9]{1,25}([.,'][0-9]{1,4})?[)%]?", fullmatch=True),
    st.from_regex(r"[0-9]{1,4}[./-][0-9]{1,2}[./-][0-9]{1,4}", fullmatch=True),
    st.text(min_size=1, max_size=12).filter(lambda t: t.strip() == t and " " not in t),
)


@st.composite
def pages(draw: st.DrawFn) -> OcrResult:
    lines = []
    for row in range(draw(st.integers(0, 12))):
        words, x = [], draw(st.integers(0, 900))
        height = draw(st.integers(1, 80))
        for token in draw(st.lists(TOKENS, min_size=1, max_size=8)):
            width = max(1, len(token) * draw(st.integers(1, 20)))
            y = row * 40 + draw(st.integers(0, 5))
            words.append(OcrWord(token, draw(st.floats(0, 1)), (x, y, x + width, y + height)))
            x += width + draw(st.integers(0, 200))
        lines.append(OcrLine.of(words))
    return OcrResult.of(lines, width=1240, height=1754, timings={})


@settings(max_examples=150, deadline=None)
@given(pages())
def test_extraction_never_raises_and_keeps_its_shape(page: OcrResult) -> None:
    result = extract_fields(page, GENERIC_INVOICE_TEMPLATE).to_dict()
    for field in result["fields"].values():
        assert 0 <= field["confidence"] <= 1
        assert isinstance(field["needsReview"], bool)
        assert field["normalizedValue"] is not None
