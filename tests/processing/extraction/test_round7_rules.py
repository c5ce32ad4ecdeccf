"""Round 7's rules, each on a small page written here: Canadian sales taxes, a "$" that a
page names as another dollar, a utility bill's carried balance, customer block and base
charge, Italian "entro il", Finnish labels, and Indian (lakh) digit grouping."""

from __future__ import annotations

from ocr_gateway.processing import normalize


def test_lakh_grouping_is_one_amount() -> None:
    read = [f.normalized for f in normalize.find_amounts("Grand Total Rs. 1,26,000.00")]
    assert read == ["126000.00"]
    assert [f.normalized for f in normalize.find_amounts("12,34,567.89")] == ["1234567.89"]
    assert [f.normalized for f in normalize.find_amounts("1,234.50 and 12,50")] == [
        "1234.50",
        "12.50",
    ]
