"""Whether an English page is American: then its numeric dates are month-first.

Without a date that can only be read one way, ``locale.py`` reads "08/03/2014" day-first,
as most of the world writes it, unless the page is in English and its money is in US
dollars. An American invoice tells it in other ways too, each enough on an English page:

- an address with a US state and ZIP code ("Portland, OR 97204", "CA 94105-1234");
- a "Sales Tax" line (Europe, the UK, India, Australia charge VAT or GST);
- a date with the month named first ("August 3, 2014", "Aug 3rd , 2014"): the American
  order written out (the British write "3 August 2014").
"""

from __future__ import annotations

import re

from ocr_gateway.processing.extraction.dates import MONTHS

_STATES = (
    "AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|"
    "NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY"
)
_STATE_ZIP = re.compile(rf"(?:^|,\s*|\s)(?:{_STATES}),?\s+\d{{5}}(?:-\d{{4}})?(?!\d)")
_SALES_TAX = re.compile(r"(?i)\bsales\s+tax\b")
_MONTH_FIRST = re.compile(
    r"(?i)(?<![\w])(?P<mon>[a-z]{3,9})\.?\s+[0-3]?\d(?:st|nd|rd|th)?\s?,\s*(?:19|20)\d{2}(?!\d)"
)


def american(text: str) -> bool:
    """Whether ``text`` (a page's lines) shows a US address, "Sales Tax" or a US-style date."""
    if _STATE_ZIP.search(text) or _SALES_TAX.search(text):
        return True
    return any(m["mon"].casefold() in MONTHS for m in _MONTH_FIRST.finditer(text))
