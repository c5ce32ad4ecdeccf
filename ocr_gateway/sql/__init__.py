"""SQL made from the resource declarations (``ocr_gateway.resources``), above ``db/``:

    specs        each resource's filter/sort whitelist for ``db.query``
    aggregates   a list's ``aggregate { ... }`` as one row
    compiler     GraphQL selections -> one statement per root field that returns the JSON

``db/`` (models, engine, queries, writes) knows nothing of the declarations; the
declarations name ``db.models``' columns; this package joins the two.
"""
