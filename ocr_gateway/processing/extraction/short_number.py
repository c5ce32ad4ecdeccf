"""Invoice numbers of a single digit ("Fattura n. 3", "Rechnung Nr. 7", "Invoice No. 5").

``candidates.id_candidates`` takes tokens of two characters or more: a lone digit on a page
is a quantity, a page number or a list item far more often than an id. Printed right after
an invoice-number label on its own line, though, it is the number (a small business numbers
its first invoices 1, 2, 3), so only that place yields it here; ``scoring.id_scores`` still
weighs it by its label and its short shape.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from ocr_gateway.processing.extraction.candidates import Candidate
from ocr_gateway.processing.extraction.labels import LabelHit
from ocr_gateway.processing.extraction.page import PageText

_LONE_DIGIT = re.compile(r"^#?(?P<digit>[1-9])[.,:;]?$")


def labelled_digits(page: PageText, hits: Sequence[Sequence[LabelHit]]) -> Iterator[Candidate]:
    """A lone digit printed as the word right after an invoice-number label."""
    for line in page.lines:
        for hit in hits[line.index]:
            if hit.role != "invoiceNumber" or hit.end >= len(line.words):
                continue
            if line.cell_of(hit.end) != line.cell_of(hit.end - 1):
                continue  # a column gap: the digit belongs to another column
            match = _LONE_DIGIT.match(line.words[hit.end].text)
            if match is None:
                continue
            yield Candidate(
                kind="id",
                line=line.index,
                start=hit.end,
                end=hit.end + 1,
                text=line.words[hit.end].text,
                normalized=match["digit"],
                box=line.box_of(hit.end, hit.end + 1),
                confidence=line.confidence_of(hit.end, hit.end + 1),
            )
