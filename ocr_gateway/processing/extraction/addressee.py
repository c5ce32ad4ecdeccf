"""A name whose block goes on with an attention or department line is the addressee's.

A letter addresses its buyer "z. Hd. Frau Berg", "Attn: Accounts Payable", "à l'attention
de", or to a department ("Einkauf", "Buchhaltung", "Purchasing"); a seller's letterhead
never lists such a line under its own name. So a name followed, in its own column within
the next lines, by one is the buyer's block even where no "Bill to" label heads it
(``vendor._score`` lowers it by ``ADDRESSEE_PENALTY``).
"""

from __future__ import annotations

import re
import unicodedata

from ocr_gateway.processing.extraction.page import PageText
from ocr_gateway.processing.result import Box

ADDRESSEE_PENALTY = 1.2  # near a "Bill to" label's 1.5: an attention line is nearly one
_LINES_BELOW = 3
_ATTENTION = re.compile(
    r"^(?:z\.? ?hd\.?|zu handen|attn\.?:?|attention|c/o|a l'attention|all'attenzione|"
    r"a/a|a la atencion|ter attentie|t\.a\.v\.?|"
    r"einkauf|buchhaltung|kreditorenbuchhaltung|rechnungseingang|purchasing|"
    r"accounts payable|service comptabilite|comptabilite fournisseurs|ufficio acquisti|"
    r"departamento de compras)(?:\b|$)"
)


def heads_addressee_block(line_index: int, box: Box, page: PageText) -> bool:
    """Whether a line of the name's column right below it is an attention line."""
    left, right = box[0], box[2]
    for line in page.lines[line_index + 1 : line_index + 1 + _LINES_BELOW]:
        for start, end in line.cells:
            cell = line.box_of(start, end)
            if cell[0] < right and cell[2] > left and _attention(line.words_text(start, end)):
                return True
    return False


def _attention(text: str) -> bool:
    folded = unicodedata.normalize("NFKD", text.casefold().replace("’", "'"))  # noqa: RUF001
    plain = "".join(c for c in folded if not unicodedata.combining(c)).strip()
    return _ATTENTION.match(plain) is not None
