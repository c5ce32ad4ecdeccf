"""Page processing: fetch the page image, OCR it, extract the template's fields.

The pipeline for one page, in order:

1. ``fetch.fetch_image(url, policy=...)``: download (or read from the media root, or decode a
   ``data:`` URL) safely and decode it with Pillow -> ``FetchedImage``.
2. ``engine.OcrEngine.read(image, languages=...)``: OCR -> ``OcrResult`` (text in reading order,
   lines and words with boxes in original-image pixels, confidences, timings).
3. ``extraction.extract_fields(result, template)``: template fields -> ``ExtractionResult``.

``pipeline`` runs these between a claim and a completion, which (like every other change of
a page's status, from the API or a worker) go through ``lifecycle``. HTTP goes out through
``ocr_gateway.outbound``, the guarded client webhooks use too.

Importing this package (or any of its modules) never imports torch, easyocr or onnxruntime: the
API process imports it too, and OCR runs in OCR processes only. The engines
(``onnx_engine.OnnxOcrEngine``, the default, and ``torch_engine.EasyOcrEngine``) import them
lazily, when they load; an OCR process on the ONNX engine never imports torch at all.
"""
