"""Page processing: read the page's text (e-invoice, PDF text layer or OCR), extract the
template's fields.

The pipeline for one page, in order (``pipeline.run``):

1. ``text_source.read_page_text(work, engine, policy)``: the page's bytes (its stored
   document, or ``fetch.fetch_bytes(url, policy=...)``: downloaded, read from the media root
   or decoded from a ``data:`` URL, safely); a PDF page's text layer when ``text_quality``
   finds it usable, else the page rendered (``pdf``) or the image decoded (``decode``) and
   read by ``engine.OcrEngine.read(image, languages=...)`` -> ``OcrResult`` (text in reading
   order, lines and words with boxes in pixels, confidences, timings); plus an embedded
   CII/UBL e-invoice's exact fields (``einvoice``).
2. ``extraction.extract_fields(result, template)``: template fields -> ``ExtractionResult``;
   ``text_source.extracted_fields`` sets the e-invoice's fields over the printed ones.

Documents come in through ``document.inspect_document`` (``createJobFromDocument``).

``pipeline`` runs these between a claim and a completion, which (like every other change of
a page's status, from the API or a worker) go through ``lifecycle``. HTTP goes out through
``ocr_gateway.outbound``, the guarded client webhooks use too.

Importing this package (or any of its modules) never imports torch, easyocr or onnxruntime: the
API process imports it too, and OCR runs in OCR processes only. The engines
(``onnx_engine.OnnxOcrEngine``, the default, and ``torch_engine.EasyOcrEngine``) import them
lazily, when they load; an OCR process on the ONNX engine never imports torch at all.
"""
