"""OCR Invoice Gateway: GraphQL (and a legacy REST shim) over OCR invoice work."""

__version__ = "0.1.0"
