"""Page processing: fetch the page image, OCR it, extract the template's fields.

The pipeline for one page, in order:

1. ``fetch.fetch_image(url, policy=...)``: download (or read from the media root, or decode a
   ``data:`` URL) safely and decode it with Pillow -> ``FetchedImage``.
2. ``engine.OcrEngine.read(image, languages=...)``: OCR -> ``OcrResult`` (text in reading order,
   lines and words with boxes in original-image pixels, confidences, timings).
3. ``extraction.extract_fields(result, template)``: template fields -> ``ExtractionResult``.

Importing this package (or ``fetch``, ``extraction``, ``builtin_templates``, ``layout``) never
imports torch or easyocr: the API process imports it too, and OCR runs in worker processes only.
``engine.EasyOcrEngine`` imports them lazily, the first time it reads a page.
"""
