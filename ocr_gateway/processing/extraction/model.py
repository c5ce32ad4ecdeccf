"""What extraction returns: fields with their evidence trail, errors and warnings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ocr_gateway.processing.result import Box


@dataclass(frozen=True, slots=True)
class ExtractedField:
    name: str
    type: str
    value: str  # as printed
    normalized_value: str | None
    confidence: float
    box: Box | None
    # label | layout | arithmetic | amount | page | locale | default | reconciled | regex | region
    method: str
    needs_review: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "type": self.type,
            "value": self.value,
            "normalizedValue": self.normalized_value,
            "confidence": round(self.confidence, 4),
            "box": list(self.box) if self.box else None,
            "method": self.method,
            "needsReview": self.needs_review,
        }


@dataclass(frozen=True, slots=True)
class ExtractionError:
    field: str
    code: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "code": self.code, "message": self.message}


@dataclass(frozen=True, slots=True)
class ExtractionResult:
    fields: dict[str, ExtractedField]
    errors: tuple[ExtractionError, ...] = ()  # missing required fields
    warnings: tuple[ExtractionError, ...] = ()  # e.g. amounts that do not add up
    # What makes total = net + tax less a tax withheld at source or plus a tip or service
    # charge: {"withheld": "200.00"} or {"surcharge": "3.00"} (``amount_context``), else {}.
    adjustments: Mapping[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "fields": {name: f.to_dict() for name, f in self.fields.items()},
            "errors": [e.to_dict() for e in self.errors],
            "warnings": [w.to_dict() for w in self.warnings],
        }
        out.update(self.adjustments)
        return out

    def values(self) -> dict[str, str | None]:
        """``{name: normalizedValue}`` of the fields found."""
        return {name: f.normalized_value for name, f in self.fields.items()}
