"""The stress suite of invoice layouts: fields right per field and per layout.

    .venv/bin/python bench/layout_stress.py [--wrong]

The layouts are the test modules ``tests/processing/extraction/test_layouts_*.py``: invoices
written for the tests (US, CA, MX, UK, IE, AU, SG, IN, de, at, ch, fr, be, nl, es, it, pt, cs,
pl, sv, no, da, fi invoicing software, utilities, telecom, hotels, freight, e-commerce), each
a real PDF text layer with the eight fields it means.
All eight fields of every layout count, a field expected null too (right when nothing is
extracted). ``--wrong`` lists each wrong field with its expected and extracted value, and
whether it was marked ``needsReview``.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ocr_gateway.processing.extraction import ROLES
from tests.support.layouts import Layout

MODULES = (
    "test_layouts_en_us",
    "test_layouts_en_eu",
    "test_layouts_de",
    "test_layouts_fr_nl_es_it_pt",
    "test_layouts_structure",
    "test_layouts_round5",
    "test_layouts_parties",
    "test_layouts_languages",
    "test_layouts_round6",
    "test_layouts_numbers_credits",
    "test_layouts_balances",
    "test_layouts_round7",
)


def layouts() -> list[Layout]:
    found: list[Layout] = []
    for name in MODULES:
        module = importlib.import_module(f"tests.processing.extraction.{name}")
        found += module.LAYOUTS
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wrong", action="store_true", help="list the wrong fields")
    args = parser.parse_args()
    right = dict.fromkeys(ROLES, 0)
    flagged = dict.fromkeys(("right", "wrong"), 0)
    kept = dict.fromkeys(("right", "wrong"), 0)
    cases = layouts()
    lines = []
    for layout in cases:
        result = layout.extraction()
        for role in ROLES:
            field = result.fields.get(role)
            value = field.normalized_value if field else None
            ok = value == layout.expected.get(role)
            right[role] += ok
            if field is not None:
                (flagged if field.needs_review else kept)["right" if ok else "wrong"] += 1
            if not ok:
                review = " (needsReview)" if field and field.needs_review else ""
                lines.append(
                    f"- {layout.name} {role}: expected {layout.expected.get(role)!r}, "
                    f"got {value!r}{review}"
                )
    _report(right, len(cases), flagged, kept)
    if args.wrong:
        print("\nWrong fields:\n")
        print("\n".join(lines) or "(none)")


def _report(
    right: dict[str, int], count: int, flagged: dict[str, int], kept: dict[str, int]
) -> None:
    print(f"Stress layouts: {count}\n")
    print("| field | right | % |\n|---|---:|---:|")
    for role, n in right.items():
        print(f"| {role} | {n}/{count} | {100 * n / count:.1f} |")
    total = sum(right.values())
    print(f"| **all fields** | {total}/{8 * count} | {100 * total / (8 * count):.1f} |")
    print("\n| needsReview | fields found | right | wrong |\n|---|---:|---:|---:|")
    for name, part in (("false", kept), ("true", flagged)):
        print(f"| {name} | {part['right'] + part['wrong']} | {part['right']} | {part['wrong']} |")


if __name__ == "__main__":
    main()
