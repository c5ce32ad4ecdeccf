"""Invoice fields from a page's text: candidates, evidence, and a confidence that means something.

Entry point: ``extract_fields(result, template) -> ExtractionResult`` (``extract.py`` has the
order of work). The modules, in the order a page goes through them:

- ``page``: lines and cells; ``labels`` + ``vocabulary``: labels in en, de, fr, nl, es, it,
  pt, matched OCR-tolerantly; ``locale``: decimal separator, date order, language, currency;
- ``candidates`` (with ``dates``): every date, amount and id-like token on the page;
- ``evidence`` (with ``label_context``: inclusion verbs, "excl. VAT", joined labels):
  what the labels left of or above a value say it is;
- ``scoring`` (number, dates), ``amounts`` (total, net, tax: labels and arithmetic),
  ``vendor`` (wording and layout), ``currency``: the choice and its confidence;
- ``custom``: template fields with no built-in role (their own labels, regex, region);
- ``model``: ``ExtractedField``, ``ExtractionResult``, ``ExtractionError``.
"""

from ocr_gateway.processing.extraction.extract import ROLES, extract_fields
from ocr_gateway.processing.extraction.model import (
    ExtractedField,
    ExtractionError,
    ExtractionResult,
)

__all__ = ["ROLES", "ExtractedField", "ExtractionError", "ExtractionResult", "extract_fields"]
